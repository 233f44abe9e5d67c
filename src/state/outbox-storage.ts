/**
 * Where the outbox keeps messages that are not yet acknowledged, so that a reload, a crash or
 * a closed laptop loses nothing. IndexedDB by default; memory in tests or when IndexedDB is
 * unavailable or full.
 */
import { clear, createStore, del, set, values } from 'idb-keyval';

export interface OutboxRecord {
  /** Client message id: the idempotency key, reused on every retry. */
  cmid: string;
  sessionId: string;
  /** `whisper`: a supervisor's note to the handling agent (see `SendKind`). */
  kind: 'text' | 'note' | 'whisper';
  text: string;
  /** Uploaded files sent with the message (ids from `uploadAttachment`). */
  attachmentIds?: string[];
  /** Id of an earlier message of the chat this one quotes (the server makes the quote). */
  quoteId?: string;
  /** Client time of Send (for display only; order comes from `order`). */
  createdAt: number;
  /** Monotonic order of creation within this outbox. */
  order: number;
  /** `agent:<id>` or `customer:<sessionId>`: only this identity may send it. */
  owner: string;
}

export interface OutboxStorage {
  /** True when records survive a reload. */
  readonly persistent: boolean;
  load(): Promise<OutboxRecord[]>;
  put(record: OutboxRecord): Promise<void>;
  delete(cmid: string): Promise<void>;
  clear(): Promise<void>;
}

/** Outbox kept in memory only (tests, or a fallback). */
export function memoryOutboxStorage(initial: OutboxRecord[] = []): OutboxStorage {
  const items = new Map(initial.map((r) => [r.cmid, r]));
  return {
    persistent: false,
    load: () => Promise.resolve([...items.values()]),
    put: (record) => {
      items.set(record.cmid, { ...record });
      return Promise.resolve();
    },
    delete: (cmid) => {
      items.delete(cmid);
      return Promise.resolve();
    },
    clear: () => {
      items.clear();
      return Promise.resolve();
    },
  };
}

/**
 * Outbox in IndexedDB, one database per namespace (server, tenant and user), so two consoles
 * or two signed-in users never share pending messages.
 */
export function indexedDbOutboxStorage(namespace: string): OutboxStorage {
  const store = createStore(`crm-chat-outbox:${namespace}`, 'items');
  return {
    persistent: true,
    async load() {
      const all = await values<OutboxRecord>(store);
      return all.filter(isRecord);
    },
    put: (record) => set(record.cmid, record, store),
    delete: (cmid) => del(cmid, store),
    clear: () => clear(store),
  };
}

/** True when IndexedDB can be used here. */
export function indexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

function isRecord(value: unknown): value is OutboxRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.cmid === 'string' &&
    typeof r.sessionId === 'string' &&
    (r.kind === 'text' || r.kind === 'note' || r.kind === 'whisper') &&
    typeof r.text === 'string' &&
    typeof r.order === 'number' &&
    typeof r.owner === 'string'
  );
}

/**
 * Who owned the outbox when this client was last connected (`agent:<id>`), so that messages
 * written after a reload while offline are kept for them before the server's welcome says who is
 * signed in. Kept in localStorage when `persistent` (beside the IndexedDB outbox), else in memory.
 * Only a hint: the outbox sends a message only when the welcome names the same owner.
 */
export function rememberedOwner(namespace: string, persistent: boolean) {
  const key = `crm-chat-owner|${namespace}`;
  let value: string | undefined;
  const store = (): Storage | undefined => {
    if (!persistent) return undefined;
    try {
      return globalThis.localStorage;
    } catch {
      return undefined; // storage blocked
    }
  };
  try {
    value = store()?.getItem(key) ?? undefined;
  } catch {
    value = undefined;
  }
  return {
    get: (): string | undefined => value,
    set(owner: string | undefined): void {
      if (owner === value) return;
      value = owner;
      try {
        if (owner === undefined) store()?.removeItem(key);
        else store()?.setItem(key, owner);
      } catch {
        // full or blocked: remembered in memory only
      }
    },
  };
}
