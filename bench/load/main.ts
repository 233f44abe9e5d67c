/**
 * `npm run bench:load`: the contact-center load benchmark of issue 12 (loopback only, bounded
 * in count and time). Results: bench/results/load.json; figures in docs/benchmarks.md.
 *
 * Scenario A: one tenant, 200 agents in the Support channel each handling 9 chats, 1,800
 * customers, all connected and in active chats. First one stop-and-wait step (each customer
 * waits for the ack of its previous message, like the client outbox), then the open-loop
 * ladder 1k, 2k, 5k, 10k, 20k customer messages/s, 10 s each.
 * Echo: a bare `ws` echo server with 2,000 sockets at the same rates, the same generator.
 * Scenario B: 1,000 agents and 9,000 customers connected at once, 1 message per customer per
 * 10 s (900 msg/s) for 30 s.
 *
 *   npm run bench:load -- [--scenario all|a|echo|b] [--rates 1000,2000,...] [--step-seconds 10]
 *                         [--agents 200] [--chats-per-agent 9] [--children 2] [--echo-sockets 2000]
 *                         [--saw-rate 10000 | --no-saw] [--grace-ms 5000] [--drain-seconds 60]
 *                         [--repeat 1] [--no-stop]
 *                         [--b-agents 1000] [--b-seconds 30] [--b-children 4] [--setup-only]
 *                         [--cpu-prof [--profile-phase steps|setup]] [--final] [--out bench/results/load.json]
 *                         [--edge-workers 0,1]
 *                         [--host node|cloudflare]
 *
 * `--host cloudflare` runs the server scenarios against the Cloudflare host under `wrangler dev`
 * (bench/load/wrangler.ts; results in bench/results/load-cloudflare.json unless `--out`): for
 * correctness under load (nothing lost or doubled), not speed; docs/scaling.md § 8.
 *
 * `--edge-workers 0,1` runs Scenario A once per value in every repeat, the Node server started with
 * that many edge processes (`--edge-workers N`; 0: one process), so the process models are
 * compared in the same run; the edges' CPU is reported beside the primary's.
 *
 * `--cpu-prof` starts the server with `node --cpu-prof` (profile in bench/.out/) and prints the
 * functions with the most self time, over the steps or (`--profile-phase setup`) over each setup
 * phase apart (customers start chats; agents connect, accept and subscribe; customers connect).
 * `--b-agents 300` scales Scenario B down (300 agents, 2,700 customers) and `--setup-only` stops
 * after the setup, for a profile of it that is quick to take. Figures are marked preliminary
 * unless `--final` (taken when the machine is otherwise quiet).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { runEchoScenario, runServerScenario, type ScenarioOptions, type ScenarioReport, type StepSpec } from './harness.js';
import { machine } from './proc.js';
import { formatProfile } from './profile-summary.js';
import { summarise, table } from './report.js';
import { item, positive, ROOT } from './util.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    rates: { type: 'string', default: '1000,2000,5000,10000,20000' },
    'step-seconds': { type: 'string', default: '10' },
    agents: { type: 'string', default: '200' },
    'chats-per-agent': { type: 'string', default: '9' },
    children: { type: 'string', default: '2' },
    'echo-sockets': { type: 'string', default: '2000' },
    'saw-rate': { type: 'string' },
    'no-saw': { type: 'boolean', default: false },
    'grace-ms': { type: 'string', default: '5000' },
    'drain-seconds': { type: 'string', default: '60' },
    repeat: { type: 'string', default: '1' },
    'no-stop': { type: 'boolean', default: false },
    'b-agents': { type: 'string', default: '1000' },
    'b-seconds': { type: 'string', default: '30' },
    'b-children': { type: 'string', default: '4' },
    'cpu-prof': { type: 'boolean', default: false },
    'profile-phase': { type: 'string', default: 'steps' },
    'setup-only': { type: 'boolean', default: false },
    final: { type: 'boolean', default: false },
    out: { type: 'string' },
    host: { type: 'string', default: 'node' },
    'edge-workers': { type: 'string', default: '0' },
  },
});
if (values.host !== 'node' && values.host !== 'cloudflare') {
  console.error(`bench:load: --host must be node or cloudflare, not "${values.host}"`);
  process.exit(2);
}
const host: 'node' | 'cloudflare' = values.host;
const outFile = values.out ?? join(ROOT, host === 'cloudflare' ? 'bench/results/load-cloudflare.json' : 'bench/results/load.json');
if (host === 'cloudflare' && values['cpu-prof']) {
  console.error('bench:load: --cpu-prof profiles the Node host only');
  process.exit(2);
}

if (values['profile-phase'] !== 'steps' && values['profile-phase'] !== 'setup') {
  console.error(`bench:load: --profile-phase must be steps or setup, not "${values['profile-phase']}"`);
  process.exit(2);
}
const setupOnly = values['setup-only'];
const profiling: Pick<ScenarioOptions, 'cpuProfDir' | 'profilePhase'> = values['cpu-prof']
  ? { cpuProfDir: join(ROOT, 'bench/.out'), profilePhase: values['profile-phase'] === 'setup' ? 'setup' : 'steps' }
  : {};

const num = (name: keyof typeof values): number => positive('bench:load', name, values[name]);
const scenarios = new Set(values.scenario === 'all' ? ['a', 'echo', 'b'] : values.scenario.split(','));
const rates = values.rates.split(',').map(Number);
if (rates.some((r) => !Number.isFinite(r) || r <= 0)) {
  console.error(`bench:load: --rates must be positive numbers, not "${values.rates}"`);
  process.exit(2);
}
const edgeCounts = values['edge-workers'].split(',').map(Number);
if (edgeCounts.some((n) => !Number.isSafeInteger(n) || n < 0) || (host === 'cloudflare' && edgeCounts.some((n) => n > 0))) {
  console.error(`bench:load: --edge-workers must be whole numbers ≥ 0 (Node host only), not "${values['edge-workers']}"`);
  process.exit(2);
}
/** The key of Scenario A's report with `n` edge processes: `a` alone, `a+1e` … when compared. */
const aKey = (n: number): string => (edgeCounts.length === 1 && n === 0 ? 'a' : `a+${String(n)}e`);
const stepMs = num('step-seconds') * 1000;
const repeat = num('repeat');
const log = (line: string) => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/** Raised so that nothing but the server's real capacity limits the figures (see docs). */
const limits = { chatStartsPerMinute: 1_000_000, framesPerMinute: 1_000_000, connectionsPerTenant: 20_000 };

