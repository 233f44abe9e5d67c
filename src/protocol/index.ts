/**
 * Wire protocol v2 (`PROTOCOL_VERSION`): limits, domain records, frames and the safe decoder.
 * Shared by the browser client (`src/state`, `src/transport`) and the server (`server/`).
 */
export * from './attachments.js';
export * from './codec.js';
export * from './limits.js';
export * from './model.js';
export * from './priority.js';
export * from './replies.js';
export * from './routing.js';
export * from './server-frames.js';
export * from './stats.js';
export type {
  ClientFrame,
  CommandFrame,
  CommandType,
  HelloFrame,
  HistoryFrame,
  SendFrame,
  SubscribeFrame,
  TransferFrame,
  TransferTarget,
  TypingFrame,
} from './client-frames.js';

/** Stream name of a session's message stream. */
export const sessionStream = (sessionId: string): `session:${string}` => `session:${sessionId}`;
/** Session id of a `session:<id>` stream name, or undefined. */
export function streamSessionId(stream: string): string | undefined {
  return stream.startsWith('session:') ? stream.slice('session:'.length) : undefined;
}
