/**
 * Domain records as they travel on the wire (server → client).
 *
 * These schemas are *lenient about unknown fields* (valibot `object` drops them) so that an
 * older client keeps working against a newer server, and *strict about types* so that nothing
 * malformed reaches the stores or the renderer. Times are milliseconds since the Unix epoch,
 * taken from the server clock.
 */
import * as v from 'valibot';

import { MAX_EMAIL, MAX_ID, MAX_NAME, MAX_PHONE } from './limits.js';
import { CHAT_PRIORITIES } from './priority.js';

/** An id assigned by the server or a client: letters, digits and `_ . : -`. */
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID), v.regex(/^[\w.:-]+$/));
/** A non-negative safe integer (sequence numbers, counts). */
export const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** A timestamp in milliseconds since the epoch. */
export const Time = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** Longest external id (a CRM's or a website's id of a person). */
const MAX_EXTERNAL_ID = 200;
/** Free text coming from people: any string (length is checked where it is entered). */
const Text = v.string();

export const SessionStatus = v.picklist(['queued', 'active', 'ended', 'missed']);
export type SessionStatus = v.InferOutput<typeof SessionStatus>;

export const AuthorKind = v.picklist(['customer', 'agent', 'system']);
export type AuthorKind = v.InferOutput<typeof AuthorKind>;

export const AgentStatus = v.picklist(['present', 'away']);
export type AgentStatus = v.InferOutput<typeof AgentStatus>;

export const Customer = v.object({
  name: v.pipe(Text, v.maxLength(MAX_NAME)),
  email: v.optional(v.pipe(Text, v.maxLength(MAX_EMAIL))),
  phone: v.optional(v.pipe(Text, v.maxLength(MAX_PHONE))),
  /** The company the customer gave in the channel's pre-chat form. */
  company: v.optional(v.pipe(Text, v.maxLength(MAX_NAME))),
  /** When the customer accepted the channel's consent text (server time). */
  consentAt: v.optional(Time),
});
export type Customer = v.InferOutput<typeof Customer>;

export const LastMessage = v.object({
  from: AuthorKind,
  text: Text,
  at: Time,
});
export type LastMessage = v.InferOutput<typeof LastMessage>;

/** A transfer offered to another agent and not answered yet. */
export const SessionTransfer = v.object({
  /** Who offered it (the handling agent or a manager). */
  fromAgentId: Id,
  fromAgentName: Text,
  /** Who may accept or decline it. */
  toAgentId: Id,
  toAgentName: Text,
  note: v.optional(Text),
  at: Time,
  /** Server time at which it expires unless answered or cancelled. */
  expiresAt: Time,
});
export type SessionTransfer = v.InferOutput<typeof SessionTransfer>;

/**
 * Automatic assignment: a queued chat offered to one agent, who accepts or declines it before
 * `expiresAt` (else they are set Away and the chat is offered to the next).
 */
export const SessionOffer = v.object({
  agentId: Id,
  agentName: Text,
  at: Time,
  expiresAt: Time,
});
export type SessionOffer = v.InferOutput<typeof SessionOffer>;

/**
 * Who the customer is according to the company's website: a token the site signed for its
 * signed-in customer, checked by the server when the chat started (docs/integration.md).
 * `verified: false`: a token was given but did not verify (forged, expired, another secret);
 * its claims are shown only as unverified and are never used to match CRM contacts.
 */
export const CustomerIdentity = v.object({
  verified: v.boolean(),
  /** The site's own id of the customer (`sub`). */
  externalId: v.optional(v.pipe(Text, v.maxLength(MAX_EXTERNAL_ID))),
  name: v.optional(v.pipe(Text, v.maxLength(MAX_NAME))),
  email: v.optional(v.pipe(Text, v.maxLength(MAX_EMAIL))),
});
export type CustomerIdentity = v.InferOutput<typeof CustomerIdentity>;

