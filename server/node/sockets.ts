/**
 * The WebSocket route `/parties/chat/<tenant>?_pk=<tab id>&token=<ticket>` on Node: checks
 * `Origin`, accepts the upgrade and hands the socket to a `SocketSession` (server/core: the ticket,
 * then the tenant's room), and pings every socket so dead peers are dropped.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import { MAX_SOCKET_PAYLOAD_BYTES } from '../../src/protocol/limits.js';
import type { App } from '../core/http/router.js';
import { parseRequestUrl } from '../core/http/router.js';
import type { Connection } from '../core/room/index.js';
import { newConnectionId } from '../core/room/index.js';
import { SocketSession, socketTenant } from '../core/socket-session.js';

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
    const tenantId = socketTenant(url.pathname);
    if (tenantId === undefined) {
      reject(404, 'Not Found');
      return;
    }
    if (!app.originAllowed(req.headers.origin, tenantId)) {
      app.log.info('ws.refused', { reason: 'origin' });
      reject(403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void accept(ws, tenantId, url, socket);
    });
  });

  const accept = async (ws: WebSocket, tenantId: string, url: URL, socket: Duplex): Promise<void> => {
    const conn: Connection = {
      id: newConnectionId(),
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      close: (code, reason) => {
        ws.close(code, reason);
      },
      bufferedAmount: () => ws.bufferedAmount,
      // The frames of one released batch leave in one write (ws corks each frame's header and
      // payload itself; the calls nest).
      cork: () => {
        socket.cork();
      },
      uncork: () => {
        socket.uncork();
      },
    };
    const session = new SocketSession(conn, app.tokens);
    ws.on('message', (data, isBinary) => {
      session.receive(isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    });
    ws.on('close', () => {
      session.closed();
    });
    ws.on('error', () => undefined);
    ws.on('pong', () => alive.set(ws, true));
    alive.set(ws, true);
    await session.start(app.room(tenantId), url);
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

