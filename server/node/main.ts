/**
 * The server command: starts the reference server with its SQLite storage (and, with --demo, the
 * demo tenant and pages). Run as `crm-chat-server [options]` (bin.ts; the npm package's bin) or,
 * in a checkout, `npm start` / `node --import tsx server/node/main.ts`:
 *
 *   crm-chat-server [--port 8787] [--host 127.0.0.1] [--data ./data]
 *                                         [--demo] [--origin https://crm.example.com ...]
 *                                         [--max-file-bytes 10485760] [--attachment-port 0]
 *                                         [--attachment-origin https://files.example.com]
 *                                         [--public-url https://chat.example.com]
 *                                         [--connections-per-tenant 30000] [--connections-per-user 10]
 *                                         [--frames-per-minute 600] [--typing-per-second 4]
 *                                         [--chat-starts-per-minute 20]
 *                                         [--inbox-frames 20000] [--inbox-bytes 33554432]
 *                                         [--connection-frames 200] [--queue-ms 200]
 *                                         [--batch-frames 2000] [--batch-ms 25]
 *
 * Environment: PORT, HOST, CHAT_DATA_DIR, CHAT_ALLOWED_ORIGINS (comma separated),
 * CHAT_TOKEN_SECRET (otherwise a secret is generated once and kept in the database),
 * CHAT_MAX_FILE_BYTES, CHAT_ATTACHMENT_PORT, CHAT_ATTACHMENT_ORIGIN (attachments: the largest
 * file; the port of the attachment listener, default a free one; its public origin when a proxy
 * serves it under another name), CHAT_PUBLIC_URL (where browsers reach this server when a proxy
 * serves it under another name: the base of the FAQ links of the demo reply library),
 * CHAT_API_KEY_PEPPER (the HMAC key of stored provisioning API keys; otherwise one is generated
 * once and kept in the database; docs/provisioning.md § 2).
 * Limits of every tenant (docs/protocol.md § 9.1 explains the defaults): CHAT_CONNECTIONS_PER_TENANT
 * (open sockets of a tenant, agents and customers together; default 30000), CHAT_CONNECTIONS_PER_USER
 * (of one agent or one chat's customer; 10), CHAT_FRAMES_PER_MINUTE (per connection, typing apart;
 * 600), CHAT_TYPING_PER_SECOND (typing frames relayed per connection; 4), CHAT_STARTS_PER_MINUTE
 * (chats one client address may start per minute; 20).
 * Bounds under overload (docs/protocol.md § 9.2; all tenants together): CHAT_INBOX_FRAMES (frames
 * waiting for the group commit; 20000), CHAT_INBOX_BYTES (their size; 32 MiB), CHAT_CONNECTION_FRAMES
 * (of one connection; 200), CHAT_QUEUE_MS (the longest a frame may wait before new work is refused
 * with `overloaded`; 200), CHAT_BATCH_FRAMES and CHAT_BATCH_MS (one group commit takes at most this
 * many frames and this long before the event loop turns; 2000 and 25).
 * CHAT_SHUTDOWN_TIMEOUT_MS: on SIGTERM/SIGINT the server stops within this long even if closing
 * hangs (default 4500; every acknowledged message is on disk before its ack, so this loses none).
 * CHAT_TEST_CLOCK=1 (TEST ONLY): the server runs on a clock that `POST /api/test/clock
 * {advanceMs}` moves forward, so end-to-end tests can let hours pass. Never set it in production.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { MAX_FILE_BYTES } from '../../src/protocol/limits.js';
import { OffsetClock } from '../core/clock.js';
import type { OverloadLimits, RoomLimits, RoomLogger } from '../core/room/index.js';
import { OVERLOAD_OPTION } from '../core/room/index.js';
import { startChatServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    demo: { type: 'boolean', default: false },
    origin: { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
    'max-file-bytes': { type: 'string' },
    'attachment-port': { type: 'string' },
    'attachment-origin': { type: 'string' },
    'public-url': { type: 'string' },
    'connections-per-tenant': { type: 'string' },
    'connections-per-user': { type: 'string' },
    'frames-per-minute': { type: 'string' },
    'typing-per-second': { type: 'string' },
    'chat-starts-per-minute': { type: 'string' },
    'inbox-frames': { type: 'string' },
    'inbox-bytes': { type: 'string' },
    'connection-frames': { type: 'string' },
    'queue-ms': { type: 'string' },
    'batch-frames': { type: 'string' },
    'batch-ms': { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port "${String(values.port ?? process.env.PORT)}": use a number from 0 to 65535.`);
  process.exit(2);
}
const dataDir = resolve(values.data ?? process.env.CHAT_DATA_DIR ?? './data');
const origins = [...(values.origin ?? []), ...(process.env.CHAT_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean)];

const fmt = (fields?: Record<string, string | number | boolean>) =>
  fields ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ') : '';
const log: RoomLogger = values.quiet
  ? { info: () => undefined, warn: () => undefined }
  : {
      info: (event, fields) => {
        console.log(`${new Date().toISOString()} ${event}${fmt(fields)}`);
      },
      warn: (event, fields) => {
        console.warn(`${new Date().toISOString()} WARN ${event}${fmt(fields)}`);
      },
    };

const maxFileBytes = Number(values['max-file-bytes'] ?? process.env.CHAT_MAX_FILE_BYTES ?? MAX_FILE_BYTES);
if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
  console.error(`Invalid --max-file-bytes "${String(values['max-file-bytes'] ?? process.env.CHAT_MAX_FILE_BYTES)}": use a whole number of bytes.`);
  process.exit(2);
}
const attachmentPort = Number(values['attachment-port'] ?? process.env.CHAT_ATTACHMENT_PORT ?? 0);
if (!Number.isInteger(attachmentPort) || attachmentPort < 0 || attachmentPort > 65535) {
  console.error(`Invalid --attachment-port "${String(values['attachment-port'] ?? process.env.CHAT_ATTACHMENT_PORT)}": use a number from 0 to 65535.`);
  process.exit(2);
}
const attachmentOrigin = values['attachment-origin'] ?? process.env.CHAT_ATTACHMENT_ORIGIN;
if (attachmentOrigin !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(attachmentOrigin)) {
  console.error(`Invalid --attachment-origin "${attachmentOrigin}": use an origin such as https://files.example.com.`);
  process.exit(2);
}

const publicUrl = values['public-url'] ?? process.env.CHAT_PUBLIC_URL;
if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) {
  console.error(`Invalid --public-url "${publicUrl}": use a URL such as https://chat.example.com.`);
  process.exit(2);
}

/** A limit from its flag or environment variable: a whole number of at least 1, or unset. */
function limit(flag: keyof typeof values, env: string): number | undefined {
  const raw = values[flag] ?? process.env[env];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`Invalid --${flag} "${String(raw)}": use a whole number of at least 1.`);
    process.exit(2);
  }
  return n;
}
const limits: Partial<RoomLimits> = {};
for (const [key, flag, env] of [
  ['connectionsPerTenant', 'connections-per-tenant', 'CHAT_CONNECTIONS_PER_TENANT'],
  ['connectionsPerUser', 'connections-per-user', 'CHAT_CONNECTIONS_PER_USER'],
  ['framesPerMinute', 'frames-per-minute', 'CHAT_FRAMES_PER_MINUTE'],
  ['typingPerSecond', 'typing-per-second', 'CHAT_TYPING_PER_SECOND'],
  ['chatStartsPerMinute', 'chat-starts-per-minute', 'CHAT_STARTS_PER_MINUTE'],
] as const) {
  const n = limit(flag, env);
  if (n !== undefined) limits[key] = n;
}
const overload: Partial<OverloadLimits> = {};
for (const [key, flag] of Object.entries(OVERLOAD_OPTION) as [keyof OverloadLimits, keyof typeof values][]) {
  const n = limit(flag, `CHAT_${flag.toUpperCase().replaceAll('-', '_')}`);
  if (n !== undefined) overload[key] = n;
}
const shutdownTimeoutMs = Number(process.env.CHAT_SHUTDOWN_TIMEOUT_MS ?? 4500);
if (!Number.isSafeInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 1) {
  console.error(`Invalid CHAT_SHUTDOWN_TIMEOUT_MS "${String(process.env.CHAT_SHUTDOWN_TIMEOUT_MS)}": use a whole number of milliseconds.`);
  process.exit(2);
}

