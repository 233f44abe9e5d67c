/**
 * Every limit of the wire protocol and of the reference server, in one place.
 * The browser client and `server/` import these constants; the docs (`docs/protocol.md`)
 * list them. Change a value here and both sides follow.
 */

/**
 * Protocol version sent in `hello.v`. A server that does not speak it answers `error` (update the
 * console) and closes with 4400. Version 2: board events only to those who may see them, chained
 * by `prev`; message-level session fields as `activity`, agents as `agents` frames; chunked board
 * snapshots (`reset-part`).
 */
export const PROTOCOL_VERSION = 2;

/** Largest frame (UTF-8 bytes) a client may send. Larger frames: close 4400. */
export const MAX_FRAME_BYTES = 64 * 1024;
/**
 * Largest frame a client accepts from the server. Snapshots of a busy tenant's board (thousands
 * of sessions) are large; the server is trusted to send no more than it must.
 */
export const MAX_SERVER_FRAME_BYTES = 16 * 1024 * 1024;
/** Frames above this are cut by the socket layer itself (close 1009) before they are read. */
export const MAX_SOCKET_PAYLOAD_BYTES = 1024 * 1024;

/** Characters of a customer or agent message. */
export const MAX_MESSAGE_TEXT = 4000;
/**
 * Characters of the excerpt a quoted message shows above a reply (issue 18): made by the server
 * from the stored text, white space collapsed, cut at a word with "…".
 */
export const MAX_QUOTE_EXCERPT = 200;
/** Characters of an internal note. */
export const MAX_NOTE_TEXT = 4000;
/** Characters of the live draft preview ("sneak peek") in a typing frame. */
export const MAX_TYPING_PREVIEW = 500;
/** Characters of a person's name (customer or agent). */
export const MAX_NAME = 100;
/** Characters of an e-mail address (RFC 5321 path limit). */
export const MAX_EMAIL = 254;
/** Characters of a phone number as typed. */
export const MAX_PHONE = 40;
/** Characters of a quick reply's title. */
export const MAX_QUICK_REPLY_TITLE = 100;
/** Characters of any id the client sends (session ids, cmids, request ids). */
export const MAX_ID = 64;
/** Attachments referenced by one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Bytes of one uploaded file (the server's default; `--max-file-bytes` changes it). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Pixels (width × height) of an uploaded raster image; larger ones are refused before any decoding. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Characters of an attachment's file name as stored (the extension is kept when it is cut). */
export const MAX_FILE_NAME = 150;
/** Lifetime of a signed attachment download URL. */
export const ATTACHMENT_URL_TTL_MS = 5 * 60 * 1000;
/** Uploads per minute per user (agent or customer). */
export const UPLOADS_PER_MINUTE = 30;
/** An uploaded attachment that was never sent is deleted after this long. */
export const UNSENT_ATTACHMENT_TTL_MS = 24 * 60 * 60 * 1000;
/** Characters of a reply's text (quick reply, template, FAQ). */
export const MAX_REPLY_TEXT = 4000;
/** Characters of a reply's shortcut (`[a-z0-9-]`). */
export const MAX_REPLY_SHORTCUT = 32;
/** Characters of a reply's folder name. */
export const MAX_REPLY_FOLDER = 60;
/** Characters of an FAQ's link. */
export const MAX_REPLY_URL = 2000;

/** Messages per `history` page. */
export const MAX_HISTORY_PAGE = 100;
/** Messages sent with a fresh session snapshot. */
export const SNAPSHOT_MESSAGES = 50;
/**
 * Events the server replays on resume; beyond this it answers `reset`. For the board: events
 * visible to the agent (the server scans the retained log, {@link BOARD_LOG_RETENTION}, for them).
 */
export const MAX_RESUME_REPLAY = 500;
/** Board events the server keeps for replay (older ones are pruned). */
export const BOARD_LOG_RETENTION = 5000;
/**
 * Target size in bytes of one part of a board snapshot: a `reset` (and its `reset-part` frames)
 * carries sessions and agents in parts of about this size, well under the socket's 1 MiB cut-off.
 */
export const BOARD_PART_BYTES = 256 * 1024;
/** Records in one `agents` or `activity` frame (a resume sends the current ones in frames of this many). */
export const RECORDS_PER_FRAME = 500;
/**
 * Coalescing window of `activity` and `agents` frames: after a quiet period a change is sent at
 * once; during a burst at most one frame per window and connection, carrying the latest values.
 */
export const COALESCE_WINDOW_MS = 250;
/** Sessions a client may list in `hello.resume.sessions`. */
export const MAX_RESUME_SESSIONS = 200;
/** Channel ids in one `next` frame. */
export const MAX_CHANNEL_IDS = 100;
/** Characters of a `search` query (message text search on the agent's board). */
export const MAX_SEARCH_QUERY = 100;
/** Session ids one `search` answers with at most (newest activity first). */
export const MAX_SEARCH_RESULTS = 200;

