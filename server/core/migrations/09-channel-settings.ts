import type { Migration } from './index.js';

export const m09: Migration = {
  version: 9,
  name: 'journey: channel settings (texts per language, opening hours, widget look, forms)',
  sql: `
      -- The customer's journey in a channel (JSON, src/protocol/channel-settings.ts): texts per
      -- language, opening hours with time zone, lunch and closed days, the widget's look, the
      -- pre-chat, offline and post-chat forms. '{}': the defaults.
      ALTER TABLE channels ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
    `,
};