let server;
try {
  server = await startChatServer({
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    dataDir,
    demo: values.demo,
    allowedOrigins: origins,
    maxFileBytes,
    attachmentPort,
    ...(attachmentOrigin !== undefined ? { attachmentOrigin } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    limits,
    overload,
    staticRoot: resolve(import.meta.dirname, '../..'),
    log,
    ...(process.env.CHAT_TEST_CLOCK === '1' ? { testClock: new OffsetClock() } : {}),
  });
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`Port ${String(port)} is already in use. Stop the other server or start with --port <free port>.`);
  else console.error(`The server could not start: ${e.message}`);
  process.exit(1);
}

const demoLines = values.demo
  ? `  Agent console (sample CRM page):  ${server.url}/demo/
  Customer website (chat widget):   ${server.url}/demo/customer.html
`
  : '';
console.log(`
crm-chat-elements reference server is running.

${demoLines}  Widget and console bundles:       ${server.url}/dist/cdn/
  Health:                           ${server.url}/health
  Attachments (download origin):    ${server.attachments.origin}

  Data: ${server.db.file} (${server.seeded ? 'created with the demo tenant' : 'reused'})${process.env.CHAT_TEST_CLOCK === '1' ? '\n  Test clock: on (POST /api/test/clock moves server time; tests only)' : ''}
  Press Ctrl-C to stop.
`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received: closing connections and the database…`);
  // Closing refuses new work and never waits behind the backlog; should it hang anyway, stop.
  setTimeout(() => {
    console.error(`Shutdown took longer than ${String(shutdownTimeoutMs)} ms: exiting now (acknowledged messages are on disk).`);
    process.exit(1);
  }, shutdownTimeoutMs).unref();
  server
    .close()
    .then(() => {
      console.log('Stopped cleanly.');
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error('Shutdown failed:', error);
      process.exit(1);
    });
};
process.on('SIGINT', () => {
  stop('SIGINT');
});
process.on('SIGTERM', () => {
  stop('SIGTERM');
});
