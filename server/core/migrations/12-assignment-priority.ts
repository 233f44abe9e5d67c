import type { Migration } from './index.js';

export const m12: Migration = {
  version: 12,
  name: 'assignment and response targets: offers, auto-away, priority, first and next response',
  sql: `
      -- Automatic assignment per channel (server/core/room/assignment.ts): off (agents pull), round
      -- robin or least busy; an offer must be accepted within offer_timeout_s, else the agent is
      -- set Away (agents.away_reason = 'auto') and the chat offered to the next.
      ALTER TABLE channels ADD COLUMN assign_mode TEXT NOT NULL DEFAULT 'off' CHECK (assign_mode IN ('off', 'round-robin', 'least-busy'));
      ALTER TABLE channels ADD COLUMN offer_timeout_s INTEGER NOT NULL DEFAULT 30;
      -- Response-time targets (0: none), the default priority and the rules on pre-chat fields
      -- (JSON, server/core/room/priority.ts).
      ALTER TABLE channels ADD COLUMN first_response_s INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE channels ADD COLUMN next_response_s INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE channels ADD COLUMN default_priority TEXT NOT NULL DEFAULT 'normal';
      ALTER TABLE channels ADD COLUMN priority_rules TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE agents ADD COLUMN away_reason TEXT;
      -- The one pending offer of a queued chat (NULL: none).
      ALTER TABLE sessions ADD COLUMN offer_to TEXT;
      ALTER TABLE sessions ADD COLUMN offer_at INTEGER;
      ALTER TABLE sessions ADD COLUMN offer_expires_at INTEGER;
      -- Priority of the chat; since when the customer waits for an answer (NULL: the agent wrote
      -- last); when the first answer came.
      ALTER TABLE sessions ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
      ALTER TABLE sessions ADD COLUMN waiting_since INTEGER;
      ALTER TABLE sessions ADD COLUMN first_response_at INTEGER;
      -- Every offer and how it ended (accepted, declined, expired, withdrawn): round robin's order,
      -- and no chat offered twice to an agent who let it pass. At most one pending offer per chat
      -- and per agent, enforced here.
      CREATE TABLE assignment_offers (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        offered_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('accepted', 'declined', 'expired', 'withdrawn')),
        answered_at INTEGER
      );
      CREATE UNIQUE INDEX assignment_offers_session ON assignment_offers (tenant_id, session_id) WHERE outcome IS NULL;
      CREATE UNIQUE INDEX assignment_offers_agent ON assignment_offers (tenant_id, agent_id) WHERE outcome IS NULL;
      CREATE INDEX assignment_offers_channel ON assignment_offers (tenant_id, channel_id, agent_id, offered_at);
      -- Each answer to a waiting customer: how long they waited against the channel's target then.
      CREATE TABLE response_times (
        tenant_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('first', 'next')),
        waited_ms INTEGER NOT NULL,
        target_ms INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX response_times_at ON response_times (tenant_id, channel_id, at);
    `,
};
