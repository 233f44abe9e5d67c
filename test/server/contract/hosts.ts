/**
 * The hosts the contract suite runs against, each a real server in its own processes, reached
 * only over HTTP and WebSockets (the {@link Api} of the node suites):
 *
 * - **node**: `server/node/main.ts --demo` on a temp data folder (better-sqlite3, files on disk).
 * - **cloudflare**: `wrangler dev` with server/cloudflare/wrangler.jsonc on a temp `--persist-to`
 *   folder (workerd, Durable Object SQLite, local R2), `DEMO=1`, the attachment origin on
 *   `localhost:<port>` (the API is reached on `127.0.0.1:<port>`).
 *
 * Each host has an operator key (Node: a stored key made with the core's provisioning, as the CLI
 * does; Cloudflare: the `CHAT_OPERATOR_KEY` secret) and restarts on the same data: `graceful`
 * (SIGTERM) or `crash` (SIGKILL of the whole process group).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { migrate } from '../../../server/core/migrations.js';
import { ApiKeys } from '../../../server/core/provisioning/api-keys.js';
import { Provisioning } from '../../../server/core/provisioning/index.js';
import { openSqlite } from '../../../server/node/sqlite.js';
import type { ServerProcess } from '../helpers.js';
import { Api, freePort, ROOT, spawnServer, tempDir, withTimeout } from '../helpers.js';

export type Restart = 'graceful' | 'crash';

export interface ContractHost {
  readonly name: 'node' | 'cloudflare';
  /** HTTP and sockets of the running host (a new one after each restart). */
  readonly api: Api;
  /** An operator key: creates tenants, acts on every tenant. */
  readonly operatorKey: string;
  /** Stops the host and starts it again on the same data and port. */
  restart(how: Restart): Promise<void>;
  /** Stops the host and removes its data. */
  close(): Promise<void>;
}

// ---- node ---------------------------------------------------------------------------------------

export async function startNodeHost(): Promise<ContractHost> {
  const dataDir = await tempDir('contract-node-');
  const db = openSqlite(join(dataDir, 'chat.db'));
  let operatorKey: string;
  try {
    migrate(db);
    const provisioning = new Provisioning(db, { now: () => Date.now(), pepper: ApiKeys.loadPepper(db) });
    operatorKey = (await provisioning.keys.create({ tenantId: null, name: 'contract suite', createdBy: 'test' })).key;
  } finally {
    db.close();
  }
  const port = await freePort();
  let proc: ServerProcess = await spawnServer({ port, dataDir });
  let api = new Api(proc.url);
  return {
    name: 'node',
    get api() {
      return api;
    },
    operatorKey,
    async restart(how) {
      await proc.stop(how === 'graceful' ? 'SIGTERM' : 'SIGKILL');
      proc = await spawnServer({ port, dataDir });
      api = new Api(proc.url);
    },
    async close() {
      await proc.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- cloudflare -----------------------------------------------------------------------------------

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const CONFIG = join(ROOT, 'server', 'cloudflare', 'wrangler.jsonc');

interface Wrangler {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

/** `wrangler dev` in a process group of its own (wrangler, workerd, esbuild), ready once `/health` answers. */
async function spawnWrangler(port: number, persistTo: string, assets: string, vars: Record<string, string>): Promise<Wrangler> {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  const args = [WRANGLER, 'dev', '-c', CONFIG, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--assets', assets, '--log-level', 'warn', '--show-interactive-dev-session=false'];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
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
      const ok = await fetch(`http://127.0.0.1:${String(port)}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await withTimeout(ready, 60_000, () => `wrangler dev was not ready within 60 s\n${out}`);
  } catch (error) {
    await stopWrangler(handle, 'SIGKILL');
    throw error;
  }
  return handle;
}

/** Signals the whole process group and waits until wrangler has exited (its workerd goes with it). */
async function stopWrangler(w: Wrangler, signal: NodeJS.Signals): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null || w.child.pid === undefined) return;
  try {
    process.kill(-w.child.pid, signal);
  } catch {
    // already gone
  }
  await withTimeout(w.exited, 15_000, () => `wrangler dev did not exit after ${signal}\n${w.output()}`);
  if (signal !== 'SIGKILL') {
    // Whatever of the group is still running (a workerd child) goes now.
    try {
      process.kill(-w.child.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
}

/** A key in the shape of stored API keys (`ccp_<10 hex>.<43 characters>`). */
export function newOperatorKey(): string {
  return `ccp_${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}`;
}

export async function startCloudflareHost(): Promise<ContractHost> {
  const dir = await tempDir('contract-cf-');
  const persistTo = join(dir, 'state');
  const assets = join(dir, 'assets');
  await mkdir(assets, { recursive: true });
  // The demo pages, as `npm run start:cloudflare` copies them (the Node host serves them from the checkout).
  await cp(join(ROOT, 'demo'), join(assets, 'demo'), { recursive: true });
  const port = await freePort();
  const operatorKey = newOperatorKey();
  const vars = { DEMO: '1', ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`, CHAT_OPERATOR_KEY: operatorKey };
  let w = await spawnWrangler(port, persistTo, assets, vars);
  let api = new Api(`http://127.0.0.1:${String(port)}`);
  return {
    name: 'cloudflare',
    get api() {
      return api;
    },
    operatorKey,
    async restart(how) {
      await stopWrangler(w, how === 'graceful' ? 'SIGTERM' : 'SIGKILL');
      w = await spawnWrangler(port, persistTo, assets, vars);
      api = new Api(`http://127.0.0.1:${String(port)}`);
    },
    async close() {
      await stopWrangler(w, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
