/**
 * The opening tail of chat-message-list: when a chat opens at its newest message, the list first
 * shows only its newest rows, in plain flow and held at the bottom by CSS (`.list--tail` in the
 * styles), rendered in the same task as the rest of the conversation. No scroll position is read
 * or written and nothing waits for the virtualizer's measure → layout → measure cycles (each
 * costing forced layouts and a frame), so the newest message is in the very first frame.
 *
 * Once that frame is shown and the browser is idle (or at once when the user starts to scroll),
 * the list hands over to the virtualizer, holding the newest row at the bottom. The virtualizer
 * renders with estimated heights in that task and measures its rows in the resize observations of
 * the next frame, before that frame is painted: every row shows where the tail showed it, so the
 * hand-over moves nothing on screen (the tests check it frame by frame).
 */

/** Fewest pixels a row takes (a one-line continued message or a system line is taller). */
const MIN_ROW_PX = 24;
/** Most rows in the tail (a very tall window). */
const MAX_TAIL_ROWS = 80;
/** Longest wait for an idle moment after the first frame before handing over anyway. */
const HANDOVER_TIMEOUT_MS = 150;

/**
 * How many of the newest rows surely fill a list `height` px high: as many of the smallest rows as
 * fit, plus one. Without a height (not laid out), as high as the window.
 */
export function tailRowCount(height?: number): number {
  if (height === undefined || height <= 0) height = typeof window === 'undefined' ? 900 : window.innerHeight || 900;
  return Math.max(1, Math.min(MAX_TAIL_ROWS, Math.ceil(height / MIN_ROW_PX) + 1));
}

/**
 * Runs `task` once the next frame has been rendered and the browser is idle (at the latest
 * HANDOVER_TIMEOUT_MS after that frame). Returns a function that cancels it.
 */
export function afterFirstFrame(task: () => void): () => void {
  let cancelled = false;
  let idle: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (!cancelled) task();
  };
  const frame = requestAnimationFrame(() => {
    if (cancelled) return;
    if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(run, { timeout: HANDOVER_TIMEOUT_MS });
    else timer = setTimeout(run, 0);
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
    if (idle !== undefined) cancelIdleCallback(idle);
    clearTimeout(timer);
  };
}
