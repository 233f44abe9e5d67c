#!/usr/bin/env node
// Usage: node scripts/step-cpu.mjs OUT_JSON CMD [ARGS...]
// Runs CMD with inherited stdio, then writes {"cpuSeconds": N} to OUT_JSON: the user+system CPU
// time of CMD and every descendant it waited for (Linux /proc/self/stat cutime + cstime), and
// exits with CMD's code. scripts/test.mjs wraps each step in it, so the per-step CPU time is
// known even while steps run side by side. Elsewhere than Linux it writes nothing.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [out, cmd, ...args] = process.argv.slice(2);
if (!out || !cmd) {
  console.error('usage: node scripts/step-cpu.mjs OUT_JSON CMD [ARGS...]');
  process.exit(2);
}
const TICKS_PER_SECOND = 100; // USER_HZ, `getconf CLK_TCK`: 100 on every Linux build in use

const child = spawn(cmd, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`step-cpu: could not start ${cmd}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  try {
    // After "(comm) ": state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    if (Number.isFinite(ticks)) writeFileSync(out, `${JSON.stringify({ cpuSeconds: ticks / TICKS_PER_SECOND })}\n`);
  } catch {
    // not Linux: no figure
  }
  process.exit(code ?? (signal ? 1 : 0));
});
