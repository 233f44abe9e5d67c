/**
 * A load generator child process (forked by bench/load/harness.ts). It owns a slice of the
 * clients: some agents with all of their customers (so a message's sender and its receiving
 * agent live in the same process), or some sockets of the echo baseline. It opens them, then
 * runs the steps it is told to run and answers with counts and histograms.
 *
 * Sends are scheduled by the clock: message i of a step is due at `startAt + i / rate`, and its
 * latencies are measured from that due time, not from when it was written, so a generator or
 * server that falls behind shows as latency instead of hiding it (coordinated omission).
 *
 * Every message carries a unique cmid and its due time in its text (`load <epoch ms>`), so the
 * receiving agent computes send→delivery from the message alone.
 */
import { performance } from 'node:perf_hooks';

import WebSocket from 'ws';

import { PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import { Histogram } from './histogram.js';
import type { Command, EchoTarget, Reply, ServerTarget, StepCounts, StepPlan, StepResult } from './ipc.js';
import { provisioner as provisionerNamed, ticketFor, type Provisioner } from './provision.js';
import { item, pool } from './util.js';

/** Epoch milliseconds with sub-millisecond resolution (comparable across processes on one machine). */
const now = (): number => performance.timeOrigin + performance.now();

const CONNECT_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

interface Sender {
  /** Session id in `send` frames (echo sockets use a made-up one). */
  sessionId: string;
  ws: WebSocket | undefined;
  /** Stop-and-wait: the message in flight, and the due ones waiting behind it. */
  inFlight: Msg | undefined;
  backlog: Msg[];
}

interface Customer extends Sender {
  token: string;
  agent: Agent;
}

interface Agent {
  id: string;
  ws: WebSocket | undefined;
  customers: Customer[];
}

interface Win {
  scheduled: number;
  acked: number;
  delivered: number;
  lost: number;
  ack: Histogram;
  delivery: Histogram;
}

interface Msg {
  at: number;
  sender: Sender;
  cmid: string;
  frame: string;
  window: Win;
  sent: boolean;
  acks: number;
  deliveries: number;
  refused: string | undefined;
}

let child = 0;
let runTag = '';
let target: ServerTarget | EchoTarget | undefined;
let prov: Provisioner | undefined;
const agents: Agent[] = [];
const customers: Customer[] = [];
const echoSockets: Sender[] = [];

// ---- the step in progress (one at a time) ------------------------------------------------------

interface Running {
  plan: StepPlan;
  msgs: Msg[];
  counts: StepCounts;
  ack: Histogram;
  delivery: Histogram;
  windows: Win[];
  firstSentAt: number;
  lastAckAt: number;
  lastDeliveryAt: number;
}
let running: Running | undefined;
const cmidPrefix = (step: number): string => `ld${runTag}-${String(child)}-${String(step)}-`;

function emptyCounts(): StepCounts {
  return {
    scheduled: 0,
    sent: 0,
    unsent: 0,
    acked: 0,
    refused: {},
    retries: 0,
    lost: 0,
    delivered: 0,
    undelivered: 0,
    duplicateAcks: 0,
    duplicateDeliveries: 0,
    seqRegressions: 0,
    late: 0,
    closes: {},
    frames: { agentBoard: 0, agentSession: 0, agentOther: 0, customer: 0 },
  };
}
/** Counts kept between steps too (setup frames, closes), reported with the next step. */
let idle = emptyCounts();
const counts = (): StepCounts => running?.counts ?? idle;

/**
 * The last finished step, while some of its messages are still unanswered (the server's
 * backlog): `drain` waits for them before the next step, so a step never measures the last one's.
 */
let previous: { prefix: string; msgs: Msg[]; pending: number; onSettled: (() => void) | undefined } | undefined;

/** The message of the running step a cmid names, or undefined (and counted late) for an older one. */
function msgOf(cmid: string): Msg | undefined {
  const r = running;
  if (r) {
    const prefix = cmidPrefix(r.plan.step);
    if (cmid.startsWith(prefix)) return r.msgs[Number(cmid.slice(prefix.length))];
  }
  if (cmid.startsWith(`ld${runTag}-`)) counts().late += 1;
  return undefined;
}

/** An ack or refusal of a message of the previous step, arriving after its report. */
function settledLate(cmid: string): void {
  const p = previous;
  if (!p?.pending || !cmid.startsWith(p.prefix)) return;
  const msg = p.msgs[Number(cmid.slice(p.prefix.length))];
  if (!msg || msg.acks > 0 || msg.refused !== undefined) return;
  msg.acks += 1;
  p.pending -= 1;
  if (p.pending === 0) p.onSettled?.();
}

/**
 * A retryable refusal of a message of the previous step (the step ended while it waited): sent
 * again after the server's hint, as the client outbox does, so that `drain` sees its answer.
 */
function retryLate(cmid: string, retryAfterMs: number | undefined): void {
  const p = previous;
  if (!p?.pending || !cmid.startsWith(p.prefix)) return;
  const msg = p.msgs[Number(cmid.slice(p.prefix.length))];
  if (!msg || msg.acks > 0 || msg.refused !== undefined) return;
  setTimeout(
    () => {
      if (msg.acks === 0 && previous === p) write(msg);
    },
    (retryAfterMs ?? 1000) * (1 + Math.random() * 0.5),
  );
}

/** Resolves when the previous step's messages are all answered, or after `timeoutMs`. */
function drain(timeoutMs: number): Promise<{ pending: number; waitedMs: number }> {
  const t0 = now();
  const p = previous;
  if (!p || p.pending === 0) return Promise.resolve({ pending: 0, waitedMs: 0 });
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      p.onSettled = undefined;
      resolve({ pending: p.pending, waitedMs: Math.round(now() - t0) });
    };
    const timer = setTimeout(done, timeoutMs);
    p.onSettled = done;
  });
}

