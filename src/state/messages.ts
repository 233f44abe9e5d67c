/**
 * Messages slice: the sessions this client follows (opened by a view, or the customer's own) and
 * their messages in stream order: subscribe and unsubscribe, snapshots, events, gap fill from
 * history, older pages, and read receipts.
 */
import { batch } from 'nanostores';

import type { ChatMessage, SessionSnapshot } from '../protocol/index.js';
import { MAX_HISTORY_PAGE, sessionStream, streamSessionId } from '../protocol/index.js';
import type { Command } from './commands.js';
import { keyed } from './keyed.js';
import type { Sequencer, StreamHandler } from './sequencer.js';
import { gapless } from './sequencer.js';
import type { SessionMessages } from './types.js';
import { ChatError } from './types.js';

export interface MessagesHooks {
  command: Command;
  sequencer: () => Sequencer;
  live(): boolean;
  /** A message was added to a session's stream. */
  message(sessionId: string, message: ChatMessage): void;
  /** A session's snapshot replaced its messages. */
  snapshot(sessionId: string, snapshot: SessionSnapshot): void;
  /** A session is no longer followed (gone, forbidden). */
  dropped(sessionId: string): void;
}

export type FollowMode = 'participant' | 'listen';

export function createMessages(hooks: MessagesHooks) {
  /** Messages per session (only sessions this client follows or followed). */
  const sessions = keyed<SessionMessages>((m) => m.sessionId);
  /** Sessions this client wants to follow, with the mode. */
  const wanted = new Map<string, FollowMode>();
  /** How many views opened each session (openSession / closeSession). */
  const openCount = new Map<string, number>();
  const lastRead = new Map<string, number>();
  const { command } = hooks;

  const get = (sessionId: string): SessionMessages | undefined => sessions.get(sessionId);

  /** The rules of the `session:<id>` streams for the sequencer. */
  function stream(sessionId: string): StreamHandler {
    const name = sessionStream(sessionId);
    return {
      position() {
        const m = get(sessionId);
        return m?.epoch !== undefined ? { epoch: m.epoch, seq: m.seq } : undefined;
      },
      setPosition(seq) {
        const m = get(sessionId);
        if (m) sessions.set(sessionId, { ...m, seq });
      },
      follows: gapless,
      fill(fromSeq, toSeq) {
        return command<{ epoch: string; messages: ChatMessage[]; hasMore: boolean }>({
          t: 'history',
          sessionId,
          afterSeq: fromSeq,
          limit: Math.min(MAX_HISTORY_PAGE, toSeq - fromSeq - 1),
        }).then((page) => {
          batch(() => {
            for (const m of page.messages) {
              hooks.sequencer().sequenced(name, page.epoch, m, () => {
                applyMessage(sessionId, m);
              });
            }
          });
        });
      },
      resync() {
        const m = get(sessionId);
        if (m) sessions.set(sessionId, { ...m, ready: false });
        hooks.sequencer().expect(name, 'reset');
        void subscribeNow(sessionId, wanted.get(sessionId) ?? 'participant', true);
      },
      gone() {
        dropSession(sessionId);
      },
    };
  }

  /** A snapshot of a session's stream (`reset`). */
  function applySnapshot(sessionId: string, snap: SessionSnapshot): void {
    sessions.set(sessionId, {
      sessionId,
      epoch: snap.epoch,
      seq: snap.seq,
      items: snap.messages,
      hasMore: snap.hasMore,
      loadingOlder: false,
      ready: true,
    });
    hooks.snapshot(sessionId, snap);
  }

  function applyMessage(sessionId: string, message: ChatMessage): void {
    const m = get(sessionId);
    if (!m) return;
    // Never two items for one message (items are in seq order: only an old seq needs the look).
    if ((m.items.at(-1)?.seq ?? -1) >= message.seq && m.items.some((i) => i.id === message.id)) return;
    sessions.set(sessionId, { ...m, items: [...m.items, message] });
    hooks.message(sessionId, message);
  }

  function dropSession(sessionId: string): void {
    wanted.delete(sessionId);
    sessions.set(sessionId, undefined);
    hooks.dropped(sessionId);
  }

  function subscribeNow(sessionId: string, mode: FollowMode, fresh = false): Promise<void> {
    const m = get(sessionId);
    if (!m) sessions.set(sessionId, { sessionId, seq: 0, items: [], hasMore: false, loadingOlder: false, ready: false });
    const after = !fresh && m?.epoch !== undefined ? { epoch: m.epoch, seq: m.seq } : undefined;
    const name = sessionStream(sessionId);
    const sequencer = hooks.sequencer();
    if (!after) sequencer.expect(name, 'reset');
    return command<{ status: string; toSeq?: number }>({ t: 'subscribe', sessionId, mode, ...(after ? { after } : {}) }).then(
      (r) => {
        if (r.status === 'replay' && r.toSeq !== undefined && (get(sessionId)?.seq ?? 0) < r.toSeq) {
          sequencer.expect(name, r.toSeq);
        }
      },
      (error: unknown) => {
        sequencer.forget(name);
        if (error instanceof ChatError && error.code === 'forbidden') dropSession(sessionId);
      },
    );
  }

  /**
   * Follows a session's messages (opening a conversation). Idempotent; survives reconnects.
   * `listen` is read-only listening, which needs the channel's listen permission.
   */
  function openSession(sessionId: string, mode: FollowMode = 'participant'): void {
    openCount.set(sessionId, (openCount.get(sessionId) ?? 0) + 1);
    if (wanted.get(sessionId) === mode) return;
    wanted.set(sessionId, mode);
    if (hooks.live()) void subscribeNow(sessionId, mode);
  }

  /**
   * Stops following a session once every `openSession` of it has been closed (two views of
   * one chat do not unsubscribe each other). Its messages stay cached for a quick return.
   */
  function closeSession(sessionId: string): void {
    const n = (openCount.get(sessionId) ?? 0) - 1;
    if (n > 0) {
      openCount.set(sessionId, n);
      return;
    }
    openCount.delete(sessionId);
    if (!wanted.delete(sessionId)) return;
    if (hooks.live()) command({ t: 'unsubscribe', sessionId }).catch(() => undefined);
  }

  /** Loads the page of messages before the oldest one held. */
  async function loadOlder(sessionId: string): Promise<void> {
    const m = get(sessionId);
    if (!m?.ready || !m.hasMore || m.loadingOlder) return;
    const first = m.items[0];
    sessions.set(sessionId, { ...m, loadingOlder: true });
    try {
      const page = await command<{ epoch: string; messages: ChatMessage[]; hasMore: boolean }>({
        t: 'history',
        sessionId,
        ...(first ? { beforeSeq: first.seq } : {}),
        limit: 50,
      });
      const cur = get(sessionId);
      if (!cur) return;
      const known = new Set(cur.items.map((i) => i.id));
      sessions.set(sessionId, {
        ...cur,
        items: [...page.messages.filter((x) => !known.has(x.id)), ...cur.items],
        hasMore: page.hasMore,
        loadingOlder: false,
      });
    } catch (error) {
      const cur = get(sessionId);
      if (cur) sessions.set(sessionId, { ...cur, loadingOlder: false });
      throw error;
    }
  }

  /** Marks everything I have seen in a session as read. */
  function markRead(sessionId: string): void {
    const m = get(sessionId);
    if (!m?.ready || m.seq <= (lastRead.get(sessionId) ?? 0)) return;
    lastRead.set(sessionId, m.seq);
    command({ t: 'read', sessionId, seq: m.seq }, false).catch(() => {
      lastRead.delete(sessionId);
    });
  }

  /**
   * Marks a chat I handle unread (issue 18): its newest customer message counts as unread again
   * on my board until I read it. Rejects with the server's refusal (`invalid`: the customer has
   * written nothing; `forbidden`: not my chat). Reading it again later is sent anew.
   */
  async function markUnread(sessionId: string): Promise<void> {
    await command({ t: 'unread', sessionId });
    lastRead.delete(sessionId);
  }

  /**
   * After `welcome`: sessions wanted but not resumed (no local copy yet) are subscribed now.
   * `resumed`: the streams the server answered for.
   */
  function subscribeWanted(resumed: ReadonlySet<string>): void {
    for (const [id, mode] of wanted) {
      if (!resumed.has(sessionStream(id))) void subscribeNow(id, mode);
    }
  }

  /** Where the followed sessions stand, for `hello.resume` (plus `also`, e.g. the customer's own session). */
  function resumePositions(also?: string): { id: string; epoch: string; seq: number }[] {
    const sessions: { id: string; epoch: string; seq: number }[] = [];
    for (const id of wanted.keys()) {
      const m = get(id);
      if (m?.epoch !== undefined) sessions.push({ id, epoch: m.epoch, seq: m.seq });
    }
    if (also !== undefined && !wanted.has(also)) {
      const m = get(also);
      if (m?.epoch !== undefined) sessions.push({ id: also, epoch: m.epoch, seq: m.seq });
    }
    return sessions;
  }

  /** Forgets everything (sign-out). */
  function clear(): void {
    wanted.clear();
    openCount.clear();
    lastRead.clear();
    sessions.clear();
  }

  return {
    sessions,
    /** Messages per followed session, as one record built when read (elements follow one session: `sessions.item(id)`). */
    $messages: sessions.$all,
    get,
    isWanted: (sessionId: string) => wanted.has(sessionId),
    stream,
    streamOf: (name: string) => {
      const id = streamSessionId(name);
      return id === undefined ? undefined : stream(id);
    },
    applySnapshot,
    applyMessage,
    dropSession,
    openSession,
    closeSession,
    loadOlder,
    markRead,
    markUnread,
    subscribeWanted,
    resumePositions,
    clear,
  };
}

export type Messages = ReturnType<typeof createMessages>;
