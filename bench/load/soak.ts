/**
 * `npm run bench:soak`: Scenario A's tenant (200 agents, 1,800 customers in active chats) under a
 * steady open-loop load for 10 minutes at half of the measured capacity (issue 12 item 8). The
 * server's RSS and open file descriptors (/proc/<pid>/fd) are sampled every few seconds; the
 * report gives start, end, maximum and the slope (least squares, per minute), and the latency
 * and loss of every minute. Results: bench/results/soak.json.
 *
 *   npm run bench:soak -- [--minutes 10] [--rate N] [--sample-seconds 5] [--agents 200]
 *                         [--chats-per-agent 9] [--children 2] [--final] [--out bench/results/soak.json]
 *
 * Without `--rate`, the capacity is read from bench/results/load.json (run `npm run bench:load`
 * first): the highest acknowledged rate (median over its runs) of Scenario A's open-loop steps.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { runServerScenario } from './harness.js';
import { machine, type ProcSample } from './proc.js';
import type { StepSummary } from './report.js';
import { positive, ROOT } from './util.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string' },
    'sample-seconds': { type: 'string', default: '5' },
    agents: { type: 'string', default: '200' },
    'chats-per-agent': { type: 'string', default: '9' },
    children: { type: 'string', default: '2' },
    'grace-ms': { type: 'string', default: '5000' },
    final: { type: 'boolean', default: false },
    load: { type: 'string', default: join(ROOT, 'bench/results/load.json') },
    out: { type: 'string', default: join(ROOT, 'bench/results/soak.json') },
  },
});
const num = (name: keyof typeof values): number => positive('bench:soak', name, values[name]);
const log = (line: string) => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

function capacityFromLoad(file: string): { capacity: number; from: string } {
  if (!existsSync(file)) {
    console.error(`bench:soak: no ${file}: run \`npm run bench:load\` first, or give --rate`);
    process.exit(2);
  }
  const load = JSON.parse(readFileSync(file, 'utf8')) as { summary: Record<string, StepSummary[] | undefined>; machine: { date: string } };
  // Scenario A in one process (`a`, or `a+0e` in a run that compared edge processes).
  const open = (load.summary.a ?? load.summary['a+0e'] ?? []).filter((s) => s.mode === 'open');
  const best = open.reduce<StepSummary | undefined>((a, s) => (!a || s.ackedPerSecond.median > a.ackedPerSecond.median ? s : a), undefined);
  if (!best) {
    console.error(`bench:soak: ${file} has no open-loop step of Scenario A; give --rate`);
    process.exit(2);
  }
  return { capacity: best.ackedPerSecond.median, from: `${file} of ${load.machine.date}: Scenario A, highest acknowledged rate ${String(best.ackedPerSecond.median)}/s (step offered ${String(best.offered)}/s)` };
}

/** Least-squares slope of `y` over time, per minute. */
function slopePerMinute(samples: ProcSample[], y: (s: ProcSample) => number): number {
  const pts = samples.map((s) => [(s.at - (samples[0]?.at ?? 0)) / 60_000, y(s)] as const).filter(([, v]) => Number.isFinite(v));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, v]) => a + v, 0) / pts.length;
  const num = pts.reduce((a, [x, v]) => a + (x - mx) * (v - my), 0);
  const den = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

function trend(samples: ProcSample[], y: (s: ProcSample) => number, digits: number) {
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const vals = samples.map(y);
  const half = samples.filter((s) => s.at >= (samples[0]?.at ?? 0) + ((samples.at(-1)?.at ?? 0) - (samples[0]?.at ?? 0)) / 2);
  return {
    start: r(vals[0] ?? NaN),
    end: r(vals.at(-1) ?? NaN),
    max: r(Math.max(...vals)),
    slopePerMinute: r(slopePerMinute(samples, y)),
    slopePerMinuteSecondHalf: r(slopePerMinute(half, y)),
  };
}

