/**
 * Medians and worst values over repeated runs, the server/echo ratio, and the text tables that
 * `npm run bench:load` prints.
 */
import type { ScenarioReport, StepReport } from './harness.js';
import { item } from './util.js';

export interface Spread {
  median: number;
  worst: number;
  runs: number[];
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? item(v, mid) : (item(v, mid - 1) + item(v, mid)) / 2;
}

/** `worst` is the largest value, or the smallest when `higherIsBetter`. */
function spread(values: number[], higherIsBetter = false): Spread {
  const finite = values.filter(Number.isFinite);
  const worst = finite.length === 0 ? NaN : higherIsBetter ? Math.min(...finite) : Math.max(...finite);
  return { median: Math.round(median(values) * 100) / 100, worst, runs: values };
}

export interface StepSummary {
  label: string;
  mode: 'open' | 'saw';
  offered: number;
  runs: number;
  ackedPerSecond: Spread;
  ackP50: Spread;
  ackP99: Spread;
  deliveryP50?: Spread;
  deliveryP99?: Spread;
  /** Sent and never acknowledged within the grace period. */
  lost: Spread;
  /** Never sent: the sender's socket was closed, or (stop-and-wait) still waiting at the end. */
  unsent: Spread;
  duplicated: Spread;
  undelivered: Spread;
  serverCpuPercent: Spread;
  /** The edge processes' CPU together (NaN without edges). */
  edgeCpuPercent: Spread;
  serverRssMaxMiB: Spread;
  /** Acked/s of the server divided by acked/s of the echo at the same offered rate. */
  ratioToEcho?: Spread;
  saturatedIn: number;
}

/** One summary per step label over the runs of a scenario (steps a run skipped are left out of it). */
export function summarise(runs: ScenarioReport[], echoRuns: ScenarioReport[] = []): StepSummary[] {
  const labels: StepReport[] = [];
  for (const r of runs) for (const s of r.steps) if (!labels.some((l) => l.label === s.label)) labels.push(s);
  return labels.map((first) => {
    const steps = runs.map((r) => r.steps.find((s) => s.label === first.label)).filter((s): s is StepReport => s !== undefined);
    const ratios = runs
      .map((r, i) => {
        const s = r.steps.find((x) => x.label === first.label);
        const e = echoRuns[i]?.steps.find((x) => x.mode === 'open' && x.offered === first.offered);
        return s && e && first.mode === 'open' && e.ackedPerSecond > 0 ? Math.round((s.ackedPerSecond / e.ackedPerSecond) * 1000) / 1000 : NaN;
      })
      .filter(Number.isFinite);
    const withDelivery = steps.every((s) => s.deliveryMs !== undefined);
    return {
      label: first.label,
      mode: first.mode,
      offered: first.offered,
      runs: steps.length,
      ackedPerSecond: spread(steps.map((s) => s.ackedPerSecond), true),
      ackP50: spread(steps.map((s) => s.ackMs.p50)),
      ackP99: spread(steps.map((s) => s.ackMs.p99)),
      ...(withDelivery
        ? { deliveryP50: spread(steps.map((s) => s.deliveryMs?.p50 ?? NaN)), deliveryP99: spread(steps.map((s) => s.deliveryMs?.p99 ?? NaN)) }
        : {}),
      lost: spread(steps.map((s) => s.lost)),
      unsent: spread(steps.map((s) => s.unsent)),
      duplicated: spread(steps.map((s) => s.duplicated)),
      undelivered: spread(steps.map((s) => s.undelivered)),
      serverCpuPercent: spread(steps.map((s) => s.serverCpuPercent)),
      edgeCpuPercent: spread(steps.map((s) => s.edgeCpuPercent)),
      serverRssMaxMiB: spread(steps.map((s) => s.serverRssMiB.max)),
      ...(ratios.length ? { ratioToEcho: spread(ratios, true) } : {}),
      saturatedIn: steps.filter((s) => s.saturated).length,
    };
  });
}

const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
/** "median (worst)" when there are several runs. */
const mw = (s: Spread | undefined, digits = 0): string => (s === undefined ? '–' : s.runs.length > 1 ? `${fmt(s.median, digits)} (${fmt(s.worst, digits)})` : fmt(s.median, digits));
const ms = (s: Spread | undefined): string => (s === undefined ? '–' : mw(s, s.median < 10 ? 1 : 0));

/** A text table of a scenario's summary. */
export function table(title: string, rows: StepSummary[], skipped: string[] = []): string {
  const head = ['step', 'offered/s', 'acked/s', 'ack p50 ms', 'ack p99 ms', 'deliv p50 ms', 'deliv p99 ms', 'lost', 'unsent', 'dup', 'srv CPU %', 'edge CPU %', 'srv RSS MiB', 'ratio'];
  const body = rows.map((r) => [
    r.mode === 'saw' ? `${r.label} (stop-and-wait)` : r.label,
    fmt(r.offered),
    mw(r.ackedPerSecond),
    ms(r.ackP50),
    ms(r.ackP99),
    ms(r.deliveryP50),
    ms(r.deliveryP99),
    mw(r.lost),
    mw(r.unsent),
    mw(r.duplicated),
    mw(r.serverCpuPercent),
    r.edgeCpuPercent.runs.some(Number.isFinite) ? mw(r.edgeCpuPercent) : '',
    mw(r.serverRssMaxMiB),
    r.ratioToEcho ? mw(r.ratioToEcho, 3) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => item(row, i).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(item(widths, i)) : c.padStart(item(widths, i)))).join('  ');
  return [title, line(head), ...body.map(line), ...skipped.map((s) => `  ${s}`)].join('\n');
}
