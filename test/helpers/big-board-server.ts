/**
 * A chat server with a board of many sessions, for browser tests of boards of any size
 * (test/state/big-board.test.ts), started by the web-test-runner plugin as its own process:
 *
 *   node --import tsx test/helpers/big-board-server.ts --port N --sessions 6000 --origin URL…
 *
 * The sessions are started through the server's own path (`ChatRoom.startChat`, as
 * `POST /api/chats` does, without its per-address rate limit) in the demo tenant, alternating
 * between Support and Sales. The database runs with `synchronous = NORMAL`: this is about the
 * board's size, not durability. Prints `ready <url>` once the board is complete; SIGTERM stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startChatServer } from '../../server/node/server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    sessions: { type: 'string', default: '6000' },
    origin: { type: 'string', multiple: true, default: [] },
  },
});
const dataDir = mkdtempSync(join(tmpdir(), 'chat-big-board-'));
const server = await startChatServer({
  port: Number(values.port),
  demo: true,
  dataDir,
  allowedOrigins: values.origin,
  synchronous: 'NORMAL',
});
const room = server.room('demo');
if (!room) throw new Error('no demo tenant');
const count = Number(values.sessions);
for (let i = 0; i < count; i++) await room.startChat({ channelId: i % 2 === 0 ? 'support' : 'sales', name: `Customer ${String(i + 1)}` });
process.stdout.write(`ready http://127.0.0.1:${String(server.port)}\n`);

const stop = async (): Promise<void> => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
