import type { Migration } from './index.js';

export const m13: Migration = {
  version: 13,
  name: 'quote a message in a reply (issue 18)',
  sql: `
      -- The message a reply quotes, as the server made it (server/core/room/quote.ts): id, both
      -- numberings, author and a plain-text excerpt, as JSON. NULL: the message quotes nothing.
      ALTER TABLE messages ADD COLUMN quote TEXT;
    `,
};
