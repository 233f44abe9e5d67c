/**
 * The primary's side of the edge processes (`--edge-workers N`; docs/architecture.md, "Processes
 * of the Node host"). The primary keeps the rooms and the one database writer; each edge process
 * (edge-worker.ts, forked here) owns the WebSockets handed to it. For the room, a socket of an
 * edge is a {@link Connection} like any other: `send` queues the text for its edge, `close` too,
 * and everything queued in one turn of the primary's event loop leaves in one IPC message, each
 * text once with the connections it goes to (a fan-out writes one text to many in a row). What
 * the edge receives comes back decoded and validated, one message per turn of its loop.
 *
 * An edge process that dies takes its sockets with it: the rooms hear that each one closed (the
 * clients reconnect, to another edge or to the new one, and resume), and a new process is
 * started in its place. Without a live edge the primary keeps new sockets itself.
 *
 * An edge that cannot be started (`fork` throws, e.g. EAGAIN or ENOMEM; the process cannot be
 * spawned, e.g. ENOENT; it exits or hangs before it is ready) is logged (`edge.spawn_failed`) and
 * tried again after a pause that doubles with each failure in a row ({@link RESPAWN_PAUSE_MS} up
 * to {@link RESPAWN_PAUSE_MAX_MS}); meanwhile the server serves with the edges it has (or keeps
 * every socket itself). The server's start waits for the first attempt of each edge only.
 */
import type { ChildProcess, ForkOptions } from 'node:child_process';
import { fork } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

import type { Connection, RoomLogger } from '../core/room/index.js';
import { newConnectionId } from '../core/room/index.js';
import type { FromEdge, InOp, OutOp, ToEdge } from './edge-protocol.js';

/** What the primary does with the sockets of an edge (sockets.ts: a `SocketSession` each). */
export interface EdgeSockets {
  /** The handshake of a handed-over socket is done: `conn` is its connection. */
  opened(conn: Connection, url: URL, tenantId: string): void;
  /** A frame of an opened connection (`null`: binary; otherwise decoded by the edge). */
  frame(id: string, op: Extract<InOp, { 0: 'f' }> | null): void;
  /** The socket closed (for any reason). */
  closed(id: string): void;
}

/** Restarting an edge that died: at once the first time, then after this pause, doubled with each failure in a row. */
export const RESPAWN_PAUSE_MS = 1000;
/** The longest pause between two attempts to start an edge. */
export const RESPAWN_PAUSE_MAX_MS = 30_000;
/** How long a stopping edge may take to close its sockets before it is killed. */
const STOP_GRACE_MS = 2000;
/** How long a new edge may take to start. */
const START_TIMEOUT_MS = 20_000;

interface Pending {
  url: URL;
  tenantId: string;
}

class Edge {
  readonly conns = new Set<string>();
  ready = false;
  private out: OutOp[] = [];
  private flushScheduled = false;
  /** The last write op, while the same text is still being written (a fan-out). */
  private last: OutOp | undefined;
  /** `in` messages taken since the last `out` (they open the edge's window). */
  private taken = 0;

  constructor(
    readonly child: ChildProcess,
    readonly index: number,
  ) {}

  send(message: ToEdge, handle?: Socket): void {
    if (!this.child.connected) return;
    if (handle) this.child.send(message, handle, { keepOpen: false }, () => undefined);
    else this.child.send(message, () => undefined);
  }

  write(id: string, text: string): void {
    const last = this.last;
    if (last?.[0] === text) last.push(id);
    else this.queue((this.last = [text, id]));
  }

  close(id: string, code: number, reason: string): void {
    this.last = undefined;
    this.queue([null, id, code, reason]);
  }

  /** An `in` message of this edge was handed to the rooms: told with the next `out`. */
  took(): void {
    this.taken += 1;
    this.schedule();
  }

  private queue(op: OutOp): void {
    this.out.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flush();
    });
  }

  flush(): void {
    this.flushScheduled = false;
    this.last = undefined;
    if (this.out.length === 0 && this.taken === 0) return;
    const ops = this.out;
    const taken = this.taken;
    this.out = [];
    this.taken = 0;
    this.send(taken > 0 ? { t: 'out', ops, taken } : { t: 'out', ops });
  }
}