function write(msg: Msg): void {
  const ws = msg.sender.ws;
  if (ws?.readyState !== WebSocket.OPEN) return;
  ws.send(msg.frame);
  if (!msg.sent) {
    msg.sent = true;
    const r = running;
    if (r) {
      r.counts.sent += 1;
      if (r.firstSentAt === 0) r.firstSentAt = now();
    }
  }
}

/** Due: open loop writes at once; stop-and-wait writes when the sender has nothing in flight. */
function dispatch(r: Running, msg: Msg): void {
  if (r.plan.mode === 'saw') {
    if (msg.sender.inFlight) {
      msg.sender.backlog.push(msg);
      return;
    }
    msg.sender.inFlight = msg;
  }
  write(msg);
}

/** Stop-and-wait: the sender's message is answered; the next due one goes out. */
function release(sender: Sender, msg: Msg): void {
  if (running?.plan.mode !== 'saw' || sender.inFlight !== msg) return;
  sender.inFlight = sender.backlog.shift();
  if (sender.inFlight) write(sender.inFlight);
}

function onAck(cmid: string): void {
  const msg = msgOf(cmid);
  const r = running;
  if (!msg || !r) {
    settledLate(cmid);
    return;
  }
  msg.acks += 1;
  if (msg.acks > 1) {
    r.counts.duplicateAcks += 1;
    return;
  }
  const t = now();
  r.counts.acked += 1;
  r.lastAckAt = t;
  r.ack.recordMs(t - msg.at);
  msg.window.acked += 1;
  msg.window.ack.recordMs(t - msg.at);
  release(msg.sender, msg);
}

