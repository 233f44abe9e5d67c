/**
 * The `ws` side of a WebSocket, shared by the primary process (sockets it keeps) and the edge
 * processes (edge-worker.ts): the handshake with the project's payload cap, the heartbeat that
 * drops dead peers, a frame's text, and the slow-consumer rule of the room's registry.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import { CLOSE, MAX_SOCKET_PAYLOAD_BYTES } from '../../src/protocol/limits.js';

const HEARTBEAT_MS = 30_000;

export interface WsEndpoint {
  /** Completes the WebSocket handshake of an upgrade request; `accepted` gets the socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, accepted: (ws: WebSocket) => void): void;
  /** Terminates every socket and stops the heartbeat. */
  close(): Promise<void>;
}

export function wsEndpoint(): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_PAYLOAD_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
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
    upgrade(req, socket, head, accepted) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.on('pong', () => alive.set(ws, true));
        alive.set(ws, true);
        accepted(ws);
      });
    },
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

/** A frame's text (`null`: a binary frame). */
export function frameText(data: RawData, isBinary: boolean): string | null {
  if (isBinary) return null;
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
}

/**
 * Writes a text to a socket unless it has stopped reading: above `limit` bytes unsent it is told
 * why and closed with 4429 (the rule of the room's registry, `SLOW_CONSUMER_BYTES`); false then.
 */
export function writeOrDrop(ws: WebSocket, text: string, limit: number): boolean {
  if (ws.readyState !== ws.OPEN) return true;
  if (ws.bufferedAmount > limit) {
    ws.send(JSON.stringify({ t: 'error', code: 'overloaded', message: 'connection too slow; reconnect', retryAfterMs: 1000 }));
    ws.close(CLOSE.OVERLOADED, 'connection too slow; reconnect');
    return false;
  }
  ws.send(text);
  return true;
}
