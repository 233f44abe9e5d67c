/**
 * Typing slice: who is typing in each session (from the server's `typing` frames, stale after
 * 6 s without news), and telling the other side that I type.
 */
import type { TypingEventFrame } from '../protocol/index.js';
import type { ChatSocket } from '../transport/socket.js';
import { keyed } from './keyed.js';
import type { TypingState } from './types.js';

const TYPING_TTL_MS = 6_000;

export function createTyping(socket: Pick<ChatSocket, 'send'>, live: () => boolean, now: () => number) {
  /** Who is typing per session. */
  const sessions = keyed<TypingState>();
  let sweep: ReturnType<typeof setInterval> | undefined;

  /** A `typing` frame: someone started or stopped typing. */
  function onTyping(frame: TypingEventFrame): void {
    sessions.set(frame.sessionId, frame.on ? { who: frame.who, ...(frame.preview !== undefined ? { preview: frame.preview } : {}), until: now() + TYPING_TTL_MS } : undefined);
  }

  /** Tells the other side I am typing (throttling is the caller's: see TYPING_THROTTLE_MS). */
  function typing(sessionId: string, on: boolean, preview?: string): void {
    if (!live()) return;
    socket.send({ t: 'typing', sessionId, on, ...(preview !== undefined ? { preview } : {}) });
  }

  function sweepTyping(): void {
    const t = now();
    for (const [id, state] of [...sessions.entries()]) {
      if (state.until < t) sessions.set(id, undefined);
    }
  }

  /** Nobody types in this session any more (their message arrived, or the session is gone). */
  function clear(sessionId: string, onlyCustomer = false): void {
    const state = sessions.get(sessionId);
    if (!state || (onlyCustomer && state.who.kind !== 'customer')) return;
    sessions.set(sessionId, undefined);
  }

  return {
    sessions,
    /** Who is typing, as one record built when read (elements follow one session: `sessions.item(id)`). */
    $typing: sessions.$all,
    onTyping,
    typing,
    clear,
    /** Stale indicators are swept once a second while connected. */
    start() {
      sweep ??= setInterval(sweepTyping, 1000);
    },
    stop() {
      clearInterval(sweep);
      sweep = undefined;
    },
    reset() {
      sessions.clear();
    },
  };
}

export type Typing = ReturnType<typeof createTyping>;
