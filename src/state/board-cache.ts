/**
 * The agent's board kept on the device (IndexedDB, as the outbox), so that a reload while
 * offline shows the chats the agent had instead of "You have no ongoing chats.". What is shown
 * from it is the board as it was when the connection was last live: it is replaced by the
 * server's snapshot as soon as the connection is back, and never sent anywhere.
 *
 * Saved when the connection goes down, when the page is hidden or left, and at most every
 * `SAVE_EVERY_MS` while the board changes; restored once before the first connection, only when
 * it belongs to who was signed in here last (`owner`), and deleted on sign-out.
 */
import type { UseStore } from 'idb-keyval';
import { createStore, del, get, set } from 'idb-keyval';

import type { AgentInfo, AgentMe, ChannelInfo, SessionSummary } from '../protocol/index.js';

export interface BoardCacheRecord {
  /** `agent:<id>`: whose board it is. */
  owner: string;
  me: AgentMe;
  sessions: SessionSummary[];
  agents: AgentInfo[];
  channels: ChannelInfo[];
  /** Client time of the save. */
  savedAt: number;
}

export interface BoardCacheStorage {
  load(): Promise<BoardCacheRecord | undefined>;
  save(record: BoardCacheRecord): Promise<void>;
  clear(): Promise<void>;
}

/** Longest a changed board waits before it is saved while live. */
export const SAVE_EVERY_MS = 5_000;

const KEY = 'board';

/** The board in IndexedDB, one database per namespace (server, tenant and user), beside the outbox's. */
export function indexedDbBoardCache(namespace: string): BoardCacheStorage {
  let store: UseStore | undefined;
  const db = () => (store ??= createStore(`crm-chat-board:${namespace}`, 'items'));
  return {
    async load() {
      const value = await get<unknown>(KEY, db());
      return isRecord(value) ? value : undefined;
    },
    save: (record) => set(KEY, record, db()),
    clear: () => del(KEY, db()),
  };
}

/** A board cache that keeps nothing (tests with injected storage, or no IndexedDB). */
export const noBoardCache: BoardCacheStorage = {
  load: () => Promise.resolve(undefined),
  save: () => Promise.resolve(),
  clear: () => Promise.resolve(),
};

function isRecord(value: unknown): value is BoardCacheRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.owner === 'string' && typeof r.me === 'object' && r.me !== null && Array.isArray(r.sessions) && Array.isArray(r.agents) && Array.isArray(r.channels);
}

export interface BoardCacheSource {
  /** The board now, or undefined when there is nothing worth keeping (not signed in as an agent). */
  snapshot(): Omit<BoardCacheRecord, 'savedAt'> | undefined;
  /** Calls `changed` on every change of the board; returns the unsubscribe. */
  watch(changed: () => void): () => void;
  now(): number;
}

/** Keeps the board saved: throttled while it changes, at once on `flush()` (down, hidden, left). */
export function createBoardCache(storage: BoardCacheStorage, source: BoardCacheSource) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = false;
  let stopWatching: (() => void) | undefined;
  /** The last save, so that tests and sign-out can wait for it. */
  let saving: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return saving;
    dirty = false;
    const snap = source.snapshot();
    if (!snap) return saving;
    saving = storage.save({ ...snap, savedAt: source.now() }).catch(() => undefined);
    return saving;
  }

  const onChange = () => {
    dirty = true;
    timer ??= setTimeout(() => {
      timer = undefined;
      void flush();
    }, SAVE_EVERY_MS);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') void flush();
  };
  const onPageHide = () => {
    void flush();
  };

  return {
    /** Starts following the board (idempotent). */
    start(): void {
      if (stopWatching) return;
      stopWatching = source.watch(onChange);
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onHidden);
      if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
    },
    stop(): void {
      stopWatching?.();
      stopWatching = undefined;
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onHidden);
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
      void flush();
    },
    flush,
    /** The saved board of `owner`, if any. */
    async load(owner: string | undefined): Promise<BoardCacheRecord | undefined> {
      if (owner === undefined) return undefined;
      const record = await storage.load().catch(() => undefined);
      return record?.owner === owner ? record : undefined;
    },
    /** Forgets the saved board (sign-out). */
    async clear(): Promise<void> {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      dirty = false;
      await saving;
      await storage.clear().catch(() => undefined);
    },
  };
}

export type BoardCache = ReturnType<typeof createBoardCache>;
