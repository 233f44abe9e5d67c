/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`, e.g. `npm run bench:load -- --cpu-prof`):
 * the functions with the most self time, self time per source file, and the project's own
 * functions by total time (with everything they call).
 *
 *   node --import tsx bench/load/profile-summary.ts FILE.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples that were idle (the event loop waiting), in percent. */
  idlePercent: number;
  top: { fn: string; where: string; selfMs: number; percent: number }[];
  byFile: { file: string; selfMs: number; percent: number }[];
  /**
   * The project's own functions (server/, src/, bench/) by total time: their samples with
   * everything they called (each function once per sample, however deep it recurs). Where the
   * self time of SQLite or of the garbage collector comes from.
   */
  total?: { fn: string; where: string; totalMs: number; percent: number }[];
}

/** A project file (not a dependency, not Node's own code). */
const OURS = /^(server|src|bench)\//;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

/**
 * `window`: only samples taken between these two moments of the monotonic clock, in µs (V8's
 * profile timestamps and `process.hrtime` read the same system-wide clock), e.g. the load steps
 * without the setup before them.
 */
export function summariseProfile(file: string, top = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: each sample's time delta belongs to the node on top of the stack.
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    let at = profile.startTime;
    samples.forEach((id, i) => {
      at += deltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) return;
      const next = deltas[i + 1] ?? 0;
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next));
    });
  } else {
    const per = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0));
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  const files = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') idleUs += us;
    // Code run through tsx is one transformed line per module: a line number there says nothing.
    const where = url ? (lineNumber > 0 ? `${shortUrl(url)}:${String(lineNumber + 1)}` : shortUrl(url)) : '';
    const key = `${functionName}@${where}`;
    const entry = fns.get(key) ?? { fn: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    fns.set(key, entry);
    const f = url ? shortUrl(url) : functionName;
    files.set(f, (files.get(f) ?? 0) + us);
  }
  // Total time: each sampled node's time goes to every project function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, { fn: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const { functionName, url } = n.callFrame;
      const file = url ? shortUrl(url) : '';
      if (!OURS.test(file)) continue;
      const key = `${functionName}@${file}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = totals.get(key) ?? { fn: functionName || '(anonymous)', where: file, us: 0 };
      entry.us += us;
      totals.set(key, entry);
    }
  }
  const pct = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(totalUs),
    idlePercent: pct(idleUs),
    top: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ fn: e.fn, where: e.where, selfMs: ms(e.us), percent: pct(e.us) })),
    byFile: [...files.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, us]) => ({ file, selfMs: ms(us), percent: pct(us) })),
    total: [...totals.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ fn: e.fn, where: e.where, totalMs: ms(e.us), percent: pct(e.us) })),
  };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`profile: ${String(s.totalMs)} ms sampled, ${String(s.idlePercent)} % idle`, '  self %   self ms  function (where)'];
  for (const e of s.top) lines.push(`  ${e.percent.toFixed(1).padStart(6)} ${e.selfMs.toFixed(0).padStart(9)}  ${e.fn}${e.where ? ` (${e.where})` : ''}`);
  lines.push('  by file:');
  for (const f of s.byFile.slice(0, 12)) lines.push(`  ${f.percent.toFixed(1).padStart(6)} ${f.selfMs.toFixed(0).padStart(9)}  ${f.file}`);
  if (s.total?.length) {
    lines.push('  project functions by total time (with what they call):', '  total %  total ms  function (file)');
    for (const e of s.total) lines.push(`  ${e.percent.toFixed(1).padStart(7)} ${e.totalMs.toFixed(0).padStart(9)}  ${e.fn} (${e.where})`);
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/load/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(formatProfile(summariseProfile(file, Number(process.argv[3] ?? 25))));
}
