/**
 * Frames a client sends to the server (field `t` is the type).
 *
 * The server validates every incoming frame against these schemas. They are *strict*: an
 * unknown frame type, an unknown field, a wrong type, an out-of-range number or an over-long
 * string is rejected with `nack invalid` (or close 4400 when the frame cannot be answered).
 * The client only imports the types from here, so the schemas stay out of the browser bundle.
 */
import * as v from 'valibot';

import {
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_CHANNEL_IDS,
  MAX_CHAT_TAGS,
  MAX_CLOSING_COMMENT,
  MAX_HELP_NOTE,
  MAX_HISTORY_PAGE,
  MAX_ID,
  MAX_MESSAGE_TEXT,
  MAX_REQUEUE_REASON,
  MAX_RESUME_SESSIONS,
  MAX_SEARCH_QUERY,
  MAX_TAG,
  MAX_TRANSFER_NOTE,
  MAX_TYPING_PREVIEW,
} from './limits.js';
import { AgentStatus, ChatPriorityValue, Count, Id } from './model.js';

/** Request id chosen by the client; echoed in `ok` / `nack`. */
const Rid = v.pipe(v.string(), v.minLength(1), v.maxLength(32), v.regex(/^[\w-]+$/));
/** Client message id: chosen once per message at Send, reused on every retry. */
export const Cmid = v.pipe(v.string(), v.minLength(8), v.maxLength(MAX_ID), v.regex(/^[\w-]+$/));

const StreamPosition = v.strictObject({ epoch: Id, seq: Count });
const SessionPosition = v.strictObject({ id: Id, epoch: Id, seq: Count });

export const HelloFrame = v.strictObject({
  t: v.literal('hello'),
  /**
   * The client's protocol version: any version is read, so that a server can answer one it
   * does not speak (an older console) with a clear `error` instead of a schema message. The
   * server speaks `PROTOCOL_VERSION` (limits.ts) only.
   */
  v: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  resume: v.optional(
    v.strictObject({
      board: v.optional(StreamPosition),
      sessions: v.optional(v.pipe(v.array(SessionPosition), v.maxLength(MAX_RESUME_SESSIONS))),
    }),
  ),
});

/**
 * `text` may be blank only when `attachmentIds` names at least one file (checked on
 * {@link ClientFrame}, since a variant option cannot carry a cross-field check).
 */
/**
 * What a `send` writes: `text` reaches the customer; `note` is internal (agents only); `whisper` is
 * a note from a supervisor listening in to the handling agent (stored and delivered as a `note`
 * with `meta.whisper`), never delivered to the customer.
 */
export const SendKind = v.picklist(['text', 'note', 'whisper']);
export type SendKind = v.InferOutput<typeof SendKind>;

export const SendFrame = v.strictObject({
  t: v.literal('send'),
  cmid: Cmid,
  sessionId: Id,
  kind: SendKind,
  text: v.pipe(v.string(), v.maxLength(MAX_MESSAGE_TEXT)),
  /** Uploaded files (`POST /api/attachments`) of this session and sender, not sent before. */
  attachmentIds: v.optional(
    v.pipe(
      v.array(Id),
      v.minLength(1, 'attachmentIds is empty'),
      v.maxLength(MAX_ATTACHMENTS_PER_MESSAGE),
      v.check((ids) => new Set(ids).size === ids.length, 'attachmentIds has duplicates'),
    ),
  ),
  /**
   * An earlier message of the same chat this one quotes (issue 18). The server checks it: in this
   * chat, a message (not an event), and seen by everyone who will see the reply (a note or a
   * whisper is never quoted to the customer); it stores the excerpt itself.
   */
  quote: v.optional(v.strictObject({ messageId: Id })),
});

export const AcceptFrame = v.strictObject({ t: v.literal('accept'), rid: Rid, sessionId: Id });
export const NextFrame = v.strictObject({
  t: v.literal('next'),
  rid: Rid,
  channelIds: v.optional(v.pipe(v.array(Id), v.maxLength(MAX_CHANNEL_IDS))),
});
/** Tags and a closing comment of a chat (issue 18). */
const WrapUpFields = {
  comment: v.optional(v.pipe(v.string(), v.maxLength(MAX_CLOSING_COMMENT))),
  tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_TAG))), v.maxLength(MAX_CHAT_TAGS))),
};
/**
 * Ends a chat. Agents ending an answered chat may give its wrap-up (`wrapUp`; the channel may
 * require a comment or a tag: `invalid` names what is missing) and may close it without telling
 * the customer (`notify: false`, for spam). Customers give neither.
 */
