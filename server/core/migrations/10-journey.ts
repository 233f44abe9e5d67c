import type { Migration } from './index.js';

export const m10: Migration = {
  version: 10,
  name: 'journey: the customer\'s language, company and consent; rating and comment; transcript e-mails; returns',
  sql: `
      -- The widget's language when the chat started (texts, the transcript e-mail), what the pre-chat
      -- form asked besides name, e-mail and phone, and when the customer accepted the consent text.
      ALTER TABLE sessions ADD COLUMN language TEXT;
      ALTER TABLE sessions ADD COLUMN customer_company TEXT;
      ALTER TABLE sessions ADD COLUMN consent_at INTEGER;
      -- The post-chat form: a rating 1–5 with an optional comment (the agent who handled the chat
      -- last is sessions.agent_id), transcript e-mails sent, and returns to the chat.
      ALTER TABLE sessions ADD COLUMN rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5);
      ALTER TABLE sessions ADD COLUMN rating_comment TEXT;
      ALTER TABLE sessions ADD COLUMN rated_at INTEGER;
      ALTER TABLE sessions ADD COLUMN transcripts_sent INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sessions ADD COLUMN returned_at INTEGER;
      CREATE INDEX sessions_rated ON sessions (tenant_id, rated_at) WHERE rating IS NOT NULL;
    `,
};
