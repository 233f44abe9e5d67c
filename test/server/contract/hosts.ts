/**
 * The hosts the contract suite runs against, each a real server in its own processes, reached
 * only over HTTP and WebSockets (the {@link Api} of the node suites):
 *
 * - **node**: `server/node/main.ts --demo` on a temp data folder (better-sqlite3, files on disk).
 * - **cloudflare**: `wrangler dev` with server/cloudflare/wrangler.jsonc on a temp `--persist-to`
 *   folder (workerd, Durable Object SQLite, local R2), `DEMO=1`, the attachment origin on
 *   `localhost:<port>` (the API is reached on `127.0.0.1:<port>`).
 *
 * Both run with `/metrics` on ({@link METRICS_KEY}) and {@link SIGN_IN_FAILURES_PER_MINUTE}.
 * Each host has an operator key (Node: a stored key made with the core's provisioning, as the CLI
 * does; Cloudflare: the `CHAT_OPERATOR_KEY` secret) and restarts on the same data: `graceful`
 * (SIGTERM) or `crash` (SIGKILL of the whole process group).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Wrangler } from '../../../bench/load/wrangler.js';
import { startWrangler, stopWrangler } from '../../../bench/load/wrangler.js';
import { migrate } from '../../../server/core/migrations/index.js';
import { ApiKeys } from '../../../server/core/provisioning/api-keys.js';
import { Provisioning } from '../../../server/core/provisioning/index.js';
import { openSqlite } from '../../../server/node/sqlite.js';
import type { ServerProcess } from '../helpers.js';
import { Api, freePort, ROOT, spawnServer, tempDir } from '../helpers.js';

export type Restart = 'graceful' | 'crash';

/** Both hosts run with /metrics on (this key) and a low limit of refused sign-ins per address and minute. */
export const METRICS_KEY = 'contract-metrics-key-0123456789abcdef';
export const SIGN_IN_FAILURES_PER_MINUTE = 3;
const OPERATIONS_ENV = { CHAT_METRICS_KEY: METRICS_KEY, CHAT_SIGN_IN_FAILURES_PER_MINUTE: String(SIGN_IN_FAILURES_PER_MINUTE) };

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
  let proc: ServerProcess = await spawnServer({ port, dataDir, env: OPERATIONS_ENV });
  let api = new Api(proc.url);
  return {
    name: 'node',
    get api() {
      return api;
    },
    operatorKey,
    async restart(how) {
      await proc.stop(how === 'graceful' ? 'SIGTERM' : 'SIGKILL');
      proc = await spawnServer({ port, dataDir, env: OPERATIONS_ENV });
      api = new Api(proc.url);
    },
    async close() {
      await proc.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- cloudflare -----------------------------------------------------------------------------------

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
  const vars = { DEMO: '1', ATTACHMENT_ORIGIN: `http://localhost:${String(port)}`, CHAT_OPERATOR_KEY: operatorKey, ...OPERATIONS_ENV };
  let w: Wrangler = await startWrangler({ port, persistTo, assets, vars });
  let api = new Api(`http://127.0.0.1:${String(port)}`);
  return {
    name: 'cloudflare',
    get api() {
      return api;
    },
    operatorKey,
    async restart(how) {
      await stopWrangler(w, how === 'graceful' ? 'SIGTERM' : 'SIGKILL');
      w = await startWrangler({ port, persistTo, assets, vars });
      api = new Api(`http://127.0.0.1:${String(port)}`);
    },
    async close() {
      await stopWrangler(w, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
