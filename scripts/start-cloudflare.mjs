#!/usr/bin/env node
// `npm run start:cloudflare`: the demo on the Cloudflare host, locally and offline.
//
//   builds the library (npm run build), copies demo/, dist/ and themes/ into .cloudflare/assets (the
//   Worker's static assets), and runs `wrangler dev` with server/cloudflare/wrangler.jsonc:
//   the tenant objects' SQLite and the local R2 bucket persist in ./data-cf, the demo tenant is
//   created on first use. Prints the URLs like `npm start` does; Ctrl-C stops it cleanly and the
//   next start reuses the data.
//
// Options (after `npm run start:cloudflare --`): --port <n> (default 8788; the attachment origin
// is http://localhost:<port>, the API and pages http://127.0.0.1:<port>), --data <dir>
// (default ./data-cf), --no-build (use dist/ as it is), --prepare (build and copy the assets, then
// stop: what `wrangler deploy` needs; docs/scaling.md).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8788' },
    data: { type: 'string', default: process.env.CHAT_CF_DATA_DIR ?? './data-cf' },
    'no-build': { type: 'boolean', default: false },
    prepare: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Invalid port "${values.port}": use a number from 1 to 65535.`);
  process.exit(2);
}
const dataDir = resolve(root, values.data);

if (!values['no-build']) {
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!existsSync(join(root, 'dist', 'cdn'))) {
  console.error('dist/cdn is missing: run `npm run build` first.');
  process.exit(1);
}

// The Worker's static assets: the demo pages, the built bundles and the themes, as the Node host serves them.
const assets = join(root, '.cloudflare', 'assets');
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
cpSync(join(root, 'demo'), join(assets, 'demo'), { recursive: true });
cpSync(join(root, 'dist'), join(assets, 'dist'), { recursive: true });
cpSync(join(root, 'themes'), join(assets, 'themes'), { recursive: true });
if (values.prepare) {
  console.log(`Static assets ready in ${assets}.`);
  process.exit(0);
}

// The operator key of this data folder (the CHAT_OPERATOR_KEY secret of a deployment).
mkdirSync(dataDir, { recursive: true });
const keyFile = join(dataDir, 'operator-key');
const fresh = !existsSync(join(dataDir, 'state'));
if (!existsSync(keyFile)) {
  writeFileSync(keyFile, `ccp_${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
}
const operatorKey = readFileSync(keyFile, 'utf8').trim();

const api = `http://127.0.0.1:${String(port)}`;
const files = `http://localhost:${String(port)}`;
const args = [
  join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
  'dev',
  '-c',
  join(root, 'server', 'cloudflare', 'wrangler.jsonc'),
  '--ip',
  '127.0.0.1',
  '--port',
  String(port),
  '--persist-to',
  join(dataDir, 'state'),
  '--log-level',
  'warn',
  '--show-interactive-dev-session=false',
  '--var',
  'DEMO:1',
  '--var',
  `ATTACHMENT_ORIGIN:${files}`,
  '--var',
  `PUBLIC_URL:${api}`,
  '--var',
  `CHAT_OPERATOR_KEY:${operatorKey}`,
];
const child = spawn(process.execPath, args, {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  detached: true,
});

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received: stopping wrangler dev…`);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
child.on('exit', (code, signal) => {
  if (stopping) console.log('Stopped cleanly.');
  process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
});

const deadline = Date.now() + 90_000;
for (;;) {
  const ok = await fetch(`${api}/health`).then(
    (r) => r.status === 200,
    () => false,
  );
  if (ok) break;
  if (stopping || child.exitCode !== null) process.exit(1);
  if (Date.now() > deadline) {
    console.error('wrangler dev did not answer /health within 90 s');
    stop('timeout');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
// The first request to the demo tenant creates it (reply library and CRM included).
await fetch(`${api}/api/channels?tenant=demo`).catch(() => undefined);

console.log(`
crm-chat-elements on the Cloudflare host (wrangler dev, Durable Objects) is running.

  Agent console (sample CRM page):  ${api}/demo/
  Customer website (chat widget):   ${api}/demo/customer.html
  Health:                           ${api}/health
  Attachments (download origin):    ${files}

  Data: ${join(dataDir, 'state')} (${fresh ? 'created with the demo tenant' : 'reused'})
  Operator key (provisioning API):  in ${keyFile}
  Press Ctrl-C to stop.
`);
