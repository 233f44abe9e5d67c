/**
 * Test helpers for the node suites of the reference server (test/server/*.test.ts).
 *
 * - {@link startServer}: an in-process server (`startChatServer`) on a fresh temp data dir, with a
 *   {@link TestClock} (real time plus a manual offset; its timers fire only on `advance`).
 * - {@link Api}: the HTTP calls a client makes (demo login, tickets, start chat) and socket openers,
 *   usable against the in-process server and a spawned process alike.
 * - {@link TestClient}: a `ws` client that collects frames, validates each against the server-frame
 *   schema, and offers `waitFor`, `command`, `send`, `waitClose`.
 * - {@link spawnServer}: the real server command as a child process (the bundle of the current
 *   sources that scripts/run-node-tests.mjs builds, or `server/node/bin.ts` under tsx).
 *
 * Nothing here sleeps for a fixed time: every wait is for an event, bounded by a timeout that
 * fails with a readable message.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as v from 'valibot';
import { WebSocket } from 'ws';

import type {
  AckFrame,
  ActivityFrame,
  ChatMessage,
  AgentsFrame,
  AvailabilityFrame,
  BoardEvent,
  ErrorFrame,
  NackFrame,
  OkFrame,
  QueueFrame,
  ResetFrame,
  ResetPartFrame,
  SessionEvent,
  SessionSummary,
  TypingEventFrame,
  WarningFrame,
  WelcomeFrame,
} from '../../src/protocol/index.js';
import { PROTOCOL_VERSION, ServerFrame as ServerFrameSchema } from '../../src/protocol/index.js';
import type { Clock } from '../../server/core/clock.js';
import { startChatServer, type ChatServer, type ChatServerOptions } from '../../server/node/server.js';
import { serverArgs } from '../../scripts/server-bundle.mjs';

export type {
  AckFrame,
  ActivityFrame,
  AgentsFrame,
  AvailabilityFrame,
  BoardEvent,
  ErrorFrame,
  NackFrame,
  OkFrame,
  QueueFrame,
  ResetFrame,
  ResetPartFrame,
  SessionEvent,
  WarningFrame,
  WelcomeFrame,
};
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;
export type SessionReset = Extract<ResetFrame, { snapshot: { messages: unknown } }>;
export type BoardReset = Extract<ResetFrame, { stream: 'board' }>;

/** Repository root (cwd of spawned servers). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Edge processes of the servers the tests start (`CHAT_EDGE_WORKERS`, as the server command reads
 * it; servers spawned by {@link spawnServer} get the same number, 0 unless set, although the
 * command's own default is `auto`): run the suite once with `CHAT_EDGE_WORKERS=1` to prove
 * everything also holds when the sockets live in an edge process.
 */
export const EDGE_WORKERS = Number(process.env.CHAT_EDGE_WORKERS ?? 0);

// ---- clock -------------------------------------------------------------------------------------

/**
 * Real time plus a manual offset. Timers set through it never fire by themselves: they count
 * only manual time, so `advance(ms)` moves the clock forward and runs the timers whose delay
 * has been advanced past, in due order (real time passing in between does not count).
 */
export class TestClock implements Clock {
  private offset = 0;
  private nextHandle = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  private readonly timerWaiters: { ms: number; resolve: () => void }[] = [];

  now(): number {
    return Date.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { due: this.offset + ms, fn });
    for (const w of this.timerWaiters.filter((x) => x.ms === ms)) {
      this.timerWaiters.splice(this.timerWaiters.indexOf(w), 1);
      w.resolve();
    }
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers set and neither cleared nor fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Resolves when the next timer of exactly `ms` is set (e.g. a hello deadline). */
  nextTimer(ms: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        this.timerWaiters.push({ ms, resolve });
      }),
      timeoutMs,
      () => `no timer of ${String(ms)} ms was set`,
    );
  }

  /**
   * Moves time to the start of the next clock minute. The per-minute budgets (chat starts,
   * refused sign-ins: server/core/budget.ts) count per clock minute and start over when it
   * changes; a test that counts them calls this first, so the minute cannot change under it
   * unless it runs for a whole minute of real time.
   */
  toNextMinute(): void {
    this.advance(60_000 - (this.now() % 60_000));
  }

  /** Moves time forward and fires the timers that became due. */
  advance(ms: number): void {
    this.offset += ms;
    const due = [...this.timers].filter(([, t]) => t.due <= this.offset).sort((a, b) => a[1].due - b[1].due);
    for (const [handle, t] of due) {
      if (!this.timers.delete(handle)) continue;
      t.fn();
    }
  }
}

