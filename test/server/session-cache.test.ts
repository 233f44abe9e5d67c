/**
 * The session rows the Node host's SQL port keeps in memory (server/node/session-cache.ts), over a
 * real SQLite file: every way a row can change makes the next `TenantStore.session()` read the
 * change, and a hit is only ever served while nothing could have changed the row.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { migrate } from '../../server/core/migrations/index.js';
import { createTenant } from '../../server/core/seed.js';
import { TenantStore } from '../../server/core/store/index.js';
import type { SqliteDatabase } from '../../server/node/sqlite.js';
import { openSqlite } from '../../server/node/sqlite.js';
import { statementKind, triggerTouchesSessions } from '../../server/node/session-cache.js';
import { tempDir } from './helpers.js';

let dir: string;
let db: SqliteDatabase;
let store: TenantStore;
let sessionId: string;

const append = (text: string) =>
  store.appendMessage({ sessionId, senderKind: 'customer', senderId: sessionId, authorName: 'C', kind: 'text', text, at: 1000 });

beforeEach(async () => {
  dir = await tempDir('session-cache-');
  db = openSqlite(join(dir, 'chat.db'));
  migrate(db);
  createTenant(db, { id: 't1', name: 'T', channels: [{ id: 'support', name: 'Support', welcomeMessage: '' }], agents: [] }, 1000);
  store = new TenantStore(db, 't1');
  sessionId = db.transaction(() => store.createSession({ channelId: 'support', name: 'C', at: 1000 })).id;
});
afterEach(async () => {
  await db.synced();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('session row cache', () => {
  test('a second read is served from memory; the message append replaces the row', () => {
    const first = store.session(sessionId);
    const misses = db.sessionRows.misses;
    assert.equal(store.session(sessionId), first, 'the same row, not read again');
    assert.equal(db.sessionRows.misses, misses);
    db.transaction(() => append('hello'));
    const after = store.session(sessionId);
    assert.equal(db.sessionRows.misses, misses, 'the append returned the row: no read');
    assert.ok(after);
    assert.equal(after.head_seq, 1);
    assert.equal(after.last_text, 'hello');
    assert.equal(after.unread, 1);
    // The cached row is what SQLite holds.
    db.sessionRows.forgetAll();
    assert.deepEqual({ ...store.session(sessionId) }, { ...after });
  });

  test('a one-row update by any module forgets that row', () => {
    store.session(sessionId);
    db.run('UPDATE sessions SET rating = ?, rating_comment = ?, rated_at = ? WHERE tenant_id = ? AND id = ?', [5, null, 2000, 't1', sessionId]);
    const row = store.session(sessionId) as unknown as { rating: number };
    assert.equal(row.rating, 5);
  });

  test('an update of many rows, an insert and a schema change forget every row', () => {
    const other = db.transaction(() => store.createSession({ channelId: 'support', name: 'D', at: 1000 })).id;
    store.session(sessionId);
    store.session(other);
    db.run("UPDATE sessions SET status = 'ended', ended_at = ? WHERE tenant_id = ?", [3000, 't1']);
    assert.equal(store.session(sessionId)?.status, 'ended');
    assert.equal(store.session(other)?.status, 'ended');
    db.exec("UPDATE sessions SET customer_name = 'E'");
    assert.equal(store.session(other)?.customer_name, 'E');
    assert.equal(db.sessionRows.size, 1);
  });

  test('a frame refused after its append (savepoint rolled back) leaves the committed row', async () => {
    db.transaction(() => append('kept'));
    assert.ok(db.transactionDeferred);
    const batch = db.transactionDeferred(() => {
      assert.throws(() =>
        db.transaction(() => {
          append('refused');
          assert.equal(store.session(sessionId)?.head_seq, 2, 'inside: the frame sees its own write');
          throw new Error('refused');
        }),
      );
      assert.equal(store.session(sessionId)?.head_seq, 1, 'after the rollback to the savepoint');
    });
    await batch.durable;
    assert.equal(store.session(sessionId)?.last_text, 'kept');
  });

  test('a whole batch that fails to commit forgets what it wrote', () => {
    assert.throws(() =>
      db.transaction(() => {
        append('lost');
        throw new Error('disk full');
      }),
    );
    assert.equal(store.session(sessionId)?.head_seq, 0);
  });

  test('rows handed out are frozen: a caller cannot change what others read', () => {
    const row = store.session(sessionId);
    assert.ok(row);
    assert.throws(() => {
      (row as { status: string }).status = 'ended';
    }, TypeError);
    assert.equal(store.session(sessionId)?.status, 'queued');
  });

  test('a trigger that writes sessions turns the cache off', () => {
    db.exec(`CREATE TRIGGER bump AFTER INSERT ON messages BEGIN
               UPDATE sessions SET unread = unread + 100 WHERE tenant_id = NEW.tenant_id AND id = NEW.session_id;
             END`);
    store.session(sessionId);
    db.run('INSERT INTO messages (tenant_id, session_id, seq, id, sender_kind, author_name, kind, text, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      't1',
      sessionId,
      99,
      'm_x',
      'system',
      '',
      'event',
      'x',
      1000,
    ]);
    assert.equal(store.session(sessionId)?.unread, 100);
    db.exec('DROP TRIGGER bump');
    store.session(sessionId);
    const misses = db.sessionRows.misses;
    store.session(sessionId);
    assert.equal(db.sessionRows.misses, misses, 'on again once the trigger is gone');
  });

  test('statements are classified by what they can change', () => {
    assert.equal(statementKind('SELECT * FROM sessions WHERE tenant_id = ? AND id = ?', true), 'read');
    assert.equal(statementKind('SELECT id FROM sessions WHERE tenant_id = ?', true), 'other');
    assert.equal(statementKind('UPDATE auth_sessions SET revoked_at = ? WHERE id = ?', false), 'other');
    assert.equal(statementKind('INSERT INTO messages (a) VALUES (?)', false), 'other');
    assert.equal(statementKind('UPDATE sessions SET unread = 0 WHERE tenant_id = ? AND id = ?', false), 'forget-row');
    assert.equal(statementKind('UPDATE sessions SET unread = 0\n  WHERE tenant_id = ? AND id = ? RETURNING *', false), 'replace-row');
    assert.equal(statementKind('UPDATE sessions SET unread = 0 WHERE tenant_id = ? AND agent_id = ?', false), 'forget-all');
    assert.equal(statementKind("DELETE FROM sessions WHERE tenant_id = ? AND status = 'ended'", false), 'forget-all');
    assert.equal(statementKind('INSERT INTO sessions (tenant_id, id) VALUES (?, ?)', false), 'forget-all');
    assert.equal(triggerTouchesSessions('CREATE TRIGGER x AFTER UPDATE OF status ON sessions BEGIN INSERT INTO crm_activities VALUES (1); END'), false);
    assert.equal(triggerTouchesSessions('CREATE TRIGGER x AFTER INSERT ON messages BEGIN UPDATE sessions SET unread = 1; END'), true);
  });
});
