/**
 * Sequencing and resume: every sequenced stream (the board, each followed session) is applied
 * exactly once and in order. An event is applied when it follows the stream's position; an event
 * at or before the position is a duplicate and dropped; a later one is held while the gap before
 * it is filled (or, for a stream that cannot fetch a range, the stream is resynced); another
 * epoch means the local copy cannot be continued and a fresh snapshot replaces it.
 *
 * Which event follows which is the stream's own rule (`StreamHandler.follows`): gapless streams
 * (sessions, and the board today) follow `seq − 1`; a stream whose events carry the `seq` of the
 * previous event visible to this connection (the board once the server sends `prev`) follows
 * `prev`. Held events are kept by the position they follow, so both rules share one code path.
 *
 * Resume: after `welcome`, the connection is `resuming` until every stream the server replays has
 * reached its `toSeq` and every stream being reset has its snapshot; then it is `live`.
 */
import type { ResumeStatus } from '../protocol/index.js';

/** Where a stream's local copy stands. */
export interface StreamPosition {
  epoch: string;
  seq: number;
}

/** One event's place in its stream: `seq`, and `prev` when the wire carries it. */
export interface EventPlace {
  seq: number;
  prev?: number;
}

/** A stream's own rules, given by the slice that holds its data. */
export interface StreamHandler {
  /** The local copy's position, or undefined while there is none (a snapshot is awaited). */
  position(): StreamPosition | undefined;
  setPosition(seq: number): void;
  /** The position after which this event applies. */
  follows(event: EventPlace): number;
  /**
   * Fetches the events after `fromSeq` up to before `toSeq` and feeds them to `sequenced()`;
   * undefined when the stream cannot fetch a range (then it is resynced).
   */
  fill?(fromSeq: number, toSeq: number): Promise<void> | undefined;
  /** The local copy cannot be continued: get a fresh snapshot. */
  resync(): void;
  /** The server no longer serves this stream to us. */
  gone?(): void;
}

/** Gapless numbering: each event follows the one before it. */
export const gapless = (event: EventPlace): number => event.seq - 1;

interface Held {
  seq: number;
  apply: () => void;
}

export interface SequencerHooks {
  /** The handler of a stream (`board`, `session:<id>`), or undefined for a stream we do not keep. */
  stream(name: string): StreamHandler | undefined;
  /** True while the connection is `resuming`. */
  resuming(): boolean;
  /** Every stream has caught up: the connection is live. */
  live(): void;
}

export function createSequencer(hooks: SequencerHooks) {
  /** Streams waiting for their resume to finish: stream → seq to reach, or 'reset'. */
  const resuming = new Map<string, number | 'reset'>();
  /** Out-of-order events waiting for the gap before them to fill, per stream, by the position they follow. */
  const held = new Map<string, Map<number, Held>>();
  const gapFilling = new Set<string>();

  function maybeLive(): void {
    if (resuming.size > 0 || !hooks.resuming()) return;
    hooks.live();
  }

  function resumeProgress(stream: string, seq: number): void {
    const target = resuming.get(stream);
    if (typeof target === 'number' && seq >= target) {
      resuming.delete(stream);
      maybeLive();
    }
  }

  /**
   * Applies an event of a stream exactly once and in order: older or equal `seq` is a
   * duplicate and dropped; the next one is applied (then any held successors); a later one is
   * held while the gap before it is fetched; another epoch means the local copy cannot be
   * continued and is replaced by a fresh snapshot.
   */
  function sequenced(stream: string, epoch: string, place: EventPlace, apply: () => void): void {
    const handler = hooks.stream(stream);
    const pos = handler?.position();
    if (!handler || !pos || resuming.get(stream) === 'reset') return; // a snapshot is on its way; it covers this event
    if (epoch !== pos.epoch) {
      resync(stream);
      return;
    }
    if (place.seq <= pos.seq) return;
    const after = handler.follows(place);
    if (after !== pos.seq) {
      let h = held.get(stream);
      if (!h) held.set(stream, (h = new Map<number, Held>()));
      h.set(after, { seq: place.seq, apply });
      fillGap(stream, handler, pos.seq, place.seq);
      return;
    }
    apply();
    let last = place.seq;
    const h = held.get(stream);
    for (let next = h?.get(last); next; next = h?.get(last)) {
      h?.delete(last);
      next.apply();
      last = next.seq;
    }
    if (h?.size === 0) held.delete(stream);
    handler.setPosition(last);
    resumeProgress(stream, last);
  }

  function fillGap(stream: string, handler: StreamHandler, fromSeq: number, toSeq: number): void {
    if (gapFilling.has(stream)) return;
    const filling = handler.fill?.(fromSeq, toSeq);
    if (!filling) {
      resync(stream);
      return;
    }
    gapFilling.add(stream);
    filling.then(
      () => {
        gapFilling.delete(stream);
        const pos = handler.position();
        const h = held.get(stream);
        if (pos && h && h.size > 0) fillGap(stream, handler, pos.seq, Math.min(...[...h.values()].map((x) => x.seq)));
      },
      () => {
        gapFilling.delete(stream);
        // Offline or refused: the next resume or subscribe starts from a snapshot if needed.
      },
    );
  }

  /** The local copy of a stream cannot be continued: fetch a fresh snapshot. */
  function resync(stream: string): void {
    held.delete(stream);
    hooks.stream(stream)?.resync();
  }

  /** A snapshot (`reset`) of the stream was applied. */
  function snapshotApplied(stream: string): void {
    held.delete(stream);
    resuming.delete(stream);
    maybeLive();
  }

  /**
   * The server's resume answer (`welcome.resume`): streams it resets wait for their snapshot,
   * streams it replays wait until they reach `toSeq`; `gone` streams are dropped.
   */
  function welcome(resume: readonly ResumeStatus[]): void {
    resuming.clear();
    for (const r of resume) {
      if (r.status === 'gone') {
        hooks.stream(r.stream)?.gone?.();
        continue;
      }
      if (r.status === 'reset') {
        resuming.set(r.stream, 'reset');
        continue;
      }
      const current = hooks.stream(r.stream)?.position()?.seq;
      if (r.toSeq !== undefined && (current ?? 0) < r.toSeq) resuming.set(r.stream, r.toSeq);
    }
  }

  /** The stream will be reset (a snapshot follows) or replayed up to `toSeq`. */
  function expect(stream: string, target: number | 'reset'): void {
    resuming.set(stream, target);
  }

  /** The stream is no longer awaited (refused, gone). */
  function forget(stream: string): void {
    resuming.delete(stream);
    held.delete(stream);
    maybeLive();
  }

  /** The connection went down: nothing is awaited any more (the next welcome says what is). */
  function down(): void {
    resuming.clear();
    held.clear();
    gapFilling.clear();
  }

  return { sequenced, resync, snapshotApplied, welcome, expect, forget, maybeLive, down };
}

export type Sequencer = ReturnType<typeof createSequencer>;
