/**
 * What chat-session-list shows, as plain functions of the board: which group a session belongs
 * to, the local part of the search, and the rows in display order. No rendering here.
 */
import type { SessionSummary } from '../../protocol/model.js';

/** The groups of the list, in display order. */
export const GROUP_KEYS = ['transfers', 'ongoing', 'completed'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** Which way a pending transfer goes, seen from the connected agent. */
export type TransferDirection = 'to-me' | 'from-me';

export interface SessionGroup {
  key: GroupKey;
  /** Rows of the group that pass the filter, newest activity first. */
  items: SessionSummary[];
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

/**
 * A pending transfer offered to me (`to-me`) or away from me (`from-me`: I offered it, or it is my
 * chat and a manager offered it), or undefined.
 */
export function transferDirection(s: SessionSummary, meId: string | undefined): TransferDirection | undefined {
  const t = s.transfer;
  if (!t || meId === undefined || s.status !== 'active') return undefined;
  if (t.toAgentId === meId) return 'to-me';
  if (t.fromAgentId === meId || s.agentId === meId) return 'from-me';
  return undefined;
}

/**
 * The group of a session on my board, or undefined when the list does not show it: transfers
 * waiting for an answer (to me or from me), my ongoing chats, and the chats I handled that ended
 * (the server keeps those on my board for 8 hours of its clock and then sends `session-remove`;
 * the client never filters them by its own clock).
 */
export function groupOf(s: SessionSummary, meId: string | undefined): GroupKey | undefined {
  if (meId === undefined) return undefined;
  if (transferDirection(s, meId)) return 'transfers';
  if (s.agentId !== meId) return undefined;
  if (s.status === 'active') return 'ongoing';
  if (s.status === 'ended' || s.status === 'missed') return 'completed';
  return undefined;
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

/** Newest activity first; the id breaks ties so the order is stable. */
export function byActivity(a: SessionSummary, b: SessionSummary): number {
  return b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The rows of the list: my sessions grouped and sorted, filtered by `query` (name, e-mail or last
 * message here; `serverIds` are the sessions the server found by message text). One pass over
 * the board, which also counts my load and the chats waiting in `respondChannels` (the same
 * numbers as the client's `$mine` and `$queued`, without sorting the board twice more on every
 * board event).
 */
export function buildView(
  sessions: Readonly<Record<string, SessionSummary | undefined>>,
  meId: string | undefined,
  respondChannels: ReadonlySet<string>,
  query: string,
  serverIds: ReadonlySet<string> | undefined,
): ListView {
  const buckets: Record<GroupKey, SessionSummary[]> = { transfers: [], ongoing: [], completed: [] };
  const needle = query.trim().toLocaleLowerCase();
  let total = 0;
  let mine = 0;
  let queued = 0;
  for (const s of Object.values(sessions)) {
    if (!s) continue;
    if (s.status === 'queued') {
      if (respondChannels.has(s.channelId)) queued += 1;
      continue;
    }
    if (s.status === 'active' && meId !== undefined && s.agentId === meId) mine += 1;
    const key = groupOf(s, meId);
    if (!key) continue;
    total += 1;
    if (needle !== '' && !matchesLocally(s, needle) && !serverIds?.has(s.id)) continue;
    buckets[key].push(s);
  }
  const groups: SessionGroup[] = [];
  const flat: SessionSummary[] = [];
  const places = new Map<string, RowPlace>();
  for (const key of GROUP_KEYS) {
    const items = buckets[key].sort(byActivity);
    if (items.length === 0) continue;
    groups.push({ key, items });
    items.forEach((s, index) => {
      places.set(s.id, { group: key, index, flatIndex: flat.length });
      flat.push(s);
    });
  }
  return { groups, flat, places, total, mine, queued };
}