const base = {
  graceMs: num('grace-ms'),
  drainMs: num('drain-seconds') * 1000,
  stopOnSaturation: !values['no-stop'],
  provisioner: 'api',
  limits,
  stopGraceMs: values['cpu-prof'] ? 120_000 : 10_000,
  host,
  log,
};

const openSteps: StepSpec[] = rates.map((rate) => ({ label: String(rate), mode: 'open', rate, durationMs: stepMs }));
// Stop-and-wait at the target rate (10k msg/s: 5.6 per customer) or the highest one asked for.
const sawRate = values['saw-rate'] !== undefined ? num('saw-rate') : rates.includes(10_000) ? 10_000 : Math.max(...rates);
const aOptions: ScenarioOptions = {
  ...base,
  name: 'A',
  agents: num('agents'),
  chatsPerAgent: num('chats-per-agent'),
  children: num('children'),
  steps: setupOnly ? [] : [...(values['no-saw'] ? [] : [{ label: `saw-${String(sawRate)}`, mode: 'saw' as const, rate: sawRate, durationMs: stepMs }]), ...openSteps],
  ...profiling,
};
const bAgents = num('b-agents');
const bCustomers = bAgents * num('chats-per-agent');
const bOptions: ScenarioOptions = {
  ...base,
  name: 'B',
  agents: bAgents,
  chatsPerAgent: num('chats-per-agent'),
  children: num('b-children'),
  // 1 message per customer per 10 s.
  steps: setupOnly ? [] : [{ label: String(bCustomers / 10), mode: 'open', rate: bCustomers / 10, durationMs: num('b-seconds') * 1000 }],
  ...profiling,
};

const env = machine();
const note =
  `The machine has ${String(env.cores)} cores; the server, the echo server and the load generator processes share them ` +
  '(the generator also parses every frame it receives), so every figure here is a lower bound of what the server alone could do.';
log(`machine: ${String(env.cpu)}, ${String(env.cores)} cores, ${String(env.memoryGiB)} GiB, ${String(env.os)}, Node ${String(env.node)}, load ${String(env.loadAverage1m)}`);
log(note);

const runs: Record<string, ScenarioReport | undefined>[] = [];
for (let i = 0; i < repeat; i += 1) {
  if (repeat > 1) log(`== run ${String(i + 1)} of ${String(repeat)}`);
  const run: (typeof runs)[number] = {};
  for (const n of scenarios.has('a') ? edgeCounts : []) {
    if (edgeCounts.length > 1) log(`== Scenario A with ${String(n)} edge process(es)`);
    run[aKey(n)] = await runServerScenario({ ...aOptions, name: n === 0 ? 'A' : `A, ${String(n)} edge(s)`, edgeWorkers: n });
  }
  if (scenarios.has('echo')) run.echo = await runEchoScenario({ ...base, name: 'echo', agents: 0, chatsPerAgent: 0, children: aOptions.children, steps: openSteps, sockets: num('echo-sockets') });
  if (scenarios.has('b')) run.b = await runServerScenario(bOptions);
  runs.push(run);
}

