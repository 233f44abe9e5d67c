/**
 * The load benchmark's parent: starts the chat server (a child process on a fresh data
 * directory), provisions the tenant (bench/load/provision.ts), forks the generator children,
 * sets every client up, runs the steps, samples the server's CPU and RSS from /proc, and merges
 * the children's counts and histograms. The same generator then measures the echo baseline.
 *
 * Used by `npm run bench:load` (bench/load/main.ts), `npm run bench:soak` (bench/load/soak.ts)
 * and, in a tiny size, by the test suite (test/server/load-bench.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Histogram } from './histogram.js';
import type { StepPlan, StepResult } from './ipc.js';
import { MAX_CONNECTIONS_PER_TENANT } from '../../src/protocol/limits.js';
import { forkGenerator, LIMIT_FLAGS, limitArgs, profileOf, startEchoServer, startServer, type Generator, type ServerChild, type ServerLimits } from './processes.js';
import { cpuPercent, ProcWatcher, sample, type ProcSample } from './proc.js';
import { provisioner as provisionerNamed, setTenantLimits, type TenantPlan } from './provision.js';
import { summariseProfile, type ProfileSummary } from './profile-summary.js';
import { item } from './util.js';
import type { ConversationObjectsCheck } from './wrangler.js';
import { checkConversationObjects, startCloudflareServer } from './wrangler.js';

export interface StepSpec {
  label: string;
  mode: 'open' | 'saw';
  /** Offered messages per second, for the whole tenant. */
  rate: number;
  durationMs: number;
  /** Reporting windows inside the step (the soak: a minute); default one for the whole step. */
  windowMs?: number;
}

export interface ScenarioOptions {
  name: string;
  agents: number;
  chatsPerAgent: number;
  steps: StepSpec[];
  /** Generator child processes (sockets are split over them; each owns whole agents). */
  children: number;
  graceMs: number;
  /**
   * After a step that left messages unanswered, how long to wait for the server to answer them
   * (its backlog) before the next step; a server that does not drain ends the run.
   */
  drainMs?: number;
  /** Skip the open-loop steps above the first saturated one (bounded runs on a slow server). */
  stopOnSaturation: boolean;
  provisioner: string;
  limits: ServerLimits;
  /** Directory for `--cpu-prof`; the server is then profiled and the profile summarised. */
  cpuProfDir?: string;
  /**
   * What the profile summary covers: the steps (default), or each setup phase apart (chats,
   * agents, customers: where a slow setup spends its time).
   */
  profilePhase?: 'steps' | 'setup';
  /** Edge processes of the Node server (`--edge-workers N`); 0 or unset: one process. */
  edgeWorkers?: number;
  /** How long the server may take to stop after SIGTERM before it is killed. */
  stopGraceMs: number;
  /**
   * `cloudflare`: the server is the Cloudflare host under `wrangler dev` (bench/load/wrangler.ts),
   * the limits set as the tenant's own through provisioning; CPU and RSS are workerd's. Default `node`.
   */
  host?: 'node' | 'cloudflare';
  /** Server RSS and fds sampled this often (the soak's slope). */
  sampleEveryMs?: number;
  log: (line: string) => void;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export interface StepReport {
  label: string;
  /** Epoch ms of the first scheduled send and of the end of the schedule. */
  startAt: number;
  endAt: number;
  /** The same moments on the monotonic clock, in µs (to cut a CPU profile to the steps). */
  monoStartUs: number;
  monoEndUs: number;
  mode: 'open' | 'saw';
  offered: number;
  durationS: number;
  scheduled: number;
  sent: number;
  acked: number;
  /** Acknowledged messages per second: acks / max(step duration, first send → last ack). */
  ackedPerSecond: number;
  ackMs: Latency;
  deliveryMs: Latency | undefined;
  /** Messages delivered to their agent (first event per cmid). */
  delivered: number;
  lost: number;
  unsent: number;
  undelivered: number;
  duplicated: number;
  seqRegressions: number;
  refused: Record<string, number>;
  retries: number;
  late: number;
  closes: Record<string, number>;
  /** Frames received by all agents per acknowledged message (fan-out), by kind. */
  agentFramesPerMessage?: { board: number; session: number; other: number };
  /** CPU of the server's (primary) process, % of one core. */
  serverCpuPercent: number;
  /** CPU of its edge processes together (`--edge-workers`), % of one core; NaN without edges. */
  edgeCpuPercent: number;
  edgeRssMiB: number;
  serverRssMiB: { start: number; end: number; max: number };
  serverFds: { start: number; end: number; max: number };
  generatorCpuPercent: number;
  saturated: string | undefined;
  /** Waiting for the step's unanswered messages afterwards: how long, and how many were still unanswered. */
  drain?: { waitedMs: number; pending: number };
  windows?: { index: number; scheduled: number; acked: number; lost: number; ackMs: Latency; deliveryMs: Latency | undefined }[];
}

export interface ScenarioReport {
  name: string;
  target: 'server' | 'echo';
  setup: Record<string, unknown>;
  steps: StepReport[];
  skipped: { label: string; reason: string }[];
  stop?: { exitedAfterMs: number; killed: boolean; code: number | null };
  samples?: ProcSample[];
  profile?: ProfileSummary & { file: string };
  /** `profilePhase: 'setup'`: the profile of each setup phase. */
  setupProfiles?: Record<string, ProfileSummary & { file: string }>;
  blocked?: string;
  /** Cloudflare host: the conversation objects against the tenant object after the steps. */
  conversationObjects?: ConversationObjectsCheck;
}

const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

function latency(h: Histogram): Latency {
  return { p50: round(h.percentileMs(50), 2), p99: round(h.percentileMs(99), 2), max: round(h.maxUs / 1000, 2), count: h.count };
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Splits `total` over parts in proportion to their weights (the rounding rests on the last). */
function shares(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total * w) / sum);
}