/**
 * A request for help the handling agent raised on an active chat: supervisors of the channel
 * (listen or manager permission) see it on the Dashboard and can listen, whisper or take over. It
 * clears when a supervisor joins or takes over, the agent lowers it, or the chat ends or leaves
 * the agent.
 */
export const HelpRequest = v.object({
  /** Server time when it was raised (the waiting time counts from here). */
  at: Time,
  agentId: Id,
  agentName: Text,
  note: v.optional(Text),
});
export type HelpRequest = v.InferOutput<typeof HelpRequest>;

/** Why and by whom a chat was sent back to its queue (`requeue`), while it is queued or active. */
export const ReturnedToQueue = v.object({
  reason: Text,
  agentId: v.optional(Id),
  agentName: Text,
  at: Time,
});
export type ReturnedToQueue = v.InferOutput<typeof ReturnedToQueue>;

/** A chat's priority (issue 18; src/protocol/priority.ts): waiting chats are answered highest first. */
export const ChatPriorityValue = v.picklist(CHAT_PRIORITIES);

/**
 * The answer a customer waits for, against the channel's target (issue 18): the `first` answer
 * of the chat or the `next` one after a customer's message; `since` the wait began, `due` when the
 * target runs out (server time). Absent: nobody waits, or the channel sets no target.
 */
export const ResponseDue = v.object({
  kind: v.picklist(['first', 'next']),
  since: Time,
  due: Time,
});
export type ResponseDue = v.InferOutput<typeof ResponseDue>;

/** One chat session as the agent's board sees it. */
export const SessionSummary = v.object({
  id: Id,
  channelId: Id,
  status: SessionStatus,
  customer: Customer,
  agentId: v.optional(Id),
  agentName: v.optional(Text),
  createdAt: Time,
  acceptedAt: v.optional(Time),
  endedAt: v.optional(Time),
  /** Last time anything happened in the session (for sorting). */
  lastActivityAt: Time,
  lastMessage: v.optional(LastMessage),
  /** Customer messages the handling agent has not read yet. */
  unread: Count,
  /** Head of the session's message stream (agent numbering). */
  seq: Count,
  /** A pending transfer to another agent, if any. */
  transfer: v.optional(SessionTransfer),
  /** A queued chat offered to an agent by automatic assignment, if any. */
  offer: v.optional(SessionOffer),
  /** Last message the customer has read, in agent numbering (for "Seen"); 0 = none. */
  customerReadSeq: v.optional(Count),
  /** The customer's identity from the website's signed token, when one was given. */
  identity: v.optional(CustomerIdentity),
  /** The handling agent asked the channel's supervisors for help (issue 18); absent: no flag. */
  help: v.optional(HelpRequest),
  /**
   * Since when the handling agent holds the chat (issue 18): it does not count against their
   * capacity, and only they resume it. Absent: not on hold.
   */
  heldAt: v.optional(Time),
  /** The chat was returned to the queue with a reason (issue 18): shown to the next agent. */
  returned: v.optional(ReturnedToQueue),
  /** The chat's tags (wrap-up, issue 18); absent: none. */
  tags: v.optional(v.array(Text)),
  /** The closing comment of its wrap-up; absent: none. */
  closingComment: v.optional(Text),
  /** Ended without telling the customer (spam). */
  closedSilently: v.optional(v.literal(true)),
  /** The chat's priority (issue 18); absent: `normal`. */
  priority: v.optional(ChatPriorityValue),
  /** The answer the customer waits for and when it is due (issue 18); also in `activity`. */
  response: v.optional(ResponseDue),
});
export type SessionSummary = v.InferOutput<typeof SessionSummary>;

/**
 * The message-level fields of a session's summary (they change with every message and read
 * position), as `activity` frames carry them apart from the board stream: the latest value wins.
 */
