/**
 * Recent contacts and favourites of the contact panel, per agent, in `localStorage`. Only what the
 * lists show is kept (id, name, company name); every read is validated and storage failures
 * (private mode, quota, sandboxed frames) are ignored, so the lists are a convenience, never a
 * requirement. `clearContactPanelStorage()` removes every agent's lists (call it on sign-out).
 */

/** One entry of the recent or favourite list. */
export interface ContactRef {
  id: string;
  name: string;
  company?: string | undefined;
}

export interface ContactLists {
  recent: ContactRef[];
  favourites: ContactRef[];
}

const PREFIX = 'crm-chat-elements:contacts:';
export const MAX_RECENT = 8;
export const MAX_FAVOURITES = 20;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function isRef(value: unknown): value is ContactRef {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.id === 'string' && r.id.length <= 64 && typeof r.name === 'string' && r.name.length <= 300 && (r.company === undefined || typeof r.company === 'string');
}

function refs(value: unknown, max: number): ContactRef[] {
  return Array.isArray(value) ? value.filter(isRef).slice(0, max).map((r) => ({ id: r.id, name: r.name, company: r.company })) : [];
}

/** The storage key of one agent of one tenant. */
export function listsKey(tenant: string, agentId: string): string {
  return `${PREFIX}${tenant}:${agentId}`;
}

export function loadLists(key: string): ContactLists {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return { recent: [], favourites: [] };
    const data = JSON.parse(raw) as Record<string, unknown>;
    return { recent: refs(data.recent, MAX_RECENT), favourites: refs(data.favourites, MAX_FAVOURITES) };
  } catch {
    return { recent: [], favourites: [] };
  }
}

export function saveLists(key: string, lists: ContactLists): void {
  try {
    storage()?.setItem(key, JSON.stringify(lists));
  } catch {
    // Full or unavailable: the lists live for this page only.
  }
}

/** The lists with `ref` first among the recent contacts. */
export function withRecent(lists: ContactLists, ref: ContactRef): ContactLists {
  return { ...lists, recent: [ref, ...lists.recent.filter((r) => r.id !== ref.id)].slice(0, MAX_RECENT) };
}

/** The lists with `ref` added to or removed from the favourites. */
export function toggleFavourite(lists: ContactLists, ref: ContactRef): ContactLists {
  const has = lists.favourites.some((r) => r.id === ref.id);
  return {
    ...lists,
    favourites: has ? lists.favourites.filter((r) => r.id !== ref.id) : [...lists.favourites, ref].slice(0, MAX_FAVOURITES),
  };
}

/** Removes the recent and favourite contacts of every agent from this browser (for sign-out). */
export function clearContactPanelStorage(): void {
  const s = storage();
  if (!s) return;
  try {
    const keys: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k?.startsWith(PREFIX)) keys.push(k);
    }
    for (const k of keys) s.removeItem(k);
  } catch {
    // Nothing to clear.
  }
}