// ---- small utilities ---------------------------------------------------------------------------

export function withTimeout<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(describe()));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Reads until `done` holds, polling every 50 ms (each read is a request the server answers, for
 * state no frame announces); fails after `ms` with the last value read.
 */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${String(ms)} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh, empty temp directory. */
export function tempDir(prefix = 'chat-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A TCP port that is free now, for a server process that must know its port in advance (a restart
 * on the same port): picked below the kernel's ephemeral range so that no parallel test file's
 * connection can take it meanwhile (scripts/free-port.mjs).
 */
export { freePort } from '../../scripts/free-port.mjs';

/**
 * The arguments after `node` that run the server command `crm-chat-server ARGS` (spawn with `cwd:
 * ROOT`): the bundle scripts/run-node-tests.mjs built of the current sources, which starts in
 * about half the CPU time, or `--import tsx server/node/bin.ts` when a file runs without it.
 */
export { serverArgs } from '../../scripts/server-bundle.mjs';

let cmidCounter = 0;
/** A fresh client message id (valid by the protocol's `Cmid` rule). */
export function newCmid(prefix = 'cm'): string {
  cmidCounter += 1;
  return `${prefix}-${String(process.pid)}-${String(cmidCounter).padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

function short(frame: unknown, max = 240): string {
  const text = JSON.stringify(frame);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---- frame predicates --------------------------------------------------------------------------

export const isWelcome = (f: ServerFrame): f is WelcomeFrame => f.t === 'welcome';
export const isAck = (f: ServerFrame): f is AckFrame => f.t === 'ack';
export const isNack = (f: ServerFrame): f is NackFrame => f.t === 'nack';
export const isOk = (f: ServerFrame): f is OkFrame => f.t === 'ok';
export const isError = (f: ServerFrame): f is ErrorFrame => f.t === 'error';
export const isQueue = (f: ServerFrame): f is QueueFrame => f.t === 'queue';
export const isBoardEvent = (f: ServerFrame): f is BoardEvent => f.t === 'event' && f.stream === 'board';
export const isBoardReset = (f: ServerFrame): f is BoardReset => f.t === 'reset' && f.stream === 'board';
export const isResetPart = (f: ServerFrame): f is ResetPartFrame => f.t === 'reset-part';
export const isActivity = (f: ServerFrame): f is ActivityFrame => f.t === 'activity';
export const isAgents = (f: ServerFrame): f is AgentsFrame => f.t === 'agents';
/** An `activity` frame with an entry of this session (and `cond` on that entry). */
export const activityOf =
  (sessionId: string, cond: (a: ActivityFrame['sessions'][number]) => boolean = () => true) =>
  (f: ServerFrame): f is ActivityFrame =>
    isActivity(f) && f.sessions.some((a) => a.id === sessionId && cond(a));
/** An `agents` frame with the record of this agent (and `cond` on it). */
export const agentRecord =
  (agentId: string, cond: (a: AgentsFrame['agents'][number]) => boolean = () => true) =>
  (f: ServerFrame): f is AgentsFrame =>
    isAgents(f) && f.agents.some((a) => a.id === agentId && cond(a));
export const isTyping = (f: ServerFrame): f is TypingEventFrame => f.t === 'typing';
export const isWarning = (f: ServerFrame): f is WarningFrame => f.t === 'warning';
export const isAvailability = (f: ServerFrame): f is AvailabilityFrame => f.t === 'availability';
/** Narrows with `guard`, then filters with `cond`: `where(isAck, (a) => a.cmid === x)`. */
export function where<T extends ServerFrame>(guard: (f: ServerFrame) => f is T, cond: (f: T) => boolean): (f: ServerFrame) => f is T {
  return (f): f is T => guard(f) && cond(f);
}
/** The `ack` or `nack` answering a send with this cmid. */
export const answerTo =
  (cmid: string) =>
  (f: ServerFrame): f is AckFrame | NackFrame =>
    (f.t === 'ack' || f.t === 'nack') && f.cmid === cmid;
export const sessionEventOf =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionEvent =>
    f.t === 'event' && f.stream === `session:${sessionId}`;
export const sessionResetOf =
  (sessionId: string) =>
  (f: ServerFrame): f is SessionReset =>
    f.t === 'reset' && f.stream === `session:${sessionId}`;

/** A board event carrying this session's summary, matching `cond`. */
export const boardRow =
  (sessionId: string, cond: (s: SessionSummary) => boolean) =>
  (f: ServerFrame): f is Extract<BoardEvent, { kind: 'session' }> =>
    isBoardEvent(f) && f.kind === 'session' && f.data.id === sessionId && cond(f.data);
/** A system event of this session's stream (`joined`, `held`, …). */
export const sessionEventNamed =
  (sessionId: string, event: ChatMessage['event']) =>
  (f: ServerFrame): f is SessionEvent =>
    sessionEventOf(sessionId)(f) && f.data.event === event;

/** Asserts that `answer` is a `nack` with this code (and, given, a message matching `text`). */
export function refused(answer: unknown, code: string, text?: RegExp): asserts answer is NackFrame {
  assert.ok(isNack(answer as ServerFrame), `expected nack ${code}, got ${JSON.stringify(answer)}`);
  assert.equal((answer as NackFrame).code, code, (answer as NackFrame).message);
  if (text) assert.match((answer as NackFrame).message, text);
}

// ---- WebSocket client --------------------------------------------------------------------------

export interface CloseInfo {
  code: number;
  reason: string;
}

type Predicate<T extends ServerFrame> = (f: ServerFrame) => f is T;

export interface WaitOptions {
  timeoutMs?: number;
  /** Index in `frames` to start looking at (see {@link TestClient.mark}). */
  from?: number;
  /** Shown in the timeout message. */
  label?: string;
}

export interface HelloResume {
  board?: { epoch: string; seq: number };
  sessions?: { id: string; epoch: string; seq: number }[];
}

/** Every client opened by the helpers, so a hook can close the stragglers. */
const openClients = new Set<TestClient>();

/**
 * A WebSocket client for tests. Frames are parsed and kept in `frames` (in arrival order);
 * frames that are not JSON or do not match the server-frame schema go to `malformed`.
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly malformed: unknown[] = [];
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  welcome: WelcomeFrame | undefined;
  private readonly listeners = new Set<() => void>();
  private ridCounter = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    this.closed = new Promise<CloseInfo>((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        openClients.delete(this);
        resolve(this.closeInfo);
        this.notify();
      });
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        this.malformed.push(text);
        return;
      }
      if (v.is(ServerFrameSchema, parsed)) this.frames.push(parsed);
      else this.malformed.push(parsed);
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  /**
   * Opens a socket. Resolves once it is open; rejects with `HTTP <status>` when the upgrade is
   * refused.
   */
  static open(url: string, options: { origin?: string; label?: string } = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options.origin !== undefined ? { origin: options.origin } : {});
    const client = new TestClient(ws, options.label ?? 'client');
    openClients.add(client);
    return withTimeout(
      new Promise<TestClient>((resolve, reject) => {
        ws.once('open', () => {
          resolve(client);
        });
        ws.once('unexpected-response', (_req, res) => {
          openClients.delete(client);
          reject(new Error(`HTTP ${String(res.statusCode)}`));
          res.resume();
          ws.terminate();
        });
        ws.once('error', (error) => {
          openClients.delete(client);
          reject(error);
        });
      }),
      DEFAULT_TIMEOUT_MS,
      () => `socket to ${url.split('?')[0] ?? url} did not open`,
    );
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Current length of `frames`: pass as `from` to wait only for frames that arrive later. */
  mark(): number {
    return this.frames.length;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a value as JSON text. */
  sendJson(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends raw text or bytes. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Frames matching a predicate, from index `from`. */
  all<T extends ServerFrame>(pred: Predicate<T>, from = 0): T[] {
    return this.frames.slice(from).filter(pred);
  }

  /** Readable summary of the last frames and the close state (for failure messages). */
  describe(last = 8): string {
    const lines = this.frames.slice(-last).map((f) => `    ${short(f)}`);
    const state = this.closeInfo ? `closed ${String(this.closeInfo.code)} "${this.closeInfo.reason}"` : 'open';
    return `${this.label} (${state}, ${String(this.frames.length)} frames; last ${String(lines.length)}):\n${lines.join('\n')}`;
  }

  /**
   * The first frame (from `from` on) matching `pred`. Rejects after the timeout, or as soon as
   * the socket closes without such a frame, with the last frames in the message.
   */
  waitFor<T extends ServerFrame>(pred: Predicate<T>, options: WaitOptions = {}): Promise<T> {
    const from = options.from ?? 0;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const what = options.label ?? 'a matching frame';
    return new Promise<T>((resolve, reject) => {
      let scanned = from;
      const check = (): boolean => {
        for (; scanned < this.frames.length; scanned++) {
          const f = this.frames[scanned]!;
          if (pred(f)) {
            finish();
            resolve(f);
            return true;
          }
        }
        if (this.closeInfo) {
          finish();
          reject(new Error(`socket closed while waiting for ${what}\n${this.describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}\n${this.describe()}`));
      }, timeoutMs);
      const listener = (): void => {
        check();
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      check();
    });
  }

  /** Waits until `count` frames (from `from` on) match `pred`; returns them. */
  async waitForCount<T extends ServerFrame>(pred: Predicate<T>, count: number, options: WaitOptions = {}): Promise<T[]> {
    const from = options.from ?? 0;
    let seen = 0;
    const counting = (f: ServerFrame): f is T => pred(f) && ++seen >= count;
    await this.waitFor(counting, { ...options, label: options.label ?? `${String(count)} matching frames` });
    return this.all(pred, from).slice(0, count);
  }

  /** Resolves with the close code and reason; rejects when the socket stays open too long. */
  waitClose(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CloseInfo> {
    return withTimeout(this.closed, timeoutMs, () => `socket did not close within ${String(timeoutMs)} ms\n${this.describe()}`);
  }

  /** Sends `hello` and waits for `welcome`. */
  async hello(resume?: HelloResume): Promise<WelcomeFrame> {
    const from = this.mark();
    this.sendJson({ t: 'hello', v: PROTOCOL_VERSION, ...(resume ? { resume } : {}) });
    this.welcome = await this.waitFor(isWelcome, { from, label: 'welcome' });
    return this.welcome;
  }

  /** Sends a command with a fresh `rid` and resolves with its `ok` or `nack`. */
  async command(frame: Record<string, unknown> & { t: string }): Promise<OkFrame | NackFrame> {
    this.ridCounter += 1;
    const rid = `r${String(this.ridCounter)}`;
    const from = this.mark();
    this.sendJson({ ...frame, rid });
    return this.waitFor((f): f is OkFrame | NackFrame => (f.t === 'ok' || f.t === 'nack') && f.rid === rid, {
      from,
      label: `ok/nack for ${frame.t} ${rid}`,
    });
  }

  /** Like {@link command} but fails unless the answer is `ok`; returns its data. */
  async ok(frame: Record<string, unknown> & { t: string }): Promise<unknown> {
    const answer = await this.command(frame);
    if (answer.t !== 'ok') throw new Error(`${frame.t} was refused: ${short(answer)}`);
    return answer.data;
  }

  /** Sends a message frame without waiting. */
  post(sessionId: string, text: string, options: SendOptions = {}): string {
    const cmid = options.cmid ?? newCmid();
    this.sendJson({ t: 'send', cmid, sessionId, kind: options.kind ?? 'text', text, ...(options.quote !== undefined ? { quote: { messageId: options.quote } } : {}) });
    return cmid;
  }

  /** Sends a message and resolves with its `ack` or `nack` (matched by cmid). */
  async send(sessionId: string, text: string, options: SendOptions = {}): Promise<AckFrame | NackFrame> {
    const from = this.mark();
    const cmid = this.post(sessionId, text, options);
    return this.waitFor(answerTo(cmid), { from, label: `ack/nack for cmid ${cmid}` });
  }

  /** Like {@link send} but fails unless acked. */
  async sendOk(sessionId: string, text: string, options: SendOptions = {}): Promise<AckFrame> {
    const answer = await this.send(sessionId, text, options);
    if (answer.t !== 'ack') throw new Error(`send was refused: ${short(answer)}`);
    return answer;
  }

  /**
   * Round trip: everything the server wrote to this socket before answering has arrived
   * once the `pong` is here.
   */
  async sync(): Promise<void> {
    const n = Math.floor(Math.random() * 1e9);
    const from = this.mark();
    this.sendJson({ t: 'ping', n });
    await this.waitFor((f): f is ServerFrame => f.t === 'pong' && f.n === n, { from, label: `pong ${String(n)}` });
  }

  /** Closes the socket and waits for the close to complete. */
  async close(): Promise<void> {
    if (this.closeInfo) return;
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'test done');
    try {
      await withTimeout(this.closed, 2000, () => 'close timed out');
    } catch {
      this.ws.terminate();
      await this.closed;
    }
  }
}

/** Closes every client the helpers opened that is still open. */
export async function closeAllClients(): Promise<void> {
  await Promise.all([...openClients].map((c) => c.close()));
}

// ---- HTTP API ----------------------------------------------------------------------------------

export interface HttpResult {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface StartedChat {
  sessionId: string;
  token: string;
}

/** The calls a client makes to one server, over real HTTP and WebSockets. */
export class Api {
  /** Access tokens of demo logins, by `tenant/agentId` (one login per agent and Api). */
  private readonly tokens = new Map<string, string>();
  /** Sockets opened through this Api. */
  readonly clients = new Set<TestClient>();

  constructor(readonly baseUrl: string) {}

  get port(): number {
    return Number(new URL(this.baseUrl).port);
  }

  /** The server's own origin (always allowed). */
  get origin(): string {
    return `http://127.0.0.1:${String(this.port)}`;
  }

  async request(method: string, path: string, options: { json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  private async expectJson(method: string, path: string, options: Parameters<Api['request']>[2], status: number): Promise<Record<string, unknown>> {
    const r = await this.request(method, path, options);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${String(status)}, got ${String(r.status)} ${short(r.body)}`);
    return r.body as Record<string, unknown>;
  }

  /** Demo login: an agent access token. */
  async login(agentId: string, tenant = 'demo'): Promise<string> {
    const body = await this.expectJson('POST', '/api/demo/login', { json: { tenant, agentId } }, 200);
    const token = body.token as string;
    this.tokens.set(`${tenant}/${agentId}`, token);
    return token;
  }

  /** The cached login of an agent, or a new one. */
  async token(agentId: string, tenant = 'demo'): Promise<string> {
    return this.tokens.get(`${tenant}/${agentId}`) ?? (await this.login(agentId, tenant));
  }

  /** A single-use connect ticket for an access token. */
  async ticket(token: string): Promise<string> {
    const body = await this.expectJson('POST', '/api/tickets', { headers: { authorization: `Bearer ${token}` } }, 200);
    return body.ticket as string;
  }

  /** A customer starts a chat. */
  async startChat(channelId: string, name: string, options: { tenant?: string; email?: string } = {}): Promise<StartedChat> {
    const body = await this.expectJson(
      'POST',
      '/api/chats',
      { json: { tenant: options.tenant ?? 'demo', channelId, name, ...(options.email ? { email: options.email } : {}) } },
      201,
    );
    return { sessionId: body.sessionId as string, token: body.token as string };
  }

  /** The WebSocket URL for a tenant and ticket. */
  wsUrl(tenant: string, ticket: string | undefined, clientId?: string): string {
    const q = new URLSearchParams();
    q.set('_pk', clientId ?? `tab-${Math.random().toString(36).slice(2, 12)}`);
    if (ticket !== undefined) q.set('token', ticket);
    return `ws://127.0.0.1:${String(this.port)}/parties/chat/${tenant}?${q.toString()}`;
  }

  /** Opens a socket with a ticket (no hello yet). */
  async open(tenant: string, ticket: string | undefined, options: { origin?: string; clientId?: string; label?: string } = {}): Promise<TestClient> {
    const client = await TestClient.open(this.wsUrl(tenant, ticket, options.clientId), {
      origin: options.origin ?? this.origin,
      label: options.label ?? 'client',
    });
    this.clients.add(client);
    return client;
  }

  /** An agent's console: login (cached), ticket, socket, hello → welcome. */
  async agent(agentId: string, options: { tenant?: string; resume?: HelloResume; clientId?: string } = {}): Promise<TestClient> {
    const tenant = options.tenant ?? 'demo';
    const ticket = await this.ticket(await this.token(agentId, tenant));
    const client = await this.open(tenant, ticket, { label: `agent ${agentId}`, ...(options.clientId ? { clientId: options.clientId } : {}) });
    await client.hello(options.resume);
    return client;
  }

  /** A customer's widget for a started chat: ticket, socket, hello → welcome. */
  async customer(chat: StartedChat, options: { tenant?: string; resume?: HelloResume } = {}): Promise<TestClient> {
    const ticket = await this.ticket(chat.token);
    const client = await this.open(options.tenant ?? 'demo', ticket, { label: `customer ${chat.sessionId}` });
    await client.hello(options.resume);
    return client;
  }

  /** Closes every socket opened through this Api. */
  async closeClients(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.close()));
  }

  /** Frames that did not match the server-frame schema, across all clients of this Api. */
  malformed(): { client: string; frame: unknown }[] {
    return [...this.clients].flatMap((c) => c.malformed.map((frame) => ({ client: c.label, frame })));
  }
}