export const SessionActivity = v.object({
  id: Id,
  lastActivityAt: Time,
  lastMessage: v.optional(LastMessage),
  unread: Count,
  seq: Count,
  customerReadSeq: v.optional(Count),
  /** The awaited answer and when it is due (absent: none awaited, or no target). */
  response: v.optional(ResponseDue),
});
export type SessionActivity = v.InferOutput<typeof SessionActivity>;

export const MessageKind = v.picklist(['text', 'note', 'event']);
export type MessageKind = v.InferOutput<typeof MessageKind>;

/**
 * System events carried as messages of kind `event`. `queued`, `joined`, `ended`, `missed` and
 * `left`, `held` and `resumed` are seen by both sides; the transfer and help events are agent-only
 * (`internal: true`).
 */
export const SessionEventName = v.picklist([
  'queued',
  'joined',
  'ended',
  'missed',
  'left',
  'transfer-requested',
  'transferred',
  'transfer-declined',
  'transfer-cancelled',
  'transfer-expired',
  'requeued',
  'taken-over',
  'help-requested',
  'help-cleared',
  'held',
  'resumed',
]);
export type SessionEventName = v.InferOutput<typeof SessionEventName>;

export const Author = v.object({
  kind: AuthorKind,
  id: v.optional(Id),
  name: Text,
});
export type Author = v.InferOutput<typeof Author>;

/** Structured details of an agent-only system event (names as they were at the time). */
export const EventMeta = v.object({
  fromAgentId: v.optional(Id),
  fromAgentName: v.optional(Text),
  toAgentId: v.optional(Id),
  toAgentName: v.optional(Text),
  /** Target channel of a transfer to a queue. */
  channelId: v.optional(Id),
  channelName: v.optional(Text),
  note: v.optional(Text),
  /**
   * Why a chat went back to the queue or a transfer was cancelled without anyone asking:
   * `agent-unavailable`: the agent (`fromAgent…` of `requeued`, `toAgent…` of
   * `transfer-cancelled`) was disabled or may no longer answer chats in the channel.
   */
  reason: v.optional(v.picklist(['agent-unavailable'])),
  /**
   * A note is a whisper: written by a supervisor listening in (the author), to the agent who
   * handled the chat then (`toAgent…`). Never delivered to the customer.
   */
  whisper: v.optional(v.literal(true)),
  /**
   * How a request for help ended (`help-cleared`): `lowered` by the agent, `answered` by a
   * supervisor who lowered it, `joined` (a supervisor opened the chat).
   */
  help: v.optional(v.picklist(['lowered', 'answered', 'joined'])),
  /** An `ended` the customer was not told of (closed as spam): agent-only. */
  silent: v.optional(v.literal(true)),
});
export type EventMeta = v.InferOutput<typeof EventMeta>;

/**
 * A file sent with a message (`ChatMessage.attachments`). `type` is the MIME type the server
 * detected from the bytes (never the uploader's claim); `name` is the sanitised file name, to be
 * shown as text only. Download through `GET /api/attachments/<id>/url` (a short-lived signed URL).
 */
export const AttachmentInfo = v.object({
  id: Id,
  name: Text,
  size: Count,
  type: Text,
});
export type AttachmentInfo = v.InferOutput<typeof AttachmentInfo>;

/**
 * The message a reply quotes (issue 18), as the server made it from the stored message: its id,
 * its position in the receiver's numbering (`seq`), who wrote it and a plain-text excerpt of at
 * most `MAX_QUOTE_EXCERPT` characters (never markup; shown as text). A customer only ever sees
 * quotes of messages they can see.
 */
export const MessageQuote = v.object({
  id: Id,
  seq: Count,
  author: v.object({ kind: AuthorKind, name: Text }),
  excerpt: Text,
  at: Time,
});
export type MessageQuote = v.InferOutput<typeof MessageQuote>;

