/**
 * The sequencer with each stream's own "follows" rule: gapless numbering (sessions, the board
 * today) and numbering by `prev` (the board once the server sends the seq of the previous board
 * event this connection may see, so seq has gaps that are not losses).
 */
import { expect } from '@open-wc/testing';

import type { EventPlace, StreamHandler, StreamPosition } from '../../src/state/sequencer.js';
import { createSequencer, gapless } from '../../src/state/sequencer.js';

function stream(follows: (e: EventPlace) => number, canFill: boolean) {
  let position: StreamPosition | undefined = { epoch: 'B1', seq: 10 };
  const log = { applied: [] as number[], resyncs: 0, fills: [] as [number, number][] };
  const handler: StreamHandler = {
    position: () => position,
    setPosition(seq) {
      if (position) position = { epoch: position.epoch, seq };
    },
    follows,
    fill: canFill
      ? (from, to) => {
          log.fills.push([from, to]);
          return new Promise<void>(() => undefined); // stays pending: the held events wait
        }
      : undefined,
    resync() {
      log.resyncs += 1;
      position = undefined;
    },
  };
  return { handler, log };
}

function sequencerFor(handler: StreamHandler) {
  let live = 0;
  const sequencer = createSequencer({ stream: (name) => (name === 'board' ? handler : undefined), resuming: () => true, live: () => (live += 1) });
  return { sequencer, lives: () => live };
}

describe('sequencer', () => {
  it('gapless: applies in order, drops duplicates, holds a later event while the gap is fetched', () => {
    const { handler, log } = stream(gapless, true);
    const { sequencer } = sequencerFor(handler);
    const push = (seq: number) => {
      sequencer.sequenced('board', 'B1', { seq }, () => log.applied.push(seq));
    };
    push(11);
    push(11);
    push(13);
    expect(log.applied).to.deep.equal([11]);
    expect(log.fills).to.deep.equal([[11, 13]]);
    push(12);
    expect(log.applied).to.deep.equal([11, 12, 13]);
    expect(handler.position()?.seq).to.equal(13);
  });

  it('by prev: applies an event whose prev is the position, even when seq jumps', () => {
    const { handler, log } = stream((e) => e.prev ?? e.seq - 1, false);
    const { sequencer } = sequencerFor(handler);
    const push = (seq: number, prev: number) => {
      sequencer.sequenced('board', 'B1', { seq, prev }, () => log.applied.push(seq));
    };
    push(14, 10); // events 11–13 were for others: not a gap
    push(14, 10); // duplicate
    push(9, 8); // old
    push(20, 14);
    expect(log.applied).to.deep.equal([14, 20]);
    expect(handler.position()?.seq).to.equal(20);
    expect(log.resyncs).to.equal(0);
  });

  it('by prev: an event after a missing one holds, and a stream that cannot fetch a range resyncs', () => {
    const { handler, log } = stream((e) => e.prev ?? e.seq - 1, false);
    const { sequencer } = sequencerFor(handler);
    sequencer.sequenced('board', 'B1', { seq: 30, prev: 25 }, () => log.applied.push(30));
    expect(log.applied).to.deep.equal([]);
    expect(log.resyncs).to.equal(1);
  });

  it('by prev: held successors apply once the missing event arrives', () => {
    const { handler, log } = stream((e) => e.prev ?? e.seq - 1, true);
    const { sequencer } = sequencerFor(handler);
    sequencer.sequenced('board', 'B1', { seq: 17, prev: 15 }, () => log.applied.push(17));
    sequencer.sequenced('board', 'B1', { seq: 21, prev: 17 }, () => log.applied.push(21));
    expect(log.applied).to.deep.equal([]);
    sequencer.sequenced('board', 'B1', { seq: 15, prev: 10 }, () => log.applied.push(15));
    expect(log.applied).to.deep.equal([15, 17, 21]);
    expect(handler.position()?.seq).to.equal(21);
  });

  it('another epoch resyncs; resume reaches live when the stream catches up', () => {
    const { handler, log } = stream(gapless, true);
    const { sequencer, lives } = sequencerFor(handler);
    sequencer.welcome([{ stream: 'board', status: 'replay', toSeq: 12 }]);
    sequencer.sequenced('board', 'B1', { seq: 11 }, () => log.applied.push(11));
    expect(lives()).to.equal(0);
    sequencer.sequenced('board', 'B1', { seq: 12 }, () => log.applied.push(12));
    expect(lives()).to.equal(1);
    sequencer.sequenced('board', 'B2', { seq: 13 }, () => log.applied.push(13));
    expect(log.resyncs).to.equal(1);
    expect(log.applied).to.deep.equal([11, 12]);
  });
});
