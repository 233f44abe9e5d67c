import type { Migration } from './index.js';

export const m14: Migration = {
  version: 14,
  name: 'priority and response-time targets: due time and who set the priority (issue 18)',
  sql: `
      -- When the answer the customer waits for is due (server/core/room/priority.ts): set with
      -- waiting_since (migration 12) from the channel's target at that moment (a later change of
      -- the target applies to the next wait); NULL: nobody waits, or the channel has no target.
      ALTER TABLE sessions ADD COLUMN response_due_at INTEGER;
      -- Who gave the chat its priority: 'channel' (its default), 'rule' (a rule on the pre-chat
      -- fields), or the id of the agent who set it; and when.
      ALTER TABLE sessions ADD COLUMN priority_by TEXT;
      ALTER TABLE sessions ADD COLUMN priority_at INTEGER;
      -- Open chats when this ran: those answered already have their first answer; the others
      -- wait for it since they started.
      UPDATE sessions SET first_response_at = (SELECT MIN(m.at) FROM messages m WHERE m.tenant_id = sessions.tenant_id AND m.session_id = sessions.id
          AND m.sender_kind = 'agent' AND m.kind = 'text')
        WHERE status IN ('queued', 'active') AND first_response_at IS NULL;
      UPDATE sessions SET waiting_since = created_at WHERE status IN ('queued', 'active') AND waiting_since IS NULL AND first_response_at IS NULL;
    `,
};