/** One message of a session's stream. */
export const ChatMessage = v.object({
  id: Id,
  sessionId: Id,
  /** Position in the stream of the receiving connection (agents and customers number apart). */
  seq: Count,
  cmid: v.optional(Id),
  author: Author,
  kind: MessageKind,
  text: Text,
  event: v.optional(SessionEventName),
  /** Agent-only system event: never delivered to customers, not in customer numbering. */
  internal: v.optional(v.boolean()),
  /** Details of an agent-only event (who transferred to whom, the note, the channel), or of a whisper. */
  meta: v.optional(EventMeta),
  /** Files sent with a `text` message (its text may then be empty). Absent when there are none. */
  attachments: v.optional(v.array(AttachmentInfo)),
  /** The earlier message of this chat the message quotes (a reply to it). */
  quote: v.optional(MessageQuote),
  at: Time,
});
export type ChatMessage = v.InferOutput<typeof ChatMessage>;

/** An agent as other agents see them (presence and load). */
export const AgentInfo = v.object({
  id: Id,
  name: Text,
  status: AgentStatus,
  /** True while at least one console of this agent is connected. */
  online: v.boolean(),
  channelIds: v.array(Id),
  activeChats: Count,
  maxConcurrentChats: Count,
  /** `auto`: set Away by the server because an offered chat was not accepted in time (cleared by any status change). */
  awayReason: v.optional(v.picklist(['auto'])),
});
export type AgentInfo = v.InferOutput<typeof AgentInfo>;

export const ChannelPermissions = v.object({
  respond: v.boolean(),
  notifications: v.boolean(),
  listen: v.boolean(),
  manager: v.boolean(),
});
export type ChannelPermissions = v.InferOutput<typeof ChannelPermissions>;

export const ChannelInfo = v.object({
  id: Id,
  name: Text,
});
export type ChannelInfo = v.InferOutput<typeof ChannelInfo>;

/** A channel as the customer widget lists it (`GET /api/channels`). */
export const PublicChannel = v.object({
  id: Id,
  name: Text,
  /** Some agent who may answer here is online and Present (else show the offline form). */
  available: v.boolean(),
});
export type PublicChannel = v.InferOutput<typeof PublicChannel>;

/** Level of a wait warning: Present agents with Notifications first, then Present managers. */
export const WarningLevel = v.picklist(['agents', 'managers']);
export type WarningLevel = v.InferOutput<typeof WarningLevel>;

/** The connected agent: identity, status and permissions (the server decides; the client only reads). */
export const AgentMe = v.object({
  kind: v.literal('agent'),
  id: Id,
  tenantId: Id,
  name: Text,
  status: AgentStatus,
  maxConcurrentChats: Count,
  manageQuickReplies: v.boolean(),
  channels: v.array(v.object({ id: Id, name: Text, permissions: ChannelPermissions })),
});
export type AgentMe = v.InferOutput<typeof AgentMe>;

/** The connected customer: bound to exactly one session. */
export const CustomerMe = v.object({
  kind: v.literal('customer'),
  tenantId: Id,
  sessionId: Id,
  name: Text,
});
export type CustomerMe = v.InferOutput<typeof CustomerMe>;

export const Me = v.variant('kind', [AgentMe, CustomerMe]);
export type Me = v.InferOutput<typeof Me>;

/** Everything an agent's board shows, at one position of the board stream. */
export const BoardSnapshot = v.object({
  epoch: Id,
  seq: Count,
  serverTime: Time,
  sessions: v.array(SessionSummary),
  agents: v.array(AgentInfo),
  channels: v.array(ChannelInfo),
});
export type BoardSnapshot = v.InferOutput<typeof BoardSnapshot>;

/** The newest messages of one session, at one position of its stream. */
export const SessionSnapshot = v.object({
  epoch: Id,
  seq: Count,
  session: v.optional(SessionSummary),
  /** Customer view: the session's status and the handling agent's name. */
  status: v.optional(SessionStatus),
  messages: v.array(ChatMessage),
  hasMore: v.boolean(),
});
export type SessionSnapshot = v.InferOutput<typeof SessionSnapshot>;
