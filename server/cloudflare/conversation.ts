/**
 * `ChatConversation`: one Durable Object per conversation (named `<tenant>/<session id>`), with
 * its own SQLite and the same numbered migrations as every object of this host.
 *
 * **It numbers its chat's stream** (docs/scaling.md § 6): messages and notes with their `seq` and
 * `cseq`, `cmid` idempotency, system events, read positions, typing, subscriptions and the listen
 * audit, by the core's conversation half (`ConversationHost`, server/core/room/conversation-host.ts)
 * over this object's SQLite. Frames come from its own sockets
 * (`/parties/conversation/<tenant>/<session id>`, one ticket per socket, redeemed by the tenant's
 * object before the upgrade) and, carried by the tenant's object, from the tenant's socket
 * (`write`: `send`, `read`, `unread`).
 *
 * The tenant's object (the directory, tenant.ts) feeds it from a transactional outbox
 * (outbox.ts): each batch is the rows that decide who may read the chat as they are now, the
 * session's row (its lifecycle columns; the stream columns are this object's) and the directory's
 * calls since the last acknowledged batch (`appendSystem`: a lifecycle event; `append`: the bot's
 * part of a chat), which this object numbers. A batch may arrive again (the sender crashed
 * between the call and deleting its outbox rows); every call carries its outbox row id and is
 * applied once, every row is replaced by the newer one, so a repeated batch changes nothing.
 *
 * What it numbered goes back to the directory the same way (reports.ts): the messages, the
 * stream columns and the conversation's calls (`activity`, `opened`) are written to this object's
 * outbox in the commit and reported until the directory acknowledges, applied there once. A
 * write carried from the tenant's socket and a batch of the directory's are acknowledged after
 * their report (the directory's copy has them when its call returns); a frame on this object's
 * own sockets is acknowledged at its commit and reported right after.
 *
 * Its sockets hibernate (the Durable Object WebSocket Hibernation API): each socket's state
 * (principal, greeting, subscriptions, listen-audit rows, frame budget) is kept in its attachment
 * after every event that may change it, so an idle chat's object leaves memory while its sockets
 * stay open, and the next event (a frame, a batch from the outbox) takes them back as they were.
 * Its only timers are a socket's hello deadline (re-armed on the way back) and the retry while a
 * report waits for a directory that could not be reached, both on the object's alarm
 * (alarm-clock.ts), so that neither keeps the object in memory. The client's heartbeat is
 * answered by the runtime ({@link answerHeartbeat}) and does not wake it either.
 */
import { DurableObject } from 'cloudflare:workers';

import { CLOSE } from '../../src/protocol/limits.js';
import { HEARTBEAT_PING, HEARTBEAT_PONG } from '../../src/protocol/heartbeat.js';
import { errorResponse, HttpError } from '../core/http/router.js';
import { migrate } from '../core/migrations/index.js';
import type { ConnSnapshot } from '../core/room/conversation-host.js';
import { ConversationHost } from '../core/room/conversation-host.js';
import type { Connection } from '../core/room/index.js';
import { isValidClientId, newConnectionId } from '../core/room/index.js';
import type { Principal } from '../core/auth.js';
import type { AppendInput } from '../core/room/ports.js';
import type { SqlPort, SqlValue } from '../core/sql.js';
import { TenantStore } from '../core/store/index.js';
import type { EventMeta, SessionEventName } from '../../src/protocol/index.js';
import type { Env } from './env.js';
import { originList } from './env.js';
import { workerLog } from './parts.js';
import { outboxMode } from './outbox.js';
import { DirectoryReports, STREAM_COLUMNS } from './reports.js';
import { durableSql, hasSchema } from './sql.js';
import { AlarmClock } from './alarm-clock.js';

/** A row as read from SQLite (no blobs in these tables). */
export type Row = Record<string, SqlValue>;

/** One of the directory's calls to a conversation (`ConversationPort`), as its outbox carries it. */
export type ConversationCall =
  | { t: 'system'; event: SessionEventName; text: string; at: number; authorName: string; meta?: EventMeta }
  | { t: 'append'; input: AppendInput };

