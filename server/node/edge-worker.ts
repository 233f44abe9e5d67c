/**
 * An edge process of the Node host (`--edge-workers N`; docs/architecture.md, "Processes of the
 * Node host"). It owns the WebSockets the primary hands it: the handshake, `ws` framing, the
 * heartbeat, decoding and validating every frame (the room's own rule, `decodeClientFrame`) and
 * the slow-consumer rule. It keeps no state of the protocol: what it receives goes to the primary
 * in one message per turn of its event loop, and it writes what the primary sends back (each
 * text serialised once, with the connections to write it to), every socket corked for the batch.
 *
 * What it sends the primary is bounded by a window ({@link EDGE_WINDOW_FRAMES} frames and
 * {@link EDGE_WINDOW_CHARS} characters not yet taken by the primary's rooms, which tell it with
 * their `out` messages): when the primary is behind, the edge answers new frames itself as the
 * room's admission would (`nack overloaded`, retryable, `edge_backlog`; a `pong` for a `ping`;
 * nothing for `typing`; a socket not greeted yet is closed with 4429), so nothing it has read waits
 * without bound in the IPC channel.
 *
 * It has no database and no rooms; it stops when the primary says so or when the primary is gone
 * (the IPC channel closed), so it never outlives the server. Ctrl-C reaches the whole process
 * group: the edge leaves SIGINT and SIGTERM to the primary, which stops it in order.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

import type { WebSocket } from 'ws';

import type { DecodeResult } from '../../src/protocol/codec.js';
import type { ClientFrame } from '../../src/protocol/client-frames.js';
import { CLOSE, MAX_ID } from '../../src/protocol/limits.js';
import { decodeClientFrame, overloadMessage, retryAfterFor, SLOW_CONSUMER_BYTES } from '../core/room/index.js';
import type { FromEdge, InOp, OutOp, ToEdge } from './edge-protocol.js';
import { EDGE_WINDOW_CHARS, EDGE_WINDOW_FRAMES } from './edge-protocol.js';
import { frameText, wsEndpoint, writeOrDrop } from './ws-server.js';

const endpoint = wsEndpoint();
const sockets = new Map<string, WebSocket>();
/** Sockets whose `hello` went to the primary (a refusal before it closes the socket, as the room does). */
const greeted = new Set<string>();
let pending: InOp[] = [];
let flushScheduled = false;

/** The window: frames and characters sent or about to be sent and not yet taken by the primary. */
let windowFrames = 0;
let windowChars = 0;
/** The `in` messages not yet taken, oldest first: their frames, characters and when they left. */
const unanswered: { frames: number; chars: number; at: number }[] = [];
let pendingFrames = 0;
let pendingChars = 0;
/** Frames refused here since the last `in` message (the primary counts them). */
let shed = 0;

const post = (message: FromEdge): void => {
  if (process.connected) process.send?.(message);
};

const scheduleFlush = (): void => {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(() => {
    flushScheduled = false;
    const ops = pending;
    pending = [];
    if (ops.length === 0 && shed === 0) return;
    unanswered.push({ frames: pendingFrames, chars: pendingChars, at: performance.now() });
    pendingFrames = 0;
    pendingChars = 0;
    post(shed > 0 ? { t: 'in', ops, shed } : { t: 'in', ops });
    shed = 0;
  });
};

/** Queues an operation for the primary; everything of one turn of the event loop leaves in one message. */
const emit = (op: InOp): void => {
  pending.push(op);
  scheduleFlush();
};

/** The primary took `count` of the `in` messages: the window opens by their frames. */
function taken(count: number): void {
  for (let i = 0; i < count; i += 1) {
    const m = unanswered.shift();
    if (!m) break;
    windowFrames -= m.frames;
    windowChars -= m.chars;
  }
}

/** A frame that was read: to the primary while the window has room, otherwise answered here. */
function received(id: string, ws: WebSocket, decoded: DecodeResult<ClientFrame>, chars: number): void {
  if (windowFrames < EDGE_WINDOW_FRAMES && windowChars + chars <= EDGE_WINDOW_CHARS) {
    windowFrames += 1;
    windowChars += chars;
    pendingFrames += 1;
    pendingChars += chars;
    if (decoded.ok && decoded.frame.t === 'hello') greeted.add(id);
    emit(['f', id, decoded, chars]);
    return;
  }
  shed += 1;
  scheduleFlush();
  refuse(id, ws, decoded);
}

/**
 * Answers a frame the window has no room for, as the room's admission answers one it does not
 * admit (server/core/room/inbox.ts, `refuse`): how long to wait is twice the age of the oldest
 * message the primary has not taken yet.
 */
function refuse(id: string, ws: WebSocket, decoded: DecodeResult<ClientFrame>): void {
  const oldest = unanswered[0]?.at;
  const retryAfterMs = retryAfterFor(oldest === undefined ? 0 : performance.now() - oldest);
  const message = overloadMessage('edge_backlog');
  const peek = decoded.ok ? (decoded.frame as { t: string; rid?: unknown; cmid?: unknown; n?: unknown }) : decoded.reason === 'schema' || decoded.reason === 'unknown_type' ? decoded : undefined;
  if (!greeted.has(id) || !peek) {
    writeOrDrop(ws, JSON.stringify({ t: 'error', code: 'overloaded', message, retryAfterMs, limit: 'server_capacity' }), SLOW_CONSUMER_BYTES);
    ws.close(CLOSE.OVERLOADED, message.slice(0, 120));
    return;
  }
  const ids = {
    ...(typeof peek.rid === 'string' && peek.rid.length <= MAX_ID ? { rid: peek.rid } : {}),
    ...(peek.t === 'send' && typeof peek.cmid === 'string' && peek.cmid.length <= MAX_ID ? { cmid: peek.cmid } : {}),
  };
  if (ids.rid === undefined && ids.cmid === undefined) {
    if (peek.t === 'ping' && 'n' in peek && typeof peek.n === 'number') writeOrDrop(ws, JSON.stringify({ t: 'pong', n: peek.n }), SLOW_CONSUMER_BYTES);
    return; // typing and the like: dropped
  }
  writeOrDrop(ws, JSON.stringify({ t: 'nack', ...ids, code: 'overloaded', retryable: true, retryAfterMs, message, limit: 'server_capacity' }), SLOW_CONSUMER_BYTES);
}

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
      if (text === null) emit(['b', id]);
      else received(id, ws, decodeClientFrame(text), text.length);
    });
    ws.on('close', () => {
      sockets.delete(id);
      greeted.delete(id);
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
      if (message.taken) taken(message.taken);
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
