/**
 * Every option of `crm-chat-server` (the server command), with its environment variable, default
 * and meaning: the one list that main.ts parses, `--help` prints, and docs/operations.md's table
 * is generated from (`npm run -s docs:options`; test/server/options.test.ts fails when the table
 * or the code's environment variables and this list disagree).
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  /** The flag without `--`. */
  flag: string;
  /** Its environment variable (the flag wins when both are given). */
  env?: string;
  /** `value`: one value; `list`: repeatable (the variable: comma separated); `switch`: on when given. */
  kind: 'value' | 'list' | 'switch';
  /** What the value looks like in help and docs (`N`, `DIR`, `URL`). */
  placeholder?: string;
  /** The default, as text for people. */
  default?: string;
  help: string;
}

export const SERVER_OPTIONS: readonly OptionSpec[] = [
  { flag: 'port', env: 'PORT', kind: 'value', placeholder: 'N', default: '8787', help: 'Port of the HTTP and WebSocket listener; 0 picks a free one (the start message and log say which).' },
  { flag: 'host', env: 'HOST', kind: 'value', placeholder: 'ADDR', default: '127.0.0.1', help: 'Address to listen on. Behind a reverse proxy on the same machine keep 127.0.0.1; `0.0.0.0` or `::` listens on every interface.' },
  { flag: 'data', env: 'CHAT_DATA_DIR', kind: 'value', placeholder: 'DIR', default: './data', help: 'The data folder: `chat.db` (SQLite), `attachments/`, `server.lock`. One server per folder.' },
  { flag: 'origin', env: 'CHAT_ALLOWED_ORIGINS', kind: 'list', placeholder: 'ORIGIN', help: 'An origin (e.g. `https://crm.example.com`) allowed to call the API and open sockets, for every tenant; repeatable. Tenants add their own through provisioning.' },
  { flag: 'public-url', env: 'CHAT_PUBLIC_URL', kind: 'value', placeholder: 'URL', help: 'Where browsers reach this server when a proxy serves it under another name (links to its own pages).' },
  { flag: 'trust-proxy', env: 'CHAT_TRUST_PROXY', kind: 'list', placeholder: 'ADDRS', help: 'Reverse proxies whose `X-Forwarded-For` is believed: addresses, CIDR ranges, `loopback`, `private`; repeatable. Rate limits and the access log then see the client\'s address, not the proxy\'s.' },
  { flag: 'max-file-bytes', env: 'CHAT_MAX_FILE_BYTES', kind: 'value', placeholder: 'N', default: '10485760', help: 'The largest attachment, in bytes.' },
  { flag: 'attachment-port', env: 'CHAT_ATTACHMENT_PORT', kind: 'value', placeholder: 'N', default: '0 (a free port)', help: 'Port of the attachment listener (downloads are served on their own origin, sandboxed).' },
  { flag: 'attachment-origin', env: 'CHAT_ATTACHMENT_ORIGIN', kind: 'value', placeholder: 'ORIGIN', help: 'Public origin of the attachment listener behind a proxy, e.g. `https://files.example.com`.' },
  { flag: 'connections-per-tenant', env: 'CHAT_CONNECTIONS_PER_TENANT', kind: 'value', placeholder: 'N', default: '30000', help: 'Open sockets of one tenant, agents and customers together (docs/protocol.md § 9.1).' },
  { flag: 'connections-per-user', env: 'CHAT_CONNECTIONS_PER_USER', kind: 'value', placeholder: 'N', default: '10', help: 'Open sockets of one agent, or of one chat\'s customer.' },
  { flag: 'frames-per-minute', env: 'CHAT_FRAMES_PER_MINUTE', kind: 'value', placeholder: 'N', default: '600', help: 'Frames one connection may send per minute (typing apart).' },
  { flag: 'typing-per-second', env: 'CHAT_TYPING_PER_SECOND', kind: 'value', placeholder: 'N', default: '4', help: 'Typing frames relayed per connection and second.' },
  { flag: 'chat-starts-per-minute', env: 'CHAT_STARTS_PER_MINUTE', kind: 'value', placeholder: 'N', default: '20', help: 'Chats one client address may start per minute in a tenant.' },
  { flag: 'inbox-frames', env: 'CHAT_INBOX_FRAMES', kind: 'value', placeholder: 'N', default: '20000', help: 'Under overload, all tenants together (docs/protocol.md § 9.2): frames waiting for the group commit; above it new work is refused with `overloaded`.' },
  { flag: 'inbox-bytes', env: 'CHAT_INBOX_BYTES', kind: 'value', placeholder: 'N', default: '33554432 (32 MiB)', help: 'Under overload: the size of the frames waiting (UTF-16 units).' },
  { flag: 'connection-frames', env: 'CHAT_CONNECTION_FRAMES', kind: 'value', placeholder: 'N', default: '200', help: 'Under overload: frames of one connection waiting.' },
  { flag: 'queue-ms', env: 'CHAT_QUEUE_MS', kind: 'value', placeholder: 'N', default: '200', help: 'Under overload: the longest a frame may wait (measured or estimated) before new work is refused with `overloaded`.' },
  { flag: 'batch-frames', env: 'CHAT_BATCH_FRAMES', kind: 'value', placeholder: 'N', default: '2000', help: 'Frames one group commit takes at most before the event loop turns.' },
  { flag: 'batch-ms', env: 'CHAT_BATCH_MS', kind: 'value', placeholder: 'N', default: '25', help: 'Milliseconds one group commit may take before it commits and lets the event loop turn.' },
  { flag: 'edge-workers', env: 'CHAT_EDGE_WORKERS', kind: 'value', placeholder: 'N', default: 'auto (1 with 2 or more cores, else 0)', help: 'A number or `auto`: edge processes that own the WebSockets (handshake, framing, heartbeat, decoding) while this process keeps the rooms and the database; 0: one process. More than one helps only with more than 2 cores (docs/architecture.md, "Processes of the Node host"; measured in docs/benchmarks.md).' },
  { flag: 'shutdown-timeout-ms', env: 'CHAT_SHUTDOWN_TIMEOUT_MS', kind: 'value', placeholder: 'N', default: '4500', help: 'On SIGTERM/SIGINT the server exits within this long even if closing hangs (every acknowledged message is on disk before its ack, so this loses none).' },
  { flag: 'sign-in-failures-per-minute', env: 'CHAT_SIGN_IN_FAILURES_PER_MINUTE', kind: 'value', placeholder: 'N', default: '30', help: 'Refused agent sign-ins (`POST /api/auth/jwt`) one client address may make per minute; then 429 until the minute ends.' },
  { flag: 'metrics-key', env: 'CHAT_METRICS_KEY', kind: 'value', placeholder: 'KEY', help: 'Turns on `GET /metrics` (Prometheus), for callers that send `Authorization: Bearer KEY`; without it /metrics answers 404. At least 16 characters.' },
  { flag: 'smtp-url', env: 'CHAT_SMTP_URL', kind: 'value', placeholder: 'URL', help: 'Outgoing mail (the chat transcript a customer asks for): `smtp://[user:password@]host[:port]` or `smtps://…`. Unset: no transcript is offered. Prefer the variable when it holds a password.' },
  { flag: 'mail-from', env: 'CHAT_MAIL_FROM', kind: 'value', placeholder: 'ADDRESS', default: 'chat@localhost', help: 'The sender of that mail, e.g. `Nordlys chat <chat@example.com>`.' },
  { flag: 'log-level', env: 'CHAT_LOG_LEVEL', kind: 'value', placeholder: 'LEVEL', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent. JSON lines on stdout; probes (/health, /ready, /metrics) are logged at debug.' },
  { flag: 'quiet', kind: 'switch', help: 'The same as `--log-level silent`.' },
  { flag: 'demo', kind: 'switch', help: 'Create the demo tenant (once per data folder) and turn on the demo pages\' sign-in helpers. Not for production.' },
  { flag: 'demo-targets', kind: 'switch', help: 'With `--demo`: give the demo\'s Support channel reply targets (first 1 min, next 2 min) and priority rules while it has none, so the console shows reply timers and the target cards. `npm start` sets it.' },
  { flag: 'demo-superoffice', kind: 'switch', help: 'With `--demo`: also start the SuperOffice stand-in (local, not SuperOffice; docs/superoffice.md) on a free port of the same host, so the sample CRM page can put the SuperOffice adapter behind its console (`/demo/?crm=superoffice`). `npm start` sets it.' },
  { flag: 'help', kind: 'switch', help: 'Print the options and exit.' },
];

/** Settings that only an environment variable gives (secrets stay out of `ps` and shell history). */
export const ENVIRONMENT_ONLY: readonly { env: string; help: string }[] = [
  { env: 'CHAT_TOKEN_SECRET', help: 'The HMAC key of access tokens and tickets. Unset: one is generated once and kept in the database (so a backup carries it). Set it to rotate the key: every signed-in user signs in again.' },
  { env: 'CHAT_API_KEY_PEPPER', help: 'The HMAC key of stored provisioning API keys (docs/provisioning.md § 2). Unset: generated once and kept in the database. Changing it invalidates every API key.' },
  { env: 'CHAT_TEST_CLOCK', help: 'TEST ONLY: `1` runs the server on a clock that `POST /api/test/clock {advanceMs}` moves forward. Never in production.' },
];

export type ParsedOptions = Record<string, string | string[] | boolean | undefined>;

/** Parses argv with {@link SERVER_OPTIONS}: flag values, else the environment. Throws on an unknown flag. */
export function parseServerOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(SERVER_OPTIONS.map((o) => [o.flag, o.kind === 'switch' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: o.kind === 'list' }])),
  });
  const out: ParsedOptions = {};
  for (const o of SERVER_OPTIONS) {
    const given = values[o.flag];
    const fromEnv = o.env === undefined ? undefined : env[o.env];
    if (o.kind === 'list') {
      const list = [...((given as string[] | undefined) ?? []), ...(fromEnv ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
      out[o.flag] = list;
    } else if (o.kind === 'switch') out[o.flag] = given === true;
    else out[o.flag] = (given as string | undefined) ?? (fromEnv === '' ? undefined : fromEnv);
  }
  return out;
}

/** `crm-chat-server --help`. */
export function usage(): string {
  const lines = ['Usage: crm-chat-server [options]             run the server', '       crm-chat-server admin <command> …     the operator CLI (admin help)', '       crm-chat-server backup FILE | restore FILE [--data DIR]', '       crm-chat-server --version', '', 'Options (environment variable in brackets):'];
  for (const o of SERVER_OPTIONS) {
    const name = `--${o.flag}${o.placeholder ? ` ${o.placeholder}` : ''}`;
    lines.push(`  ${name.padEnd(36)}${o.env ? `[${o.env}] ` : ''}${o.help.replace(/`/g, '')}${o.default ? ` Default: ${o.default}.` : ''}`);
  }
  lines.push('', 'Environment only:');
  for (const e of ENVIRONMENT_ONLY) lines.push(`  ${e.env.padEnd(36)}${e.help.replace(/`/g, '')}`);
  return lines.join('\n');
}

/** The Markdown table of docs/operations.md (between its `options` markers). */
export function optionsMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = ['| option | environment variable | default | what |', '|---|---|---|---|'];
  for (const o of SERVER_OPTIONS) {
    rows.push(`| \`--${o.flag}${o.placeholder ? ` ${o.placeholder}` : ''}\`${o.kind === 'list' ? ' (repeatable)' : ''} | ${o.env ? `\`${o.env}\`${o.kind === 'list' ? ' (comma separated)' : ''}` : ''} | ${o.default ? cell(o.default) : ''} | ${cell(o.help)} |`);
  }
  for (const e of ENVIRONMENT_ONLY) rows.push(`| | \`${e.env}\` | | ${cell(e.help)} |`);
  return rows.join('\n');
}

/**
 * The number of edge processes for `--edge-workers` (`auto` or unset: one when the machine has 2
 * or more cores, none on one core, where the edge would only compete with the primary); undefined
 * for a value that is not `auto` or a whole number from 0 to 64.
 */
export function edgeWorkerCount(value: string | undefined, cores: number): number | undefined {
  if (value === undefined || value === 'auto') return cores >= 2 ? 1 : 0;
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 64 ? n : undefined;
}