// ---- chat scenarios ----------------------------------------------------------------------------

export interface ActiveChat {
  chat: StartedChat;
  sessionId: string;
  customer: TestClient;
  agent: TestClient;
  /** The agent's session snapshot after subscribing. */
  agentReset: SessionReset;
}

/**
 * A customer starts a chat in `channel`, `agentId` accepts it and subscribes as participant;
 * the customer's widget is connected (and subscribed to its session by hello).
 */
/** How a test sends a message: its cmid, kind, and the id of a message it quotes. */
export interface SendOptions {
  cmid?: string;
  kind?: 'text' | 'note' | 'whisper';
  quote?: string;
}

export async function openActiveChat(api: Api, options: { agentId?: string; channel?: string; name?: string; agent?: TestClient } = {}): Promise<ActiveChat> {
  const chat = await api.startChat(options.channel ?? 'support', options.name ?? 'Ada Customer');
  const customer = await api.customer(chat);
  await customer.waitFor(sessionResetOf(chat.sessionId), { label: 'customer session reset' });
  const agent = options.agent ?? (await api.agent(options.agentId ?? 'erik'));
  await agent.ok({ t: 'accept', sessionId: chat.sessionId });
  const from = agent.mark();
  await agent.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
  const agentReset = await agent.waitFor(sessionResetOf(chat.sessionId), { from, label: 'agent session reset' });
  return { chat, sessionId: chat.sessionId, customer, agent, agentReset };
}

