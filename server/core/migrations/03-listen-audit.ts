import type { Migration } from './index.js';

export const m03: Migration = {
  version: 3,
  name: 'listen-in audit',
  sql: `
      -- Every listen-mode subscription of an agent to a session: who, which session (and its
      -- channel at the time), why they could listen, from when to when, and why it stopped.
      CREATE TABLE listen_audit (
        tenant_id TEXT NOT NULL,
        id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('permission', 'handled', 'transfer')),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT CHECK (end_reason IN ('unsubscribed', 'disconnected', 'revoked', 'lost-access', 'answered', 'restart')),
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX listen_audit_session ON listen_audit (tenant_id, session_id, started_at);
      CREATE INDEX listen_audit_started ON listen_audit (tenant_id, started_at);
      CREATE INDEX listen_audit_open ON listen_audit (tenant_id, ended_at) WHERE ended_at IS NULL;
    `,
};
