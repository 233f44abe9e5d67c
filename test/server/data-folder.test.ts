/**
 * The data folder in production (issue 13, item 5), with real server processes:
 * - a second server on the same folder refuses to start and says who holds it; a lock left by a
 *   killed server (SIGKILL) does not block the next start;
 * - a database written by a newer server (a schema version this code does not know) is refused
 *   at start with a clear message and left unchanged;
 * - `crm-chat-server backup FILE` taken while customers send messages is consistent and holds
 *   every message acknowledged before it began; `crm-chat-server restore FILE` (refused while a
 *   server runs) puts it into a fresh folder, and a server started there works: an old customer
 *   reconnects with its old token, finds its messages and sends a new one.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import Database from 'better-sqlite3';

import { migrate, MIGRATIONS } from '../../server/core/migrations/index.js';
import { openSqlite } from '../../server/node/sqlite.js';
import { startChatServer } from '../../server/node/server.js';
import { rm } from 'node:fs/promises';

import { Api, freePort, ROOT, serverArgs, spawnServer, stopAllProcesses, tempDir as newTempDir, type TestClient } from './helpers.js';

/** Every folder this file makes, removed at the end. */
const dirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await newTempDir(prefix);
  dirs.push(dir);
  return dir;
}

after(async () => {
  await stopAllProcesses();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `crm-chat-server <args>` from this checkout, to its end. */
function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    delete env.NODE_OPTIONS;
    execFile(process.execPath, serverArgs(args), { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A started server process that is expected to fail: its exit code and output. */
async function failedStart(dataDir: string): Promise<{ code: number | null; output: string }> {
  try {
    const proc = await spawnServer({ port: await freePort(), dataDir, timeoutMs: 20_000 });
    await proc.stop();
    return { code: 0, output: 'it started' };
  } catch (error) {
    return { code: 1, output: (error as Error).message };
  }
}

describe('one server per data folder', () => {
  test('a second server on the same folder refuses with who holds it; a killed one leaves no lock behind', async () => {
    const dataDir = await tempDir('chat-lock-');
    const first = await spawnServer({ port: await freePort(), dataDir });
    const second = await failedStart(dataDir);
    assert.equal(second.code, 1);
    assert.match(second.output, new RegExp(`The data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another crm-chat-server \\(pid ${String(first.child.pid)} `));
    assert.match(second.output, /stop the other one first, or start this one with another --data folder/);
    // The first one is untouched by the refused start.
    assert.equal((await fetch(`${first.url}/health`)).status, 200);

    // kill -9: no clean-up runs; the operating system drops the lock with the process.
    const killed = await first.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    const third = await spawnServer({ port: await freePort(), dataDir });
    assert.equal((await fetch(`${third.url}/health`)).status, 200);
    await third.stop();
  });

  test('in one process too: startChatServer on a held folder throws, and works again after close', async () => {
    const dataDir = await tempDir('chat-lock-');
    const a = await startChatServer({ port: 0, dataDir });
    await assert.rejects(startChatServer({ port: 0, dataDir }), /is in use by another crm-chat-server/);
    await a.close();
    const b = await startChatServer({ port: 0, dataDir });
    await b.close();
  });
});

test('a database of a newer server is refused at start, with the versions, and left unchanged', async () => {
  const dataDir = await tempDir('chat-schema-');
  const db = openSqlite(join(dataDir, 'chat.db'));
  migrate(db);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [known + 1, 'from the future', Date.now()]);
  db.close();

  const start = await failedStart(dataDir);
  assert.equal(start.code, 1);
  assert.match(start.output, new RegExp(`The database has schema version ${String(known + 1)}, newer than this server knows \\(${String(known)}\\)`));
  assert.match(start.output, /Start that version \(or newer\), or restore a backup taken before the upgrade/);
  const admin = await cli(['admin', 'tenant', 'list', '--data', dataDir]);
  assert.equal(admin.code, 1);
  assert.match(admin.stderr, /newer than this server knows/);

  const check = new Database(join(dataDir, 'chat.db'), { readonly: true });
  assert.equal((check.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v, known + 1);
  assert.equal((check.prepare("SELECT count(*) AS n FROM tenants WHERE id = 'demo'").get() as { n: number }).n, 0, 'the refused start seeded nothing');
  check.close();
});

test('a backup taken under load restores to a working server with every acknowledged message', async () => {
  const dataDir = await tempDir('chat-backup-');
  const env = { CHAT_FRAMES_PER_MINUTE: '1000000', CHAT_STARTS_PER_MINUTE: '10000' };
  const server = await spawnServer({ port: await freePort(), dataDir, env });
  const api = new Api(server.url);

  // Customers who send without pause, each waiting for its ack (what a widget counts as sent).
  const chats = await Promise.all(Array.from({ length: 4 }, (_, i) => api.startChat(i % 2 ? 'sales' : 'support', `Load ${String(i)}`)));
  const customers: TestClient[] = await Promise.all(chats.map((c) => api.customer(c)));
  const acked: { cmid: string; sessionId: string; seq: number; at: number }[] = [];
  let running = true;
  let sent = 0;
  const loops = customers.map(async (customer, i) => {
    const chat = chats[i];
    assert.ok(chat);
    while (running) {
      const ack = await customer.sendOk(chat.sessionId, `message ${String(sent++)}`);
      acked.push({ cmid: ack.cmid, sessionId: chat.sessionId, seq: ack.seq, at: performance.now() });
    }
  });
  const waitForAcks = async (n: number) => {
    while (acked.length < n) await customers[0]?.sync();
  };

  await waitForAcks(100);
  const file = join(await tempDir('chat-backup-file-'), 'chat-backup.db');
  const ackedBefore = acked.length;
  const beganAt = performance.now();
  const backup = await cli(['backup', file, '--data', dataDir]);
  const endedAt = performance.now();
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /^Backup written: .*chat-backup\.db \(\d+ bytes, schema version \d+, \d+ messages, 0 attachment files\) in \d+ ms/);
  await waitForAcks(acked.length + 50); // still under load after it
  running = false;
  await Promise.all(loops);
  const during = acked.filter((a) => a.at > beganAt && a.at < endedAt).length;
  console.log(`# backup under load: ${String(ackedBefore)} acks before it, ${String(during)} while it ran, ${String(acked.length)} in all`);

  // Restore is refused while a server holds the folder.
  const refused = await cli(['restore', file, '--data', dataDir]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /is in use by another crm-chat-server/);
  await api.closeClients();
  await server.stop();

  const restoredDir = await tempDir('chat-restored-');
  const restore = await cli(['restore', file, '--data', restoredDir]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, /^Restored .* into .*\(schema version \d+, \d+ messages, 0 attachment files\)\./);

  const db = new Database(join(restoredDir, 'chat.db'), { readonly: true });
  assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  const has = db.prepare('SELECT count(*) AS n FROM messages WHERE tenant_id = ? AND session_id = ? AND cmid = ?');
  const missing = acked.slice(0, ackedBefore).filter((a) => (has.get('demo', a.sessionId, a.cmid) as { n: number }).n !== 1);
  assert.deepEqual(missing, [], 'messages acknowledged before the backup began are missing from it');
  // The copy is one commit's state: each chat's messages have no gap in their sequence.
  for (const chat of chats) {
    const seqs = (db.prepare('SELECT seq FROM messages WHERE tenant_id = ? AND session_id = ? ORDER BY seq').all('demo', chat.sessionId) as { seq: number }[]).map((r) => r.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => (seqs[0] ?? 0) + i), `gap in ${chat.sessionId}`);
  }
  db.close();

  // A server on the restored folder works, with the old secrets: the old customer's token.
  const restored = await spawnServer({ port: await freePort(), dataDir: restoredDir, env });
  const api2 = new Api(restored.url);
  const chat = chats[0];
  assert.ok(chat);
  const again = await api2.customer(chat);
  const lastBefore = acked.slice(0, ackedBefore).filter((a) => a.sessionId === chat.sessionId).at(-1);
  assert.ok(lastBefore);
  await again.ok({ t: 'subscribe', sessionId: chat.sessionId, mode: 'participant' });
  await again.sync();
  // The chat's snapshot reaches at least the last message acknowledged before the backup, and the
  // messages it shows are ones the customers sent (and had acknowledged).
  const reset = [...again.frames].reverse().find((f) => f.t === 'reset' && f.stream === `session:${chat.sessionId}`);
  assert.ok(reset?.t === 'reset' && 'messages' in reset.snapshot, `no snapshot of the chat\n${again.describe()}`);
  assert.ok(reset.snapshot.seq >= lastBefore.seq, `the restored chat ends at ${String(reset.snapshot.seq)}, before ${String(lastBefore.seq)}`);
  const sentCmids = new Set(acked.map((a) => a.cmid));
  const shown = reset.snapshot.messages.filter((m) => m.cmid !== undefined);
  assert.ok(shown.length > 0);
  for (const m of shown) assert.ok(sentCmids.has(m.cmid ?? ''), `a message nobody sent: ${JSON.stringify(m)}`);
  const ack = await again.sendOk(chat.sessionId, 'after the restore');
  assert.equal(ack.t, 'ack');
  await api2.closeClients();
  await restored.stop();
});