function onNack(cmid: string, code: string, retryable: boolean, retryAfterMs: number | undefined): void {
  const msg = msgOf(cmid);
  const r = running;
  if (!msg || !r) {
    if (!retryable) settledLate(cmid);
    else retryLate(cmid, retryAfterMs);
    return;
  }
  if (msg.acks > 0) return;
  if (retryable) {
    // As the client outbox does: the same cmid again after the server's hint, with jitter.
    r.counts.retries += 1;
    setTimeout(
      () => {
        // The step may have ended meanwhile: its messages still get their retry (drain waits).
        if (msg.acks === 0 && (running === r || (previous !== undefined && msg.cmid.startsWith(previous.prefix)))) write(msg);
      },
      (retryAfterMs ?? 1000) * (1 + Math.random() * 0.5),
    );
    return;
  }
  if (msg.refused === undefined) {
    msg.refused = code;
    r.counts.refused[code] = (r.counts.refused[code] ?? 0) + 1;
    release(msg.sender, msg);
  }
}

function onDelivery(cmid: string, text: string): void {
  const msg = msgOf(cmid);
  const r = running;
  if (!msg || !r) return;
  msg.deliveries += 1;
  if (msg.deliveries > 1) {
    r.counts.duplicateDeliveries += 1;
    return;
  }
  // The due time travels in the message: the receiver needs nothing else to time it.
  const sentAt = Number(text.slice(5));
  const t = now();
  r.counts.delivered += 1;
  r.lastDeliveryAt = t;
  r.delivery.recordMs(t - sentAt);
  msg.window.delivered += 1;
  msg.window.delivery.recordMs(t - sentAt);
}

// ---- sockets -----------------------------------------------------------------------------------

const pendingCommands = new Map<string, { resolve: (f: Record<string, unknown>) => void }>();
let ridCounter = 0;

function text(data: WebSocket.RawData): string {
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
}

/** Per socket and stream, the last `seq` seen: a repeat or a step back is counted. */
function checkSeq(last: Map<string, number>, stream: string, seq: number): void {
  const prev = last.get(stream);
  if (prev !== undefined && seq <= prev) counts().seqRegressions += 1;
  last.set(stream, Math.max(seq, prev ?? 0));
}

function onAgentFrame(seqs: Map<string, number>, raw: string): void {
  const c = counts();
  // Board events are the bulk of an agent's frames on today's server: count them without parsing.
  if (raw.startsWith('{"t":"event","stream":"board"')) {
    c.frames.agentBoard += 1;
    return;
  }
  if (raw.startsWith('{"t":"event","stream":"session:')) {
    c.frames.agentSession += 1;
    const f = JSON.parse(raw) as { stream: string; seq: number; kind: string; data?: { cmid?: string; text?: string } };
    checkSeq(seqs, f.stream, f.seq);
    if (f.kind === 'message' && f.data?.cmid !== undefined) onDelivery(f.data.cmid, f.data.text ?? '');
    return;
  }
  c.frames.agentOther += 1;
  if (raw.startsWith('{"t":"ok"') || raw.startsWith('{"t":"nack"')) {
    const f = JSON.parse(raw) as { rid?: string };
    if (f.rid !== undefined) pendingCommands.get(f.rid)?.resolve(f);
  }
}

/**
 * The cmid of an `ack` (or of an echoed `send`) without parsing the whole frame: both put
 * `"cmid":"…"` first after `t`, and cmids are `[\w-]` only (no escapes).
 */
function cmidIn(raw: string): string | undefined {
  const at = raw.indexOf('"cmid":"');
  if (at < 0) return undefined;
  const end = raw.indexOf('"', at + 8);
  return end < 0 ? undefined : raw.slice(at + 8, end);
}

function onCustomerFrame(seqs: Map<string, number>, raw: string): void {
  counts().frames.customer += 1;
  if (raw.startsWith('{"t":"ack"')) {
    const cmid = cmidIn(raw);
    if (cmid !== undefined) onAck(cmid);
  } else if (raw.startsWith('{"t":"nack"')) {
    const f = JSON.parse(raw) as { cmid?: string; code: string; retryable: boolean; retryAfterMs?: number };
    if (f.cmid !== undefined) onNack(f.cmid, f.code, f.retryable, f.retryAfterMs);
  } else if (raw.startsWith('{"t":"event","stream":"session:')) {
    const f = JSON.parse(raw) as { stream: string; seq: number };
    checkSeq(seqs, f.stream, f.seq);
  }
}

