// web-test-runner plugin: runs the real reference server (the server command, bundled from the
// current sources once per run: scripts/server-bundle.mjs) as a child process for browser tests,
// on a free port with a fresh data directory, and lets tests restart it (same port, same data)
// through server commands:
//   executeServerCommand('chat-server')                  -> { url }
//   executeServerCommand('chat-server-restart', {downMs}) -> { url }   (SIGTERM, wait, start)
//   executeServerCommand('chat-server-stop') / ('chat-server-start')
//   executeServerCommand('big-board-server', {sessions})    -> { url } once ready (a second server
//     whose demo tenant has that many queued chats: test/helpers/big-board-server.ts; started on
//     the first call, stopped at the end); {} when not ready within 10 s: ask again)
//   executeServerCommand('module-hold', {path}) / ('module-release', {path}): requests for a
//     dev-server path ending in `path` wait until it is released (a slow network for a lazily
//     loaded module; released at the latest after 20 s so a failed test cannot stall the run)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../scripts/free-port.mjs';
import { bundleServerForTests, serverArgs } from '../../scripts/server-bundle.mjs';

/** How long one big-board-server command waits for readiness (below the 20 s a command may take). */
const READY_WAIT_MS = 10_000;

export function chatServerPlugin() {
  let child;
  let port;
  let dataDir;
  let origins = [];
  let output = '';
  let bundle;

  async function start() {
    output = '';
    // Every browser test starts its chats from 127.0.0.1: far more than a customer's 20 a minute.
    const args = serverArgs(['--demo', '--quiet', '--data', dataDir, '--port', String(port), '--chat-starts-per-minute', '10000']);
    for (const o of origins) args.push('--origin', o);
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`chat server exited early:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`chat server did not start in time:\n${output}`);
  }

  async function stop() {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  const info = () => ({ url: `http://127.0.0.1:${port}` });

  /**
   * The big-board server (one per run), by its number of sessions. Starting it takes longer than
   * a server command may (20 s on a busy machine): the command starts it and waits for it up to
   * READY_WAIT_MS, answering `{url}` as soon as it is ready, else `{}`; the test asks again then.
   */
  let big;
  function bigBoard(sessions) {
    if (big) {
      if (big.sessions !== sessions) throw new Error(`big-board-server runs with ${big.sessions} sessions, not ${sessions}`);
      return untilReady(big);
    }
    big = { sessions, proc: undefined, info: undefined, error: undefined, settled: new EventTarget() };
    const entry = big;
    void (async () => {
      const bigPort = await freePort();
      const args = ['--import', 'tsx', 'test/helpers/big-board-server.ts', '--port', String(bigPort), '--sessions', String(sessions)];
      for (const o of origins) args.push('--origin', o);
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      entry.proc = proc;
      let out = '';
      proc.stdout.on('data', (d) => {
        out += d;
        const m = /ready (\S+)/.exec(out);
        if (m && !entry.info) {
          entry.info = { url: m[1] };
          entry.settled.dispatchEvent(new Event('settled'));
        }
      });
      proc.stderr.on('data', (d) => (out += d));
      proc.once('exit', (code) => {
        if (entry.info) return;
        entry.error = new Error(`big-board server exited (${code}):\n${out}`);
        entry.settled.dispatchEvent(new Event('settled'));
      });
    })();
    return untilReady(entry);
  }

  /** `{url}` once the big-board server is ready (at once if it is), `{}` after READY_WAIT_MS. */
  function untilReady(entry) {
    const answer = () => {
      if (entry.error) throw entry.error;
      return entry.info ?? {};
    };
    if (entry.info || entry.error) return Promise.resolve().then(answer);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        entry.settled.removeEventListener('settled', done);
        resolve();
      };
      const timer = setTimeout(done, READY_WAIT_MS);
      entry.settled.addEventListener('settled', done);
    }).then(answer);
  }

  async function stopBig() {
    if (!big?.proc || big.proc.exitCode !== null) return;
    const exited = once(big.proc, 'exit');
    big.proc.kill('SIGTERM');
    await exited;
  }

  /** Held module paths: each with the requests waiting for its release. */
  const held = new Map();
  function release(path) {
    const entry = held.get(path);
    if (!entry) return;
    held.delete(path);
    clearTimeout(entry.failsafe);
    for (const go of entry.waiting) go();
  }

  return {
    name: 'chat-server',
    async serve(context) {
      for (const [path, entry] of held) {
        if (context.path.replace(/\.[jt]s$/, '').endsWith(path)) await new Promise((go) => entry.waiting.push(go));
      }
      return undefined;
    },
    async serverStart({ config }) {
      bundle = await bundleServerForTests();
      port = await freePort();
      dataDir = mkdtempSync(join(tmpdir(), 'chat-wtr-'));
      origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
      await start();
    },
    async serverStop() {
      await stopBig();
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
      bundle?.remove();
    },
    async executeCommand({ command, payload }) {
      switch (command) {
        case 'chat-server':
          return info();
        case 'chat-server-restart':
          await stop();
          await new Promise((r) => setTimeout(r, payload?.downMs ?? 200));
          await start();
          return info();
        case 'chat-server-stop':
          await stop();
          return info();
        case 'chat-server-start':
          await start();
          return info();
        case 'module-hold':
          release(payload.path);
          held.set(payload.path, { waiting: [], failsafe: setTimeout(() => release(payload.path), 20_000) });
          return true;
        case 'module-release':
          release(payload.path);
          return true;
        case 'big-board-server':
          return bigBoard(payload?.sessions ?? 6000);
        default:
          return undefined;
      }
    },
  };
}
