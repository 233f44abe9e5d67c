/**
 * `npm run scale:plan` (bench/scale-plan.ts): the capacity model of docs/scaling.md § 7. The
 * worked example of issue 14 keeps every object under half of each documented limit; the number
 * of directory shards is the smallest that does; today's one object per tenant fits a small
 * tenant and not the example; the command line answers with the plan and its exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { directoryFits, directoryShards, DOCUMENTED_LIMITS, HEADROOM, plan } from '../../bench/scale-plan.js';

const ROOT = join(import.meta.dirname, '../..');

test('the worked example: 100,000 agents and 2,000,000 customers fit with every object under half of every limit', () => {
  const p = plan({ agents: 100_000, customers: 2_000_000, rate: 4 });
  assert.equal(p.fits, true);
  const byName = new Map(p.classes.map((c) => [c.name, c]));
  assert.equal(byName.get('conversation')?.count, 2_000_000, 'one object per conversation');
  const directories = byName.get('directory')?.count ?? 0;
  assert.ok(directories > 1 && directories < 100_000, `${String(directories)} directory shards`);
  for (const c of p.classes) {
    for (const [limit, share] of Object.entries(c.shares)) assert.ok(share <= HEADROOM, `${c.name}: ${limit} at ${String(share)}`);
  }
  assert.equal(p.perTenantObject.fits, false, 'one object cannot carry the whole tenant');
  assert.ok(p.perTenantObject.shares.requests > 1, 'the tenant object would pass the request limit itself');
});

test('the directory shard count is the smallest that fits, and grows with the load', () => {
  const input = { agents: 100_000, customers: 2_000_000, rate: 4 };
  const p = plan(input);
  const n = p.classes.find((c) => c.name === 'directory')?.count ?? 0;
  assert.equal(n, directoryShards(p.input));
  assert.equal(directoryFits(p.input, n), true);
  assert.equal(directoryFits(p.input, n - 1), false, 'one shard fewer passes half of a limit');
  const bigger = plan({ agents: 200_000, customers: 4_000_000, rate: 4 });
  assert.ok((bigger.classes.find((c) => c.name === 'directory')?.count ?? 0) > n);
});

test('a small tenant fits in one object (today\'s topology); the limits are the documented ones', () => {
  const small = plan({ agents: 10, customers: 40, rate: 4 });
  assert.equal(small.perTenantObject.fits, true);
  assert.equal(small.classes.find((c) => c.name === 'directory')?.count, 1);
  assert.equal(DOCUMENTED_LIMITS.requestsPerSecond.value, 1000);
  assert.equal(DOCUMENTED_LIMITS.storageBytes.value, 10e9);
  assert.equal(DOCUMENTED_LIMITS.memoryBytes.value, 128e6);
  for (const l of Object.values(DOCUMENTED_LIMITS)) assert.match(l.source, /^https:\/\/developers\.cloudflare\.com\//);
});

test('refuses impossible input', () => {
  assert.throws(() => plan({ agents: 0, customers: 10, rate: 4 }), RangeError);
  assert.throws(() => plan({ agents: 10, customers: 10, rate: Number.NaN }), RangeError);
  assert.throws(() => plan({ agents: 10, customers: 10, rate: 4, kibPerChatSocket: -1 }), RangeError);
});

test('the command line prints the plan with its sources and answers with the exit code', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/scale-plan.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const ok = run('--agents', '100000', '--customers', '2000000', '--rate', '4');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /\| conversation \| 2,000,000 /);
  assert.match(ok.stdout, /developers\.cloudflare\.com\/durable-objects\/platform\/limits/);
  assert.match(ok.stdout, /Every object stays under 50 % of every documented limit\./);
  // A memory per socket no object can hold: the plan says so (NO) and exits 1.
  const tooBig = run('--agents', '10', '--customers', '10', '--rate', '4', '--kib-per-chat-socket', '200000');
  assert.equal(tooBig.status, 1, tooBig.stdout + tooBig.stderr);
  assert.match(tooBig.stdout, /\| NO /);
  assert.equal(run('--agents', '10').status, 2, 'missing --customers and --rate');
  assert.equal(run('--agents', 'x', '--customers', '1', '--rate', '1').status, 2);
});
