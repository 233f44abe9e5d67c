/**
 * What chat-session-list shows, as plain functions of its view (`agentViews(client).sessionList`: my
 * rows, grouped and sorted by the client): the local part of the search, and the rows in display
 * order with their places. No rendering here.
 */
import type { SessionSummary } from '../../protocol/model.js';
import type { GroupKey } from '../../state/session-groups.js';
import { GROUP_KEYS } from '../../state/session-groups.js';
import type { SessionListRows } from '../../state/agent-views.js';

export interface SessionGroup {
  key: GroupKey;
  /** Rows of the group that pass the filter, newest activity first. */
  items: readonly SessionSummary[];
}

/** Where a row is: its group, its place in the group and in the whole list. */
export interface RowPlace {
  group: GroupKey;
  index: number;
  flatIndex: number;
}

export interface ListView {
  /** Non-empty groups in display order. */
  groups: SessionGroup[];
  /** Every visible row in display order (keyboard order). */
  flat: SessionSummary[];
  places: Map<string, RowPlace>;
  /** Rows before filtering (0: the agent has nothing to list). */
  total: number;
  /** Active chats I handle (my load, for "at capacity"). */
  mine: number;
  /** Chats waiting in the channels where I may answer (the queue count). */
  queued: number;
}

const haystacks = new WeakMap<SessionSummary, string>();

/**
 * The local half of the search: the customer's name or e-mail address or the last message
 * contains `needle` (already lower-cased). Summaries are immutable, so their text is cached.
 */
export function matchesLocally(s: SessionSummary, needle: string): boolean {
  let text = haystacks.get(s);
  if (text === undefined) {
    text = `${s.customer.name}\n${s.customer.email ?? ''}\n${s.lastMessage?.text ?? ''}`.toLocaleLowerCase();
    haystacks.set(s, text);
  }
  return text.includes(needle);
}

/**
 * The rows of the list: my groups as the client keeps them (sorted), filtered by `query` (name,
 * e-mail or last message here; `serverIds` are the sessions the server found by message text).
 * Without a query the groups' arrays are used as they are.
 */
export function buildView(rows: SessionListRows | undefined, query: string, serverIds: ReadonlySet<string> | undefined): ListView {
  if (!rows) return { groups: [], flat: [], places: new Map(), total: 0, mine: 0, queued: 0 };
  const needle = query.trim().toLocaleLowerCase();
  const groups: SessionGroup[] = [];
  const flat: SessionSummary[] = [];
  const places = new Map<string, RowPlace>();
  let total = 0;
  for (const key of GROUP_KEYS) {
    const all = rows[key];
    total += all.length;
    const items = needle === '' ? all : all.filter((s) => matchesLocally(s, needle) || serverIds?.has(s.id) === true);
    if (items.length === 0) continue;
    groups.push({ key, items });
    items.forEach((s, index) => {
      places.set(s.id, { group: key, index, flatIndex: flat.length });
      flat.push(s);
    });
  }
  return { groups, flat, places, total, mine: rows.mine, queued: rows.queued };
}