/** What the directory sends a conversation: its rows as they are after the directory's commit, and its calls. */
export interface ConversationBatch {
  /** The tenant's and the channel's rows (the session's row references them); written once. */
  tenant: Row;
  channel: Row;
  /** The session's row as it is now (its lifecycle columns count; the stream columns are the conversation's). */
  session: Row;
  /** The directory's calls since the last acknowledged batch, in order, each with its outbox row id. */
  calls: { id: number; call: ConversationCall }[];
  /** Messages the directory numbered itself before the conversation objects did (an upgrade), in seq order. */
  messages?: Row[];
  /** Who handled the chat (`session_agents`), as it is now. */
  handlers: Row[];
  /** When they may have changed: the rows that decide who may read the chat, as they are now. */
  access?: {
    /** The agents who may be concerned (the channel's members, the handlers, the transfer's target). */
    agents: Row[];
    /** The channel's permissions (`agent_channels`): the whole set for this channel. */
    permissions: Row[];
  };
}

/** A conversation object's answer to a batch. */
export interface ApplyAnswer {
  /** Calls new to the object (applied now). */
  calls: number;
  /** The object never had the rows deciding access (it was written before they travelled): send them. */
  wantsAccess: boolean;
}

/** What a conversation object holds (the operator's read, and the tests'). */
export interface ConversationCopy {
  /** This instance of the object (a new one after it left memory). */
  life: string;
  session: Row | undefined;
  messages: Row[];
  /** Rows of its outbox to the directory not yet acknowledged. */
  reportsPending: number;
}

const COLUMN = /^[a-z_][a-z0-9_]{0,63}$/;

/** This object's own bookkeeping (not a migration: the migrations are the same for every object). */
const META = 'CREATE TABLE IF NOT EXISTS conversation_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

function columnsOf(row: Row): string[] {
  const columns = Object.keys(row);
  if (columns.length === 0 || !columns.every((c) => COLUMN.test(c))) throw new Error('bad row');
  return columns;
}

/** `INSERT … ON CONFLICT DO NOTHING` (`conflict` undefined) or `DO UPDATE` of every other column. */
function upsert(db: SqlPort, table: string, row: Row, key?: readonly string[]): void {
  const columns = columnsOf(row);
  const values = columns.map((c) => row[c] ?? null);
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  if (key === undefined) {
    db.run(`${head} ON CONFLICT DO NOTHING`, values);
    return;
  }
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  db.run(`${head} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`, values);
}

/**
 * The session's row from the directory: a new one whole, a known one by its lifecycle columns.
 * The stream columns are this object's, unless the directory's stream is ahead (it numbered
 * messages itself before the conversation objects did: an upgrade).
 */
function upsertSession(db: SqlPort, row: Row): void {
  const columns = columnsOf(row);
  const stream: readonly string[] = STREAM_COLUMNS;
  const set = columns
    .filter((c) => c !== 'tenant_id' && c !== 'id')
    .map((c) =>
      c === 'last_activity_at'
        ? 'last_activity_at = MAX(last_activity_at, excluded.last_activity_at)'
        : stream.includes(c)
          ? `${c} = CASE WHEN excluded.head_seq > head_seq THEN excluded.${c} ELSE ${c} END`
          : `${c} = excluded.${c}`,
    );
  db.run(
    `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (tenant_id, id) DO UPDATE SET ${set.join(', ')}`,
    columns.map((c) => row[c] ?? null),
  );
}

/** A `nack` for a frame that could not be answered here (no such chat). */
function refusedWrite(raw: string, message: string): string {
  const ids = JSON.parse(raw) as { rid?: unknown; cmid?: unknown };
  return JSON.stringify({
    t: 'nack',
    ...(typeof ids.rid === 'string' ? { rid: ids.rid } : {}),
    ...(typeof ids.cmid === 'string' ? { cmid: ids.cmid } : {}),
    code: 'forbidden',
    retryable: false,
    message,
  });
}

