/**
 * The WebSocket route `/parties/chat/<tenant>?_pk=<tab id>&token=<ticket>` (shaped like
 * partyserver's, so the same client works on Cloudflare): checks `Origin`, redeems the ticket
 * (frames that arrive meanwhile wait in order), hands the socket to the tenant's room, and pings
 * every socket so dead peers are dropped.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import { CLOSE, MAX_SOCKET_PAYLOAD_BYTES } from '../../src/protocol/limits.js';
import type { Connection } from '../core/room/index.js';
import { type ChatRoom, isValidClientId, newConnectionId } from '../core/room/index.js';
import type { App } from './router.js';
import { parseRequestUrl } from './router.js';

const HEARTBEAT_MS = 30_000;

export interface Sockets {
  /** Terminates every socket and stops accepting new ones. */
  close(): Promise<void>;
}

export function attachSockets(http: Server, app: Pick<App, 'room' | 'originAllowed' | 'tokens' | 'log'>): Sockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_PAYLOAD_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${String(status)} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // A request target that is not a valid URL path (e.g. `//[`) must not throw here: an
    // exception in this listener is uncaught and would stop the whole process.
    const url = parseRequestUrl(req.url);
    if (!url) {
      reject(400, 'Bad Request');
      return;
    }
    const match = /^\/parties\/chat\/([\w-]{1,64})$/.exec(url.pathname);
    if (!match?.[1]) {
      reject(404, 'Not Found');
      return;
    }
    const tenantId = match[1];
    if (!app.originAllowed(req.headers.origin, tenantId)) {
      app.log.info('ws.refused', { reason: 'origin' });
      reject(403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void accept(ws, tenantId, url);
    });
  });

  const accept = async (ws: WebSocket, tenantId: string, url: URL): Promise<void> => {
    const conn: Connection = {
      id: newConnectionId(),
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: (code, reason) => {
        ws.close(code, reason);
      },
      bufferedAmount: () => ws.bufferedAmount,
    };
    // Frames that arrive while the ticket is being checked wait here, in order.
    const early: (string | null)[] = [];
    const link: { room?: ChatRoom } = {};
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      if (link.room) link.room.receive(conn, text);
      else early.push(text);
    });
    ws.on('close', () => {
      link.room?.closed(conn);
    });
    ws.on('error', () => undefined);
    ws.on('pong', () => alive.set(ws, true));
    alive.set(ws, true);

    const r = app.room(tenantId);
    if (!r) {
      sendError(ws, 'forbidden', 'unknown tenant');
      ws.close(CLOSE.FORBIDDEN, 'unknown tenant');
      return;
    }
    const ticket = url.searchParams.get('token') ?? '';
    const principal = ticket ? await app.tokens.redeemTicket(ticket) : undefined;
    if (ws.readyState !== ws.OPEN) return;
    if (!principal) {
      sendError(ws, 'unauthenticated', 'missing, expired or used ticket');
      ws.close(CLOSE.UNAUTHENTICATED, 'unauthenticated');
      return;
    }
    const clientId = url.searchParams.get('_pk');
    if (!r.open(conn, principal, isValidClientId(clientId) ? clientId : undefined)) return;
    link.room = r;
    for (const text of early.splice(0)) r.receive(conn, text);
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((done) => {
        wss.close(() => {
          done();
        });
      });
    },
  };
}

function sendError(ws: WebSocket, code: string, message: string): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'error', code, message }));
}