export interface EdgePool {
  readonly size: number;
  /** Pids of the running edge processes (tests, the benchmark's CPU figures). */
  pids(): number[];
  /**
   * Hands an upgrade request to the edge with the fewest connections; false when no edge is
   * ready (the caller keeps the socket itself).
   */
  handOff(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, tenantId: string): boolean;
  /** Stops every edge process (their sockets close) and waits until they have exited. */
  close(): Promise<void>;
}

/** Where the edge process's code is: beside this module in a checkout, the package's one command when bundled. */
function edgeEntry(): { file: string; args: string[]; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return { file: join(dirname(here), 'edge-worker.ts'), args: [], execArgv: ['--import', 'tsx'] };
  return { file: join(dirname(here), 'crm-chat-server.js'), args: ['edge-worker'], execArgv: [] };
}

/** How the primary starts a process (Node's `fork`; a test may make it fail). */
export type ForkEdge = (file: string, args: readonly string[], options: ForkOptions) => ChildProcess;

export interface EdgeOptions {
  /** Starts an edge process; default Node's `fork`. */
  fork?: ForkEdge;
  /** An edge refused `count` frames itself, its window being full (edge-protocol.ts, `EDGE_WINDOW_FRAMES`). */
  shed?: (count: number) => void;
}

export async function startEdges(count: number, sockets: EdgeSockets, log: RoomLogger, options: EdgeOptions = {}): Promise<EdgePool> {
  const edges: (Edge | undefined)[] = [];
  const owner = new Map<string, Edge>();
  const pending = new Map<string, Pending>();
  /** Failed starts in a row, per edge index (the pause before the next attempt doubles with each). */
  const failures: number[] = Array.from({ length: count }, () => 0);
  const retries = new Set<ReturnType<typeof setTimeout>>();
  let closing = false;
  const entry = edgeEntry();
  const forkEdge = options.fork ?? fork;

  /** Starts edge `index`; resolves when it is ready, or when this attempt failed (a retry is scheduled). */
  const spawn = (index: number): Promise<void> => {
    let child: ChildProcess;
    try {
      child = forkEdge(entry.file, entry.args, { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    } catch (error) {
      startFailed(index, error);
      return Promise.resolve();
    }
    const edge = new Edge(child, index);
    edges[index] = edge;
    return new Promise<void>((resolve) => {
      let settled = false;
      const failed = (reason: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        edges[index] = undefined;
        // A process that did start (but not get ready) is stopped; its 'exit' is then ignored.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        startFailed(index, reason);
        resolve();
      };
      const timer = setTimeout(() => {
        failed(new Error(`not ready within ${String(START_TIMEOUT_MS)} ms`));
      }, START_TIMEOUT_MS);
      // Spawning failed (ENOENT, EAGAIN…), or sending to it failed: without this listener the
      // error would be thrown and stop the primary.
      child.on('error', (error) => {
        if (!edge.ready) failed(error);
        else log.warn('edge.error', { index, error: errorText(error) });
      });
      child.on('message', (message: FromEdge) => {
        if (message.t === 'ready') {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          edge.ready = true;
          failures[index] = 0;
          resolve();
          return;
        }
        for (const op of message.ops) receive(edge, op);
        if (message.shed) options.shed?.(message.shed);
        edge.took();
      });
      child.once('exit', (code, signal) => {
        if (!edge.ready) {
          failed(new Error(`exited at start (code ${String(code)}, signal ${String(signal)})`));
          return;
        }
        exited(edge, code, signal);
      });
    });
  };

  /** Tries edge `index` again after the back-off pause (unless the pool is closing). */
  const retry = (index: number, pauseMs: number): void => {
    if (closing) return;
    const timer = setTimeout(() => {
      retries.delete(timer);
      if (closing) return;
      void spawn(index).then(() => {
        if (edges[index]?.ready) log.info('edge.restarted', { index });
      });
    }, pauseMs);
    timer.unref();
    retries.add(timer);
  };

  const startFailed = (index: number, error: unknown): void => {
    const n = (failures[index] ?? 0) + 1;
    failures[index] = n;
    const pauseMs = Math.min(RESPAWN_PAUSE_MS * 2 ** (n - 1), RESPAWN_PAUSE_MAX_MS);
    if (closing) return;
    log.warn('edge.spawn_failed', { index, error: errorText(error), attempt: n, retryInMs: pauseMs, running: edges.filter((e) => e?.ready).length });
    retry(index, pauseMs);
  };

  const receive = (edge: Edge, op: InOp): void => {
    const id = op[1];
    switch (op[0]) {
      case 'o': {
        const p = pending.get(id);
        if (!p || owner.get(id) !== edge) return;
        pending.delete(id);
        const conn: Connection = {
          id,
          send: (data) => {
            edge.write(id, data);
          },
          close: (code, reason) => {
            edge.close(id, code, reason);
          },
          // The edge applies the slow-consumer rule to the socket itself.
          bufferedAmount: () => 0,
        };
        sockets.opened(conn, p.url, p.tenantId);
        return;
      }
      case 'f':
        sockets.frame(id, op);
        return;
      case 'b':
        sockets.frame(id, null);
        return;
      case 'c': {
        if (owner.get(id) !== edge) return;
        owner.delete(id);
        edge.conns.delete(id);
        // A socket whose handshake never finished was never opened: nothing to tell.
        if (!pending.delete(id)) sockets.closed(id);
        return;
      }
    }
  };

  const exited = (edge: Edge, code: number | null, signal: NodeJS.Signals | null): void => {
    edge.ready = false;
    if (edges[edge.index] === edge) edges[edge.index] = undefined;
    for (const id of edge.conns) {
      owner.delete(id);
      if (!pending.delete(id)) sockets.closed(id);
    }
    edge.conns.clear();
    if (closing) return;
    log.warn('edge.exited', { index: edge.index, code: code ?? -1, signal: signal ?? '' });
    // At once: the edge was running (a failure to start again backs off in startFailed).
    retry(edge.index, 0);
  };

  await Promise.all(Array.from({ length: count }, (_, i) => spawn(i)));
  const running = edges.filter((e) => e?.ready).length;
  if (running < count) log.warn('edge.degraded', { wanted: count, running });

  return {
    size: count,
    pids: () => edges.flatMap((e) => (e?.child.pid !== undefined && e.child.exitCode === null && e.child.signalCode === null ? [e.child.pid] : [])),
    handOff(req, socket, head, url, tenantId) {
      if (!(socket instanceof Socket)) return false;
      let best: Edge | undefined;
      for (const e of edges) if (e?.ready && e.child.connected && (!best || e.conns.size < best.conns.size)) best = e;
      if (!best) return false;
      const id = newConnectionId();
      // Counted from now, so that sockets arriving together are spread over the edges.
      pending.set(id, { url, tenantId });
      owner.set(id, best);
      best.conns.add(id);
      // Bytes the HTTP parser read past the head, and any the socket buffered since, go along.
      const buffered = socket.readableLength > 0 ? (socket.read() as Buffer | null) : null;
      const rest = buffered ? Buffer.concat([head, buffered]) : head;
      // This process must read no more from the socket: until the edge confirms it has the handle,
      // both processes hold it, and a frame read here (the client's hello, sent once the edge has
      // answered the handshake) would be lost. Node's HTTP server left it reading; stop that.
      const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?: () => number } })._handle;
      if (handle?.readStop) {
        handle.reading = false;
        handle.readStop();
      }
      best.send({ t: 'upgrade', id, method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, head: rest.toString('base64') }, socket);
      return true;
    },
    async close() {
      closing = true;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      await Promise.all(
        edges.map(async (edge) => {
          if (edge?.child.exitCode !== null || edge.child.signalCode !== null) return;
          const gone = new Promise<void>((resolve) => edge.child.once('exit', () => { resolve(); }));
          edge.flush();
          edge.send({ t: 'stop' });
          const timer = setTimeout(() => edge.child.kill('SIGKILL'), STOP_GRACE_MS);
          await gone;
          clearTimeout(timer);
        }),
      );
    },
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : error.message;
  return String(error);
}
