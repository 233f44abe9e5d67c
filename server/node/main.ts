/**
 * The server command: starts the reference server with its SQLite storage (and, with --demo, the
 * demo tenant and pages). Run as `crm-chat-server [options]` (bin.ts; the npm package's bin) or,
 * in a checkout, `npm start` / `node --import tsx server/node/main.ts`.
 *
 * The options, their environment variables and defaults are listed once, in options.ts
 * (`crm-chat-server --help`; the table in docs/operations.md is generated from it).
 * Logs: JSON lines on stdout (log.ts); the start message below is plain text, once.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

import { MAX_FILE_BYTES } from '../../src/protocol/limits.js';
import { OffsetClock } from '../core/clock.js';
import type { OverloadLimits, RoomLimits } from '../core/room/index.js';
import { OVERLOAD_OPTION } from '../core/room/index.js';
import { trustList } from './client-address.js';
import { createLogger, isLogLevel, LOG_LEVELS } from './log.js';
import { edgeWorkerCount, parseServerOptions, usage } from './options.js';
import { startChatServer } from './server.js';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let values: ReturnType<typeof parseServerOptions>;
try {
  values = parseServerOptions(process.argv.slice(2), process.env);
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage()}`);
}
if (values.help === true) {
  console.log(usage());
  process.exit(0);
}
const text = (flag: string): string | undefined => values[flag] as string | undefined;
const list = (flag: string): string[] => (values[flag] as string[] | undefined) ?? [];

const port = Number(text('port') ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Invalid port "${String(text('port'))}": use a number from 0 to 65535.`);
const dataDir = resolve(text('data') ?? './data');
const origins = list('origin');

const level = values.quiet === true ? 'silent' : (text('log-level') ?? 'info');
if (!isLogLevel(level)) fail(`Invalid --log-level "${level}": use one of ${LOG_LEVELS.join(', ')}.`);
const logger = createLogger(level);

const maxFileBytes = Number(text('max-file-bytes') ?? MAX_FILE_BYTES);
if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) fail(`Invalid --max-file-bytes "${String(text('max-file-bytes'))}": use a whole number of bytes.`);
const attachmentPort = Number(text('attachment-port') ?? 0);
if (!Number.isInteger(attachmentPort) || attachmentPort < 0 || attachmentPort > 65535) fail(`Invalid --attachment-port "${String(text('attachment-port'))}": use a number from 0 to 65535.`);
const attachmentOrigin = text('attachment-origin');
if (attachmentOrigin !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(attachmentOrigin)) fail(`Invalid --attachment-origin "${attachmentOrigin}": use an origin such as https://files.example.com.`);
const publicUrl = text('public-url');
if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) fail(`Invalid --public-url "${publicUrl}": use a URL such as https://chat.example.com.`);
const trustProxy = list('trust-proxy');
try {
  trustList(trustProxy);
} catch (error) {
  fail((error as Error).message);
}
const metricsKey = text('metrics-key');
if (metricsKey !== undefined && metricsKey.length < 16) fail('Invalid --metrics-key: use at least 16 characters (e.g. openssl rand -hex 24).');

/** A whole number of at least 1 from its flag or environment variable, or unset. */
function count(flag: string): number | undefined {
  const raw = text(flag);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) fail(`Invalid --${flag} "${raw}": use a whole number of at least 1.`);
  return n;
}
const limits: Partial<RoomLimits> = {};
for (const [key, flag] of [
  ['connectionsPerTenant', 'connections-per-tenant'],
  ['connectionsPerUser', 'connections-per-user'],
  ['framesPerMinute', 'frames-per-minute'],
  ['typingPerSecond', 'typing-per-second'],
  ['chatStartsPerMinute', 'chat-starts-per-minute'],
] as const) {
  const n = count(flag);
  if (n !== undefined) limits[key] = n;
}
const overload: Partial<OverloadLimits> = {};
for (const [key, flag] of Object.entries(OVERLOAD_OPTION) as [keyof OverloadLimits, string][]) {
  const n = count(flag);
  if (n !== undefined) overload[key] = n;
}
const smtpUrl = text('smtp-url');
if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s/]+\/?(\?\S*)?$/.test(smtpUrl)) fail('Invalid --smtp-url: use smtp://[user:password@]host[:port] or smtps://….');
const mailFrom = text('mail-from') ?? 'chat@localhost';
const edgeWorkers = edgeWorkerCount(text('edge-workers'), availableParallelism());
if (edgeWorkers === undefined) fail(`Invalid --edge-workers "${String(text('edge-workers'))}": use auto or a whole number from 0 to 64.`);
const shutdownTimeoutMs = count('shutdown-timeout-ms') ?? 4500;
const signInFailuresPerMinute = count('sign-in-failures-per-minute');

let server;
try {
  server = await startChatServer({
    port,
    host: text('host') ?? '127.0.0.1',
    dataDir,
    demo: values.demo === true,
    demoTargets: values['demo-targets'] === true,
    demoSuperOffice: values['demo-superoffice'] === true,
    allowedOrigins: origins,
    maxFileBytes,
    attachmentPort,
    ...(attachmentOrigin !== undefined ? { attachmentOrigin } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    ...(smtpUrl !== undefined ? { mail: { url: smtpUrl, from: mailFrom } } : {}),
    limits,
    overload,
    edgeWorkers,
    staticRoot: resolve(import.meta.dirname, '../..'),
    logger,
    trustProxy,
    ...(signInFailuresPerMinute !== undefined ? { signInFailuresPerMinute } : {}),
    ...(metricsKey !== undefined ? { metricsKey } : {}),
    ...(process.env.CHAT_TEST_CLOCK === '1' ? { testClock: new OffsetClock() } : {}),
  });
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`Port ${String(port)} is already in use. Stop the other server or start with --port <free port>.`);
  else console.error(`The server could not start: ${e.message}`);
  logger.fatal({ event: 'server.failed', code: e.code, error: e.message }, 'server.failed');
  process.exit(1);
}

logger.info(
  { event: 'server.started', url: server.url, port: server.port, attachments: server.attachments.origin, data: server.db.file, logLevel: level, trustProxy: trustProxy.join(','), metrics: metricsKey !== undefined },
  'server.started',
);

const demoLines = values.demo === true
  ? `  Agent console (sample CRM page):  ${server.url}/demo/
  Customer website (chat widget):   ${server.url}/demo/customer.html
${server.superOfficeStandIn ? `  Console on the SuperOffice adapter: ${server.url}/demo/?crm=superoffice
    against the ${server.superOfficeStandIn.name}: ${server.superOfficeStandIn.webApiUrl}
` : ''}`
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
    logger.error({ event: 'server.shutdown_timeout', ms: shutdownTimeoutMs }, 'server.shutdown_timeout');
    console.error(`Shutdown took longer than ${String(shutdownTimeoutMs)} ms: exiting now (acknowledged messages are on disk).`);
    process.exit(1);
  }, shutdownTimeoutMs).unref();
  logger.info({ event: 'server.stopping', signal }, 'server.stopping');
  server
    .close()
    .then(() => {
      logger.info({ event: 'server.stopped' }, 'server.stopped');
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
