/**
 * The WebSocket route `/parties/chat/<tenant>?_pk=<tab id>&token=<ticket>` on Node: checks
 * `Origin`, then either accepts the upgrade here or hands the TCP socket to an edge process
 * (edges.ts, `--edge-workers N`), and gives each connection a `SocketSession` (server/core: the
 * ticket, then the tenant's room). The ticket is redeemed here in the primary, which holds the
 * database; an edge's frames arrive decoded and validated.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import type { App } from '../core/http/router.js';
import { parseRequestUrl } from '../core/http/router.js';
import type { Connection } from '../core/room/index.js';
import { newConnectionId } from '../core/room/index.js';
import { SocketSession, socketTenant } from '../core/socket-session.js';
import type { EdgeOptions, EdgePool } from './edges.js';
import { startEdges } from './edges.js';
import { frameText, wsEndpoint } from './ws-server.js';

export interface Sockets {
  /** The edge processes (undefined: every socket is kept in this process). */
  readonly edges: EdgePool | undefined;
  /** Terminates every socket, stops the edge processes and stops accepting new sockets. */
  close(): Promise<void>;
}

export async function attachSockets(
  http: Server,
  app: Pick<App, 'room' | 'originAllowed' | 'tokens' | 'log'>,
  edgeWorkers = 0,
  edgeOptions: EdgeOptions = {},
): Promise<Sockets> {
  const endpoint = wsEndpoint();
  /** Sessions of the sockets the edge processes hold, by connection id. */
  const remote = new Map<string, SocketSession>();
  const edges =
    edgeWorkers > 0
      ? await startEdges(
          edgeWorkers,
          {
            opened: (conn, url, tenantId) => {
              const session = new SocketSession(conn, app.tokens);
              remote.set(conn.id, session);
              void session.start(app.room(tenantId), url);
            },
            frame: (id, op) => {
              remote.get(id)?.receive(op === null ? null : { decoded: op[2], bytes: op[3] });
            },
            closed: (id) => {
              const session = remote.get(id);
              remote.delete(id);
              session?.closed();
            },
          },
          app.log,
          edgeOptions,
        )
      : undefined;

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
    if (edges?.handOff(req, socket, head, url, tenantId)) return;
    endpoint.upgrade(req, socket, head, (ws) => {
      const conn: Connection = {
        id: newConnectionId(),
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        close: (code, reason) => {
          // A socket paused by the inbox must read again, or the client's answer to the close
          // frame is never read and the socket stays open until ws gives up on the handshake.
          if (ws.isPaused) ws.resume();
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
        pause: () => {
          if (ws.readyState === ws.OPEN) ws.pause();
        },
        resume: () => {
          if (ws.isPaused) ws.resume();
        },
      };
      const session = new SocketSession(conn, app.tokens);
      ws.on('message', (data, isBinary) => {
        session.receive(frameText(data, isBinary));
      });
      ws.on('close', () => {
        session.closed();
      });
      void session.start(app.room(tenantId), url);
    });
  });

  return {
    edges,
    async close() {
      await Promise.all([endpoint.close(), edges?.close()]);
    },
  };
}