export const EndFrame = v.strictObject({
  t: v.literal('end'),
  rid: Rid,
  sessionId: Id,
  wrapUp: v.optional(v.strictObject(WrapUpFields)),
  notify: v.optional(v.boolean()),
});
/**
 * A chat's wrap-up (issue 18): each given field replaces the stored one. The handling agent while
 * it is active; after the end the agent who handled it last or a manager of the channel.
 */
export const WrapUpFrame = v.strictObject({ t: v.literal('wrapup'), rid: Rid, sessionId: Id, ...WrapUpFields });
export const SubscribeFrame = v.strictObject({
  t: v.literal('subscribe'),
  rid: Rid,
  sessionId: Id,
  mode: v.picklist(['participant', 'listen']),
  /** The client's position in the stream; without it the server sends a fresh snapshot. */
  after: v.optional(StreamPosition),
});
export const UnsubscribeFrame = v.strictObject({ t: v.literal('unsubscribe'), rid: Rid, sessionId: Id });
export const HistoryFrame = v.strictObject({
  t: v.literal('history'),
  rid: Rid,
  sessionId: Id,
  beforeSeq: v.optional(Count),
  afterSeq: v.optional(Count),
  limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(MAX_HISTORY_PAGE)),
});
export const TypingFrame = v.strictObject({
  t: v.literal('typing'),
  sessionId: Id,
  on: v.boolean(),
  preview: v.optional(v.pipe(v.string(), v.maxLength(MAX_TYPING_PREVIEW))),
});
export const ReadFrame = v.strictObject({ t: v.literal('read'), rid: Rid, sessionId: Id, seq: Count });
/**
 * The handling agent marks a chat unread (issue 18): its newest customer message counts as unread
 * again, on the agent's board and badge, until the agent reads it. `invalid` without a customer
 * message; `forbidden` for anyone but the handling agent.
 */
export const UnreadFrame = v.strictObject({ t: v.literal('unread'), rid: Rid, sessionId: Id });
/**
 * Ask for help (issue 18): `on: true` raises a flag on an active chat (the handling agent only;
 * again: the note is replaced); `on: false` lowers it (the handling agent, or a supervisor of the
 * channel: listen or manager permission). Lowering a chat without a flag is a no-op.
 */
export const HelpFrame = v.strictObject({
  t: v.literal('help'),
  rid: Rid,
  sessionId: Id,
  on: v.boolean(),
  note: v.optional(v.pipe(v.string(), v.maxLength(MAX_HELP_NOTE))),
});
/**
 * Hold (issue 18): the handling agent puts an active chat on hold (`on: true`; it no longer counts
 * against their capacity, the customer is told) or resumes it (`on: false`; `at_capacity` when
 * their other chats fill it). Only the handling agent; idempotent.
 */
export const HoldFrame = v.strictObject({ t: v.literal('hold'), rid: Rid, sessionId: Id, on: v.boolean() });
/**
 * Return to queue (issue 18): the handling agent or a manager of the channel sends an active chat
 * back to its channel's queue with a reason, shown to the next agent.
 */
export const RequeueFrame = v.strictObject({
  t: v.literal('requeue'),
  rid: Rid,
  sessionId: Id,
  reason: v.pipe(
    v.string(),
    v.maxLength(MAX_REQUEUE_REASON),
    v.check((s) => s.trim().length > 0, 'reason is empty'),
  ),
});
/**
 * Priority (issue 18): sets a chat's priority (waiting chats are answered highest first). The
 * handling agent of an active chat, or a manager of the chat's channel while it is queued or
 * active; `session_closed` once it ended. Idempotent.
 */
export const PriorityFrame = v.strictObject({ t: v.literal('priority'), rid: Rid, sessionId: Id, priority: ChatPriorityValue });
export const PresenceFrame = v.strictObject({ t: v.literal('presence'), rid: Rid, status: AgentStatus });
export const PingFrame = v.strictObject({ t: v.literal('ping'), n: Count });

/** Where a chat is transferred: one agent (who must accept) or a channel's queue (at once). */
export const TransferTarget = v.union([v.strictObject({ agentId: Id }), v.strictObject({ channelId: Id })]);
export const TransferFrame = v.strictObject({
  t: v.literal('transfer'),
  rid: Rid,
  sessionId: Id,
  to: TransferTarget,
  note: v.optional(v.pipe(v.string(), v.maxLength(MAX_TRANSFER_NOTE))),
});
export const TransferAnswerFrame = v.strictObject({ t: v.literal('transfer-answer'), rid: Rid, sessionId: Id, accept: v.boolean() });
/**
 * Automatic assignment (issue 18): the agent a queued chat is offered to accepts it (it becomes
 * theirs, as `accept`) or declines it (offered to the next agent). Only that agent, only while the
 * offer is pending; `conflict` once it expired or was withdrawn.
 */
