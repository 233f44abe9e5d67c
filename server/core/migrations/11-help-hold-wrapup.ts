import type { Migration } from './index.js';

export const m11: Migration = {
  version: 11,
  name: 'peers: ask for help, hold and return to queue, wrap-up with tags (issue 18)',
  sql: `
      -- Ask for help: the handling agent raised a flag (when, who, an optional note); NULL: none.
      -- Cleared when a supervisor joins or takes over, the agent lowers it, or the chat ends.
      ALTER TABLE sessions ADD COLUMN help_at INTEGER;
      ALTER TABLE sessions ADD COLUMN help_by TEXT;
      ALTER TABLE sessions ADD COLUMN help_note TEXT;
      CREATE INDEX sessions_help ON sessions (tenant_id, help_at) WHERE help_at IS NOT NULL;
      -- Hold: since when the handling agent holds the chat (it does not count against capacity).
      ALTER TABLE sessions ADD COLUMN held_at INTEGER;
      -- Returned to the queue with a reason (shown to the next agent): who and when.
      ALTER TABLE sessions ADD COLUMN return_reason TEXT;
      ALTER TABLE sessions ADD COLUMN return_by TEXT;
      ALTER TABLE sessions ADD COLUMN return_at INTEGER;
      -- Wrap-up: the closing comment, the chat's tags (a JSON array of strings) and a close that
      -- did not tell the customer (spam).
      ALTER TABLE sessions ADD COLUMN wrap_comment TEXT;
      ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE sessions ADD COLUMN closed_silently INTEGER NOT NULL DEFAULT 0;
    `,
};
