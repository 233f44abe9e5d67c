import type { Migration } from './index.js';

export const m01: Migration = {
  version: 1,
  name: 'core: tenants, channels, agents, sessions, messages, board log, auth',
  sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        time_zone TEXT NOT NULL DEFAULT 'Europe/Stockholm',
        board_epoch TEXT NOT NULL,
        board_seq INTEGER NOT NULL DEFAULT 0,
        allowed_origins TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );

      CREATE TABLE channels (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        welcome_message TEXT NOT NULL DEFAULT '',
        sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id)
      );

      CREATE TABLE agents (
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present', 'away')),
        max_concurrent_chats INTEGER NOT NULL DEFAULT 5,
        manage_quick_replies INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id)
      );

      CREATE TABLE agent_channels (
        tenant_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        can_respond INTEGER NOT NULL DEFAULT 1,
        notifications INTEGER NOT NULL DEFAULT 1,
        can_listen INTEGER NOT NULL DEFAULT 0,
        manager INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, agent_id, channel_id),
        FOREIGN KEY (tenant_id, agent_id) REFERENCES agents(tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels(tenant_id, id)
      );

      CREATE TABLE sessions (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'active', 'ended', 'missed')),
        customer_name TEXT NOT NULL,
        customer_email TEXT,
        customer_phone TEXT,
        agent_id TEXT,
        created_at INTEGER NOT NULL,
        accepted_at INTEGER,
        ended_at INTEGER,
        ended_by TEXT,
        last_activity_at INTEGER NOT NULL,
        epoch TEXT NOT NULL,
        head_seq INTEGER NOT NULL DEFAULT 0,
        head_cseq INTEGER NOT NULL DEFAULT 0,
        last_from TEXT,
        last_text TEXT,
        last_at INTEGER,
        agent_read_seq INTEGER NOT NULL DEFAULT 0,
        customer_read_cseq INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, channel_id) REFERENCES channels(tenant_id, id)
      );
      CREATE INDEX sessions_queue ON sessions (tenant_id, status, channel_id, created_at);
      CREATE INDEX sessions_agent ON sessions (tenant_id, agent_id, status);
      CREATE INDEX sessions_ended ON sessions (tenant_id, ended_at);

      CREATE TABLE messages (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        cseq INTEGER,
        id TEXT NOT NULL,
        cmid TEXT,
        sender_kind TEXT NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'system')),
        sender_id TEXT,
        author_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('text', 'note', 'event')),
        text TEXT NOT NULL,
        event TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, session_id, seq),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE UNIQUE INDEX messages_cmid ON messages (tenant_id, sender_kind, sender_id, cmid) WHERE cmid IS NOT NULL;
      CREATE UNIQUE INDEX messages_cseq ON messages (tenant_id, session_id, cseq) WHERE cseq IS NOT NULL;
      CREATE UNIQUE INDEX messages_id ON messages (tenant_id, id);

      CREATE TABLE board_events (
        tenant_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        channel_id TEXT,
        subject_id TEXT NOT NULL,
        data TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, seq)
      );

      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('agent', 'customer')),
        subject_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      CREATE TABLE used_tickets (
        jti TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `,
};
