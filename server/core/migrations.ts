/**
 * Numbered schema migrations (SQLite dialect). Append only: never edit a migration that has
 * shipped; add the next number instead. `migrate()` applies the missing ones in order, each in
 * its own transaction, and records them in `schema_migrations`.
 */
import type { SqlPort } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
    version: 2,
    name: 'transfers, handler history, channel warnings and sneak peek, customer read position, internal events',
    sql: `
      ALTER TABLE tenants ADD COLUMN transfer_timeout_ms INTEGER NOT NULL DEFAULT 120000;
      -- Server time of the last "recently completed" sweep (NULL: never swept).
      ALTER TABLE tenants ADD COLUMN recent_swept_at INTEGER;

      ALTER TABLE channels ADD COLUMN warn_after_s INTEGER NOT NULL DEFAULT 60;
      ALTER TABLE channels ADD COLUMN manager_warn_after_s INTEGER NOT NULL DEFAULT 180;
      ALTER TABLE channels ADD COLUMN sneak_peek INTEGER NOT NULL DEFAULT 1;

      -- When the session (last) entered its queue, and the wait warnings already sent for it.
      ALTER TABLE sessions ADD COLUMN queued_at INTEGER;
      UPDATE sessions SET queued_at = created_at;
      ALTER TABLE sessions ADD COLUMN warned_level INTEGER NOT NULL DEFAULT 0;
      -- Pending transfer to another agent (all NULL when none).
      ALTER TABLE sessions ADD COLUMN transfer_to TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_from TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_note TEXT;
      ALTER TABLE sessions ADD COLUMN transfer_at INTEGER;
      ALTER TABLE sessions ADD COLUMN transfer_expires_at INTEGER;
      CREATE INDEX sessions_transfer ON sessions (tenant_id, transfer_to) WHERE transfer_to IS NOT NULL;
      -- Last message the customer has read, in agent numbering.
      ALTER TABLE sessions ADD COLUMN customer_read_seq INTEGER NOT NULL DEFAULT 0;

      -- Agent-only system events (no cseq) and their details.
      ALTER TABLE messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN meta TEXT;

      -- Agents (besides channel members) who may see a board event: JSON array, NULL = from data.
      ALTER TABLE board_events ADD COLUMN audience TEXT;

      -- Who handled a session, from when to when (and why it stopped).
      CREATE TABLE session_agents (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        ended_reason TEXT CHECK (ended_reason IN ('ended', 'transferred', 'taken-over', 'requeued')),
        PRIMARY KEY (tenant_id, session_id, agent_id, started_at),
        FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id)
      );
      CREATE INDEX session_agents_agent ON session_agents (tenant_id, agent_id, session_id);
      INSERT INTO session_agents (tenant_id, session_id, agent_id, started_at, ended_at, ended_reason)
        SELECT tenant_id, id, agent_id, COALESCE(accepted_at, created_at), ended_at,
               CASE WHEN status IN ('ended', 'missed') THEN 'ended' END
        FROM sessions WHERE agent_id IS NOT NULL;
    `,
  },
];

/** Applies the migrations this database has not seen yet. Returns the versions applied. */
export function migrate(db: SqlPort, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set(db.all<{ version: number }>('SELECT version FROM schema_migrations').map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    });
    applied.push(m.version);
  }
  return applied;
}
