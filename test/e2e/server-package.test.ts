/**
 * The server as an integrator installs it (issue 13, item 4): `npm pack` of this checkout (after
 * `npm run build`; `npm test` builds before this step), the tarball installed with `--omit=dev` in
 * an empty folder, `crm-chat-server admin …` bootstraps a tenant and an API key there,
 * `crm-chat-server --port 0` starts, and a customer's client connects, says hello and gets its
 * message acknowledged.
 *
 * Offline and bounded: npm takes the packages from its cache (`--prefer-offline`; only the npm
 * registry is reachable anyway) and runs no install scripts. The one install script of the
 * runtime dependencies is better-sqlite3's native build (node-gyp, about a minute on two cores);
 * the test checks that npm installed the same better-sqlite3 version as this checkout's and puts
 * this checkout's compiled addon (same version, same Node) in its place instead of compiling it
 * again. Everything else runs from the installed folder only: the server's imports resolve in its
 * own node_modules, which has no devDependency.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Api } from '../server/helpers.js';
import { assertBuilt, ROOT } from './helpers.js';

assertBuilt();

const work = mkdtempSync(join(tmpdir(), 'crm-chat-pack-'));
const app = join(work, 'app');
const data = join(work, 'data');
const bin = join(app, 'node_modules', '.bin', 'crm-chat-server');
const children = new Set<ChildProcess>();

/** Runs a command to its end; rejects with its output when it fails. */
function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Starts the installed server on port 0 and resolves its URL from the start message. */
function startInstalled(args: readonly string[]): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`crm-chat-server did not report its address within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Health:\s+(http:\/\/\S+)\/health/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`crm-chat-server exited (${String(code)}) before it listened:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

before(async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string }];
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'chat-host', private: true }));
  await run('npm', ['install', '--omit=dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, info.filename)], app);
  // better-sqlite3's install script would compile the addon: use this checkout's build of the same version.
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
  const ours = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
  assert.equal(installed.version, ours.version, 'npm installed another better-sqlite3 than this checkout builds against');
  mkdirSync(join(app, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  copyFileSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(app, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
});

after(async () => {
  await Promise.all([...children].map(stop));
  rmSync(work, { recursive: true, force: true });
});

test('the installed package has the server, its runtime dependencies and no devDependency', () => {
  assert.ok(existsSync(bin), 'no node_modules/.bin/crm-chat-server');
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules/crm-chat-elements/package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies)) assert.ok(existsSync(join(app, 'node_modules', name, 'package.json')), `dependency ${name} is not installed`);
  for (const name of ['better-sqlite3', 'ws', 'jose', 'valibot', 'tslib']) assert.ok(name in pkg.dependencies, `${name} is not in dependencies`);
  for (const name of Object.keys(pkg.devDependencies)) {
    if (name in pkg.dependencies) continue;
    assert.ok(!existsSync(join(app, 'node_modules', name)), `devDependency ${name} was installed with --omit=dev`);
  }
  // The library's compiled modules import tslib's helpers (importHelpers): it must be a dependency.
  const component = readFileSync(join(app, 'node_modules/crm-chat-elements/dist/components/chat-window/chat-window.component.js'), 'utf8');
  assert.match(component, /from ["']tslib["']/);
  assert.ok(!existsSync(join(app, 'node_modules/crm-chat-elements/server')), 'the TypeScript sources of the server are shipped');
});

test('crm-chat-server admin and the server run from the clean folder, and a client connects', async () => {
  const version = await run(process.execPath, [bin, '--version'], app);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  await run(process.execPath, [bin, 'admin', 'tenant', 'create', 'acme', '--name', 'Acme', '--data', data], app);
  const created = await run(process.execPath, [bin, 'admin', 'key', 'create', '--tenant', 'acme', '--name', 'pack test', '--data', data], app);
  const key = created.stdout.trim();
  assert.match(key, /^ccp_/);

  const server = await startInstalled(['--port', '0', '--data', data, '--quiet']);
  const api = new Api(server.url.replace('localhost', '127.0.0.1'));
  try {
    const health = await api.request('GET', '/health');
    assert.equal(health.status, 200, server.output());
    // No demo pages in the package: `/` says what the server offers instead of redirecting to them.
    const home = await fetch(`${api.baseUrl}/`, { redirect: 'manual' });
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.match(await home.text(), /crm-chat-elements server: running\.[\s\S]*\/dist\/cdn\/chat-visitor\.js/);
    const channel = await api.request('PUT', '/api/provisioning/tenants/acme/channels/support', { headers: { authorization: `Bearer ${key}` }, json: { name: 'Support' } });
    assert.ok(channel.status === 200 || channel.status === 201, `channel: ${String(channel.status)} ${JSON.stringify(channel.body)}`);

    const chat = await api.startChat('support', 'Ada', { tenant: 'acme' });
    const customer = await api.customer(chat, { tenant: 'acme' });
    const ack = await customer.sendOk(chat.sessionId, 'Hello from the packed server');
    assert.equal(ack.t, 'ack');
    await api.closeClients();

    // The bundles the package ships are served for the one-script-tag embed.
    // compressed with brotli by the build (fetch decompresses; the header tells what was sent).
    const widget = await fetch(`${api.baseUrl}/dist/cdn/chat-visitor.js`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(widget.status, 200);
    assert.match(widget.headers.get('content-type') ?? '', /javascript/);
    assert.equal(widget.headers.get('content-encoding'), 'br');
    assert.ok(Number(widget.headers.get('content-length')) < 25_000, `the widget is ${String(widget.headers.get('content-length'))} bytes on the wire`);
    assert.match(await widget.text(), /customElements/);
  } finally {
    assert.equal(await stop(server.child), 0, `the server did not stop cleanly:\n${server.output()}`);
  }
});
