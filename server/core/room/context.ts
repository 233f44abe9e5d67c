/**
 * The {@link RoomContext} of a composition root (`ChatRoom`, `ConversationHost`): what it was
 * given, its clock as `now`, and the one transaction helper every module uses.
 */
import type { After, RoomContext } from './types.js';

export function roomContext(parts: Omit<RoomContext, 'now' | 'tx'>): RoomContext {
  const { clock, store } = parts;
  return {
    ...parts,
    now: () => clock.now(),
    tx: <T>(fn: (after: After[]) => T): T => {
      const after: After[] = [];
      // Inside a batch this is a savepoint: a refused frame rolls back alone. The callbacks run
      // now either way (recipients are decided at this point of the stream); inside a batch the
      // frames they send are held until the batch has committed (Connections.hold).
      const result = store.db.transaction(() => fn(after));
      for (const run of after) run();
      return result;
    },
  };
}