const minutes = num('minutes');
const { capacity, from } = values.rate !== undefined ? { capacity: num('rate') * 2, from: `--rate ${values.rate} (given)` } : capacityFromLoad(values.load);
const rate = Math.max(1, Math.round(capacity / 2));
const env = machine();
log(`soak: ${String(minutes)} min at ${String(rate)} msg/s (half of ${String(capacity)}/s: ${from})`);

const report = await runServerScenario({
  name: 'soak',
  agents: num('agents'),
  chatsPerAgent: num('chats-per-agent'),
  children: num('children'),
  steps: [{ label: `soak-${String(rate)}`, mode: 'open', rate, durationMs: minutes * 60_000, windowMs: 60_000 }],
  graceMs: num('grace-ms'),
  stopOnSaturation: false,
  provisioner: 'api',
  limits: { chatStartsPerMinute: 1_000_000, framesPerMinute: 1_000_000, connectionsPerTenant: 20_000 },
  stopGraceMs: 10_000,
  sampleEveryMs: num('sample-seconds') * 1000,
  log,
});
const step = report.steps[0];
const during = step ? (report.samples ?? []).filter((s) => s.at >= step.startAt && s.at <= step.endAt) : [];
const result = {
  benchmark: 'soak',
  machine: env,
  preliminary: !values.final,
  rate,
  capacity,
  capacityFrom: from,
  minutes,
  setup: report.setup,
  ...(report.blocked ? { blocked: report.blocked } : {}),
  rssMiB: trend(during, (s) => s.rssMiB, 1),
  fds: trend(during, (s) => s.fds, 2),
  step,
  stop: report.stop,
  samples: during.map((s) => ({ t: Math.round((s.at - (during[0]?.at ?? 0)) / 1000), rssMiB: Math.round(s.rssMiB * 10) / 10, fds: s.fds, cpuSeconds: s.cpuSeconds })),
};
mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');

const lines = [
  `machine: ${String(env.cpu)}, ${String(env.cores)} cores, ${String(env.memoryGiB)} GiB, ${String(env.os)}, Node ${String(env.node)}${values.final ? '' : ' — PRELIMINARY (machine shared)'}`,
  `soak: ${String(minutes)} min at ${String(rate)} msg/s open loop (half of ${String(capacity)}/s), ${String(report.setup.agents)} agents, ${String(report.setup.customers)} customers`,
  `server RSS MiB: start ${String(result.rssMiB.start)}, end ${String(result.rssMiB.end)}, max ${String(result.rssMiB.max)}, slope ${String(result.rssMiB.slopePerMinute)}/min (second half ${String(result.rssMiB.slopePerMinuteSecondHalf)}/min)`,
  `server open fds: start ${String(result.fds.start)}, end ${String(result.fds.end)}, max ${String(result.fds.max)}, slope ${String(result.fds.slopePerMinute)}/min`,
];
if (step) {
  lines.push(
    `total: ${String(step.acked)} of ${String(step.scheduled)} acked, lost ${String(step.lost + step.unsent)}, duplicated ${String(step.duplicated)}, undelivered ${String(step.undelivered)}, server CPU ${String(step.serverCpuPercent)} %`,
    'minute  acked  ack p50/p99 ms  delivery p50/p99 ms  lost',
  );
  for (const w of step.windows ?? []) {
    lines.push(
      `${String(w.index + 1).padStart(6)}  ${String(w.acked).padStart(5)}  ${`${String(w.ackMs.p50)}/${String(w.ackMs.p99)}`.padStart(14)}  ${`${String(w.deliveryMs?.p50)}/${String(w.deliveryMs?.p99)}`.padStart(19)}  ${String(w.lost).padStart(4)}`,
    );
  }
}
if (report.blocked) lines.push(`blocked: ${report.blocked}`);
lines.push(`results: ${values.out}`);
console.log(lines.join('\n'));
