// For the screenshot scripts (screenshots.mjs, screenshots-journey.mjs): the build they need, and
// the reference server with its demo data on a free port and a temporary data directory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

/** Runs `npm run build` when a CDN bundle is missing, or with --build on the command line. */
export function buildIfNeeded(log) {
  const missing = ['dist/cdn/chat.js', 'dist/cdn/chat-visitor.js'].filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length === 0 && !process.argv.includes('--build')) return;
  log(missing.length > 0 ? `${missing.join(', ')} missing: building` : 'building (--build)');
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Starts `server/node/main.ts --demo --quiet` on a free port of 127.0.0.1 with a fresh data
 * directory (named after `name`); resolves once /health answers, with its URL and `stop()`
 * (SIGTERM, wait for the exit, remove the data directory).
 */
export async function startDemoServer(name) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/node/main.ts', '--demo', '--demo-targets', '--quiet', '--data', dataDir, '--port', String(port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop };
}
