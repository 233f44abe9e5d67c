/**
 * The processes of a load run besides the parent: the chat server (the real
 * `server/node/main.ts`, started like an operator would, on a fresh data directory), the echo
 * server and the generator children. Each is a separate OS process, so the server's CPU and RSS
 * are read from /proc apart from the load generator's.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import type { CommandBody, Reply } from './ipc.js';
import { childEnv, ROOT } from './util.js';

/**
 * Server limits the benchmark needs raised, as `main.ts` flags. A flag the server does not know
 * yet (limits are constants until issue 12 item 5 lands) is left out and reported.
 */
export interface ServerLimits {
  /** Chats one client address may start per minute (all customers start from 127.0.0.1). */
  chatStartsPerMinute?: number;
  /** Frames per minute per connection (open loop at 10k msg/s is ~5.6 messages/s per customer). */
  framesPerMinute?: number;
  /** Open connections per tenant (Scenario B: 10,000). */
  connectionsPerTenant?: number;
}

export const LIMIT_FLAGS: Record<keyof ServerLimits, string> = {
  chatStartsPerMinute: '--chat-starts-per-minute',
  framesPerMinute: '--frames-per-minute',
  connectionsPerTenant: '--connections-per-tenant',
};

const supportCache = new Map<string, boolean>();

/**
 * Which of the flags the server's `main.ts` accepts: it is started with them and an invalid port,
 * so it stops right after parsing its arguments (an unknown option fails before that).
 */
export function supportedFlags(flags: readonly string[]): Set<string> {
  const unknown = flags.filter((f) => !supportCache.has(f));
  let probe = [...unknown];
  while (probe.length > 0) {
    const args = ['--import', 'tsx', 'server/node/main.ts', '--port=99999', ...probe.flatMap((f) => [f, '1'])];
    const run = spawnSync(process.execPath, args, { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
    const bad = /Unknown option '(--[\w-]+)'/.exec(run.stderr)?.[1];
    if (bad === undefined) {
      for (const f of probe) supportCache.set(f, true);
      break;
    }
    supportCache.set(bad, false);
    probe = probe.filter((f) => f !== bad);
  }
  return new Set(flags.filter((f) => supportCache.get(f) === true));
}

export function limitArgs(limits: ServerLimits): { args: string[]; applied: Record<string, number>; unsupported: string[] } {
  const wanted = (Object.keys(LIMIT_FLAGS) as (keyof ServerLimits)[]).filter((k) => limits[k] !== undefined);
  const supported = supportedFlags(wanted.map((k) => LIMIT_FLAGS[k]));
  const args: string[] = [];
  const applied: Record<string, number> = {};
  const unsupported: string[] = [];
  for (const k of wanted) {
    const flag = LIMIT_FLAGS[k];
    const value = limits[k] ?? NaN;
    if (supported.has(flag)) {
      args.push(flag, String(value));
      applied[flag] = value;
    } else unsupported.push(`${flag} ${String(value)}`);
  }
  return { args, applied, unsupported };
}

export interface ServerChild {
  readonly pid: number;
  readonly url: string;
  readonly args: string[];
  /** SIGTERM, then SIGKILL after `graceMs`: how long it took and whether it had to be killed. */
  stop(graceMs: number): Promise<{ exitedAfterMs: number; killed: boolean; code: number | null }>;
  output(): string;
}

/** Children still running: killed if this process exits or is interrupted, so none is left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of live) c.kill('SIGKILL');
    process.exit(130);
  });
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the child process did not start');
  return child.pid;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else
      child.once('exit', (code) => {
        resolve(code);
      });
  });
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<{ exitedAfterMs: number; killed: boolean; code: number | null }> {
  const t0 = Date.now();
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return { exitedAfterMs: 0, killed: false, code: child.exitCode };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    done.then(() => false),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => {
        r(true);
      }, graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    const code = await done;
    return { exitedAfterMs: Date.now() - t0, killed: true, code };
  }
  return { exitedAfterMs: Date.now() - t0, killed: false, code: await done };
}

/** Waits for a line of the child's stdout that matches `re`; rejects if it exits first. */
function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number, out: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`not ready within ${String(timeoutMs)} ms:\n${out()}`));
    }, timeoutMs);
    const onData = () => {
      const m = re.exec(out());
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before it was ready:\n${out()}`));
    });
  });
}

/** Spawns `node ARGS` and resolves once its output matches `ready` (killed if it does not). */
async function spawnReady(args: string[], ready: RegExp, timeoutMs: number): Promise<{ child: ChildProcess; m: RegExpExecArray; output: () => string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  try {
    return { child, m: await waitForLine(child, ready, timeoutMs, () => out), output: () => out };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/**
 * Starts `node [--cpu-prof] --import tsx server/node/main.ts --data DIR --port 0 --quiet ...` and
 * resolves when its banner names the URL.
 */
export async function startServer(options: { dataDir: string; extraArgs: readonly string[]; cpuProfDir?: string }): Promise<ServerChild> {
  const prof = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
  const args = [...prof, '--import', 'tsx', 'server/node/main.ts', '--data', options.dataDir, '--port', '0', '--quiet', ...options.extraArgs];
  const { child, m, output } = await spawnReady(args, /Health:\s+http:\/\/[^/\s]+:(\d+)\/health/, 60_000);
  return {
    pid: pidOf(child),
    // The server listens on 127.0.0.1 and names itself localhost; loopback by address, never by name.
    url: `http://127.0.0.1:${m[1] ?? ''}`,
    args,
    stop: (graceMs) => stopChild(child, graceMs),
    output,
  };
}

export async function startEchoServer(): Promise<{ pid: number; url: string; stop(graceMs: number): Promise<unknown> }> {
  const { child, m } = await spawnReady(['--import', 'tsx', 'bench/load/echo-server.ts'], /listening (\d+)/, 30_000);
  return { pid: pidOf(child), url: `ws://127.0.0.1:${m[1] ?? ''}`, stop: (graceMs) => stopChild(child, graceMs) };
}

/** A generator child process and a promise-returning call for its commands. */
export interface Generator {
  readonly pid: number;
  call<T>(cmd: CommandBody): Promise<T>;
  close(): Promise<void>;
}

export function forkGenerator(): Generator {
  const child = fork(join(ROOT, 'bench/load/generator.ts'), [], {
    cwd: ROOT,
    env: childEnv(),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.data);
    else p.reject(new Error(`generator ${String(child.pid)}: ${reply.error}`));
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`generator ${String(child.pid)} exited with ${String(code)}`));
    pending.clear();
  });
  return {
    pid: pidOf(child),
    call<T>(cmd: CommandBody): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...cmd, id });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = exited(child);
      child.send({ id: nextId++, type: 'close' });
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(t);
    },
  };
}

/**
 * The main thread's `.cpuprofile` of a process (written by `--cpu-prof` when it exits, named
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`; thread 0 is the main thread, the others
 * are e.g. the thread of tsx's module loader).
 */
export function profileOf(dir: string, pid: number): string | undefined {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${String(pid)}.0.`))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return undefined;
  }
}
