/**
 * The client's board under events, by board size: the time to apply one board event with the
 * indexes an agent's console observes (chats waiting for me, my chats, offers to me, their
 * counts, my agent record, one session), and the work counted per event. The same twelve changes
 * (test/helpers/board-load.ts: a chat arrives and is answered, customers and agents write, a
 * transfer is offered and taken, chats end and leave, agents change presence) are applied over
 * and over to boards of 100 to 50,000 sessions, where each index holds a quarter of the board
 * (the worst case for keeping them sorted).
 *
 * Reported per size (median and worst of the runs): µs per event, and per event the entries
 * looked at, the comparisons and the listener notifications. The time should stay flat as the
 * board grows; only the comparisons grow (binary search) and the copy of a changed index's row
 * array, which is a native copy of pointers.
 *
 *   node --import tsx bench/board.bench.ts [runs=5] [events=24000]
 */
import { boardScript, observedBoard } from '../test/helpers/board-load.js';

const RUNS = Number(process.argv[2] ?? 5);
const EVENTS = Number(process.argv[3] ?? 24_000);
const SIZES = [100, 1_000, 10_000, 50_000];

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const results = [];
for (const n of SIZES) {
  const times: number[] = [];
  let perEvent = { visited: 0, compared: 0, heard: 0, rebuilds: 0 };
  for (let run = 0; run < RUNS; run++) {
    const { board, work, heard, stop } = observedBoard(n);
    const script = boardScript(n);
    // Warm up once, so that the runs measure steady state (the script returns the board to a
    // state where it can run again: every step sets absolute values).
    for (const step of script) step(board);
    const start = { ...work, heard: heard() };
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) script[i % script.length]?.(board);
    times.push(((performance.now() - t0) * 1000) / EVENTS);
    perEvent = {
      visited: round((work.visited - start.visited) / EVENTS),
      compared: round((work.compared - start.compared) / EVENTS),
      heard: round((heard() - start.heard) / EVENTS),
      rebuilds: work.rebuilds - start.rebuilds,
    };
    stop();
  }
  results.push({
    sessions: n,
    usPerEvent: { median: round(median(times)), worst: round(Math.max(...times)) },
    perEvent,
  });
}

console.log(
  JSON.stringify(
    {
      benchmark: 'board',
      runs: RUNS,
      eventsPerRun: EVENTS,
      note: 'µs per board event with the console\'s indexes observed; per event: entries looked at, comparisons, listener notifications, rebuilds (whole run)',
      results,
    },
    null,
    2,
  ),
);
