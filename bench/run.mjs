#!/usr/bin/env node
// `npm run bench`: runs every benchmark and writes bench/results/<name>.json.
// Benchmarks measure; they never pass or fail. Figures with the machine noted: docs/benchmarks.md.
//   node bench/run.mjs            all benchmarks
//   node bench/run.mjs server     only those whose name contains "server"
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const filter = process.argv[2] ?? '';
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') || f.endsWith('.bench.mjs'))
  .filter((f) => f.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`bench: no benchmark matches "${filter}"`);
  process.exit(1);
}
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);
let failed = false;
for (const file of benches) {
  const name = file.replace(/\.bench\.(ts|mjs)$/, '');
  console.log(`\n== ${name}`);
  const args = file.endsWith('.ts') ? ['--import', 'tsx', join('bench', file)] : [join('bench', file)];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) {
    console.error(`bench: ${name} exited with ${String(run.status)}`);
    failed = true;
    continue;
  }
  const text = run.stdout.trim();
  const json = JSON.parse(text.slice(text.indexOf('{')));
  writeFileSync(join(root, 'bench/results', `${name}.json`), JSON.stringify({ machine, ...json }, null, 2) + '\n');
  console.log(JSON.stringify(json, null, 2));
}
process.exit(failed ? 1 : 0);
