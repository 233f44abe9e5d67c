/**
 * An edge process of the Node host (`--edge-workers N`; docs/architecture.md, "Processes of the
 * Node host"). It owns the WebSockets the primary hands it: the handshake, `ws` framing, the
 * heartbeat, decoding and validating every frame (the room's own rule, `decodeClientFrame`) and
 * the slow-consumer rule. It keeps no state of the protocol: what it receives goes to the primary
 * in one message per turn of its event loop, and it writes what the primary sends back (each
 * text serialised once, with the connections to write it to), every socket corked for the batch.
 *
 * It has no database and no rooms; it stops when the primary says so or when the primary is gone
 * (the IPC channel closed), so it never outlives the server. Ctrl-C reaches the whole process
 * group: the edge leaves SIGINT and SIGTERM to the primary, which stops it in order.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

import type { WebSocket } from 'ws';

import { decodeClientFrame, SLOW_CONSUMER_BYTES } from '../core/room/index.js';
import type { FromEdge, InOp, OutOp, ToEdge } from './edge-protocol.js';
import { frameText, wsEndpoint, writeOrDrop } from './ws-server.js';

const endpoint = wsEndpoint();
const sockets = new Map<string, WebSocket>();
let pending: InOp[] = [];
let flushScheduled = false;

const post = (message: FromEdge): void => {
  if (process.connected) process.send?.(message);
};

/** Queues an operation for the primary; everything of one turn of the event loop leaves in one message. */
const emit = (op: InOp): void => {
  pending.push(op);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    const ops = pending;
    pending = [];
    post({ t: 'in', ops });
  });
};

function upgrade(message: Extract<ToEdge, { t: 'upgrade' }>, socket: Socket | undefined): void {
  if (!socket) {
    emit(['c', message.id]);
    return;
  }
  const req = { method: message.method, url: message.url, headers: message.headers } as unknown as IncomingMessage;
  const id = message.id;
  let opened = false;
  socket.once('close', () => {
    if (!opened) emit(['c', id]);
  });
  endpoint.upgrade(req, socket, Buffer.from(message.head, 'base64'), (ws) => {
    opened = true;
    sockets.set(id, ws);
    emit(['o', id]);
    ws.on('message', (data, isBinary) => {
      const text = frameText(data, isBinary);
      emit(text === null ? ['b', id] : ['f', id, decodeClientFrame(text), text.length]);
    });
    ws.on('close', () => {
      sockets.delete(id);
      emit(['c', id]);
    });
  });
}

/** Writes the primary's batch: every socket it touches corked until the batch is written. */
function write(ops: readonly OutOp[]): void {
  const corked = new Set<Socket>();
  const cork = (ws: WebSocket) => {
    const raw = (ws as unknown as { _socket?: Socket })._socket;
    if (raw && !corked.has(raw)) {
      raw.cork();
      corked.add(raw);
    }
  };
  try {
    for (const op of ops) {
      if (op[0] === null) {
        sockets.get(op[1])?.close(op[2], op[3]);
        continue;
      }
      const [text, ...ids] = op;
      for (const id of ids) {
        const ws = sockets.get(id);
        if (!ws) continue;
        cork(ws);
        writeOrDrop(ws, text, SLOW_CONSUMER_BYTES);
      }
    }
  } finally {
    for (const raw of corked) raw.uncork();
  }
}

async function stop(): Promise<void> {
  await endpoint.close();
  process.disconnect();
}

process.on('message', (message: ToEdge, handle: unknown) => {
  switch (message.t) {
    case 'upgrade':
      upgrade(message, handle as Socket | undefined);
      return;
    case 'out':
      write(message.ops);
      return;
    case 'stop':
      void stop();
      return;
  }
});
// The primary is gone (stopped, crashed, killed): so are its connections.
process.on('disconnect', () => {
  process.exit(0);
});
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
post({ t: 'ready' });
