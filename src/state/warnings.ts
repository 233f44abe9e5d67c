/**
 * Warnings slice: chats that have waited in the queue longer than their channel allows (agents
 * only), from the server's `warning` frames, until the chat is answered or the user dismisses
 * the warning. A dismissed warning shows again at a higher level or when the chat waits anew.
 */
import { atom } from 'nanostores';

import type { SessionSummary, WarningFrame, WarningLevel } from '../protocol/index.js';
import type { WarningState } from './types.js';

const LEVEL_RANK: Record<WarningLevel, number> = { agents: 1, managers: 2 };

/**
 * @param namespace names this console's sessionStorage entry (server, tenant and user).
 * @param session the board's record of a session, if it has one.
 */
export function createWarnings(namespace: string, session: (id: string) => SessionSummary | undefined) {
  /** Chats waiting longer than their channel allows (agents; oldest first), until answered or dismissed. */
  const $warnings = atom<WarningState[]>([]);

  /**
   * Highest level the user dismissed per session (a higher level shows again). Kept in this tab's
   * sessionStorage too, so a reload does not bring back what was dismissed (the server sends the
   * warnings of waiting chats again on every connection).
   */
  const dismissedKey = `crm-chat:dismissed-warnings:${namespace}`;
  const dismissed = loadDismissed();

  function loadDismissed(): Map<string, WarningLevel> {
    try {
      const raw: unknown = JSON.parse(sessionStorage.getItem(dismissedKey) ?? '[]');
      if (!Array.isArray(raw)) return new Map();
      const entries = raw.filter((e): e is [string, WarningLevel] => Array.isArray(e) && typeof e[0] === 'string' && (e[1] === 'agents' || e[1] === 'managers'));
      return new Map(entries.slice(-200));
    } catch {
      return new Map();
    }
  }

  function saveDismissed(): void {
    try {
      if (dismissed.size === 0) sessionStorage.removeItem(dismissedKey);
      else sessionStorage.setItem(dismissedKey, JSON.stringify([...dismissed].slice(-200)));
    } catch {
      // Storage unavailable or full: dismissals last until the page is left.
    }
  }

  function onWarning(frame: WarningFrame): void {
    const s = session(frame.sessionId);
    if (s && s.status !== 'queued') return; // answered meanwhile
    const seen = dismissed.get(frame.sessionId);
    if (seen && LEVEL_RANK[seen] >= LEVEL_RANK[frame.level]) return;
    const list = $warnings.get();
    const current = list.find((w) => w.sessionId === frame.sessionId);
    if (current && LEVEL_RANK[current.level] >= LEVEL_RANK[frame.level]) return;
    const next: WarningState = { sessionId: frame.sessionId, level: frame.level, waitingSince: frame.waitingSince };
    $warnings.set([...list.filter((w) => w.sessionId !== frame.sessionId), next].sort((a, b) => a.waitingSince - b.waitingSince));
  }

  /** The session is no longer waiting: its warning goes (and a later wait may warn again). */
  function clearWarning(sessionId: string): void {
    if (dismissed.delete(sessionId)) saveDismissed();
    const list = $warnings.get();
    if (list.some((w) => w.sessionId === sessionId)) $warnings.set(list.filter((w) => w.sessionId !== sessionId));
  }

  /** A session changed on the board (or left it): a warning of a chat no longer waiting goes. */
  function sessionChanged(id: string, s: SessionSummary | undefined): void {
    if (s?.status !== 'queued') clearWarning(id);
  }

  /** After a board snapshot: warnings of chats that no longer wait go. */
  function retainWaiting(): void {
    for (const w of $warnings.get()) if (session(w.sessionId)?.status !== 'queued') clearWarning(w.sessionId);
  }

  /** Hides a chat's wait warning (until a higher level arrives or the chat waits anew). */
  function dismissWarning(sessionId: string): void {
    const w = $warnings.get().find((x) => x.sessionId === sessionId);
    if (!w) return;
    dismissed.set(sessionId, w.level);
    saveDismissed();
    $warnings.set($warnings.get().filter((x) => x.sessionId !== sessionId));
  }

  /** Forgets everything, dismissals included (sign-out). */
  function clear(): void {
    $warnings.set([]);
    dismissed.clear();
    saveDismissed();
  }

  return { $warnings, onWarning, sessionChanged, retainWaiting, dismissWarning, clear };
}

export type Warnings = ReturnType<typeof createWarnings>;