/**
 * Default frames per minute per connection (token bucket of this size, refilled evenly; typing is
 * counted apart). Server option `--frames-per-minute`; docs/protocol.md § 9 explains the value.
 */
export const FRAMES_PER_MINUTE = 600;
/** A connection that overdraws its bucket by this many frames is closed with 4429. */
export const RATE_LIMIT_CLOSE_AFTER = 60;
/** Default typing frames per second per connection that the server relays; the rest are dropped (`--typing-per-second`). */
export const TYPING_PER_SECOND = 4;
/** Client-side throttle between two typing frames of one composer. */
export const TYPING_THROTTLE_MS = 400;

/** Milliseconds after open within which `hello` must arrive (else close 4408). */
export const HELLO_DEADLINE_MS = 10_000;
/** Client heartbeat: `ping` interval. */
export const PING_INTERVAL_MS = 20_000;
/** Client heartbeat: no `pong` within this → the socket is dead and is replaced. */
export const PONG_TIMEOUT_MS = 10_000;
/** Milliseconds an unacknowledged `send` waits before the outbox resends it on a fresh socket. */
export const ACK_TIMEOUT_MS = 15_000;

/** Lifetime of a single-use connect ticket. */
export const TICKET_TTL_MS = 60_000;
/** Lifetime of an agent's access token (one working day). */
export const AGENT_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** Lifetime of a customer's access token. */
export const CUSTOMER_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Completed sessions stay in the agent's list for this long after `endedAt` (server clock). */
export const RECENT_WINDOW_MS = 8 * 60 * 60 * 1000;
/** How often the server removes sessions that fell out of the recent window from live boards. */
export const RECENT_SWEEP_MS = 60_000;

/** Characters of the note an agent adds to a transfer. */
export const MAX_TRANSFER_NOTE = 500;
/** Longest note with a request for help (`help`), in characters. */
export const MAX_HELP_NOTE = 300;
/** Longest reason for returning a chat to the queue (`requeue`), in characters. */
export const MAX_REQUEUE_REASON = 500;
/** Longest closing comment of a chat's wrap-up, in characters. */
export const MAX_CLOSING_COMMENT = 1000;
/** Longest tag of a chat (and of a channel's list of tags), in characters. */
export const MAX_TAG = 40;
/** Most tags on one chat. */
export const MAX_CHAT_TAGS = 10;
/** Most tags a channel offers its agents. */
export const MAX_CHANNEL_TAGS = 30;
/** A pending transfer expires after this long unless the tenant sets `transfer_timeout_ms`. */
export const DEFAULT_TRANSFER_TIMEOUT_MS = 120_000;

/** How often the server checks queued chats against the channels' wait-warning thresholds. */
export const WARNING_SWEEP_MS = 5_000;
/** Default channel setting `warn_after_s`: warn Present agents (Notifications) after this wait. */
export const DEFAULT_WARN_AFTER_S = 60;
/** Default channel setting `manager_warn_after_s`: warn Present managers after this wait. */
export const DEFAULT_MANAGER_WARN_AFTER_S = 180;

/** Default open connections per user (an agent, or the customer of one chat); more are refused with 4429 (`--connections-per-user`). */
export const MAX_CONNECTIONS_PER_USER = 10;
/**
 * Default open connections per tenant, agents and customers together (`--connections-per-tenant`):
 * sized for 2,000 agents and 20,000 customers with room for reconnect overlap (docs/protocol.md § 9).
 */
export const MAX_CONNECTIONS_PER_TENANT = 30_000;
/** Default chats one client address may start per minute in a tenant (`--chat-starts-per-minute`). */
export const CHAT_STARTS_PER_MINUTE = 20;

/**
 * Names of the configurable limits, as a refusal names them (`error.limit`, `nack.limit`, the
 * close reason, the HTTP error body): the client says in words which one was reached.
 * `server_capacity` is the server's own bound under overload (the work waiting for its group
 * commit): `nack overloaded` for a send or a command, 4429 for a new connection.
 */
export const LIMIT_NAMES = ['connections_per_tenant', 'connections_per_user', 'frames_per_minute', 'typing_per_second', 'chat_starts_per_minute', 'server_capacity'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Close codes used on the socket. */
export const CLOSE = {
  /** Server going away (restart, shutdown): reconnect. */
  GOING_AWAY: 1001,
  /** Frame larger than the socket layer allows. */
  TOO_BIG: 1009,
  /** Bad frame (not JSON, unknown type, wrong version, too large): final. */
  BAD_FRAME: 4400,
  /** Missing, expired, reused or forged token: fetch one fresh token, then give up. */
  UNAUTHENTICATED: 4401,
  /** Authenticated but not allowed here (revoked, wrong tenant): final. */
  FORBIDDEN: 4403,
  /** No `hello` within the deadline. */
  HELLO_TIMEOUT: 4408,
  /** The same tab opened a newer connection: final for this one. */
  SUPERSEDED: 4409,
  /** Overloaded or rate-limited: reconnect after `retryAfterMs`. */
  OVERLOADED: 4429,
} as const;