const pick = (k: string) => runs.map((r) => r[k]).filter((r): r is ScenarioReport => r !== undefined);
const aKeys = scenarios.has('a') ? edgeCounts.map(aKey) : [];
const summary: Record<string, ReturnType<typeof summarise>> = {
  ...Object.fromEntries(aKeys.map((k) => [k, summarise(pick(k), pick('echo'))])),
  echo: summarise(pick('echo')),
  b: summarise(pick('b')),
};
const skippedOf = (k: string) => [
  ...new Set(pick(k).flatMap((r) => [...r.skipped.map((s) => `${s.label}: ${s.reason}`), ...(r.blocked ? [`blocked: ${r.blocked}`] : [])])),
];

const preliminary = !values.final;
const result = {
  benchmark: 'load',
  machine: env,
  preliminary,
  note,
  options: { host, edgeWorkers: edgeCounts, rates, stepSeconds: stepMs / 1000, repeat, graceMs: base.graceMs, sawRate, a: { agents: aOptions.agents, chatsPerAgent: aOptions.chatsPerAgent, children: aOptions.children }, echoSockets: num('echo-sockets'), b: { agents: bAgents, customers: bCustomers, seconds: num('b-seconds'), children: bOptions.children } },
  summary,
  runs,
};
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');

const tag = preliminary ? ' — PRELIMINARY (machine shared)' : '';
const out: string[] = [`machine: ${String(env.cpu)}, ${String(env.cores)} cores${env.virtualized ? ' (virtualized)' : ''}, ${String(env.memoryGiB)} GiB, ${String(env.os)}, Node ${String(env.node)}`, note, ''];
if (repeat > 1) out.push(`${String(repeat)} runs: median (worst)`);
for (const [i, k] of aKeys.entries()) {
  const edges = edgeCounts.length > 1 || item(edgeCounts, i) > 0 ? `, ${String(item(edgeCounts, i))} edge process(es)` : '';
  const rows = summary[k] ?? [];
  if (rows.length || pick(k).length) out.push(table(`Scenario A${host === 'cloudflare' ? ' on the Cloudflare host (wrangler dev)' : ''}${edges}: ${String(aOptions.agents)} agents, ${String(aOptions.agents * aOptions.chatsPerAgent)} customers${tag}`, rows, skippedOf(k)), '');
}
if (summary.echo?.length) out.push(table(`Echo baseline: bare ws, ${values['echo-sockets']} sockets${tag}`, summary.echo, skippedOf('echo')), '');
if (summary.b?.length || pick('b').length) out.push(table(`Scenario B: ${String(bAgents)} agents, ${String(bCustomers)} customers, 1 msg per customer per 10 s${tag}`, summary.b ?? [], skippedOf('b')), '');
for (const r of [...aKeys.flatMap((k) => pick(k)), ...pick('b')]) {
  const c = r.conversationObjects;
  if (c)
    out.push(
      `Scenario ${r.name}, conversation objects after the steps${tag}: ${String(c.objects)} objects, ${String(c.messages)} messages (${String(c.textMessages)} text); ` +
        `missing ${String(c.missing)}, doubled ${String(c.doubled)}, extra ${String(c.extra)}, out of order ${String(c.outOfOrder)}; outbox empty after ${String(c.outboxDrainMs)} ms; ` +
        `${String(c.outbox.batches)} batches to conversation objects carried ${String(c.outbox.calls)} of the directory's calls, ${String(c.outbox.failed)} failed`,
      '',
    );
}
for (const r of [...aKeys.flatMap((k) => pick(k)), ...pick('b')]) {
  if (r.profile) out.push(`${r.name}: ${formatProfile(r.profile)}\n  (${r.profile.file})`);
  for (const [phase, p] of Object.entries(r.setupProfiles ?? {})) out.push(`${r.name}, setup phase ${phase} (${String(Number(r.setup[`${phase}Ms`]))} ms): ${formatProfile(p)}\n  (${p.file})`);
}
for (const r of [...aKeys.flatMap((k) => pick(k)), ...pick('b')]) {
  const phases = ['chats', 'agents', 'customers'].filter((k) => r.setup[`${k}Ms`] !== undefined);
  if (phases.length)
    out.push(
      `Scenario ${r.name} setup${tag}: ${phases.map((k) => `${k} ${String(Number(r.setup[`${k}Ms`]))} ms (server CPU ${String(Number(r.setup[`${k}ServerCpuMs`]))} ms)`).join(', ')}; ` +
        `load average at the start ${String(env.loadAverage1m)}, now ${String(Math.round((loadavg()[0] ?? NaN) * 100) / 100)}`,
    );
}
out.push(`results: ${outFile}`);
console.log(out.join('\n'));
