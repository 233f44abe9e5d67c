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
  readonly groups: readonly SessionGroup[];
  /** How many rows are shown (all groups). */
  readonly count: number;
  /** Every visible row in display order (keyboard order); built when first asked for. */
  readonly flat: readonly SessionSummary[];
  /** Where each visible row is; built when first asked for. */
  readonly places: ReadonlyMap<string, RowPlace>;
  /** Whether a row is shown (without building the places). */
  has(id: string): boolean;
  /** Rows before filtering (0: the agent has nothing to list). */
  readonly total: number;
  /** Active chats I handle that count against my limit, not those on hold (my load, for "at capacity"). */
  readonly load: number;
  /** Chats waiting in the channels where I may answer (the queue count). */
  readonly queued: number;
}

/**
 * The rows in groups; the flat order and the places are only built when keyboard navigation or a
 * scroll to a row asks for them, not on every render: under 200 board events a second, building a
 * map of 5,000 places per render was the list's largest script cost.
 */
class GroupedRows implements ListView {
  private flatRows: SessionSummary[] | undefined;
  private placeMap: Map<string, RowPlace> | undefined;
  readonly count: number;

  constructor(
    readonly groups: readonly SessionGroup[],
    readonly total: number,
    readonly load: number,
    readonly queued: number,
  ) {
    this.count = groups.reduce((n, g) => n + g.items.length, 0);
  }

  get flat(): readonly SessionSummary[] {
    if (!this.flatRows) this.index();
    return this.flatRows ?? [];
  }

  get places(): ReadonlyMap<string, RowPlace> {
    if (!this.placeMap) this.index();
    return this.placeMap ?? new Map();
  }

  has(id: string): boolean {
    return this.placeMap ? this.placeMap.has(id) : this.groups.some((g) => g.items.some((s) => s.id === id));
  }

  private index(): void {
    const flat: SessionSummary[] = [];
    const places = new Map<string, RowPlace>();
    for (const { key, items } of this.groups) {
      items.forEach((s, index) => {
        places.set(s.id, { group: key, index, flatIndex: flat.length });
        flat.push(s);
      });
    }
    this.flatRows = flat;
    this.placeMap = places;
  }
}

/** The list with nothing in it. */
export const EMPTY_VIEW: ListView = new GroupedRows([], 0, 0, 0);

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
 * e-mail or last message here; `serverIds` are the sessions the server found by message text)
 * and by `tag` (a wrap-up tag the row must have; '' for any). Without either the groups' arrays
 * are used as they are.
 */
export function buildView(rows: SessionListRows | undefined, query: string, serverIds: ReadonlySet<string> | undefined, tag = ''): ListView {
  if (!rows) return EMPTY_VIEW;
  const needle = query.trim().toLocaleLowerCase();
  const groups: SessionGroup[] = [];
  let total = 0;
  for (const key of GROUP_KEYS) {
    const all = rows[key];
    total += all.length;
    const items =
      needle === '' && tag === ''
        ? all
        : all.filter((s) => (tag === '' || s.tags?.includes(tag) === true) && (needle === '' || matchesLocally(s, needle) || serverIds?.has(s.id) === true));
    if (items.length > 0) groups.push({ key, items });
  }
  return new GroupedRows(groups, total, rows.load, rows.queued);
}
