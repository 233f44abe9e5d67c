/**
 * The server's structured logs: one JSON object per line on stdout (pino), for journald, Docker,
 * Loki and friends. Every line has `level` (a name), `time` (ISO 8601), `pid`, `event` (what
 * happened, e.g. `http`, `chat.identity`, `ws.refused`) and the event's fields; `msg` repeats
 * `event` for viewers that show only `msg`.
 *
 * - The room's log (RoomLogger: `info`/`warn`) writes through it.
 * - The access log is one `http` line per request (http-log.ts decides its fields and level).
 *
 * Levels: fatal, error, warn, info (default), debug, trace, silent (`--log-level`,
 * `CHAT_LOG_LEVEL`). Probes (/health, /ready, /metrics) are logged at debug, so info stays about
 * traffic.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

import type { RoomLogger } from '../core/room/index.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | undefined>;

/** What the Node host writes to: the room's two levels plus the ones HTTP needs. */
export interface ServerLogger extends RoomLogger {
  error(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** A pino logger writing JSON lines to `destination` (default: stdout, synchronously per line). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** The host's logger over pino: `event` plus fields, `msg` = event. */
export function serverLogger(logger: Logger): ServerLogger {
  const at =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (event: string, fields?: LogFields): void => {
      if (logger.isLevelEnabled(level)) logger[level]({ event, ...fields }, event);
    };
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

/** A logger that writes nothing (tests and embedders who pass no logger). */
export const silentServerLogger: ServerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

/** A RoomLogger (what embedders passed before) as a ServerLogger: error → warn, debug dropped. */
export function fromRoomLogger(log: RoomLogger): ServerLogger {
  return {
    info: (e, f) => {
      log.info(e, defined(f));
    },
    warn: (e, f) => {
      log.warn(e, defined(f));
    },
    error: (e, f) => {
      log.warn(e, defined(f));
    },
    debug: () => undefined,
  };
}

function defined(fields: LogFields | undefined): Record<string, string | number | boolean> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
