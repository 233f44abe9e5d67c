/**
 * Views over a keyed collection that keep up with it one change at a time.
 *
 * `sortedView` holds the rows of the entries that pass a filter, in order. A change of one entry
 * costs one `select`, a binary search to take its old row out and one to put the new row in, and a
 * copy of the row array (whoever holds the previous array keeps seeing it unchanged); it never
 * rescans the collection. A change that leaves the row the same (`same`) changes nothing, and no
 * listener hears of it. `countView` only counts: O(1) a change.
 *
 * Both are lazy: they follow the collection only while observed; read without listeners, they
 * are rebuilt. What they depend on besides the entries (who I am, my channels) comes as a store
 * of the spec: when it changes, they are rebuilt.
 */
import type { ReadableAtom } from 'nanostores';
import { atom, onMount } from 'nanostores';

import type { ReadonlyKeyed, WorkCounter } from './keyed.js';

export interface ViewSpec<T, R> {
  /** The entry's row in this view, or undefined when the entry is not in it. */
  select(entry: T): R | undefined;
  /** A total order of rows (break ties by id, so that a row's place is exact). */
  order(a: R, b: R): number;
  /** Rows that show the same (default: the same object): a change between them changes nothing. */
  same?(a: R, b: R): boolean;
}

/** Index of `row` in `rows` (sorted by `order`), or where it would go. */
function place<R>(rows: readonly R[], row: R, order: (a: R, b: R) => number, work: WorkCounter): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    work.compared += 1;
    if (order(rows[mid] as R, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Follows `source` while `$view` is observed; `rebuild` runs on mount, on a reset of the source and when the spec changes. */
function follow<T, S>(
  $view: ReadableAtom<unknown>,
  source: ReadonlyKeyed<T>,
  $spec: ReadableAtom<S>,
  setSpec: (spec: S) => void,
  rebuild: () => void,
  change: (id: string, next: T | undefined) => void,
): void {
  onMount($view, () => {
    setSpec($spec.get());
    rebuild();
    const stopSource = source.watch({ change, reset: rebuild });
    const stopSpec = $spec.listen((next) => {
      setSpec(next);
      rebuild();
    });
    return () => {
      stopSource();
      stopSpec();
    };
  });
}

/** The rows of `source` that the spec selects, in its order. */
export function sortedView<T, R>(source: ReadonlyKeyed<T>, $spec: ReadableAtom<ViewSpec<T, R>>, work: WorkCounter): ReadableAtom<readonly R[]> {
  const $rows = atom<readonly R[]>([]);
  const rowOf = new Map<string, R>();
  let spec = $spec.get();

  function rebuild(): void {
    work.rebuilds += 1;
    rowOf.clear();
    const rows: R[] = [];
    for (const [id, entry] of source.entries()) {
      work.visited += 1;
      const row = spec.select(entry);
      if (row === undefined) continue;
      rowOf.set(id, row);
      rows.push(row);
    }
    rows.sort((a, b) => {
      work.compared += 1;
      return spec.order(a, b);
    });
    $rows.set(rows);
  }

  function change(id: string, next: T | undefined): void {
    work.visited += 1;
    const before = rowOf.get(id);
    const after = next === undefined ? undefined : spec.select(next);
    if (before === undefined && after === undefined) return;
    if (before !== undefined && after !== undefined && (spec.same ? spec.same(before, after) : before === after)) return;
    const rows = $rows.get().slice();
    if (before !== undefined) {
      let at = place(rows, before, spec.order, work);
      if (rows[at] !== before) {
        // Only when `order` is not a total order of the rows: find it the long way.
        work.visited += rows.length;
        at = rows.indexOf(before);
      }
      if (at >= 0) rows.splice(at, 1);
    }
    if (after === undefined) rowOf.delete(id);
    else {
      rowOf.set(id, after);
      rows.splice(place(rows, after, spec.order, work), 0, after);
    }
    $rows.set(rows);
  }

  follow($rows, source, $spec, (s) => (spec = s), rebuild, change);
  return $rows;
}

/** How many entries of `source` pass `test` (its listeners hear only when the number changes). */
export function countView<T>(source: ReadonlyKeyed<T>, $test: ReadableAtom<(entry: T) => boolean>, work: WorkCounter): ReadableAtom<number> {
  const $count = atom(0);
  const counted = new Set<string>();
  let test = $test.get();

  function rebuild(): void {
    work.rebuilds += 1;
    counted.clear();
    for (const [id, entry] of source.entries()) {
      work.visited += 1;
      if (test(entry)) counted.add(id);
    }
    $count.set(counted.size);
  }

  function change(id: string, next: T | undefined): void {
    work.visited += 1;
    if (next !== undefined && test(next)) counted.add(id);
    else counted.delete(id);
    $count.set(counted.size);
  }

  follow($count, source, $test, (t) => (test = t), rebuild, change);
  return $count;
}
