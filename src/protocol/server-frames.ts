/**
 * Frames the server sends to clients.
 *
 * The client validates every incoming frame against these schemas at the transport boundary.
 * They ignore unknown fields (forward compatibility: a newer server may add fields) but check
 * the type of every field the client uses. A frame of an unknown type is dropped and counted.
 */
import * as v from 'valibot';

import {
  AgentInfo,
  Author,
  BoardSnapshot,
  ChatMessage,
  Count,
  Id,
  Me,
  SessionActivity,
  SessionSnapshot,
  SessionSummary,
  Time,
  WarningLevel,
} from './model.js';

/** Error codes of `nack` and `error` frames. */
export const ErrorCode = v.picklist([
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'queue_empty',
  'at_capacity',
  'session_closed',
  'rate_limited',
  'overloaded',
  'internal',
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

const ResumeStatus = v.object({
  stream: v.string(),
  /** `replay`: events up to `toSeq` follow; `reset`: a reset frame follows; `gone`: drop your copy. */
  status: v.picklist(['replay', 'reset', 'gone']),
  epoch: v.optional(Id),
  toSeq: v.optional(Count),
});
export type ResumeStatus = v.InferOutput<typeof ResumeStatus>;

export const WelcomeFrame = v.object({
  t: v.literal('welcome'),
  v: v.number(),
  connId: Id,
  serverTime: Time,
  me: Me,
  resume: v.array(ResumeStatus),
});

/**
 * A board event: the tenant's board is one sequenced log (`epoch`, `seq`), but each connection
 * receives only the events it may see. `prev` is the `seq` of the previous board event this
 * connection received (or the position it resumed from / its snapshot's `seq`), so the client
 * applies an event only when `prev` equals its position, drops `seq` at or below it, and resyncs
 * on anything else: the chain is gapless per connection without telling anyone of the rest.
 */
const BoardEventBase = { t: v.literal('event'), stream: v.literal('board'), epoch: Id, seq: Count, prev: Count };
export const BoardEvent = v.variant('kind', [
  v.object({ ...BoardEventBase, kind: v.literal('session'), data: SessionSummary }),
  v.object({ ...BoardEventBase, kind: v.literal('session-remove'), data: v.object({ id: Id }) }),
]);
export type BoardEvent = v.InferOutput<typeof BoardEvent>;

export const SessionEvent = v.object({
  t: v.literal('event'),
  stream: v.pipe(v.string(), v.startsWith('session:')),
  epoch: Id,
  seq: Count,
  kind: v.literal('message'),
  data: ChatMessage,
});
export type SessionEvent = v.InferOutput<typeof SessionEvent>;

export const AckFrame = v.object({
  t: v.literal('ack'),
  cmid: Id,
  sessionId: Id,
  msgId: Id,
  seq: Count,
  at: Time,
  duplicate: v.boolean(),
});

/**
 * The limit a refusal is about (`frames_per_minute`, `connections_per_tenant`…: `LimitName`).
 * A plain string on the wire, so a newer server may name limits this client does not know yet.
 */
const Limit = v.optional(v.string());

export const NackFrame = v.object({
  t: v.literal('nack'),
  rid: v.optional(v.string()),
  cmid: v.optional(v.string()),
  code: ErrorCode,
  retryable: v.boolean(),
  retryAfterMs: v.optional(Count),
  message: v.string(),
  limit: Limit,
});

export const OkFrame = v.object({
  t: v.literal('ok'),
  rid: v.string(),
  data: v.optional(v.unknown()),
});

export const ResetFrame = v.variant('stream', [
  v.object({
    t: v.literal('reset'),
    stream: v.literal('board'),
    epoch: Id,
    reason: v.string(),
    /**
     * How many parts the snapshot comes in (absent: 1). This frame is part 1; parts 2… follow
     * at once as `reset-part` frames; the board is replaced only when every part is there.
     */
    parts: v.optional(v.pipe(Count, v.minValue(1))),
    snapshot: BoardSnapshot,
  }),
  v.object({
    t: v.literal('reset'),
    stream: v.pipe(v.string(), v.startsWith('session:')),
    epoch: Id,
    reason: v.string(),
    snapshot: SessionSnapshot,
  }),
]);

/** A further part of a board snapshot sent in parts (`reset.parts` > 1): more sessions and agents. */
export const ResetPartFrame = v.object({
  t: v.literal('reset-part'),
  stream: v.literal('board'),
  epoch: Id,
  /** 2 … `parts`, in order. */
  part: v.pipe(Count, v.minValue(2)),
  parts: v.pipe(Count, v.minValue(2)),
  sessions: v.optional(v.array(SessionSummary)),
  agents: v.optional(v.array(AgentInfo)),
});

/**
 * Agents: the message-level fields of sessions in my view (last message, activity time, unread,
 * stream head, the customer's read position), unsequenced: the latest value wins. Sent for the
 * chats I handle, the chats I follow, queued chats of my channels and chats offered to me;
 * coalesced (at most one frame per connection per `COALESCE_WINDOW_MS`). A session not on the
 * board is ignored.
 */
export const ActivityFrame = v.object({
  t: v.literal('activity'),
  sessions: v.array(SessionActivity),
});

/**
 * Agents: records of agents that changed (presence, load, channels), unsequenced: the latest
 * value wins. Coalesced like `activity`; after a resume by replay, the whole list.
 */
export const AgentsFrame = v.object({
  t: v.literal('agents'),
  agents: v.array(AgentInfo),
});

export const TypingEventFrame = v.object({
  t: v.literal('typing'),
  sessionId: Id,
  who: Author,
  on: v.boolean(),
  preview: v.optional(v.string()),
});

/** Customer only: the session's place in its channel queue (1 = next). */
export const QueueFrame = v.object({
  t: v.literal('queue'),
  sessionId: Id,
  position: Count,
  /** The expected wait at this position from the channel's recent waiting times (absent: no estimate). */
  expectedWaitMs: v.optional(Count),
});

/**
 * Customer only: whether an agent who may answer in the session's channel is online and
 * Present. Sent after `welcome` and whenever it changes.
 */
export const AvailabilityFrame = v.object({
  t: v.literal('availability'),
  sessionId: Id,
  available: v.boolean(),
});

/**
 * Agents only: a chat has waited in the queue longer than its channel allows. Sent once per
 * level and session (and again after a reconnect or a switch to Present while still due).
 */
export const WarningFrame = v.object({
  t: v.literal('warning'),
  sessionId: Id,
  level: WarningLevel,
  /** Server time since which the chat has been waiting in its queue. */
  waitingSince: Time,
});

/**
 * Agents: the server stopped a session subscription of this connection (for example the listen
 * permission was revoked mid-listen). Nothing more of the stream follows; drop the local copy.
 */
export const GoneFrame = v.object({
  t: v.literal('gone'),
  stream: v.pipe(v.string(), v.startsWith('session:')),
  /** Why: `revoked` (permission changed). */
  reason: v.string(),
});

/** Agents: my permissions changed (an administrator edited them); replaces `welcome.me`. */
export const MeFrame = v.object({ t: v.literal('me'), me: Me });

export const PongFrame = v.object({ t: v.literal('pong'), n: Count });

export const ErrorFrame = v.object({
  t: v.literal('error'),
  code: ErrorCode,
  message: v.string(),
  retryAfterMs: v.optional(Count),
  limit: Limit,
});

export const ServerFrame = v.union([
  WelcomeFrame,
  BoardEvent,
  SessionEvent,
  AckFrame,
  NackFrame,
  OkFrame,
  ResetFrame,
  ResetPartFrame,
  ActivityFrame,
  AgentsFrame,
  TypingEventFrame,
  QueueFrame,
  AvailabilityFrame,
  WarningFrame,
  GoneFrame,
  MeFrame,
  PongFrame,
  ErrorFrame,
]);

export type WelcomeFrame = v.InferOutput<typeof WelcomeFrame>;
export type AckFrame = v.InferOutput<typeof AckFrame>;
export type NackFrame = v.InferOutput<typeof NackFrame>;
export type OkFrame = v.InferOutput<typeof OkFrame>;
export type ResetFrame = v.InferOutput<typeof ResetFrame>;
export type ResetPartFrame = v.InferOutput<typeof ResetPartFrame>;
export type ActivityFrame = v.InferOutput<typeof ActivityFrame>;
export type AgentsFrame = v.InferOutput<typeof AgentsFrame>;
export type TypingEventFrame = v.InferOutput<typeof TypingEventFrame>;
export type QueueFrame = v.InferOutput<typeof QueueFrame>;
export type AvailabilityFrame = v.InferOutput<typeof AvailabilityFrame>;
export type WarningFrame = v.InferOutput<typeof WarningFrame>;
export type GoneFrame = v.InferOutput<typeof GoneFrame>;
export type MeFrame = v.InferOutput<typeof MeFrame>;
export type PongFrame = v.InferOutput<typeof PongFrame>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrame>;
export type ServerFrame = v.InferOutput<typeof ServerFrame>;

/** Known server frame types; anything else is ignored by clients. */
export const SERVER_FRAME_TYPES = new Set([
  'welcome',
  'event',
  'ack',
  'nack',
  'ok',
  'reset',
  'reset-part',
  'activity',
  'agents',
  'typing',
  'queue',
  'availability',
  'warning',
  'gone',
  'me',
  'pong',
  'error',
]);
