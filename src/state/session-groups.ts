/**
 * Which list of the console a session belongs to, seen from the connected agent: plain functions
 * of a session, shared by the client's views and the elements.
 */
import type { SessionSummary } from '../protocol/model.js';

/** The groups of the session list, in display order. */
export const GROUP_KEYS = ['transfers', 'ongoing', 'completed'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** Which way a pending transfer goes, seen from the connected agent. */
export type TransferDirection = 'to-me' | 'from-me';

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

/** Newest activity first; the id breaks ties so the order is stable. */
export function byActivity(a: SessionSummary, b: SessionSummary): number {
  return b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Session fields that change with every message (last message, unread, stream head, read receipt, the awaited answer). */
const ACTIVITY: ReadonlySet<string> = new Set(['lastMessage', 'lastActivityAt', 'unread', 'seq', 'customerReadSeq', 'response']);

/**
 * True when two records of one session differ at most in their message-level fields: a view that
 * shows none of those need not change.
 */
export function sameApartFromActivity(a: SessionSummary | undefined, b: SessionSummary | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return sameFields(a, b, ACTIVITY, 1);
}

/** Equal fields (`===`), nested plain objects (customer, transfer) compared `depth` levels down. */
function sameFields(a: object, b: object, skip: ReadonlySet<string> | undefined, depth: number): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const key of keys) {
    if (skip?.has(key)) continue;
    const u = x[key];
    const v = y[key];
    if (u === v) continue;
    if (depth > 0 && typeof u === 'object' && typeof v === 'object' && u !== null && v !== null && !Array.isArray(u) && sameFields(u, v, undefined, depth - 1)) continue;
    return false;
  }
  return true;
}
