/**
 * The one narrow interface between conversation work and directory work.
 *
 * A **conversation** (conversation.ts) owns one session's stream: messages, numbering, typing,
 * read positions, subscriptions. The **directory** (directory.ts and its helpers) owns the
 * tenant's sessions' lifecycle: queue, assignment, transfers, presence, availability, warnings
 * and the board. Neither reaches into the other's state; they call each other only through these
 * two interfaces. On the Node host both are objects in one room calling each other directly,
 * inside the same transaction; a Durable Object host can run each conversation and each
 * tenant directory as separate units and carry these calls over RPC.
 *
 * Both read the session's row (`sessions`): the directory writes its lifecycle columns (status,
 * handler, channel, transfer, queue and warning state), the conversation its stream columns
 * (heads, epoch, read positions, last message).
 */
import type { EventMeta, SessionEventName } from '../../../src/protocol/index.js';
import type { After } from './types.js';

/** What the directory asks of a conversation. */
export interface ConversationPort {
  /**
   * Appends a system event (`queued`, `joined`, `ended`, transfer events…) to the session's
   * stream inside the caller's transaction; it is delivered to the subscribers after the commit
   * (`after`). Agent-only events get no customer numbering. The first one opens the stream.
   */
  appendSystem(sessionId: string, event: SessionEventName, text: string, at: number, after: After[], authorName?: string, meta?: EventMeta): void;
  /**
   * Who may read the session changed (answered, transferred, moved, taken over, ended):
   * subscriptions no longer allowed end silently, and a listener who became the handler is a
   * participant from now on. Called after the commit.
   */
  revalidate(sessionId: string): void;
  /**
   * An agent's permissions changed (their connections already carry the new ones): every
   * subscription of theirs that is no longer allowed ends with `gone {reason: 'revoked'}`.
   */
  revoke(agentId: string): void;
}

/** What changed in a conversation, as the directory needs to know it. */
export interface Activity {
  /** `message`: a message or note was appended; `read`: a read position moved. */
  kind: 'message' | 'read';
  /** Who wrote or read. */
  from: 'customer' | 'agent';
  /** Server time of the change. */
  at: number;
  /** A message the customer sees (a text, not a note or whisper): it starts or answers a wait (priority.ts). */
  visible?: boolean;
}

/** What a conversation tells the directory. */
export interface DirectoryPort {
  /**
   * The session's message-level summary changed (last message, who wrote last, unread,
   * customer read position). Called once per change inside the conversation's transaction;
   * what the directory publishes runs after the commit (`after`). The single place where
   * summaries can later be coalesced.
   */
  activity(sessionId: string, change: Activity, after: After[]): void;
  /**
   * An agent other than the handler opened the session's stream (`subscribe`): a supervisor
   * answering a request for help (help.ts). Called after the subscription was granted.
   */
  opened(sessionId: string, agentId: string): void;
}
