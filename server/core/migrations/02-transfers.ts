import type { Migration } from './index.js';

export const m02: Migration = {
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
};