/** Why a step counts as saturated (the ladder stops there), or undefined. */
function saturation(s: StepReport, graceMs: number): string | undefined {
  if (s.lost + s.unsent > 0) return `${String(s.lost + s.unsent)} messages not acknowledged within ${String(graceMs)} ms after the step`;
  if (s.ackedPerSecond < 0.9 * s.offered) return `acknowledged ${String(s.ackedPerSecond)}/s of ${String(s.offered)}/s offered`;
  if (s.ackMs.p99 > 1000) return `ack p99 ${String(s.ackMs.p99)} ms`;
  return undefined;
}

async function runStep(
  gens: Generator[],
  weights: number[],
  watcher: ProcWatcher,
  spec: StepSpec,
  stepNo: number,
  graceMs: number,
  expectDelivery: boolean,
): Promise<StepReport> {
  const monoNowUs = Number(process.hrtime.bigint() / 1000n);
  const startAt = Date.now() + 500; // time for the plan to reach every child
  const endAt = startAt + spec.durationMs;
  const monoStartUs = monoNowUs + 500_000;
  const windowMs = spec.windowMs ?? spec.durationMs;
  let cpuStart: ProcSample | undefined;
  let cpuEnd: ProcSample | undefined;
  const t1 = setTimeout(() => (cpuStart = watcher.take()), startAt - Date.now());
  const t2 = setTimeout(() => (cpuEnd = watcher.take()), endAt - Date.now());
  const rates = shares(spec.rate, weights);
  const results = await Promise.all(
    gens.map((g, i) => {
      const plan: StepPlan = { step: stepNo, mode: spec.mode, rate: item(rates, i), startAt, durationMs: spec.durationMs, graceMs, windowMs };
      return g.call<StepResult>({ type: 'step', plan });
    }),
  );
  clearTimeout(t1);
  clearTimeout(t2);
  const last = watcher.take();
  const during = watcher.between(startAt, Date.now());
  const ack = new Histogram();
  const delivery = new Histogram();
  const sum = (f: (r: StepResult) => number) => results.reduce((a, r) => a + f(r), 0);
  for (const r of results) {
    ack.merge(r.ack);
    delivery.merge(r.delivery);
  }
  const refused: Record<string, number> = {};
  const closes: Record<string, number> = {};
  for (const r of results) {
    addCounts(refused, r.refused);
    addCounts(closes, r.closes);
  }
  const firstSent = Math.min(...results.map((r) => r.firstSentAt || Infinity));
  const lastAck = Math.max(...results.map((r) => r.lastAckAt));
  const acked = sum((r) => r.acked);
  const spanS = Math.max(spec.durationMs / 1000, Number.isFinite(firstSent) ? (lastAck - firstSent) / 1000 : 0);
  const windowCount = results[0]?.windows.length ?? 0;
  const windows =
    windowCount > 1
      ? Array.from({ length: windowCount }, (_, w) => {
          const a = new Histogram();
          const d = new Histogram();
          const ws = results.map((r) => item(r.windows, w));
          for (const x of ws) {
            a.merge(x.ack);
            d.merge(x.delivery);
          }
          return {
            index: w,
            scheduled: ws.reduce((n, x) => n + x.scheduled, 0),
            acked: ws.reduce((n, x) => n + x.acked, 0),
            lost: ws.reduce((n, x) => n + x.lost, 0),
            ackMs: latency(a),
            deliveryMs: expectDelivery ? latency(d) : undefined,
          };
        })
      : undefined;
  const rss = during.map((s) => s.rssMiB);
  const fds = during.map((s) => s.fds);
  const report: StepReport = {
    label: spec.label,
    startAt,
    endAt,
    monoStartUs,
    monoEndUs: monoStartUs + spec.durationMs * 1000,
    mode: spec.mode,
    offered: spec.rate,
    durationS: spec.durationMs / 1000,
    scheduled: sum((r) => r.scheduled),
    sent: sum((r) => r.sent),
    acked,
    ackedPerSecond: Math.round(acked / spanS),
    ackMs: latency(ack),
    deliveryMs: expectDelivery ? latency(delivery) : undefined,
    delivered: sum((r) => r.delivered),
    lost: sum((r) => r.lost),
    unsent: sum((r) => r.unsent),
    undelivered: sum((r) => r.undelivered),
    duplicated: sum((r) => r.duplicateAcks + r.duplicateDeliveries),
    seqRegressions: sum((r) => r.seqRegressions),
    refused,
    retries: sum((r) => r.retries),
    late: sum((r) => r.late),
    closes,
    ...(expectDelivery && acked > 0
      ? {
          agentFramesPerMessage: {
            board: round(sum((r) => r.frames.agentBoard) / acked),
            session: round(sum((r) => r.frames.agentSession) / acked),
            other: round(sum((r) => r.frames.agentOther) / acked),
          },
        }
      : {}),
    serverCpuPercent: cpuStart && cpuEnd ? Math.round(cpuPercent(cpuStart, cpuEnd)) : NaN,
    edgeCpuPercent: cpuStart && cpuEnd && watcher.children.length > 0 ? Math.round(cpuPercent(cpuStart, cpuEnd, true)) : NaN,
    edgeRssMiB: round(last?.childRssMiB ?? NaN),
    serverRssMiB: { start: round(cpuStart?.rssMiB ?? NaN), end: round(last?.rssMiB ?? NaN), max: round(Math.max(...rss)) },
    serverFds: { start: cpuStart?.fds ?? NaN, end: last?.fds ?? NaN, max: Math.max(...fds) },
    generatorCpuPercent: Math.round((sum((r) => r.cpuSeconds) / (spec.durationMs / 1000)) * 100),
    saturated: undefined,
    ...(windows ? { windows } : {}),
  };
  report.saturated = saturation(report, graceMs);
  return report;
}

