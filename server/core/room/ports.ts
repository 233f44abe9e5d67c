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
import type { ClientFrame } from '../../../src/protocol/client-frames.js';
import type { EventMeta, SessionEventName } from '../../../src/protocol/index.js';
import type { TenantStore } from '../store/index.js';
import type { After, ConnState } from './types.js';

/** The frames that write a session's stream. */
export type StreamWrite = Extract<ClientFrame, { t: 'send' | 'read' | 'unread' }>;

/** A message as the directory hands it to a conversation to number and store (the bot's part of a chat). */
export type AppendInput = Parameters<TenantStore['appendMessage']>[0];

/** What the directory asks of a conversation. */
export interface ConversationPort {
  /**
   * Appends a system event (`queued`, `joined`, `ended`, transfer events…) to the session's
   * stream inside the caller's transaction; it is delivered to the subscribers after the commit
   * (`after`). Agent-only events get no customer numbering. The first one opens the stream.
   */
  appendSystem(sessionId: string, event: SessionEventName, text: string, at: number, after: After[], authorName?: string, meta?: EventMeta): void;
  /**
   * Appends a message the directory brings with it (the bot's part at chat start, before the
   * queue), numbered and stored inside the caller's transaction; not delivered (nobody follows
   * the chat yet).
   */
  append(input: AppendInput, after: After[]): void;
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
   * An agent other than the handler opened the session's stream (`subscribe`) or whispered in
   * it: a supervisor answering a request for help (help.ts). Called once the subscription is
   * allowed and before its snapshot is made, so that the snapshot shows the answered request.
   */
  opened(sessionId: string, agentId: string): void;
}

/** What a conversation numbered elsewhere reports to the directory's room (in its order). */
export type Reported = { kind: 'activity'; sessionId: string; change: Activity } | { kind: 'opened'; sessionId: string; agentId: string };

/**
 * A host whose conversations number their streams in units of their own (the Cloudflare host's
 * conversation objects, docs/scaling.md § 6) gives the room this: the room then numbers no
 * stream itself. The directory's stream writes are recorded as calls (the host's outbox, inside
 * the directory's transaction) and the frames that write a stream are carried to the unit that
 * numbers it; what that unit numbered comes back through {@link ChatRoom.reported} as the
 * room's copy, which the room delivers to its own subscribers.
 */
export interface RemoteConversations {
  /** `ConversationPort.appendSystem`, recorded inside the directory's transaction. */
  appendSystem(sessionId: string, event: SessionEventName, text: string, at: number, authorName: string, meta: EventMeta | undefined): void;
  /** `ConversationPort.append`, recorded inside the directory's transaction. */
  append(input: AppendInput): void;
  /**
   * A frame that writes a stream (`send`, `read`, `unread`) on a greeted connection of the
   * room: the host carries it to the unit that numbers the stream and hands its answer (the
   * `ack`, `ok` or `nack` texts) to `reply`, which sends them on the connection if it is still open.
   */
  write(state: ConnState, frame: StreamWrite, reply: (texts: readonly string[]) => void): void;
}
