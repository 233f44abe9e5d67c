/**
 * Public state shapes of a chat client.
 */
import type { AttachmentRefusal, ChatMessage, ErrorCode, SessionStatus, WarningLevel } from '../protocol/index.js';
import type { OutboxRecord } from './outbox-storage.js';

/**
 * Connection lifecycle (docs/protocol.md "Connection state"):
 * `idle → connecting → resuming → live ⇄ reconnecting`, plus `offline` (the browser says it
 * has no network), `auth-required` (sign in again) and `fatal` (refused for good).
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'resuming' | 'live' | 'reconnecting' | 'offline' | 'auth-required' | 'fatal';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Connection attempts since the last time the connection was live. */
  attempt: number;
  /** When the next attempt starts, when the server asked us to wait. */
  retryAt?: number;
  /** Why the connection is not live, when known; `limit` names a server limit that refused it (`LimitName`). */
  error?: { code: string; message: string; limit?: string };
}

/** Messages of one session held by the client, in stream order. */
export interface SessionMessages {
  sessionId: string;
  /** Stream epoch and the last applied `seq`; undefined until the first snapshot arrives. */
  epoch?: string;
  seq: number;
  items: readonly ChatMessage[];
  /** Older messages exist on the server. */
  hasMore: boolean;
  loadingOlder: boolean;
  /** A snapshot or replay has been applied: `items` reflects the server. */
  ready: boolean;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

/** A message the user sent that the server has not confirmed into the stream yet. */
export interface OutboxItem extends OutboxRecord {
  state: OutboxState;
  /** Why it failed (terminal nack), shown with Retry / Cancel. */
  error?: { code: string; message: string };
  /** Not before this time (server asked to slow down). */
  retryAt?: number;
  /** Set once acknowledged. */
  msgId?: string;
  seq?: number;
}

/** The customer's own session, as the visitor widget shows it. */
export interface VisitorState {
  sessionId: string;
  status: SessionStatus;
  /** Place in the channel queue while queued (1 = next). */
  position?: number;
  /** The expected wait at that place (ms), from the channel's recent waiting times; absent without an estimate. */
  expectedWaitMs?: number;
  /** Name of the agent who joined. */
  agentName?: string;
  /**
   * Whether an agent who may answer in the chat's channel is online and Present (from the
   * server's `availability` frames); undefined until the server has said.
   */
  available?: boolean;
}

/** A chat that has waited in the queue longer than its channel allows (agents only). */
export interface WarningState {
  sessionId: string;
  /** `agents`: Present agents with Notifications were warned; `managers`: the managers too. */
  level: WarningLevel;
  /** Server time since which the chat has been waiting (see `$clockOffset`). */
  waitingSince: number;
}

/** Someone is typing in a session. */
export interface TypingState {
  who: { kind: 'customer' | 'agent' | 'system'; id?: string; name: string };
  /** The customer's draft, shown to agents ("sneak peek"). */
  preview?: string;
  /** Client time after which the indicator is stale. */
  until: number;
}

/** A failed request: `code` is one of the protocol's error codes, or `offline`/`timeout`. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode | 'offline' | 'timeout',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

/** A failed HTTP call of the client core. */
export class ChatHttpError extends ChatError {
  constructor(
    code: ErrorCode | 'offline' | 'timeout',
    message: string,
    /** HTTP status; 0 when the server was not reached. */
    readonly status: number,
    /** Why an upload was refused (`too_large`, `type`, `image_too_large`, `empty`, `name`, `rate_limited`). */
    readonly reason?: AttachmentRefusal,
    /** Reply validation: a message per field (`title`, `text`, `shortcut`, `url`, …), for display next to it. */
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(code, message, status === 0 || status === 429 || status >= 500);
    this.name = 'ChatHttpError';
  }
}
