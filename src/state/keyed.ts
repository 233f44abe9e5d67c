/**
 * A collection by id that changes one entry at a time in O(1): a `Map`, a small store per entry
 * that someone follows (`item(id)`), a version for the whole, and change watchers through which
 * indexes and views keep up incrementally. Used for the board's sessions and agents, and for the
 * messages and typing state of followed sessions.
 *
 * `$all` is the whole collection as a plain record, for hosts and tests that want one. It is built
 * when read after a change (O(n)), so nothing that runs per event should observe it: elements read
 * `item(id)` or a view.
 */
import type { ReadableAtom, WritableAtom } from 'nanostores';
import { atom, computed } from 'nanostores';

/** Counts the work done for changes (see docs/architecture.md "Client core"); never a timing. */
export interface WorkCounter {
  /** Entries looked at: by a change, an index or a view (a rebuild looks at every entry). */
  visited: number;
  /** Comparisons made to keep sorted views in order. */
  compared: number;
  /** Full rebuilds of an index or view (on a snapshot, or when what it depends on changed). */
  rebuilds: number;
}

export const newWorkCounter = (): WorkCounter => ({ visited: 0, compared: 0, rebuilds: 0 });

export interface KeyedWatcher<T> {
  /** One entry changed: `next` undefined when it was removed, `prev` undefined when it is new. */
  change(id: string, next: T | undefined, prev: T | undefined): void;
  /** Many entries changed at once (a snapshot): rebuild from `values()`. */
  reset(): void;
}

/** What a keyed collection offers to those who read it (hosts, views). */
export interface ReadonlyKeyed<T> {
  get(id: string): T | undefined;
  has(id: string): boolean;
  readonly size: number;
  values(): IterableIterator<T>;
  entries(): IterableIterator<[string, T]>;
  /** One entry as a store: its listeners hear about that entry only. */
  item(id: string): ReadableAtom<T | undefined>;
  /** Changes once per change of any entry. */
  readonly $version: ReadableAtom<number>;
  /** The whole collection as a record, built when read after a change (O(n)). */
  readonly $all: ReadableAtom<Readonly<Record<string, T>>>;
  watch(watcher: KeyedWatcher<T>): () => void;
}

export interface Keyed<T> extends ReadonlyKeyed<T> {
  set(id: string, value: T | undefined): void;
  /** Sets many entries; with `replace`, every other entry goes. Watchers rebuild once. */
  setMany(entries: Iterable<T>, replace?: boolean): void;
  clear(): void;
}

/** Many changes at once are applied as a rebuild of the watchers rather than one by one. */
const BULK = 32;

export function keyed<T>(idOf: (value: T) => string = () => {
  throw new Error('keyed: setMany needs idOf');
}): Keyed<T> {
  const entries = new Map<string, T>();
  const items = new Map<string, WritableAtom<T | undefined>>();
  const watchers = new Set<KeyedWatcher<T>>();
  const $version = atom(0);
  const bump = () => {
    $version.set($version.get() + 1);
  };

  function set(id: string, value: T | undefined): void {
    const prev = entries.get(id);
    if (prev === value) return;
    if (value === undefined) entries.delete(id);
    else entries.set(id, value);
    const item = items.get(id);
    if (item) {
      item.set(value);
      if (value === undefined && item.lc === 0) items.delete(id);
    }
    for (const w of watchers) w.change(id, value, prev);
    bump();
  }

  function setMany(list: Iterable<T>, replace = false): void {
    const next = [...list];
    if (!replace && next.length <= BULK) {
      for (const value of next) set(idOf(value), value);
      return;
    }
    if (replace) entries.clear();
    for (const value of next) entries.set(idOf(value), value);
    for (const [id, item] of items) {
      item.set(entries.get(id));
      if (!entries.has(id) && item.lc === 0) items.delete(id);
    }
    for (const w of watchers) w.reset();
    bump();
  }

  return {
    get: (id) => entries.get(id),
    has: (id) => entries.has(id),
    get size() {
      return entries.size;
    },
    values: () => entries.values(),
    entries: () => entries.entries(),
    item(id) {
      let item = items.get(id);
      if (!item) items.set(id, (item = atom<T | undefined>(entries.get(id))));
      return item;
    },
    $version,
    $all: computed($version, () => Object.fromEntries(entries)),
    watch(watcher) {
      watchers.add(watcher);
      return () => {
        watchers.delete(watcher);
      };
    },
    set,
    setMany,
    clear: () => {
      setMany([], true);
    },
  };
}
