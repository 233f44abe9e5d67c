/**
 * `wrangler dev` with the Cloudflare host (server/cloudflare/wrangler.jsonc) as a child process
 * group of its own (wrangler, its esbuild and workerd): started on a port and a `--persist-to`
 * folder, ready once `/health` answers, stopped by signalling the whole group. The contract
 * suite (test/server/contract/hosts.ts) and the load benchmark on this host (`--host cloudflare`)
 * use it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from '../../scripts/free-port.mjs';
import type { ServerChild } from './processes.js';
import { childEnv, ROOT } from './util.js';

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const CONFIG = join(ROOT, 'server', 'cloudflare', 'wrangler.jsonc');

export interface Wrangler {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<void>;
}

function timeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(message()));
      }, ms);
    }),
  ]).finally(() => {
    clearTimeout(timer);
  });
}

/** `wrangler dev` on 127.0.0.1:`port` with `vars`, ready once `/health` answers (killed if it does not within 60 s). */
export async function startWrangler(options: { port: number; persistTo: string; assets: string; vars: Record<string, string> }): Promise<Wrangler> {
  const env: NodeJS.ProcessEnv = { ...childEnv(), WRANGLER_SEND_METRICS: 'false', CI: '1' };
  // The inspector on a free port of its own: wrangler's default (9229, or the next free one as it
  // probes) races with every other `wrangler dev` that test files in parallel start meanwhile.
  const inspectorPort = await freePort();
  const args = [WRANGLER, 'dev', '-c', CONFIG, '--ip', '127.0.0.1', '--port', String(options.port), '--inspector-port', String(inspectorPort), '--persist-to', options.persistTo, '--assets', options.assets, '--log-level', 'warn', '--show-interactive-dev-session=false'];
  for (const [k, v] of Object.entries(options.vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const handle: Wrangler = { child, output: () => out, exited };
  const ready = (async () => {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${String(child.exitCode ?? child.signalCode)})\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${String(options.port)}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await timeout(ready, 60_000, () => `wrangler dev was not ready within 60 s\n${out}`);
  } catch (error) {
    await stopWrangler(handle, 'SIGKILL');
    throw error;
  }
  return handle;
}

/** Signals the whole process group and waits until wrangler has exited (its workerd goes with it). */
export async function stopWrangler(w: Wrangler, signal: NodeJS.Signals): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null || w.child.pid === undefined) return;
  try {
    process.kill(-w.child.pid, signal);
  } catch {
    // already gone
  }
  await timeout(w.exited, 15_000, () => `wrangler dev did not exit after ${signal}\n${w.output()}`);
  if (signal !== 'SIGKILL') {
    // Whatever of the group is still running (a workerd child) goes now.
    try {
      process.kill(-w.child.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
}

/**
 * The pid of the `workerd` that runs the Worker and its objects, for CPU and memory samples.
 * wrangler dev starts two in its process group: its own proxy in front (the port it was given)
 * and the runtime of the Worker, the one with an inspector address.
 */
export function workerdPid(w: Wrangler): number | undefined {
  const group = w.child.pid;
  if (group === undefined) return undefined;
  const found: { pid: number; runtime: boolean }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …
      const m = /^\d+ \((.*)\) \S+ \d+ (\d+)/.exec(stat);
      if (m?.[1] !== 'workerd' || Number(m[2]) !== group) continue;
      found.push({ pid: Number(entry), runtime: readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--inspector-addr') });
    } catch {
      // gone meanwhile
    }
  }
  return (found.find((f) => f.runtime) ?? found.sort((a, b) => b.pid - a.pid)[0])?.pid;
}

/**
 * The load benchmark's server on the Cloudflare host: `wrangler dev` on a free port with `DEMO=1`
 * (the demo sign-in gives agents their tokens) and a fresh operator key, data in `dataDir`. `pid`
 * is workerd's, where the objects run.
 */
export async function startCloudflareServer(dataDir: string): Promise<ServerChild & { operatorKey: string }> {
  const port = await freePort();
  const operatorKey = `ccp_${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}`;
  const assets = join(dataDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const vars = { DEMO: '1', ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`, CHAT_OPERATOR_KEY: operatorKey, ...(process.env.CONVERSATION_OUTBOX ? { CONVERSATION_OUTBOX: process.env.CONVERSATION_OUTBOX } : {}) };
  const w = await startWrangler({ port, persistTo: join(dataDir, 'state'), assets, vars });
  const pid = workerdPid(w);
  if (pid === undefined) {
    await stopWrangler(w, 'SIGKILL');
    throw new Error('wrangler dev runs, but no workerd process was found under it');
  }
  return {
    pid,
    url: `http://127.0.0.1:${String(port)}`,
    args: ['wrangler', 'dev', '-c', 'server/cloudflare/wrangler.jsonc', ...Object.keys(vars).map((k) => `--var ${k}:…`)],
    operatorKey,
    output: () => w.output(),
    async stop() {
      const t0 = Date.now();
      await stopWrangler(w, 'SIGTERM');
      return { exitedAfterMs: Date.now() - t0, killed: false, code: w.child.exitCode };
    },
  };
}

/** What the conversation objects hold after a run, against the tenant object's own messages. */
export interface ConversationObjectsCheck {
  /** Sessions of the tenant, each its own conversation object. */
  objects: number;
  /** Messages (every event of every chat) committed by the tenant object. */
  messages: number;
  /** Of them, text messages (those the generator sent). */
  textMessages: number;
  /** Committed by the tenant object, absent from the chat's object. */
  missing: number;
  /** Held more than once by a chat's object. */
  doubled: number;
  /** Held by a chat's object, unknown to the tenant object. */
  extra: number;
  /** Objects whose messages are not in the tenant's seq order. */
  outOfOrder: number;
  /** How long the outbox took to empty after the last step, and what it still held then. */
  outboxDrainMs: number;
  outboxLeft: number;
  /** What the outbox sent since the tenant object started: flush rounds, batches (calls to conversation objects), the directory's calls in them, failed batches. */
  outbox: { rounds: number; batches: number; calls: number; failed: number };
}

/**
 * After a load run on the Cloudflare host: waits (at most `drainMs`) for the tenant object's
 * outbox to empty, then compares every conversation object's stream (which numbers it) with the
 * tenant object's copy (fed by the objects' reports) (the operator's reads of
 * server/cloudflare/worker.ts).
 */
export async function checkConversationObjects(baseUrl: string, operatorKey: string, tenant: string, drainMs = 120_000): Promise<ConversationObjectsCheck> {
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${operatorKey}` } });
    if (!r.ok) throw new Error(`GET ${path}: ${String(r.status)} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const t0 = Date.now();
  let left: number;
  let outbox: { pending: number; rounds: number; batches: number; calls: number; failed: number };
  for (;;) {
    outbox = await get<typeof outbox>(`/cloudflare/outbox/${tenant}`);
    left = outbox.pending;
    if (left === 0 || Date.now() - t0 > drainMs) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const outboxDrainMs = Date.now() - t0;
  const { sessions } = await get<{ sessions: { id: string; messages: string[] }[] }>(`/cloudflare/conversations/${tenant}`);
  const check: ConversationObjectsCheck = { objects: sessions.length, messages: 0, textMessages: 0, missing: 0, doubled: 0, extra: 0, outOfOrder: 0, outboxDrainMs, outboxLeft: left, outbox: { rounds: outbox.rounds, batches: outbox.batches, calls: outbox.calls, failed: outbox.failed } };
  let next = 0;
  const worker = async () => {
    while (next < sessions.length) {
      const s = sessions[next++];
      if (!s) return;
      const copy = await get<{ messages: { id: string; kind: string }[] }>(`/cloudflare/conversations/${tenant}/${s.id}`);
      const held = copy.messages.map((m) => m.id);
      const heldSet = new Set(held);
      const own = new Set(s.messages);
      check.messages += s.messages.length;
      check.textMessages += copy.messages.filter((m) => m.kind === 'text').length;
      check.missing += s.messages.filter((id) => !heldSet.has(id)).length;
      check.doubled += held.length - heldSet.size;
      check.extra += held.filter((id) => !own.has(id)).length;
      if (held.join('\n') !== s.messages.join('\n')) check.outOfOrder += 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return check;
}