/**
 * This client's board position: its (last) snapshot's seq or the end of its replay (`toSeq`),
 * then the seq of each board event after it (the position a client resumes from).
 */
export function boardPosition(client: TestClient): { epoch: string; seq: number } {
  let epoch = '';
  let seq = -1;
  for (const f of client.frames) {
    const replay = isWelcome(f) ? f.resume.find((r) => r.stream === 'board' && r.status === 'replay') : undefined;
    if (replay?.epoch !== undefined && replay.toSeq !== undefined) {
      epoch = replay.epoch;
      seq = replay.toSeq;
    } else if (isBoardReset(f)) {
      epoch = f.snapshot.epoch;
      seq = f.snapshot.seq;
    } else if (isBoardEvent(f) && f.epoch === epoch && f.seq > seq) {
      seq = f.seq;
    }
  }
  if (seq < 0) throw new Error(`no board position known\n${client.describe()}`);
  return { epoch, seq };
}

/**
 * Proves a client's board chain: after each snapshot (or from `start`, a resume position), every
 * board event's `prev` is the seq of the one before it (or the snapshot's / start's), and seqs
 * increase. Returns the board events in order.
 */
export function assertBoardChain(client: TestClient, start?: number): BoardEvent[] {
  let position = start;
  const events: BoardEvent[] = [];
  for (const f of client.frames) {
    if (isBoardReset(f)) position = f.snapshot.seq;
    else if (isBoardEvent(f)) {
      if (position === undefined) throw new Error(`${client.label}: board event before any snapshot or start\n${client.describe()}`);
      if (f.prev !== position || f.seq <= position) {
        throw new Error(`${client.label}: board event seq ${String(f.seq)} has prev ${String(f.prev)}, expected ${String(position)}\n${client.describe()}`);
      }
      position = f.seq;
      events.push(f);
    }
  }
  return events;
}