function onEchoFrame(raw: string): void {
  counts().frames.customer += 1;
  const cmid = cmidIn(raw);
  if (cmid !== undefined) onAck(cmid);
}

/**
 * Opens a socket; for the chat server also says hello and resolves at `welcome`. Rejects with the
 * server's close code and reason when it refuses.
 */
function open(url: string, origin: string, hello: boolean, onFrame: (raw: string) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, { origin, perMessageDeflate: false, maxPayload: 512 * 2 ** 20 });
  return new Promise<WebSocket>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      reject(new Error(`no ${hello ? 'welcome' : 'open'} within ${String(CONNECT_TIMEOUT_MS)} ms`));
      ws.terminate();
    }, CONNECT_TIMEOUT_MS);
    const done = () => {
      ready = true;
      clearTimeout(timer);
      resolve(ws);
    };
    ws.on('open', () => {
      if (hello) ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
      else done();
    });
    ws.on('message', (data) => {
      const raw = text(data);
      if (!ready && raw.startsWith('{"t":"welcome"')) done();
      else if (!ready && raw.startsWith('{"t":"error"')) reject(new Error(`refused: ${raw.slice(0, 200)}`));
      onFrame(raw);
    });
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: HTTP ${String(res.statusCode)}`));
      ws.terminate();
    });
    ws.on('error', (error) => {
      if (!ready) {
        clearTimeout(timer);
        reject(error);
      }
    });
    ws.on('close', (code, reason) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`closed before welcome: ${String(code)} ${reason.toString()}`));
        return;
      }
      const c = counts();
      c.closes[String(code)] = (c.closes[String(code)] ?? 0) + 1;
    });
  });
}

function command(agent: Agent, frame: Record<string, unknown>): Promise<Record<string, unknown>> {
  ridCounter += 1;
  const rid = `r${String(ridCounter)}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pendingCommands.delete(rid);
      reject(new Error(`${String(frame.t)} of ${agent.id}: no answer within ${String(COMMAND_TIMEOUT_MS)} ms`));
    }, COMMAND_TIMEOUT_MS);
    pendingCommands.set(rid, {
      resolve: (f) => {
        clearTimeout(timer);
        pendingCommands.delete(rid);
        resolve(f);
      },
    });
    agent.ws?.send(JSON.stringify({ ...frame, rid }));
  });
}

function serverTarget(): ServerTarget {
  if (target?.kind !== 'server') throw new Error('not a chat server target');
  return target;
}

function provisioning(): Provisioner {
  if (!prov) throw new Error('no provisioner: the target was not set');
  return prov;
}