/** How long a report waits before it is tried again when the directory could not be reached. */
const REPORT_RETRY_MS = 1000;

/**
 * The client's heartbeat (`HEARTBEAT_PING`, every 20 s per socket) answered by the runtime with
 * `HEARTBEAT_PONG`, without waking the object: open consoles and widgets no longer keep their
 * objects in memory. Set in each object's constructor; any other `ping` reaches the object.
 */
export function answerHeartbeat(ctx: DurableObjectState): void {
  ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT_PING, HEARTBEAT_PONG));
}

/** The object's name for a session of a tenant. */
export const conversationName = (tenantId: string, sessionId: string): string => `${tenantId}/${sessionId}`;

const SOCKET_PATH = /^\/parties\/conversation\/([\w-]{1,64})\/([\w-]{1,64})$/;

/** The tenant and session of a conversation's socket path, or undefined for any other path. */
export function conversationSocket(pathname: string): { tenantId: string; sessionId: string } | undefined {
  const m = SOCKET_PATH.exec(pathname);
  return m?.[1] !== undefined && m[2] !== undefined ? { tenantId: m[1], sessionId: m[2] } : undefined;
}

/** A socket answered at once with an `error` frame and a close, as the Node host does. */
export function refusedSocket(code: number, errorCode: string, message: string): Response {
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  server.send(JSON.stringify({ t: 'error', code: errorCode, message }));
  server.close(code, message);
  return new Response(null, { status: 101, webSocket: pair[0] });
}

/** What a hibernatable socket keeps while the object is out of memory (its attachment). */
interface Attachment {
  id: string;
  snapshot: ConnSnapshot | undefined;
}

/** One socket of this object as the core sees it. */
interface Live {
  conn: Connection;
}