/** Runs a step list against connected generators, stopping the open-loop ladder at saturation. */
async function runSteps(
  gens: Generator[],
  weights: number[],
  watcher: ProcWatcher,
  options: ScenarioOptions,
  expectDelivery: boolean,
  target: string,
): Promise<{ steps: StepReport[]; skipped: { label: string; reason: string }[] }> {
  const steps: StepReport[] = [];
  const skipped: { label: string; reason: string }[] = [];
  let saturatedAt: string | undefined;
  let wedged: string | undefined;
  for (const [i, spec] of options.steps.entries()) {
    if (wedged !== undefined) {
      skipped.push({ label: spec.label, reason: `not run: ${wedged}` });
      continue;
    }
    if (saturatedAt !== undefined && spec.mode === 'open') {
      skipped.push({ label: spec.label, reason: `not run: ${saturatedAt} saturated` });
      continue;
    }
    options.log(`${target}: step ${spec.label} (${spec.mode === 'open' ? 'open loop' : 'stop-and-wait'}, ${String(spec.rate)} msg/s for ${String(spec.durationMs / 1000)} s)`);
    const report = await runStep(gens, weights, watcher, spec, i + 1, options.graceMs, expectDelivery);
    steps.push(report);
    options.log(
      `${target}:   acked ${String(report.ackedPerSecond)}/s, ack p50/p99 ${String(report.ackMs.p50)}/${String(report.ackMs.p99)} ms` +
        (report.deliveryMs ? `, delivery p50/p99 ${String(report.deliveryMs.p50)}/${String(report.deliveryMs.p99)} ms` : '') +
        `, lost ${String(report.lost + report.unsent)}, dup ${String(report.duplicated)}, CPU ${String(report.serverCpuPercent)} %${Number.isNaN(report.edgeCpuPercent) ? '' : ` + edges ${String(report.edgeCpuPercent)} %`}, RSS ${String(report.serverRssMiB.max)} MiB` +
        (report.saturated ? ` — saturated (${report.saturated})` : ''),
    );
    if (report.saturated && spec.mode === 'open' && options.stopOnSaturation) saturatedAt = spec.label;
    if (report.lost > 0) {
      // The server still owes answers: let it work them off, so the next step measures only itself.
      const drainMs = options.drainMs ?? 60_000;
      const drained = await Promise.all(gens.map((g) => g.call<{ pending: number; waitedMs: number }>({ type: 'drain', timeoutMs: drainMs })));
      report.drain = { waitedMs: Math.max(...drained.map((d) => d.waitedMs)), pending: drained.reduce((n, d) => n + d.pending, 0) };
      options.log(`${target}:   drained ${String(report.lost - report.drain.pending)} of ${String(report.lost)} late answers in ${String(report.drain.waitedMs)} ms`);
      if (report.drain.pending > 0) wedged = `the server had not answered ${String(report.drain.pending)} messages of step ${spec.label} ${String(drainMs / 1000)} s after it`;
    }
  }
  return { steps, skipped };
}

