/**
 * The messages between the primary process and its edge processes (`--edge-workers N`; see
 * docs/architecture.md, "Processes of the Node host"). One IPC channel per edge process (Node's
 * `child_process` channel, JSON lines); each side batches what one turn of its event loop
 * produced into one message, and the channel keeps the order, so per connection frames and
 * closes arrive in the order they were made.
 */
import type { DecodeResult } from '../../src/protocol/codec.js';
import type { ClientFrame } from '../../src/protocol/client-frames.js';

/** Primary → edge: take over an upgrade request (the TCP socket travels as the message's handle). */
export interface UpgradeMessage {
  t: 'upgrade';
  /** The connection id the room will know this socket by. */
  id: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Bytes read past the request head (base64), usually none. */
  head: string;
}

/**
 * An outgoing operation: `[text, id, id, …]` writes one text (serialised once) to each of those
 * connections in this order; `[null, id, code, reason]` closes a connection.
 */
export type OutOp = [text: string, ...ids: string[]] | [close: null, id: string, code: number, reason: string];

/**
 * The window of an edge: what it has sent the primary that the primary has not yet taken (handed
 * to its rooms, where admission bounds the work) is at most this many frames and characters.
 * Above it the edge answers frames itself as the room's admission does (`overloaded`, retryable;
 * `edge_backlog`), so nothing an edge has read waits without bound in the IPC channel.
 */
export const EDGE_WINDOW_FRAMES = 2_000;
export const EDGE_WINDOW_CHARS = 4 * 1024 * 1024;

/**
 * Primary → edge: what one turn of the primary's event loop wrote, and how many of the edge's
 * `in` messages it has taken since the last `out` (their frames are in the rooms now: the edge's
 * window opens by that much).
 */
export interface OutMessage {
  t: 'out';
  ops: OutOp[];
  taken?: number;
}

/** Primary → edge: close every socket and exit. */
export interface StopMessage {
  t: 'stop';
}

export type ToEdge = UpgradeMessage | OutMessage | StopMessage;

/**
 * An incoming operation: `['o', id]` the WebSocket handshake is done; `['f', id, decoded, bytes]`
 * a text frame, decoded and validated; `['b', id]` a binary frame; `['c', id]` the socket closed
 * (for any reason; also when the handshake failed).
 */
export type InOp = ['o', string] | ['f', string, DecodeResult<ClientFrame>, number] | ['b', string] | ['c', string];

/** Edge → primary: started and listening for upgrades. */
export interface ReadyMessage {
  t: 'ready';
}

/** Edge → primary: what one turn of the edge's event loop received, and how many frames it refused itself meanwhile (its window was full). */
export interface InMessage {
  t: 'in';
  ops: InOp[];
  shed?: number;
}

export type FromEdge = ReadyMessage | InMessage;