export class ChatConversation extends DurableObject<Env> {
  /** This instance of the object (a new one after an eviction): the operator's read, and the tests'. */
  private readonly life = crypto.randomUUID();
  /** The hello deadlines of its sockets and the reports' retry, woken by the object's alarm. */
  private readonly clock = new AlarmClock({
    setAlarm: (at) => {
      void this.ctx.storage.setAlarm(at);
    },
    // No periodic sweeps here: every timer wakes the object.
    wanted: () => true,
    after: () => {
      this.keep();
    },
    failed: (label, error) => {
      workerLog.warn('timer.failed', { timer: label ?? 'timer', error: error instanceof Error ? error.name : 'unknown' });
    },
  });
  /** The reports' retry on the clock, while rows wait for the directory. */
  private retry: unknown;
  private database: SqlPort | undefined;
  private live: ConversationHost | undefined;
  private outbox: DirectoryReports | undefined;
  private reportQueued = false;
  private readonly sockets = new Map<WebSocket, Live>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    answerHeartbeat(ctx);
  }

  private db(): SqlPort {
    if (this.database) return this.database;
    const db = durableSql(this.ctx.storage);
    migrate(db);
    // The reference CRM lives with the directory (docs/scaling.md § 2): its "chat ended" activity
    // is written there, not again in each conversation's copy of the session's row.
    db.exec('DROP TRIGGER IF EXISTS crm_chat_ended');
    db.exec(META);
    this.database = db;
    // The outbox to the directory before anything is written: its trigger sees every message.
    this.reports();
    return db;
  }

  /** The outbox to the tenant's directory (reports.ts). */
  private reports(): DirectoryReports {
    if (this.outbox) return this.outbox;
    this.outbox = new DirectoryReports(
      this.db(),
      async (report) => {
        const tenantId = this.session()?.tenant_id;
        if (typeof tenantId !== 'string') throw new Error('no chat here');
        await this.env.Chat.get(this.env.Chat.idFromName(tenantId)).report(report);
      },
      outboxMode(this.env.CONVERSATION_REPORTS),
    );
    return this.outbox;
  }

  /**
   * Reports what this object committed and the directory has not acknowledged. A directory that
   * cannot be reached leaves the rows, and the alarm tries again; so does any later event here.
   */
  private async report(): Promise<void> {
    const reports = this.reports();
    try {
      await reports.flush();
    } catch (error) {
      workerLog.warn('reports.retry', { error: error instanceof Error ? error.message : String(error) });
    }
    if (reports.pending() === 0) {
      this.clock.clearTimeout(this.retry);
      this.retry = undefined;
    } else if (this.retry === undefined) {
      this.retry = this.clock.setTimeout(
        () => {
          this.retry = undefined;
          void this.report();
        },
        REPORT_RETRY_MS,
        'reports',
      );
    }
  }

  /** {@link report} once the current event is done (many frames, one report). */
  private reportSoon(): void {
    if (this.reportQueued) return;
    this.reportQueued = true;
    setTimeout(() => {
      this.reportQueued = false;
      void this.report();
    }, 0);
  }

  /**
   * The alarm: the timers that are due (hello deadlines, the reports' retry). An object that left
   * memory starts again here: its sockets are taken back (a socket not yet greeted gets its hello
   * deadline anew) and what waits for the directory is reported.
   */
  override async alarm(): Promise<void> {
    if (!this.session()) return;
    this.host();
    this.clock.alarm();
    await this.report();
  }

  /** The chat's session row (undefined: this object was never written). */
  private session(): Row | undefined {
    if (!this.database && !hasSchema(this.ctx.storage)) return undefined;
    return this.db().get<Row>('SELECT * FROM sessions LIMIT 1');
  }

  /**
   * The core's conversation half over this object's SQLite, once the chat's rows are here. After
   * hibernation (the object was evicted while its sockets stayed open) it takes every socket back
   * from its attachment; a socket evicted before the core took it closes (1001: reconnect).
   */
  private host(): ConversationHost | undefined {
    if (this.live) return this.live;
    const tenantId = this.session()?.tenant_id;
    if (typeof tenantId !== 'string') return undefined;
    const restore: { conn: Connection; snapshot: ConnSnapshot }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      if (this.sockets.has(ws)) continue;
      const attachment = ws.deserializeAttachment() as Attachment | null;
      if (!attachment?.snapshot) {
        ws.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
        continue;
      }
      const conn = connectionOf(ws, attachment.id);
      this.sockets.set(ws, { conn });
      restore.push({ conn, snapshot: attachment.snapshot });
    }
    this.live = new ConversationHost(tenantId, {
      store: new TenantStore(this.db(), tenantId),
      // The hello deadline is the object's alarm, not a `setTimeout` that would keep it in memory.
      clock: this.clock,
      log: workerLog,
      // What the directory needs to know goes to this object's outbox to it (reports.ts), in the
      // commit: the activity of a message or a read position, a supervisor who opened the chat.
      directory: {
        activity: (_sessionId, change, after) => {
          this.reports().record({ t: 'activity', change });
          after.push(() => {
            this.reportSoon();
          });
        },
        opened: (_sessionId, agentId) => {
          this.reports().record({ t: 'opened', agentId });
          this.reportSoon();
        },
      },
      restore,
    });
    return this.live;
  }

  /** Keeps each socket's state with the socket (hibernation), after anything that may change it. */
  private keep(ws?: WebSocket): void {
    const host = this.live;
    if (!host) return;
    for (const [socket, live] of ws ? ([[ws, this.sockets.get(ws)]] as const) : this.sockets) {
      if (!live) continue;
      try {
        socket.serializeAttachment({ id: live.conn.id, snapshot: host.snapshot(live.conn) } satisfies Attachment);
      } catch {
        // closed meanwhile
      }
    }
  }

  /**
   * Applies one batch from the directory's outbox: its rows in one transaction, then its calls
   * new to this object (numbered here) in another; a repeated batch is a no-op. Acknowledged once
   * what it numbered was reported to the directory (or left for the alarm).
   */
  async apply(batch: ConversationBatch): Promise<ApplyAnswer> {
    const db = this.db();
    db.transaction(() => {
      upsert(db, 'tenants', batch.tenant, ['id']);
      upsert(db, 'channels', batch.channel, ['tenant_id', 'id']);
      if (batch.access) {
        for (const agent of batch.access.agents) upsert(db, 'agents', agent, ['tenant_id', 'id']);
        db.run('DELETE FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [batch.channel.tenant_id ?? '', batch.channel.id ?? '']);
        for (const p of batch.access.permissions) upsert(db, 'agent_channels', p);
        db.run("INSERT INTO conversation_meta (key, value) VALUES ('access', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(batch.channel.id ?? '')]);
      }
      for (const message of batch.messages ?? []) {
        const columns = columnsOf(message);
        db.run(`INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`, columns.map((c) => message[c] ?? null));
      }
      upsertSession(db, batch.session);
      for (const h of batch.handlers) upsert(db, 'session_agents', h, ['tenant_id', 'session_id', 'agent_id', 'started_at']);
    });
    // Sockets kept open through hibernation are taken back first: they are owed what follows.
    const host = this.host();
    if (!host) throw new Error('no chat here');
    // Access first (a reader who lost it in this batch gets nothing of it), then the calls.
    if (host.connectionCount > 0) host.accessChanged();
    const applied = Number(db.get<{ value: string }>("SELECT value FROM conversation_meta WHERE key = 'calls'")?.value ?? 0);
    const fresh = batch.calls.filter((c) => c.id > applied);
    const sessionId = String(batch.session.id ?? '');
    if (fresh.length > 0) {
      host.apply((port, after) => {
        for (const { call } of fresh) {
          if (call.t === 'system') port.appendSystem(sessionId, call.event, call.text, call.at, after, call.authorName, call.meta);
          else port.append(call.input, after);
        }
        db.run("INSERT INTO conversation_meta (key, value) VALUES ('calls', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(fresh.at(-1)?.id ?? applied)]);
      });
    }
    this.keep();
    await this.report();
    // The access rows are for the session's channel now: without them (never sent, or for the channel it left) ask for them.
    const accessFor = db.get<{ value: string }>("SELECT value FROM conversation_meta WHERE key = 'access'")?.value;
    return { calls: fresh.length, wantsAccess: accessFor !== String(batch.session.channel_id ?? '') };
  }

  /**
   * A frame that writes this chat's stream (`send`, `read`, `unread`) from the tenant's socket,
   * carried here by the tenant's object with the rows of the files it names: numbered here,
   * reported to the directory, then answered (the `ack`, `ok` or `nack` texts for the writer).
   */
  async write(principal: Principal, raw: string, attachments: Row[] = []): Promise<string[]> {
    const host = this.host();
    if (!host) return [refusedWrite(raw, 'not allowed in this session')];
    // The files a send names, as uploaded to the tenant's object: claimed here with the message.
    const db = this.db();
    for (const file of attachments) upsert(db, 'attachments', file);
    const answer = host.write(principal, raw);
    await this.report();
    return answer;
  }

  /** The session's row and its messages in seq order (nothing for an object never written). */
  copy(): ConversationCopy {
    const session = this.session();
    if (!session) return { life: this.life, session: undefined, messages: [], reportsPending: 0 };
    // A read is an event too: what waits for the directory goes now.
    const reportsPending = this.reports().pending();
    if (reportsPending > 0) this.reportSoon();
    return { life: this.life, session, messages: this.db().all<Row>('SELECT * FROM messages ORDER BY seq'), reportsPending };
  }

  /**
   * Tests only (`CHAT_TEST_EVICT=1`): forgets everything held in memory, as an eviction does,
   * while the sockets stay open; the next event takes them back from their attachments.
   */
  evict(): { sockets: number } {
    if (this.env.CHAT_TEST_EVICT !== '1') throw new Error('not enabled');
    const sockets = this.ctx.getWebSockets().length;
    this.live = undefined;
    this.database = undefined;
    this.outbox = undefined;
    this.sockets.clear();
    return { sockets };
  }

  // ---- sockets (hibernatable) -----------------------------------------------------------------

  /**
   * `/parties/conversation/<tenant>/<session id>?_pk=&token=<ticket>`: `Origin` is checked (this
   * server's, `ALLOWED_ORIGINS`, the tenant's allowed origins), the ticket is redeemed by the
   * tenant's object (single use, as on the tenant's socket) before the upgrade is accepted, then
   * the core takes the socket.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return errorResponse(new HttpError(404, 'not_found', 'not found'));
    const url = new URL(request.url);
    const target = conversationSocket(url.pathname);
    const session = this.session();
    const tenant = this.database?.get<{ allowed_origins: string }>('SELECT allowed_origins FROM tenants LIMIT 1');
    const origin = request.headers.get('Origin') ?? undefined;
    const origins = [url.origin, ...originList(this.env.ALLOWED_ORIGINS), ...(tenant ? (JSON.parse(tenant.allowed_origins) as string[]) : [])];
    if (origin === undefined || !origins.includes(origin)) {
      workerLog.info('ws.refused', { reason: 'origin' });
      return new Response(null, { status: 403 });
    }
    if (!target || session?.tenant_id !== target.tenantId || session.id !== target.sessionId) {
      return refusedSocket(CLOSE.FORBIDDEN, 'forbidden', 'unknown chat');
    }
    const ticket = url.searchParams.get('token') ?? '';
    const principal = ticket ? await this.env.Chat.get(this.env.Chat.idFromName(target.tenantId)).redeemTicket(ticket) : undefined;
    if (!principal) return refusedSocket(CLOSE.UNAUTHENTICATED, 'unauthenticated', 'missing, expired or used ticket');
    const host = this.host();
    if (!host) return refusedSocket(CLOSE.FORBIDDEN, 'forbidden', 'unknown chat');
    // The core decides before the socket is accepted: a refusal (its `error` frame and close
    // code) goes out on a plain socket, since a close of a hibernatable socket not yet handed to
    // the client is lost.
    const pair = new WebSocketPair();
    const ws = pair[1];
    const early: string[] = [];
    let refused: { code: number; reason: string } | undefined;
    let accepted = false;
    const socket = connectionOf(ws, newConnectionId());
    const conn: Connection = {
      ...socket,
      send: (data) => {
        if (accepted) socket.send(data);
        else early.push(data);
      },
      close: (code, reason) => {
        if (accepted) socket.close(code, reason);
        else refused = { code, reason };
      },
    };
    const clientId = url.searchParams.get('_pk');
    if (!host.open(conn, principal, isValidClientId(clientId) ? clientId : undefined) || refused) {
      ws.accept();
      for (const text of early) ws.send(text);
      ws.close(refused?.code ?? CLOSE.FORBIDDEN, refused?.reason ?? 'forbidden');
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    this.ctx.acceptWebSocket(ws);
    accepted = true;
    for (const text of early) socket.send(text);
    this.sockets.set(ws, { conn });
    this.keep(ws);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    const host = this.host();
    const live = this.sockets.get(ws);
    if (!host || !live) {
      ws.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
      return;
    }
    host.receive(live.conn, typeof message === 'string' ? message : null);
    this.keep(ws);
  }

  override webSocketClose(ws: WebSocket): void {
    this.gone(ws);
    try {
      ws.close(1000, 'closed');
    } catch {
      // already closed
    }
  }

  override webSocketError(ws: WebSocket): void {
    this.gone(ws);
  }

  private gone(ws: WebSocket): void {
    this.host();
    const live = this.sockets.get(ws);
    if (!live) return;
    this.sockets.delete(ws);
    this.live?.closed(live.conn);
  }
}

/** The core's view of a Workers WebSocket (a hibernatable one, or partyserver's connection). */
export function connectionOf(ws: WebSocket, id: string): Connection {
  return {
    id,
    send: (data) => {
      try {
        ws.send(data);
      } catch {
        // closed meanwhile: the close event follows
      }
    },
    close: (code, reason) => {
      try {
        ws.close(code, reason);
      } catch {
        // already closed
      }
    },
    // Workers' WebSocket does not report buffered bytes: the runtime buffers for us.
    bufferedAmount: () => 0,
  };
}