function wsUrl(baseUrl: string, tenant: string, ticket: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/parties/chat/${tenant}?token=${encodeURIComponent(ticket)}`;
}

// ---- setup phases ------------------------------------------------------------------------------

/** Customers start their chats (HTTP), nothing connected yet: no fan-out while the queue fills. */
async function startChats(): Promise<unknown> {
  const t = serverTarget();
  const p = provisioning();
  for (const id of t.agents) agents.push({ id, ws: undefined, customers: [] });
  const jobs = agents.flatMap((agent) => Array.from({ length: t.chatsPerAgent }, (_, k) => ({ agent, k })));
  await pool(jobs, 8, async ({ agent, k }) => {
    // The agent's board tells whether a start whose answer wrangler dev's proxy lost took place.
    const chat = await p.startChat(t.baseUrl, t.tenant, t.channelId, `Customer ${agent.id}-${String(k)}`, agent.id);
    const customer: Customer = { sessionId: chat.sessionId, token: chat.token, agent, ws: undefined, inFlight: undefined, backlog: [] };
    agent.customers.push(customer);
    customers.push(customer);
  });
  return { chats: customers.length };
}

/** Agents connect, answer their chats (`accept`) and subscribe to them as participants. */
async function connectAgents(): Promise<unknown> {
  const t = serverTarget();
  const p = provisioning();
  const origin = t.baseUrl;
  await pool(agents, 4, async (agent) => {
    const token = await p.agentToken(t.baseUrl, t.tenant, agent.id);
    const seqs = new Map<string, number>();
    agent.ws = await open(wsUrl(t.baseUrl, t.tenant, await ticketFor(t.baseUrl, token)), origin, true, (raw) => {
      onAgentFrame(seqs, raw);
    });
    for (const c of agent.customers) {
      const accepted = await command(agent, { t: 'accept', sessionId: c.sessionId });
      if (accepted.t !== 'ok') throw new Error(`accept by ${agent.id}: ${JSON.stringify(accepted).slice(0, 200)}`);
      const subscribed = await command(agent, { t: 'subscribe', sessionId: c.sessionId, mode: 'participant' });
      if (subscribed.t !== 'ok') throw new Error(`subscribe by ${agent.id}: ${JSON.stringify(subscribed).slice(0, 200)}`);
    }
  });
  return { agents: agents.length };
}

/** Customers connect to their (now active) chats. */
async function connectCustomers(): Promise<unknown> {
  const t = serverTarget();
  await pool(customers, 16, async (c) => {
    const seqs = new Map<string, number>();
    c.ws = await open(wsUrl(t.baseUrl, t.tenant, await ticketFor(t.baseUrl, c.token)), t.baseUrl, true, (raw) => {
      onCustomerFrame(seqs, raw);
    });
  });
  return { customers: customers.length };
}

async function connectEcho(t: EchoTarget): Promise<unknown> {
  const slots = Array.from({ length: t.sockets }, (_, i) => i);
  const origin = t.url.replace(/^ws/, 'http');
  await pool(slots, 32, async (i) => {
    const s: Sender = { sessionId: `echo-${String(child)}-${String(i)}`, ws: undefined, inFlight: undefined, backlog: [] };
    s.ws = await open(t.url, origin, false, onEchoFrame);
    echoSockets.push(s);
  });
  return { sockets: echoSockets.length };
}

// ---- a step ------------------------------------------------------------------------------------

function runStep(plan: StepPlan): Promise<StepResult> {
  const senders: Sender[] = target?.kind === 'echo' ? echoSockets : customers;
  if (senders.length === 0) throw new Error('no clients connected');
  const n = Math.round((plan.rate * plan.durationMs) / 1000);
  const interval = 1000 / plan.rate;
  const windowCount = Math.max(1, Math.ceil(plan.durationMs / plan.windowMs));
  const prefix = cmidPrefix(plan.step);
  const windows: Win[] = Array.from({ length: windowCount }, () => ({ scheduled: 0, acked: 0, delivered: 0, lost: 0, ack: new Histogram(), delivery: new Histogram() }));
  const msgs: Msg[] = [];
  for (let i = 0; i < n; i += 1) {
    const at = plan.startAt + i * interval;
    const sender = item(senders, i % senders.length);
    const cmid = `${prefix}${String(i)}`;
    const frame = JSON.stringify({ t: 'send', cmid, sessionId: sender.sessionId, kind: 'text', text: `load ${at.toFixed(3)}` });
    const window = item(windows, Math.min(windowCount - 1, Math.floor((at - plan.startAt) / plan.windowMs)));
    window.scheduled += 1;
    msgs.push({ at, sender, cmid, frame, window, sent: false, acks: 0, deliveries: 0, refused: undefined });
  }
  for (const s of senders) {
    s.inFlight = undefined;
    s.backlog = [];
  }
  const r: Running = {
    plan,
    msgs,
    counts: { ...emptyCounts(), scheduled: n },
    ack: new Histogram(),
    delivery: new Histogram(),
    windows,
    firstSentAt: 0,
    lastAckAt: 0,
    lastDeliveryAt: 0,
  };
  // Frames and closes between steps (setup, drain of the previous step) are not this step's.
  idle = emptyCounts();
  running = r;

  const expectDelivery = target?.kind === 'server';
  const endAt = plan.startAt + plan.durationMs;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuSeconds = NaN;
  setTimeout(() => (cpuAtStart = process.cpuUsage()), Math.max(0, plan.startAt - now()));
  setTimeout(() => {
    const d = process.cpuUsage(cpuAtStart);
    cpuSeconds = (d.user + d.system) / 1e6;
  }, Math.max(0, endAt - now()));

  return new Promise<StepResult>((resolve) => {
    let next = 0;
    const tick = () => {
      const t = now();
      for (let m = msgs[next]; m !== undefined && m.at <= t; m = msgs[next]) {
        dispatch(r, m);
        next += 1;
      }
      const upcoming = msgs[next];
      if (upcoming) setTimeout(tick, Math.max(0, upcoming.at - now()));
    };
    setTimeout(tick, Math.max(0, plan.startAt - now()));

    const refused = () => Object.values(r.counts.refused).reduce((x, y) => x + y, 0);
    const allSettled = () => r.counts.acked + refused() >= n && (!expectDelivery || r.counts.delivered >= r.counts.acked);
    const check = setInterval(() => {
      const t = now();
      if (next < n || t < endAt) return;
      if (t < endAt + plan.graceMs && !allSettled()) return;
      clearInterval(check);
      running = undefined;
      previous = { prefix, msgs, pending: 0, onSettled: undefined };
      for (const m of msgs) {
        if (!m.sent) r.counts.unsent += 1;
        else if (m.acks === 0 && m.refused === undefined) {
          r.counts.lost += 1;
          m.window.lost += 1;
          previous.pending += 1;
        }
        if (expectDelivery && m.acks > 0 && m.deliveries === 0) r.counts.undelivered += 1;
      }
      resolve({
        ...r.counts,
        ack: r.ack.toJSON(),
        delivery: r.delivery.toJSON(),
        windows: r.windows.map((w) => ({ ...w, ack: w.ack.toJSON(), delivery: w.delivery.toJSON() })),
        firstSentAt: r.firstSentAt,
        lastAckAt: r.lastAckAt,
        lastDeliveryAt: r.lastDeliveryAt,
        cpuSeconds,
      });
    }, 50);
  });
}

// ---- commands from the parent ------------------------------------------------------------------

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.type) {
    case 'target':
      target = cmd.target;
      child = cmd.child;
      runTag = cmd.runTag;
      if (target.kind === 'server') {
        prov = provisionerNamed(target.provisioner);
        return undefined;
      }
      return connectEcho(target);
    case 'chats':
      return startChats();
    case 'agents':
      return connectAgents();
    case 'customers':
      return connectCustomers();
    case 'step':
      return runStep(cmd.plan);
    case 'drain':
      return drain(cmd.timeoutMs);
    case 'close': {
      const all = [...agents.map((a) => a.ws), ...customers.map((c) => c.ws), ...echoSockets.map((s) => s.ws)];
      for (const ws of all) ws?.terminate();
      setImmediate(() => process.exit(0));
      return undefined;
    }
  }
}

process.on('message', (cmd: Command) => {
  handle(cmd).then(
    (data) => {
      const reply: Reply = { id: cmd.id, ok: true, data };
      process.send?.(reply);
    },
    (error: unknown) => {
      const reply: Reply = { id: cmd.id, ok: false, error: error instanceof Error ? error.message : String(error) };
      process.send?.(reply);
    },
  );
});
// The parent went away: stop, leaving no sockets behind.
process.on('disconnect', () => process.exit(0));
