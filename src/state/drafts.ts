/**
 * Drafts slice: the text being written in each chat, kept in sessionStorage (this browser tab)
 * so that switching chats and reloading the page keep it; `logout()` clears it. In memory only
 * when the client keeps no data on the device (a given outbox storage, as in tests).
 */
export function createDrafts(namespace: string, persistent: boolean) {
  const key = `crm-chat-drafts|${namespace}`;
  const store = (): Storage | undefined => {
    if (!persistent) return undefined;
    try {
      return globalThis.sessionStorage;
    } catch {
      return undefined; // storage blocked
    }
  };
  let drafts = new Map<string, string>();
  try {
    const raw = store()?.getItem(key);
    if (raw) drafts = new Map(Object.entries(JSON.parse(raw) as Record<string, string>).filter(([, v]) => typeof v === 'string'));
  } catch {
    drafts = new Map();
  }

  function write(): void {
    try {
      if (drafts.size === 0) store()?.removeItem(key);
      else store()?.setItem(key, JSON.stringify(Object.fromEntries(drafts)));
    } catch {
      // full or blocked: kept in memory only
    }
  }

  return {
    /** The draft of a chat ('' when none). */
    draft(sessionId: string): string {
      return drafts.get(sessionId) ?? '';
    },
    /** Keeps (or, when empty, forgets) the draft of a chat. */
    saveDraft(sessionId: string, text: string): void {
      if ((drafts.get(sessionId) ?? '') === text) return;
      if (text === '') drafts.delete(sessionId);
      else drafts.set(sessionId, text);
      write();
    },
    clear(): void {
      drafts.clear();
      write();
    },
  };
}