/**
 * Provisions through the server's own provisioning API (real HTTP, a tenant key): a channel of
 * the tenant (created if missing) and `count` agents who respond there. Returns the agents' ids
 * (what the demo sign-in takes).
 */
export async function provisionAgents(
  h: Pick<Harness, 'server' | 'api'>,
  options: { tenant?: string; channel: string; count: number; prefix?: string; maxConcurrentChats?: number },
): Promise<string[]> {
  const tenant = options.tenant ?? 'demo';
  const { key } = await h.server.provisioning.keys.create({ tenantId: tenant, name: `test ${options.channel}`, createdBy: 'test' });
  const auth = { authorization: `Bearer ${key}` };
  const channel = await h.api.request('PUT', `/api/provisioning/tenants/${tenant}/channels/${options.channel}`, { headers: auth, json: { name: options.channel } });
  if (channel.status !== 200 && channel.status !== 201) throw new Error(`channel ${options.channel}: ${String(channel.status)} ${short(channel.body)}`);
  const prefix = options.prefix ?? `${options.channel}-agent`;
  const agents = Array.from({ length: options.count }, (_, i) => ({
    externalId: `${prefix}-${String(i)}`,
    name: `${prefix} ${String(i)}`,
    ...(options.maxConcurrentChats !== undefined ? { maxConcurrentChats: options.maxConcurrentChats } : {}),
    channels: { [options.channel]: { respond: true, notifications: true, listen: false, manager: false } },
  }));
  const ids: string[] = [];
  for (let i = 0; i < agents.length; i += 1000) {
    const r = await h.api.request('PUT', `/api/provisioning/tenants/${tenant}/agents`, { headers: auth, json: { agents: agents.slice(i, i + 1000) } });
    if (r.status !== 200) throw new Error(`agents: ${String(r.status)} ${short(r.body)}`);
    ids.push(...(r.body as { agents: { id: string }[] }).agents.map((a) => a.id));
  }
  return ids;
}

