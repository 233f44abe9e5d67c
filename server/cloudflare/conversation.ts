/**
 * `ChatConversation`: one Durable Object per conversation (named `<tenant>/<session id>`), with
 * its own SQLite and the same numbered migrations as every object of this host.
 *
 * It holds its chat's stream: the session's row and its messages, in seq order, exactly once,
 * and the rows that decide who may read it (the channel's members and permissions, the agents
 * concerned, who handled the chat). The tenant's object (the directory, tenant.ts) feeds it from
 * a transactional outbox (outbox.ts): each batch is those rows as they are now plus the messages
 * committed since the last acknowledged batch. A batch may arrive again (the sender crashed
 * between the call and deleting its outbox rows); applying it twice changes nothing, because a
 * message is keyed by `(tenant, session, seq)` and never changes once written, and every other
 * row is replaced by the newer one.
 *
 * It serves its stream live over its own sockets (`/parties/conversation/<tenant>/<session id>`,
 * one ticket per socket, redeemed by the tenant's object before the upgrade): the core's conversation half
 * (`ConversationHost`, server/core/room/conversation-host.ts) runs over this object's SQLite, so
 * `hello`, subscriptions, replay and resets, history, typing and access decisions are the core's.
 * Each applied batch delivers its new messages to the subscribers here (exactly once, in seq
 * order) after access was checked again against the batch's rows. Until the directory's calls
 * travel as messages (docs/scaling.md § 6, "What remains"), the tenant's object still numbers the
 * stream: `send`, `read` and `unread` on this socket are refused with that reason.
 *
 * Its sockets hibernate (the Durable Object WebSocket Hibernation API): each socket's state
 * (principal, greeting, subscriptions, listen-audit rows, frame budget) is kept in its attachment
 * after every event that may change it, so an idle chat's object leaves memory while its sockets
 * stay open, and the next event (a frame, a batch from the outbox) takes them back as they were.
 * The object has no timers of its own beyond a socket's hello deadline (re-armed on the way back).
 */
import { DurableObject } from 'cloudflare:workers';

import { CLOSE } from '../../src/protocol/limits.js';
import { systemClock } from '../core/clock.js';
import { errorResponse, HttpError } from '../core/http/router.js';
import { migrate } from '../core/migrations.js';
import type { ConnSnapshot } from '../core/room/conversation-host.js';
import { ConversationHost } from '../core/room/conversation-host.js';
import type { Connection } from '../core/room/index.js';
import { isValidClientId, newConnectionId } from '../core/room/index.js';
import type { SqlPort, SqlValue } from '../core/sql.js';
import type { MessageRow } from '../core/store.js';
import { TenantStore } from '../core/store.js';
import type { Env } from './env.js';
import { originList } from './env.js';
import { workerLog } from './parts.js';
import { durableSql, hasSchema } from './sql.js';

/** A row as read from SQLite (no blobs in these tables). */
export type Row = Record<string, SqlValue>;

/** What the directory sends a conversation: its rows as they are after the directory's commit. */
export interface ConversationBatch {
  /** The tenant's and the channel's rows (the session's row references them); written once. */
  tenant: Row;
  channel: Row;
  /** The session's row as it is now (lifecycle and stream columns). */
  session: Row;
  /** Messages committed since the last acknowledged batch, in seq order. */
  messages: Row[];
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
  /** Messages new to the object. */
  messages: number;
  /** The object never had the rows deciding access (it was written before they travelled): send them. */
  wantsAccess: boolean;
}

/** What a conversation object holds (the operator's read, and the tests'). */
export interface ConversationCopy {
  session: Row | undefined;
  messages: Row[];
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
  private database: SqlPort | undefined;
  private live: ConversationHost | undefined;
  private readonly sockets = new Map<WebSocket, Live>();

  private db(): SqlPort {
    if (this.database) return this.database;
    const db = durableSql(this.ctx.storage);
    migrate(db);
    // The reference CRM lives with the directory (docs/scaling.md § 2): its "chat ended" activity
    // is written there, not again in each conversation's copy of the session's row.
    db.exec('DROP TRIGGER IF EXISTS crm_chat_ended');
    this.database = db;
    return db;
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
      clock: systemClock,
      log: workerLog,
      // While the tenant's object writes the stream it also reports its activity (nothing here
      // writes). A supervisor opening the chat here does not yet clear a help request: that
      // call travels with the other ports (docs/scaling.md § 6, what remains).
      directory: { activity: () => undefined, opened: () => undefined },
      writes: false,
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

  /** Applies one batch from the directory's outbox, in one transaction; a repeated batch is a no-op. */
  apply(batch: ConversationBatch): ApplyAnswer {
    const db = this.db();
    db.exec(META);
    const added = db.transaction(() => {
      upsert(db, 'tenants', batch.tenant, ['id']);
      upsert(db, 'channels', batch.channel, ['tenant_id', 'id']);
      if (batch.access) {
        for (const agent of batch.access.agents) upsert(db, 'agents', agent, ['tenant_id', 'id']);
        db.run('DELETE FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [batch.channel.tenant_id ?? '', batch.channel.id ?? '']);
        for (const p of batch.access.permissions) upsert(db, 'agent_channels', p);
        db.run("INSERT INTO conversation_meta (key, value) VALUES ('access', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(batch.channel.id ?? '')]);
      }
      upsert(db, 'sessions', batch.session, ['tenant_id', 'id']);
      for (const h of batch.handlers) upsert(db, 'session_agents', h, ['tenant_id', 'session_id', 'agent_id', 'started_at']);
      const seqs: number[] = [];
      for (const message of batch.messages) {
        const columns = columnsOf(message);
        const { changes } = db.run(
          `INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (tenant_id, session_id, seq) DO NOTHING`,
          columns.map((c) => message[c] ?? null),
        );
        if (changes === 1 && typeof message.seq === 'number') seqs.push(message.seq);
      }
      return seqs;
    });
    // Sockets kept open through hibernation are taken back first: they are owed these messages.
    const live = this.ctx.getWebSockets().length > 0 ? this.host() : undefined;
    if (live && live.connectionCount > 0) {
      // Access first (a reader who lost it in this batch gets nothing of it), then the new messages.
      live.accessChanged();
      const rows = added.length === 0 ? [] : db.all<MessageRow>(`SELECT * FROM messages WHERE seq IN (${added.map(() => '?').join(', ')}) ORDER BY seq`, added);
      live.delivered(rows);
      this.keep();
    }
    // The access rows are for the session's channel now: without them (never sent, or for the channel it left) ask for them.
    const accessFor = db.get<{ value: string }>("SELECT value FROM conversation_meta WHERE key = 'access'")?.value;
    return { messages: added.length, wantsAccess: accessFor !== String(batch.session.channel_id ?? '') };
  }

  /** The session's row and its messages in seq order (nothing for an object never written). */
  copy(): ConversationCopy {
    const session = this.session();
    if (!session) return { session: undefined, messages: [] };
    return { session, messages: this.db().all<Row>('SELECT * FROM messages ORDER BY seq') };
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
