/**
 * Backpressure: a connection that does not read (more than 4 MiB waiting to be written) is closed
 * with 4429 instead of letting the server's memory grow; it resumes when it reconnects.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import type { Connection } from '../../server/core/room/index.js';
import { CLOSE, PROTOCOL_VERSION } from '../../src/protocol/limits.js';
import type { BoardEvent } from './helpers.js';
import { DEFAULT_TIMEOUT_MS, startServer, withTimeout } from './helpers.js';

let h: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

test('a connection with more than 4 MiB unsent is closed with 4429; other agents keep their board', async () => {
  const room = h.server.room('demo');
  assert.ok(room, 'demo room');
  let backlog = 0;
  const sent: string[] = [];
  let closed: { code: number; reason: string } | undefined;
  let greeted: () => void = () => undefined;
  const welcome = new Promise<void>((resolve) => (greeted = resolve));
  const conn: Connection = {
    id: 'c_slow_consumer',
    send: (data) => {
      sent.push(data);
      if (data.includes('"t":"welcome"')) greeted();
    },
    close: (code, reason) => {
      closed = { code, reason };
    },
    bufferedAmount: () => backlog,
  };
  assert.ok(room.open(conn, { tenantId: 'demo', role: 'agent', subjectId: 'anna', authSessionId: 'test-session' }), 'opened');
  room.receive(conn, JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION }));
  // The room processes frames on a later tick (group commit) and answers once the commit is on disk.
  await withTimeout(welcome, DEFAULT_TIMEOUT_MS, () => 'no welcome');

  const watcher = await h.api.agent('erik');
  backlog = 5 * 1024 * 1024; // the client stopped reading
  await h.api.startChat('support', 'Backpressure Bo'); // a board event for everyone
  await watcher.waitFor((f): f is BoardEvent => f.t === 'event' && f.stream === 'board', { label: 'erik still gets board events' });
  assert.equal(closed?.code, CLOSE.OVERLOADED);
  assert.ok(sent.at(-1)?.includes('"code":"overloaded"'), 'told why before the close');
  assert.equal(room.connectionCount, 1, 'only erik is left');
});