export const OfferAnswerFrame = v.strictObject({ t: v.literal('offer-answer'), rid: Rid, sessionId: Id, accept: v.boolean() });
export const TransferCancelFrame = v.strictObject({ t: v.literal('transfer-cancel'), rid: Rid, sessionId: Id });
export const TakeoverFrame = v.strictObject({ t: v.literal('takeover'), rid: Rid, sessionId: Id });
/**
 * Agents: dashboard statistics (`ok {data: DashboardStats}`) for these channels, or all of mine;
 * channels the agent does not belong to are left out silently.
 */
export const StatsFrame = v.strictObject({
  t: v.literal('stats'),
  rid: Rid,
  channelIds: v.optional(v.pipe(v.array(Id), v.maxLength(MAX_CHANNEL_IDS))),
});
/**
 * Agents: ids of the sessions on the caller's board with a message (agent view: texts and notes)
 * containing `query`, case-insensitively; newest activity first, at most `MAX_SEARCH_RESULTS`.
 */
export const SearchFrame = v.strictObject({
  t: v.literal('search'),
  rid: Rid,
  query: v.pipe(
    v.string(),
    v.maxLength(MAX_SEARCH_QUERY),
    v.check((s) => s.trim().length > 0, 'query is empty'),
  ),
});

const ClientFrameVariant = v.variant('t', [
  HelloFrame,
  SendFrame,
  AcceptFrame,
  NextFrame,
  EndFrame,
  SubscribeFrame,
  UnsubscribeFrame,
  HistoryFrame,
  TypingFrame,
  ReadFrame,
  UnreadFrame,
  HelpFrame,
  HoldFrame,
  RequeueFrame,
  WrapUpFrame,
  PriorityFrame,
  PresenceFrame,
  PingFrame,
  TransferFrame,
  TransferAnswerFrame,
  TransferCancelFrame,
  OfferAnswerFrame,
  TakeoverFrame,
  StatsFrame,
  SearchFrame,
]);

/** Every client frame; a `send` needs text or at least one attachment. */
export const ClientFrame = v.pipe(
  ClientFrameVariant,
  v.check((f) => f.t !== 'send' || f.text.trim().length > 0 || (f.attachmentIds?.length ?? 0) > 0, 'text is empty'),
);

export type ClientFrame = v.InferOutput<typeof ClientFrame>;
export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type SendFrame = v.InferOutput<typeof SendFrame>;
export type SubscribeFrame = v.InferOutput<typeof SubscribeFrame>;
export type HistoryFrame = v.InferOutput<typeof HistoryFrame>;
export type TypingFrame = v.InferOutput<typeof TypingFrame>;
export type TransferTarget = v.InferOutput<typeof TransferTarget>;
export type TransferFrame = v.InferOutput<typeof TransferFrame>;
export type StatsFrame = v.InferOutput<typeof StatsFrame>;
export type SearchFrame = v.InferOutput<typeof SearchFrame>;
export type HelpFrame = v.InferOutput<typeof HelpFrame>;
export type HoldFrame = v.InferOutput<typeof HoldFrame>;
export type RequeueFrame = v.InferOutput<typeof RequeueFrame>;
export type EndFrame = v.InferOutput<typeof EndFrame>;
export type WrapUpFrame = v.InferOutput<typeof WrapUpFrame>;
export type PriorityFrame = v.InferOutput<typeof PriorityFrame>;
/** Frames answered by `ok` / `nack` carrying the frame's `rid`. */
export type CommandFrame = Extract<ClientFrame, { rid: string }>;
export type CommandType = CommandFrame['t'];

/** The frame types a client may send, for error messages and docs. */
export const CLIENT_FRAME_TYPES: readonly ClientFrame['t'][] = [
  'hello',
  'send',
  'accept',
  'next',
  'end',
  'subscribe',
  'unsubscribe',
  'history',
  'typing',
  'read',
  'unread',
  'help',
  'hold',
  'requeue',
  'wrapup',
  'priority',
  'presence',
  'ping',
  'transfer',
  'transfer-answer',
  'transfer-cancel',
  'offer-answer',
  'takeover',
  'stats',
  'search',
];