/** The chat server scenario: tenant, clients in active chats, then the steps. */
export async function runServerScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const log = options.log;
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-load-'));
  const prov = provisionerNamed(options.provisioner);
  const plan: TenantPlan = { tenant: 'load', channelId: 'support', channelName: 'Support', agents: options.agents, chatsPerAgent: options.chatsPerAgent };
  const limits = limitArgs(options.limits);
  const setup: Record<string, unknown> = {
    provisioning: prov.describe,
    agents: options.agents,
    customers: options.agents * options.chatsPerAgent,
    chatsPerAgent: options.chatsPerAgent,
    channel: plan.channelName,
    generatorProcesses: options.children,
    limitsApplied: limits.applied,
    ...(limits.unsupported.length ? { limitsNotSupportedByServer: limits.unsupported } : {}),
  };
  const gens: Generator[] = [];
  let server: ServerChild | undefined;
  let watcher: ProcWatcher | undefined;
  const report: ScenarioReport = { name: options.name, target: 'server', setup, steps: [], skipped: [] };
  /** Each setup phase on the monotonic clock, in µs (to cut a CPU profile to it). */
  const phaseWindows: Record<string, { fromUs: number; toUs: number }> = {};
  const connections = options.agents * (1 + options.chatsPerAgent);
  if (connections > MAX_CONNECTIONS_PER_TENANT && !(LIMIT_FLAGS.connectionsPerTenant in limits.applied)) {
    // Known before any setup: the server would refuse the connections above its cap (4429).
    report.blocked =
      `${String(connections)} connections needed, but the server caps a tenant at MAX_CONNECTIONS_PER_TENANT = ${String(MAX_CONNECTIONS_PER_TENANT)} ` +
      `(src/protocol/limits.ts) and has no ${LIMIT_FLAGS.connectionsPerTenant} option yet (issue 12 item 5)`;
    options.log(`${options.name}: blocked: ${report.blocked}`);
    rmSync(dataDir, { recursive: true, force: true });
    return report;
  }
  try {
    let prepared: string;
    if (options.host === 'cloudflare') {
      const cf = await startCloudflareServer(dataDir);
      server = cf;
      prepared = cf.operatorKey;
      setup.host = 'cloudflare (wrangler dev): the tenant object runs the room, one conversation object per chat holds its stream (outbox)';
    } else {
      prepared = prov.prepare(dataDir, plan);
      // Always given: the server command's own default is `auto` (1 edge on 2 cores), and a run must say what it measured.
      const edges = ['--edge-workers', String(options.edgeWorkers ?? 0)];
      server = await startServer({ dataDir, extraArgs: [...prov.serverArgs, ...limits.args, ...edges], ...(options.cpuProfDir ? { cpuProfDir: options.cpuProfDir } : {}) });
    }
    const t0 = Date.now();
    const agentIds = await prov.afterStart(server.url, plan, prepared);
    if (options.host === 'cloudflare') {
      setup.provisioning = 'the operator key is the CHAT_OPERATOR_KEY var of wrangler dev (DEMO=1); then the provisioning API as on Node, and the limits as the tenant\'s own (PATCH settings.limits)';
      delete setup.limitsApplied;
      setup.tenantLimits = await setTenantLimits(server.url, prepared, plan.tenant, { ...options.limits });
    }
    setup.provisionMs = Date.now() - t0;
    setup.serverArgs = server.args.map((a) => (a === dataDir ? '<temp dir>' : a));
    watcher = new ProcWatcher(server.pid, options.sampleEveryMs ?? 250, (options.edgeWorkers ?? 0) > 0);
    if (watcher.children.length > 0) setup.edgeProcesses = watcher.children.length;
    log(`server: pid ${String(server.pid)} at ${server.url}; ${String(options.agents)} agents × ${String(options.chatsPerAgent)} chats over ${String(options.children)} generator processes`);

    // Each child owns whole agents with all their customers.
    const owned: string[][] = Array.from({ length: options.children }, (_, c) => agentIds.filter((_id, i) => i % options.children === c));
    const runTag = Math.random().toString(36).slice(2, 7);
    for (const [c, agents] of owned.entries()) {
      if (agents.length === 0) continue;
      const g = forkGenerator();
      gens.push(g);
      await g.call({
        type: 'target',
        child: c,
        runTag,
        target: { kind: 'server', baseUrl: server.url, tenant: plan.tenant, channelId: plan.channelId, provisioner: options.provisioner, agents, chatsPerAgent: options.chatsPerAgent },
      });
    }
    const weights = owned.filter((a) => a.length > 0).map((a) => a.length);
    const pid = server.pid;
    const cpuSeconds = () => sample(pid)?.cpuSeconds ?? NaN;
    const phase = async (type: 'chats' | 'agents' | 'customers') => {
      const t0 = Date.now();
      const cpu0 = cpuSeconds();
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      await Promise.all(gens.map((g) => g.call({ type })));
      phaseWindows[type] = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
      const ms = Date.now() - t0;
      const cpuMs = Math.round((cpuSeconds() - cpu0) * 1000);
      setup[`${type}Ms`] = ms;
      setup[`${type}ServerCpuMs`] = cpuMs;
      log(`setup: ${type} done in ${String(ms)} ms, server CPU ${String(cpuMs)} ms (RSS ${String(Math.round(sample(pid)?.rssMiB ?? NaN))} MiB)`);
    };
    try {
      await phase('chats');
      await phase('agents');
      await phase('customers');
    } catch (error) {
      report.blocked = error instanceof Error ? error.message : String(error);
      log(`setup failed: ${report.blocked}`);
      if (options.host === 'cloudflare') log(`wrangler dev said:\n${server.output().slice(-3000)}`);
      return report;
    }
    const { steps, skipped } = await runSteps(gens, weights, watcher, options, true, 'server');
    report.steps = steps;
    report.skipped = skipped;
    if (options.host === 'cloudflare') {
      const c = (report.conversationObjects = await checkConversationObjects(server.url, prepared, plan.tenant));
      log(
        `conversation objects: ${String(c.objects)} objects, ${String(c.messages)} messages (${String(c.textMessages)} text); ` +
          `missing ${String(c.missing)}, doubled ${String(c.doubled)}, extra ${String(c.extra)}, out of order ${String(c.outOfOrder)}; ` +
          `outbox empty after ${String(c.outboxDrainMs)} ms (left ${String(c.outboxLeft)}); ` +
          `it sent ${String(c.outbox.batches)} batches with ${String(c.outbox.calls)} of the directory's calls in ${String(c.outbox.rounds)} rounds, ${String(c.outbox.failed)} failed`,
      );
    }
    return report;
  } finally {
    await Promise.all(gens.map((g) => g.close()));
    if (server) {
      report.stop = await server.stop(options.stopGraceMs);
      log(`server: stopped ${report.stop.killed ? `by SIGKILL (SIGTERM ignored for ${String(options.stopGraceMs)} ms)` : `by SIGTERM in ${String(report.stop.exitedAfterMs)} ms`}`);
    }
    if (watcher) {
      watcher.stop();
      if (options.sampleEveryMs !== undefined) report.samples = watcher.samples;
    }
    if (options.cpuProfDir) {
      const file = server ? profileOf(options.cpuProfDir, server.pid) : undefined;
      const first = report.steps[0];
      const last = report.steps.at(-1);
      // The steps only, not the setup before them.
      const window = first && last ? { fromUs: first.monoStartUs, toUs: last.monoEndUs } : undefined;
      if (!file || report.stop?.killed) log('profile: none written (the server did not exit by itself)');
      else if (options.profilePhase === 'setup') {
        report.setupProfiles = Object.fromEntries(Object.entries(phaseWindows).map(([k, w]) => [k, { file, ...summariseProfile(file, 20, w) }]));
      } else report.profile = { file, ...summariseProfile(file, 20, window) };
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The echo baseline: the same generator against a bare `ws` echo server. */
export async function runEchoScenario(options: ScenarioOptions & { sockets: number }): Promise<ScenarioReport> {
  const echo = await startEchoServer();
  const gens: Generator[] = [];
  const watcher = new ProcWatcher(echo.pid, options.sampleEveryMs ?? 250);
  const report: ScenarioReport = { name: options.name, target: 'echo', setup: { sockets: options.sockets, generatorProcesses: options.children }, steps: [], skipped: [] };
  try {
    const counts = Array.from({ length: options.children }, (_, c) => Math.floor(((c + 1) * options.sockets) / options.children) - Math.floor((c * options.sockets) / options.children));
    const runTag = Math.random().toString(36).slice(2, 7);
    await Promise.all(
      counts.map(async (sockets, c) => {
        const g = forkGenerator();
        gens.push(g);
        await g.call({ type: 'target', child: c, runTag, target: { kind: 'echo', url: echo.url, sockets } });
      }),
    );
    options.log(`echo: pid ${String(echo.pid)}, ${String(options.sockets)} sockets`);
    const { steps, skipped } = await runSteps(gens, counts, watcher, options, false, 'echo');
    report.steps = steps;
    report.skipped = skipped;
    return report;
  } finally {
    await Promise.all(gens.map((g) => g.close()));
    watcher.stop();
    await echo.stop(5000);
  }
}
