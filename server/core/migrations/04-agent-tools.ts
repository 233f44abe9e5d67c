import type { Migration } from './index.js';

export const m04: Migration = {
  version: 4,
  name: 'agent tools: reply library (favourites, usage), attachments',
  sql: `
      -- Quick replies, reply templates and FAQ links. owner_id NULL = shared with the tenant.
      CREATE TABLE replies (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('quick-reply', 'template', 'faq')),
        owner_id TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        shortcut TEXT,
        folder TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sv')),
        channel_ids TEXT,
        url TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE UNIQUE INDEX replies_shortcut ON replies (tenant_id, COALESCE(owner_id, ''), shortcut) WHERE shortcut IS NOT NULL;
      CREATE INDEX replies_owner ON replies (tenant_id, owner_id);

      -- Per agent: favourites and recently used replies.
      CREATE TABLE reply_favourites (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        reply_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, agent_id, reply_id),
        FOREIGN KEY (tenant_id, reply_id) REFERENCES replies(tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX reply_favourites_reply ON reply_favourites (tenant_id, reply_id);
      CREATE TABLE reply_usage (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        reply_id TEXT NOT NULL,
        last_used_at INTEGER NOT NULL,
        use_count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (tenant_id, agent_id, reply_id),
        FOREIGN KEY (tenant_id, reply_id) REFERENCES replies(tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX reply_usage_reply ON reply_usage (tenant_id, reply_id);

      -- Uploaded files (bytes in <data>/attachments/<tenant>/<id>); message_id is set when sent.
      CREATE TABLE attachments (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        uploader_kind TEXT NOT NULL CHECK (uploader_kind IN ('agent', 'customer')),
        uploader_id TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        type TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        message_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE INDEX attachments_session ON attachments (tenant_id, session_id);
      CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL;

      -- The files a message carries, as sent: JSON [{id, name, size, type}] (NULL = none).
      ALTER TABLE messages ADD COLUMN attachments TEXT;
    `,
};