// ---- in-process server -------------------------------------------------------------------------

export interface Harness {
  server: ChatServer;
  clock: TestClock;
  api: Api;
  dataDir: string;
  /** Closes every client, the server, and removes the data dir; fails on malformed server frames. */
  close(): Promise<void>;
}

/**
 * Starts the server in this process on a fresh temp data dir (or `dataDir`, kept on close when
 * `keepData`), with a {@link TestClock} (or the one given).
 */
export async function startServer(
  options: Partial<Omit<ChatServerOptions, 'dataDir' | 'clock'>> & { dataDir?: string; keepData?: boolean; clock?: TestClock } = {},
): Promise<Harness> {
  const { dataDir: givenDir, keepData = false, clock: givenClock, ...serverOptions } = options;
  const dataDir = givenDir ?? (await tempDir());
  const clock = givenClock ?? new TestClock();
  let server: ChatServer;
  try {
    server = await startChatServer({ port: 0, demo: true, edgeWorkers: EDGE_WORKERS, ...serverOptions, dataDir, clock });
  } catch (error) {
    if (!keepData) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const api = new Api(`http://127.0.0.1:${String(server.port)}`);
  let closing: Promise<void> | undefined;
  return {
    server,
    clock,
    api,
    dataDir,
    close() {
      closing ??= (async () => {
        try {
          await api.closeClients();
          await closeAllClients();
          await server.close();
        } finally {
          if (!keepData) await rm(dataDir, { recursive: true, force: true });
        }
        const bad = api.malformed();
        if (bad.length > 0) throw new Error(`server sent frames that do not match its own schema: ${short(bad.slice(0, 3), 1000)}`);
      })();
      return closing;
    },
  };
}

// ---- real server process -----------------------------------------------------------------------

export interface ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const runningProcesses = new Set<ServerProcess>();

/** This process's environment without what the test runner sets for its own children. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHAT_EDGE_WORKERS: String(EDGE_WORKERS) };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  delete env.CHAT_TOKEN_SECRET;
  return env;
}

/**
 * Spawns the server command (`node ${serverArgs(['--demo', '--data', DIR, '--port', N, '--quiet'])}`:
 * the run's bundle, else `--import tsx server/node/bin.ts`) and resolves once it printed its banner
 * and `/health` answers 200 (within 60 s by default: a start with edge processes under tsx compiles
 * the TypeScript twice, which took over 20 s on the shared 2-core machine).
 */
export async function spawnServer(options: { port: number; dataDir: string; timeoutMs?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    serverArgs(['--demo', '--data', options.dataDir, '--port', String(options.port), '--quiet']),
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...childEnv(), ...(options.env ?? {}) } },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const banner = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Health:')) resolve();
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    void exited.then(({ code, signal }) => {
      reject(new Error(`server exited before it was ready (code ${String(code)}, signal ${String(signal)})\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  const url = `http://127.0.0.1:${String(options.port)}`;
  const handle: ServerProcess = {
    port: options.port,
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await withTimeout(exited, 10_000, () => `server did not exit after ${signal}`);
      runningProcesses.delete(handle);
      return { ...result, stdout: out, stderr: err };
    },
  };
  runningProcesses.add(handle);
  try {
    await withTimeout(banner, options.timeoutMs ?? 60_000, () => `server did not start\nstdout: ${out}\nstderr: ${err}`);
    const health = await fetch(`${url}/health`);
    const body = (await health.json()) as { status?: string };
    if (health.status !== 200 || body.status !== 'ok') throw new Error(`/health answered ${String(health.status)}`);
  } catch (error) {
    await handle.stop('SIGKILL');
    throw error;
  }
  return handle;
}

/** Kills every spawned server that is still running (for `after` hooks). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...runningProcesses].map((p) => p.stop('SIGKILL')));
}

/** This session's summary in the client's board snapshot (its welcome). */
export function snapshotRow(client: TestClient, sessionId: string): SessionSummary | undefined {
  return client.frames.find(isBoardReset)?.snapshot.sessions.find((x) => x.id === sessionId);
}
