/**
 * The row model of chat-message-list: the transcript's messages (grouped, the "new messages"
 * divider, "Seen" on my newest read message) and then my pending messages not in it yet. Rebuilt
 * only when what the rows depend on changed; new messages at the end extend the rows already built.
 */
import type { ChatMessage } from '../../protocol/model.js';
import type { OutboxItem } from '../../state/types.js';
import type { MessageRow, PendingRow, Row } from './message-rows.js';
import { messageKey, sameGroup } from './message-rows.js';

/** What the rows are made of. */
export interface RowInputs {
  items: readonly ChatMessage[];
  /** My pending messages of the chat (those already in the transcript are left out). */
  mine: readonly OutboxItem[];
  meId: string | undefined;
  readSeq: number;
  /** Key of the message the "new messages" divider goes above. */
  divider: string | undefined;
}

/** The first of the newest `unread` customer messages (the divider goes above it). */
export function findDivider(items: readonly ChatMessage[], unread: number): string | undefined {
  if (unread <= 0) return undefined;
  let count = 0;
  let key: string | undefined;
  for (let i = items.length - 1; i >= 0 && count < unread; i -= 1) {
    const m = items[i];
    if (m?.author.kind !== 'customer') continue;
    count += 1;
    key = messageKey(m);
  }
  return key;
}

/** How many messages after `lastKey` are not mine (for the "Jump to latest" count). */
export function countNew(items: readonly ChatMessage[], lastKey: string, me: string | undefined): number {
  let n = 0;
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const m = items[i];
    if (!m || messageKey(m) === lastKey) break;
    if (!(m.author.kind === 'agent' && m.author.id === me)) n += 1;
  }
  return n;
}

/** Index of the row with `key`, looked for from the end (the tail may have holes before it). */
export function indexOfKey(rows: readonly Row[], key: string | undefined): number {
  if (key === undefined) return -1;
  for (let i = rows.length - 1; i >= 0; i -= 1) if (rows[i]?.key === key) return i;
  return -1;
}

/**
 * Rows for `items` from index `from` on (`seenIndex`: the row that gets "Seen"). For a first
 * build from `from > 0` (`holes`), the array starts with `from` holes, so that indexes match.
 */
function buildMessageRows(items: readonly ChatMessage[], from: number, seenIndex: number, divider: string | undefined, holes = false): MessageRow[] {
  const out: MessageRow[] = holes ? new Array<MessageRow>(from) : [];
  let prev = from > 0 ? items[from - 1] : undefined;
  for (let i = from; i < items.length; i += 1) {
    const message = items[i];
    if (!message) continue;
    const key = messageKey(message);
    out.push({ type: 'message', key, message, cont: sameGroup(prev, message), divider: key === divider, seen: i === seenIndex });
    prev = message;
  }
  return out;
}

export class TranscriptRows {
  private cmidCache: { items?: readonly ChatMessage[]; cmids: Set<string> } = { cmids: new Set() };
  private cache: {
    deps: unknown[];
    rows: Row[];
    messageRows: MessageRow[];
    items?: readonly ChatMessage[];
    meId?: string | undefined;
    readSeq?: number;
    divider?: string | undefined;
    /** Every row is built (not only the tail's, see build()). */
    complete: boolean;
  } = { deps: [], rows: [], messageRows: [], complete: true };

  /** The rows as last built. */
  get rows(): Row[] {
    return this.cache.rows;
  }

  /** A fresh copy of the same rows: makes the virtualizer measure the list again. */
  relayout(): void {
    this.cache = { ...this.cache, rows: this.cache.rows.slice() };
  }

  /** My pending messages of the chat that are not in its transcript yet. */
  pendingItems(items: readonly ChatMessage[] | undefined, mine: readonly OutboxItem[]): readonly OutboxItem[] {
    // Nothing pending here (the usual case): no need to look through the transcript.
    if (mine.length === 0) return mine;
    if (this.cmidCache.items !== items) {
      const cmids = new Set<string>();
      for (const m of items ?? []) if (m.cmid !== undefined) cmids.add(m.cmid);
      this.cmidCache = { cmids, ...(items ? { items } : {}) };
    }
    const cmids = this.cmidCache.cmids;
    return mine.filter((i) => !cmids.has(i.cmid));
  }

  /**
   * The rows to show, rebuilt only when what they depend on changed. With `tail` (the opening tail
   * is shown, see opening-tail.ts) a rebuild makes only the newest `tail` message rows: the array
   * has its full length with holes before them (`complete: false`), and is completed (all rows
   * built) by the first call without `tail`, when the virtualizer takes over.
   */
  build(input: RowInputs, tail?: number): Row[] {
    const items = input.items;
    const pending = this.pendingItems(items, input.mine);
    const { meId, readSeq, divider } = input;
    const cached = this.cache;
    const usable = cached.complete || tail !== undefined;
    const deps = [items, meId, readSeq, divider, ...pending];
    if (usable && cached.deps.length === deps.length && cached.deps.every((d, i) => d === deps[i])) return cached.rows;
    // New messages at the end (the usual case): keep the rows already built, add the new ones.
    const before = cached.messageRows;
    const known = before.length;
    const appended =
      usable &&
      cached.items !== undefined &&
      cached.meId === meId &&
      cached.readSeq === readSeq &&
      cached.divider === divider &&
      known > 0 &&
      items.length >= known &&
      items[known - 1] === cached.items[known - 1];
    let messageRows: MessageRow[];
    let complete = cached.complete;
    if (appended) {
      messageRows = known === items.length ? before : before.concat(buildMessageRows(items, known, -1, divider));
    } else {
      let seenIndex = -1;
      if (readSeq > 0) {
        for (let i = items.length - 1; i >= 0; i -= 1) {
          const m = items[i];
          if (m?.author.kind === 'agent' && m.kind === 'text' && m.seq <= readSeq) {
            seenIndex = i;
            break;
          }
        }
      }
      // Only the tail is shown: the older rows are built when the virtualizer takes over.
      const from = tail === undefined ? 0 : Math.max(0, items.length - tail);
      messageRows = buildMessageRows(items, from, seenIndex, divider, true);
      complete = from === 0;
    }
    let rows: Row[] = messageRows;
    if (pending.length > 0) {
      const prev = items.at(-1);
      let prevPending = prev?.author.kind === 'agent' && prev.author.id === meId && prev.kind === 'text';
      const pendingRows: PendingRow[] = [];
      for (const item of pending) {
        pendingRows.push({ type: 'pending', key: `c:${item.cmid}`, item, cont: prevPending && item.kind === 'text' });
        prevPending = item.kind === 'text';
      }
      // `concat` and `slice` keep the holes of an incomplete list (spreading would fill them with undefined).
      rows = (messageRows as Row[]).concat(pendingRows);
    } else if (rows === cached.rows) {
      // Same rows as shown, but something they depend on changed: a fresh array tells the virtualizer.
      rows = rows.slice();
    }
    this.cache = { deps, rows, messageRows, items, meId, readSeq, divider, complete };
    return rows;
  }
}
