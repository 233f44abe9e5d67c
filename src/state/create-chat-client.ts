/**
 * `createChatClient(options)`: every store, action and the socket of one chat console (agent)
 * or one customer widget. No module-level state: two clients on one page are independent.
 *
 * Data flow: the socket delivers validated frames → `receive()` applies them to the stores in
 * stream order (dedupe and gap fill by `seq`, `reset` → snapshot) → components render the
 * stores. User actions go the other way: `send()` puts a message into the outbox (persisted
 * first), the outbox sends it only while the connection is `live`, one at a time per session,
 * and confirms it on `ack` or on the stream event carrying its `cmid`.
 */
import type { MapStore, ReadableAtom } from 'nanostores';
import { atom, batch, computed, map, onMount } from 'nanostores';

import type {
  AgentInfo,
  BoardEvent,
  BoardSnapshot,
  ChannelInfo,
  ChatMessage,
  CommandFrame,
  Me,
  NackFrame,
  ResetFrame,
  ServerFrame,
  SessionEvent,
  SessionSnapshot,
  SessionSummary,
  TransferTarget,
  WarningFrame,
  WarningLevel,
  WelcomeFrame,
} from '../protocol/index.js';
import { ACK_TIMEOUT_MS, MAX_HISTORY_PAGE, MAX_SEARCH_QUERY, PROTOCOL_VERSION, sessionStream, streamSessionId } from '../protocol/index.js';
import type { DashboardStats } from '../protocol/stats.js';
import { parseDashboardStats } from '../protocol/stats.js';
import type { ChatSocket } from '../transport/socket.js';
import { createSocket } from '../transport/socket.js';
import type { OutboxRecord, OutboxStorage } from './outbox-storage.js';
import { indexedDbAvailable, indexedDbOutboxStorage, memoryOutboxStorage } from './outbox-storage.js';
import type { ConnectionState, OutboxItem, SessionMessages, TypingState, VisitorState, WarningState } from './types.js';
import { ChatError } from './types.js';
import type { createAgentTools } from './agent-tools.js';

export { ChatHttpError } from './types.js';
export type { AttachmentLimits, ReplyQuery, UploadOptions, UploadProgress } from './agent-tools.js';

export interface ChatClientOptions {
  /** Base URL of the chat server, e.g. `https://chat.example.com`. */
  url: string;
  /** Tenant (CRM installation) id. */
  tenant: string;
  /**
   * Returns a fresh single-use connect ticket. Called before every (re)connect; the ticket is
   * never stored. The host gets it from its backend (the demo: `POST /api/tickets`).
   */
  getToken: () => Promise<string>;
  /**
   * Returns the current access token (the one `POST /api/demo/login` or `POST /api/chats` gave
   * the host). Used as `Authorization: Bearer` for the HTTP calls of the agent tools: uploads,
   * attachment URLs and the reply library. Called before every such call and never stored, so a
   * host that refreshes its token just returns the new one. Without it those calls reject with
   * `unauthenticated`; the socket does not need it.
   */
  getAccessToken?: () => string | Promise<string>;
  /**
   * Identity that owns pending messages, e.g. `agent:anna` or `customer:<sessionId>`. Also
   * names the outbox database, so users never share pending messages. Defaults to the tenant,
   * with ownership taken from the server's `welcome`.
   */
  outboxKey?: string;
  /** Where pending messages are kept. Default: IndexedDB (memory when unavailable). */
  storage?: OutboxStorage;
  /** WebSocket constructor (tests, Node). */
  WebSocket?: unknown;
  /** Clock for timestamps of local records (tests). */
  now?: () => number;
  /** Open the socket while any store is observed (default true). */
  autoConnect?: boolean;
  /** Socket timing, for tests. */
  socket?: {
    minReconnectDelayMs?: number;
    maxReconnectDelayMs?: number;
    pingIntervalMs?: number;
    pongTimeoutMs?: number;
    ackTimeoutMs?: number;
  };
}

interface Pending {
  resolve(data: unknown): void;
  reject(error: ChatError): void;
  timer: ReturnType<typeof setTimeout>;
}

const COMMAND_TIMEOUT_MS = 15_000;
const TYPING_TTL_MS = 6_000;

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function createChatClient(options: ChatClientOptions) {
  const now = options.now ?? (() => Date.now());
  const namespace = `${options.url}|${options.tenant}|${options.outboxKey ?? ''}`;
  const storage: OutboxStorage = options.storage ?? (indexedDbAvailable() ? indexedDbOutboxStorage(namespace) : memoryOutboxStorage());

  // ---- stores -----------------------------------------------------------------------------

  /** Connection lifecycle; observing it opens the socket (when `autoConnect`). */
  const $connection = atom<ConnectionState>({ status: 'idle', attempt: 0 });
  /** Who is connected (agent with permissions, or customer), from the server's welcome. */
  const $me = atom<Me | undefined>(undefined);
  /** Sessions on the agent's board by id. */
  const $sessions = map<Record<string, SessionSummary>>({});
  /** Agents of the tenant (presence and load) by id. */
  const $agents = map<Record<string, AgentInfo>>({});
  /** Chat channels of the tenant. */
  const $channels = atom<ChannelInfo[]>([]);
  /** Messages per session (only sessions this client opened). */
  const $messages = map<Record<string, SessionMessages>>({});
  /** Pending, sending and failed messages, oldest first. */
  const $outbox = atom<OutboxItem[]>([]);
  /** False when pending messages are kept in memory only (IndexedDB missing or full). */
  const $outboxPersistent = atom<boolean>(storage.persistent);
  /** Who is typing per session. */
  const $typing = map<Record<string, TypingState | undefined>>({});
  /** The customer's session (customer clients only). */
  const $visitor = atom<VisitorState | undefined>(undefined);
  /** Server clock minus client clock, from the welcome (for "waiting for 3 min" displays). */
  const $clockOffset = atom<number>(0);
  /** The session the console shows (shared by the session list, the conversation and the contact panel). */
  const $selectedSessionId = atom<string | undefined>(undefined);
  /** Chats waiting longer than their channel allows (agents; oldest first), until answered or dismissed. */
  const $warnings = atom<WarningState[]>([]);

  const $agentMe = computed($me, (me) => (me?.kind === 'agent' ? me : undefined));
  /** Channels where I may answer chats. */
  const $respondChannels = computed($agentMe, (me) => new Set(me?.channels.filter((c) => c.permissions.respond).map((c) => c.id) ?? []));
  /** Unanswered chats waiting in my channels (the Dashboard badge; the queue count). */
  const $queued = computed([$sessions, $respondChannels], (sessions, channels) =>
    Object.values(sessions)
      .filter((s) => s.status === 'queued' && channels.has(s.channelId))
      .sort((a, b) => a.createdAt - b.createdAt),
  );
  /** Chats I handle now (the Chats badge). */
  const $mine = computed([$sessions, $agentMe], (sessions, me) =>
    Object.values(sessions)
      .filter((s) => s.status === 'active' && me !== undefined && s.agentId === me.id)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt),
  );
  /** Chats offered to me by a pending transfer (Accept / Decline), oldest offer first. */
  const $incomingTransfers = computed([$sessions, $agentMe], (sessions, me) =>
    Object.values(sessions)
      .filter((s) => s.status === 'active' && me !== undefined && s.transfer?.toAgentId === me.id)
      .sort((a, b) => (a.transfer?.at ?? 0) - (b.transfer?.at ?? 0)),
  );

  // ---- internal state ---------------------------------------------------------------------

  let board: { epoch: string; seq: number } | undefined;
  /** Streams waiting for their resume to finish: stream → seq to reach, or 'reset'. */
  const resuming = new Map<string, number | 'reset'>();
  /** Out-of-order events waiting for the gap before them to fill, per stream. */
  const held = new Map<string, Map<number, () => void>>();
  const gapFilling = new Set<string>();
  /** Sessions this client wants to follow, with the mode. */
  const wanted = new Map<string, 'participant' | 'listen'>();
  /** How many views opened each session (openSession / closeSession). */
  const openCount = new Map<string, number>();
  const pending = new Map<string, Pending>();
  let ridCounter = 0;
  let orderCounter = 0;
  let loaded: Promise<void> | undefined;
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSweep: ReturnType<typeof setInterval> | undefined;
  let destroyed = false;
  const stats = { invalidFrames: 0 };

  const setConnection = (next: Partial<ConnectionState> & Pick<ConnectionState, 'status'>) => {
    const prev = $connection.get();
    const value: ConnectionState = { attempt: next.attempt ?? prev.attempt, status: next.status };
    if (next.retryAt !== undefined) value.retryAt = next.retryAt;
    if (next.error !== undefined) value.error = next.error;
    $connection.set(value);
  };

  const owner = (): string | undefined => {
    if (options.outboxKey) return options.outboxKey;
    const me = $me.get();
    if (!me) return undefined;
    return me.kind === 'agent' ? `agent:${me.id}` : `customer:${me.sessionId}`;
  };

  // ---- socket -----------------------------------------------------------------------------

  const socket: ChatSocket = createSocket(
    {
      url: options.url,
      tenant: options.tenant,
      getToken: options.getToken,
      clientId: uuid(),
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...options.socket,
    },
    {
      connecting(attempt) {
        const status = $connection.get().status;
        setConnection({ status: status === 'idle' || status === 'connecting' ? 'connecting' : 'reconnecting', attempt });
      },
      opened() {
        setConnection({ status: 'resuming' });
        sendHello();
      },
      frame(frame) {
        receive(frame);
      },
      invalid() {
        stats.invalidFrames += 1;
      },
      down(state) {
        onDown();
        if (state.kind === 'closed') setConnection({ status: 'idle', attempt: 0 });
        else if (state.kind === 'auth-required') setConnection({ status: 'auth-required', error: { code: 'unauthenticated', message: state.message } });
        else if (state.kind === 'fatal') setConnection({ status: 'fatal', error: { code: String(state.code), message: state.message } });
        else if (typeof navigator !== 'undefined' && !navigator.onLine) setConnection({ status: 'offline' });
        else setConnection({ status: 'reconnecting', ...(state.retryAt !== undefined ? { retryAt: state.retryAt } : {}), ...(state.error ? { error: state.error } : {}) });
      },
    },
  );

  const onOnline = () => {
    const status = $connection.get().status;
    if (status === 'offline' || status === 'reconnecting') socket.reconnect();
  };
  const onOffline = () => {
    if ($connection.get().status !== 'live') return;
    setConnection({ status: 'offline' });
  };

  /** Opens the connection (idempotent). Pending messages are loaded from storage first. */
  function connect(): void {
    if (destroyed) return;
    const status = $connection.get().status;
    if (status !== 'idle' && status !== 'auth-required' && status !== 'fatal') return;
    setConnection({ status: 'connecting', attempt: 0 });
    if (typeof window !== 'undefined') {
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
    }
    typingSweep ??= setInterval(sweepTyping, 1000);
    void loadOutbox().then(() => {
      if (!destroyed && $connection.get().status !== 'idle') socket.open();
    });
  }

  /** Closes the connection; stores keep their data. */
  function disconnect(): void {
    socket.close();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    }
    clearInterval(typingSweep);
    typingSweep = undefined;
    setConnection({ status: 'idle', attempt: 0 });
  }

  /** Connects again now, e.g. from a "Retry" button. */
  function reconnect(): void {
    setConnection({ status: 'reconnecting', attempt: 0 });
    if (!loaded) {
      connect();
      return;
    }
    socket.reconnect();
  }

  if (options.autoConnect !== false) {
    onMount($connection, () => {
      connect();
      return () => {
        disconnect();
      };
    });
  }

  function sendHello(): void {
    const sessions: { id: string; epoch: string; seq: number }[] = [];
    const all = $messages.get();
    for (const id of wanted.keys()) {
      const m = all[id];
      if (m?.epoch !== undefined) sessions.push({ id, epoch: m.epoch, seq: m.seq });
    }
    const me = $me.get();
    if (me?.kind === 'customer' && !wanted.has(me.sessionId)) {
      const m = all[me.sessionId];
      if (m?.epoch !== undefined) sessions.push({ id: me.sessionId, epoch: m.epoch, seq: m.seq });
    }
    socket.send({
      t: 'hello',
      v: PROTOCOL_VERSION,
      resume: { ...(board ? { board } : {}), sessions },
    });
  }

  function onDown(): void {
    resuming.clear();
    held.clear();
    gapFilling.clear();
    for (const [rid, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ChatError('offline', 'the connection was lost', true));
      pending.delete(rid);
    }
    for (const t of ackTimers.values()) clearTimeout(t);
    ackTimers.clear();
    // Messages in flight are sent again (same cmid) after the next resume.
    updateOutbox((items) => items.map((i) => (i.state === 'sending' ? { ...i, state: 'queued' as const } : i)));
  }

  // ---- incoming frames --------------------------------------------------------------------

  function receive(frame: ServerFrame): void {
    batch(() => {
      switch (frame.t) {
        case 'welcome':
          onWelcome(frame);
          break;
        case 'event':
          if (frame.stream === 'board') {
            onBoardEvent(frame as BoardEvent);
          } else {
            const f = frame as SessionEvent;
            const sessionId = streamSessionId(f.stream);
            if (sessionId) sequenced(f.stream, f.epoch, f.seq, () => {
              applyMessage(sessionId, f.data);
            });
          }
          break;
        case 'reset':
          onReset(frame);
          break;
        case 'ack':
          onAck(frame.cmid, frame.sessionId, frame.msgId, frame.seq);
          break;
        case 'nack':
          onNack(frame);
          break;
        case 'ok': {
          const p = pending.get(frame.rid);
          if (p) {
            clearTimeout(p.timer);
            pending.delete(frame.rid);
            p.resolve(frame.data);
          }
          break;
        }
        case 'typing':
          $typing.setKey(frame.sessionId, frame.on ? { who: frame.who, ...(frame.preview !== undefined ? { preview: frame.preview } : {}), until: now() + TYPING_TTL_MS } : undefined);
          break;
        case 'queue': {
          const visitor = $visitor.get();
          if (visitor?.sessionId === frame.sessionId) {
            const { position: _old, ...rest } = visitor;
            $visitor.set(frame.position > 0 && visitor.status === 'queued' ? { ...rest, position: frame.position } : rest);
          }
          break;
        }
        case 'availability': {
          const visitor = $visitor.get();
          if (visitor?.sessionId === frame.sessionId) $visitor.set({ ...visitor, available: frame.available });
          break;
        }
        case 'warning':
          onWarning(frame);
          break;
        case 'error':
          setConnection({ status: $connection.get().status, error: { code: frame.code, message: frame.message } });
          break;
        case 'gone': {
          // The server stopped this subscription (e.g. the listen permission was revoked).
          const sessionId = streamSessionId(frame.stream);
          if (sessionId) {
            resuming.delete(frame.stream);
            held.delete(frame.stream);
            dropSession(sessionId);
            maybeLive();
          }
          break;
        }
        case 'me':
          // My permissions changed (an administrator edited them).
          $me.set(frame.me);
          break;
        case 'pong':
          break;
      }
    });
  }

  function onWelcome(frame: WelcomeFrame): void {
    $me.set(frame.me);
    $clockOffset.set(frame.serverTime - now());
    if (frame.me.kind === 'customer') {
      const visitor = $visitor.get();
      if (visitor?.sessionId !== frame.me.sessionId) $visitor.set({ sessionId: frame.me.sessionId, status: 'queued' });
    }
    resuming.clear();
    for (const r of frame.resume) {
      if (r.status === 'gone') {
        const sessionId = streamSessionId(r.stream);
        if (sessionId) dropSession(sessionId);
        continue;
      }
      if (r.status === 'reset') {
        resuming.set(r.stream, 'reset');
        continue;
      }
      const current = r.stream === 'board' ? board?.seq : $messages.get()[streamSessionId(r.stream) ?? '']?.seq;
      if (r.toSeq !== undefined && (current ?? 0) < r.toSeq) resuming.set(r.stream, r.toSeq);
    }
    // Sessions wanted but not resumed (no local copy yet) are subscribed now.
    const resumed = new Set(frame.resume.map((r) => r.stream));
    for (const [id, mode] of wanted) {
      if (!resumed.has(sessionStream(id))) void subscribeNow(id, mode);
    }
    maybeLive();
  }

  function maybeLive(): void {
    if (resuming.size > 0 || $connection.get().status !== 'resuming') return;
    setConnection({ status: 'live', attempt: 0 });
    flush();
  }

  function resumeProgress(stream: string, seq: number): void {
    const target = resuming.get(stream);
    if (typeof target === 'number' && seq >= target) {
      resuming.delete(stream);
      maybeLive();
    }
  }

  function onBoardEvent(frame: BoardEvent): void {
    sequenced('board', frame.epoch, frame.seq, () => {
      if (frame.kind === 'session') {
        $sessions.setKey(frame.data.id, frame.data);
        if (frame.data.status !== 'queued') clearWarning(frame.data.id);
      } else if (frame.kind === 'session-remove') {
        $sessions.setKey(frame.data.id, undefined);
        clearWarning(frame.data.id);
      } else if (frame.kind === 'agent') {
        $agents.setKey(frame.data.id, frame.data);
      }
    });
  }

  // ---- wait warnings ------------------------------------------------------------------------

  const LEVEL_RANK: Record<WarningLevel, number> = { agents: 1, managers: 2 };
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
    const session = $sessions.get()[frame.sessionId];
    if (session && session.status !== 'queued') return; // answered meanwhile
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

  /** Hides a chat's wait warning (until a higher level arrives or the chat waits anew). */
  function dismissWarning(sessionId: string): void {
    const w = $warnings.get().find((x) => x.sessionId === sessionId);
    if (!w) return;
    dismissed.set(sessionId, w.level);
    saveDismissed();
    $warnings.set($warnings.get().filter((x) => x.sessionId !== sessionId));
  }

  function position(stream: string): { epoch: string; seq: number } | undefined {
    if (stream === 'board') return board;
    const m = $messages.get()[streamSessionId(stream) ?? ''];
    return m?.epoch !== undefined ? { epoch: m.epoch, seq: m.seq } : undefined;
  }

  function setPosition(stream: string, seq: number): void {
    if (stream === 'board') {
      if (board) board = { epoch: board.epoch, seq };
      return;
    }
    const id = streamSessionId(stream) ?? '';
    const m = $messages.get()[id];
    if (m) $messages.setKey(id, { ...m, seq });
  }

  /**
   * Applies an event of a stream exactly once and in order: older or equal `seq` is a
   * duplicate and dropped; the next `seq` is applied (then any held successors); a later
   * `seq` is held while the gap before it is fetched; another epoch means the local copy
   * cannot be continued and is replaced by a fresh snapshot.
   */
  function sequenced(stream: string, epoch: string, seq: number, apply: () => void): void {
    const pos = position(stream);
    if (!pos || resuming.get(stream) === 'reset') return; // a snapshot is on its way; it covers this event
    if (epoch !== pos.epoch) {
      resync(stream);
      return;
    }
    if (seq <= pos.seq) return;
    if (seq > pos.seq + 1) {
      let h = held.get(stream);
      if (!h) held.set(stream, (h = new Map<number, () => void>()));
      h.set(seq, apply);
      fillGap(stream, pos.seq, seq);
      return;
    }
    apply();
    let last = seq;
    const h = held.get(stream);
    while (h?.has(last + 1)) {
      const next = h.get(last + 1);
      h.delete(last + 1);
      next?.();
      last += 1;
    }
    if (h?.size === 0) held.delete(stream);
    setPosition(stream, last);
    resumeProgress(stream, last);
  }

  function fillGap(stream: string, fromSeq: number, toSeq: number): void {
    if (gapFilling.has(stream)) return;
    const sessionId = streamSessionId(stream);
    if (!sessionId) {
      resync(stream);
      return;
    }
    gapFilling.add(stream);
    command<{ epoch: string; messages: ChatMessage[]; hasMore: boolean }>({
      t: 'history',
      sessionId,
      afterSeq: fromSeq,
      limit: Math.min(MAX_HISTORY_PAGE, toSeq - fromSeq - 1),
    }).then(
      (page) => {
        gapFilling.delete(stream);
        batch(() => {
          for (const m of page.messages) {
            sequenced(stream, page.epoch, m.seq, () => {
              applyMessage(sessionId, m);
            });
          }
        });
        const pos = position(stream);
        const h = held.get(stream);
        if (pos && h && h.size > 0) fillGap(stream, pos.seq, Math.min(...h.keys()));
      },
      () => {
        gapFilling.delete(stream);
        // Offline or refused: the next resume or subscribe starts from a snapshot if needed.
      },
    );
  }

  /** The local copy of a stream cannot be continued: fetch a fresh snapshot. */
  function resync(stream: string): void {
    held.delete(stream);
    if (stream === 'board') {
      board = undefined;
      socket.reconnect();
      return;
    }
    const sessionId = streamSessionId(stream);
    if (!sessionId) return;
    const m = $messages.get()[sessionId];
    if (m) $messages.setKey(sessionId, { ...m, ready: false });
    resuming.set(stream, 'reset');
    void subscribeNow(sessionId, wanted.get(sessionId) ?? 'participant', true);
  }

  function onReset(frame: ResetFrame): void {
    held.delete(frame.stream);
    if (frame.stream === 'board') {
      const snap = frame.snapshot as BoardSnapshot;
      board = { epoch: snap.epoch, seq: snap.seq };
      $sessions.set(Object.fromEntries(snap.sessions.map((s) => [s.id, s])));
      $agents.set(Object.fromEntries(snap.agents.map((a) => [a.id, a])));
      $channels.set(snap.channels);
      const waiting = new Set(snap.sessions.filter((s) => s.status === 'queued').map((s) => s.id));
      for (const w of $warnings.get()) if (!waiting.has(w.sessionId)) clearWarning(w.sessionId);
    } else {
      const sessionId = streamSessionId(frame.stream);
      if (!sessionId) return;
      const snap = frame.snapshot as SessionSnapshot;
      $messages.setKey(sessionId, {
        sessionId,
        epoch: snap.epoch,
        seq: snap.seq,
        items: snap.messages,
        hasMore: snap.hasMore,
        loadingOlder: false,
        ready: true,
      });
      if (snap.session) $sessions.setKey(sessionId, snap.session);
      if (snap.status) {
        const visitor = $visitor.get();
        if (visitor?.sessionId === sessionId) {
          // The agent of the last "joined", unless the chat went back to a queue after it.
          const last = [...snap.messages].reverse().find((m) => m.event === 'joined' || m.event === 'queued');
          const { agentName: known, ...rest } = visitor;
          let agentName = snap.status === 'queued' ? undefined : known;
          if (last) agentName = last.event === 'joined' ? last.author.name : undefined;
          $visitor.set({ ...rest, status: snap.status, ...(agentName ? { agentName } : {}) });
        }
      }
      for (const m of snap.messages) confirmOutbox(m);
    }
    resuming.delete(frame.stream);
    maybeLive();
  }

  function applyMessage(sessionId: string, message: ChatMessage): void {
    const m = $messages.get()[sessionId];
    if (!m) return;
    if (m.items.some((i) => i.id === message.id)) return; // never two items for one message
    $messages.setKey(sessionId, { ...m, items: [...m.items, message] });
    confirmOutbox(message);
    const visitor = $visitor.get();
    if (visitor?.sessionId === sessionId && message.kind === 'event') {
      const { position: _p, agentName: _a, ...base } = visitor;
      if (message.event === 'joined') $visitor.set({ ...base, status: 'active', agentName: message.author.name });
      else if (message.event === 'queued' && visitor.status === 'active') $visitor.set({ ...base, status: 'queued' }); // moved to a queue
      else if (message.event === 'ended') $visitor.set({ ...visitor, status: 'ended' });
      else if (message.event === 'left' || message.event === 'missed') $visitor.set({ ...visitor, status: 'missed' });
    }
    if (message.author.kind !== 'customer' || visitor) return;
    // An agent sees the customer stopped typing once their message arrives.
    if ($typing.get()[sessionId]?.who.kind === 'customer') $typing.setKey(sessionId, undefined);
  }

  function dropSession(sessionId: string): void {
    wanted.delete(sessionId);
    const { [sessionId]: _gone, ...rest } = $messages.get();
    $messages.set(rest);
    $typing.setKey(sessionId, undefined);
  }

  // ---- commands ---------------------------------------------------------------------------

  type WithoutRid<T> = T extends unknown ? Omit<T, 'rid'> : never;

  /** Sends a command and resolves with the `ok` data, or rejects with a {@link ChatError}. */
  function command<T = unknown>(frame: WithoutRid<CommandFrame>, allowWhileResuming = true): Promise<T> {
    const status = $connection.get().status;
    if (status !== 'live' && !(allowWhileResuming && status === 'resuming')) {
      return Promise.reject(new ChatError('offline', 'not connected', true));
    }
    ridCounter += 1;
    const rid = `r${String(ridCounter)}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(rid);
        reject(new ChatError('timeout', 'the server did not answer in time', true));
      }, COMMAND_TIMEOUT_MS);
      pending.set(rid, { resolve: (d) => { resolve(d as T); }, reject, timer });
      if (!socket.send({ ...frame, rid })) {
        clearTimeout(timer);
        pending.delete(rid);
        reject(new ChatError('offline', 'not connected', true));
      }
    });
  }

  function subscribeNow(sessionId: string, mode: 'participant' | 'listen', fresh = false): Promise<void> {
    const m = $messages.get()[sessionId];
    if (!m) $messages.setKey(sessionId, { sessionId, seq: 0, items: [], hasMore: false, loadingOlder: false, ready: false });
    const after = !fresh && m?.epoch !== undefined ? { epoch: m.epoch, seq: m.seq } : undefined;
    const stream = sessionStream(sessionId);
    if (!after) resuming.set(stream, 'reset');
    return command<{ status: string; toSeq?: number }>({ t: 'subscribe', sessionId, mode, ...(after ? { after } : {}) }).then(
      (r) => {
        if (r.status === 'replay' && r.toSeq !== undefined && (position(stream)?.seq ?? 0) < r.toSeq) {
          resuming.set(stream, r.toSeq);
        }
      },
      (error: unknown) => {
        resuming.delete(stream);
        maybeLive();
        if (error instanceof ChatError && error.code === 'forbidden') dropSession(sessionId);
      },
    );
  }

  /**
   * Follows a session's messages (opening a conversation). Idempotent; survives reconnects.
   * `listen` is read-only listening, which needs the channel's listen permission.
   */
  function openSession(sessionId: string, mode: 'participant' | 'listen' = 'participant'): void {
    openCount.set(sessionId, (openCount.get(sessionId) ?? 0) + 1);
    if (wanted.get(sessionId) === mode) return;
    wanted.set(sessionId, mode);
    if ($connection.get().status === 'live') void subscribeNow(sessionId, mode);
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
    if ($connection.get().status === 'live') command({ t: 'unsubscribe', sessionId }).catch(() => undefined);
  }

  /** Loads the page of messages before the oldest one held. */
  async function loadOlder(sessionId: string): Promise<void> {
    const m = $messages.get()[sessionId];
    if (!m?.ready || !m.hasMore || m.loadingOlder) return;
    const first = m.items[0];
    $messages.setKey(sessionId, { ...m, loadingOlder: true });
    try {
      const page = await command<{ epoch: string; messages: ChatMessage[]; hasMore: boolean }>({
        t: 'history',
        sessionId,
        ...(first ? { beforeSeq: first.seq } : {}),
        limit: 50,
      });
      const cur = $messages.get()[sessionId];
      if (!cur) return;
      const known = new Set(cur.items.map((i) => i.id));
      $messages.setKey(sessionId, {
        ...cur,
        items: [...page.messages.filter((x) => !known.has(x.id)), ...cur.items],
        hasMore: page.hasMore,
        loadingOlder: false,
      });
    } catch (error) {
      const cur = $messages.get()[sessionId];
      if (cur) $messages.setKey(sessionId, { ...cur, loadingOlder: false });
      throw error;
    }
  }

  /** "Get next in queue": the oldest waiting chat of my channels becomes mine. */
  const next = (channelIds?: string[]) =>
    command<{ sessionId: string }>({ t: 'next', ...(channelIds ? { channelIds } : {}) }).then((r) => r.sessionId);
  /** Answers one specific waiting chat. */
  const accept = (sessionId: string) => command<{ sessionId: string }>({ t: 'accept', sessionId }).then(() => sessionId);
  /** Ends a chat (agent) or leaves it (customer). */
  const end = (sessionId: string) => command({ t: 'end', sessionId }).then(() => undefined);
  /** Sets my status (agents). */
  const setPresence = (status: 'present' | 'away') => command({ t: 'presence', status }).then(() => undefined);

  /**
   * Transfers a chat I handle (or manage): to an agent, who must accept within the tenant's
   * timeout (resolves with the offer's expiry, server time); or to a channel's queue, at once.
   */
  const transfer = (sessionId: string, to: TransferTarget, note?: string) =>
    command<{ sessionId: string; expiresAt?: number }>({ t: 'transfer', sessionId, to, ...(note !== undefined && note.trim() !== '' ? { note } : {}) }).then(
      (r) => ({ sessionId, ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}) }),
    );
  /** Accepts or declines a chat offered to me. Accepting makes me its handler. */
  const answerTransfer = (sessionId: string, accept: boolean) => command({ t: 'transfer-answer', sessionId, accept }).then(() => undefined);
  /** Withdraws a transfer I offered (or, as a manager, any pending one of my channels). */
  const cancelTransfer = (sessionId: string) => command({ t: 'transfer-cancel', sessionId }).then(() => undefined);
  /** Manager: takes over a chat at once; its handler keeps read-only access. */
  const takeover = (sessionId: string) => command({ t: 'takeover', sessionId }).then(() => undefined);

  /**
   * Dashboard statistics from the server, on its clock: for these channels (those I belong to),
   * or all of mine. Rejects with `invalid` when the answer is malformed. See docs/dashboard.md.
   */
  async function dashboardStats(channelIds?: readonly string[]): Promise<DashboardStats> {
    const data = await command({ t: 'stats', ...(channelIds ? { channelIds: [...channelIds] } : {}) }, false);
    const stats = parseDashboardStats(data);
    if (!stats) throw new ChatError('invalid', 'the server sent malformed statistics');
    return stats;
  }

  /**
   * Agents: ids of the sessions on my board with a message (text or note) containing `query`,
   * case-insensitively; newest activity first, at most 200. Names, e-mail addresses and last
   * messages are on the board already; this searches the whole message text on the server.
   * The query is trimmed and cut to 100 characters; a blank one rejects with `invalid`.
   */
  function searchSessions(query: string): Promise<string[]> {
    const q = query.trim().slice(0, MAX_SEARCH_QUERY);
    if (q === '') return Promise.reject(new ChatError('invalid', 'the search query is empty'));
    return command<{ sessionIds?: unknown } | undefined>({ t: 'search', query: q }, false).then((r) =>
      Array.isArray(r?.sessionIds) ? r.sessionIds.filter((id): id is string => typeof id === 'string') : [],
    );
  }

  const lastRead = new Map<string, number>();
  /** Marks everything I have seen in a session as read. */
  function markRead(sessionId: string): void {
    const m = $messages.get()[sessionId];
    if (!m?.ready || m.seq <= (lastRead.get(sessionId) ?? 0)) return;
    lastRead.set(sessionId, m.seq);
    command({ t: 'read', sessionId, seq: m.seq }, false).catch(() => {
      lastRead.delete(sessionId);
    });
  }

  /** Tells the other side I am typing (throttling is the caller's: see TYPING_THROTTLE_MS). */
  function typing(sessionId: string, on: boolean, preview?: string): void {
    if ($connection.get().status !== 'live') return;
    socket.send({ t: 'typing', sessionId, on, ...(preview !== undefined ? { preview } : {}) });
  }

  function sweepTyping(): void {
    const t = now();
    for (const [id, state] of Object.entries($typing.get())) {
      if (state && state.until < t) $typing.setKey(id, undefined);
    }
  }

  // ---- outbox -----------------------------------------------------------------------------

  function updateOutbox(fn: (items: OutboxItem[]) => OutboxItem[]): void {
    $outbox.set(fn($outbox.get()));
  }

  function loadOutbox(): Promise<void> {
    loaded ??= storage.load().then(
      (records) => {
        const known = new Set($outbox.get().map((i) => i.cmid));
        const restored = records
          .filter((r) => !known.has(r.cmid))
          .sort((a, b) => a.order - b.order)
          .map((r): OutboxItem => ({ ...r, state: 'queued' }));
        orderCounter = Math.max(orderCounter, ...records.map((r) => r.order));
        updateOutbox((items) => [...restored, ...items].sort((a, b) => a.order - b.order));
      },
      () => {
        $outboxPersistent.set(false);
      },
    );
    return loaded;
  }

  /**
   * Sends a message: it is stored in the outbox (IndexedDB) first, shown as pending, and sent
   * when the connection is live, after earlier messages of the same session.
   * `attachmentIds`: files uploaded with `uploadAttachment` to this session (text messages only;
   * the text may then be empty).
   * @returns the message's cmid (idempotency key).
   */
  async function send(sessionId: string, text: string, kind: 'text' | 'note' = 'text', attachmentIds?: readonly string[]): Promise<string> {
    const who = owner();
    if (!who) throw new ChatError('offline', 'not connected yet');
    const files = attachmentIds && attachmentIds.length > 0 ? [...attachmentIds] : undefined;
    if (text.trim() === '' && !files) throw new ChatError('invalid', 'the message is empty');
    if (files && kind !== 'text') throw new ChatError('invalid', 'attachments can only be sent in messages, not in notes');
    await loadOutbox();
    orderCounter = Math.max(orderCounter + 1, now());
    const record: OutboxRecord = {
      cmid: uuid(),
      sessionId,
      kind,
      text,
      ...(files ? { attachmentIds: files } : {}),
      createdAt: now(),
      order: orderCounter,
      owner: who,
    };
    try {
      await storage.put(record);
    } catch {
      // Quota exceeded or storage gone: keep going in memory and say so.
      $outboxPersistent.set(false);
    }
    updateOutbox((items) => [...items, { ...record, state: 'queued' }]);
    flush();
    return record.cmid;
  }

  /** Sends a failed message again (same cmid: never stored twice). */
  function retry(cmid: string): void {
    updateOutbox((items) =>
      items.map((i) => {
        if (i.cmid !== cmid || i.state !== 'failed') return i;
        const { error: _e, retryAt: _r, ...rest } = i;
        return { ...rest, state: 'queued' as const };
      }),
    );
    flush();
  }

  /** Gives up on a pending or failed message; later messages of its session go on. */
  function cancel(cmid: string): void {
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item || item.state === 'sending' || item.state === 'sent') return;
    updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    storage.delete(cmid).catch(() => undefined);
    flush();
  }

  function flush(): void {
    if ($connection.get().status !== 'live') return;
    const who = owner();
    const t = now();
    let wake = Infinity;
    const heads = new Map<string, OutboxItem>();
    for (const item of $outbox.get()) {
      if (item.state === 'sent' || item.owner !== who || heads.has(item.sessionId)) continue;
      heads.set(item.sessionId, item);
    }
    for (const item of heads.values()) {
      if (item.state !== 'queued') continue; // sending, or failed and blocking its session
      if (item.retryAt !== undefined && item.retryAt > t) {
        wake = Math.min(wake, item.retryAt);
        continue;
      }
      // Marked as sending (with its ack timer) before it leaves: an answer may arrive at once.
      updateOutbox((items) => items.map((i) => (i.cmid === item.cmid ? { ...i, state: 'sending' as const } : i)));
      ackTimers.set(
        item.cmid,
        setTimeout(() => {
          // No answer: the socket is presumed broken; resume and resend with the same cmid.
          ackTimers.delete(item.cmid);
          socket.reconnect();
        }, options.socket?.ackTimeoutMs ?? ACK_TIMEOUT_MS),
      );
      const files = item.attachmentIds && item.attachmentIds.length > 0 ? { attachmentIds: item.attachmentIds } : {};
      if (!socket.send({ t: 'send', cmid: item.cmid, sessionId: item.sessionId, kind: item.kind, text: item.text, ...files })) {
        clearTimeout(ackTimers.get(item.cmid));
        ackTimers.delete(item.cmid);
        updateOutbox((items) => items.map((i) => (i.cmid === item.cmid && i.state === 'sending' ? { ...i, state: 'queued' as const } : i)));
        return;
      }
    }
    clearTimeout(retryTimer);
    if (wake !== Infinity) retryTimer = setTimeout(flush, Math.max(0, wake - t));
  }

  function onAck(cmid: string, sessionId: string, msgId: string, seq: number): void {
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item) return;
    storage.delete(cmid).catch(() => undefined);
    const m = $messages.get()[sessionId];
    const inStream = m?.items.some((x) => x.id === msgId || x.cmid === cmid) ?? false;
    if (inStream || !wanted.has(sessionId)) updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    else updateOutbox((items) => items.map((i) => (i.cmid === cmid ? { ...i, state: 'sent' as const, msgId, seq } : i)));
    flush();
  }

  /** A stream message carrying one of our cmids confirms that outbox item (first of ack / event wins). */
  function confirmOutbox(message: ChatMessage): void {
    if (!message.cmid) return;
    const cmid = message.cmid;
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item) return;
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    storage.delete(cmid).catch(() => undefined);
    updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    queueMicrotask(flush);
  }

  function onNack(frame: NackFrame): void {
    if (frame.rid !== undefined) {
      const p = pending.get(frame.rid);
      if (p) {
        clearTimeout(p.timer);
        pending.delete(frame.rid);
        p.reject(new ChatError(frame.code, frame.message, frame.retryable));
      }
      return;
    }
    const cmid = frame.cmid;
    if (cmid === undefined) return;
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    updateOutbox((items) =>
      items.map((i) => {
        if (i.cmid !== cmid) return i;
        if (frame.retryable) {
          const wait = (frame.retryAfterMs ?? 1000) * (1 + Math.random() * 0.3);
          return { ...i, state: 'queued' as const, retryAt: now() + wait };
        }
        return { ...i, state: 'failed' as const, error: { code: frame.code, message: frame.message } };
      }),
    );
    flush();
  }

  // ---- lifecycle --------------------------------------------------------------------------

  function clearStores(): void {
    board = undefined;
    wanted.clear();
    openCount.clear();
    lastRead.clear();
    $me.set(undefined);
    $sessions.set({});
    $agents.set({});
    $channels.set([]);
    $messages.set({});
    $outbox.set([]);
    $typing.set({});
    $visitor.set(undefined);
    $selectedSessionId.set(undefined);
    $warnings.set([]);
    dismissed.clear();
    saveDismissed();
  }

  /** Signs out on this device: closes the socket, deletes pending messages and cached chats. */
  async function logout(): Promise<void> {
    disconnect();
    clearStores();
    void toolsLoaded?.then((t) => {
      t.forget();
    });
    await storage.clear();
  }

  /** Closes everything; the client cannot be used afterwards. */
  function destroy(): void {
    destroyed = true;
    disconnect();
    clearTimeout(retryTimer);
  }

  const stores = {
    $connection: $connection as ReadableAtom<ConnectionState>,
    $me: $me as ReadableAtom<Me | undefined>,
    $sessions: $sessions as MapStore<Record<string, SessionSummary>>,
    $agents: $agents as MapStore<Record<string, AgentInfo>>,
    $channels: $channels as ReadableAtom<ChannelInfo[]>,
    $messages: $messages as MapStore<Record<string, SessionMessages>>,
    $outbox: $outbox as ReadableAtom<OutboxItem[]>,
    $outboxPersistent: $outboxPersistent as ReadableAtom<boolean>,
    $typing: $typing as MapStore<Record<string, TypingState | undefined>>,
    $visitor: $visitor as ReadableAtom<VisitorState | undefined>,
    $clockOffset: $clockOffset as ReadableAtom<number>,
    $selectedSessionId: $selectedSessionId as ReadableAtom<string | undefined>,
    $warnings: $warnings as ReadableAtom<WarningState[]>,
    $agentMe,
    $queued,
    $mine,
    $incomingTransfers,
  };

  /** Shows a session in the console (or none). Elements follow `$selectedSessionId`. */
  function selectSession(sessionId: string | undefined): void {
    $selectedSessionId.set(sessionId);
  }

  /**
   * Uploads, attachment URLs and the reply library (HTTP with `getAccessToken`). Their code is
   * loaded on first use, so a customer widget that never sends a file never downloads it.
   */
  type AgentTools = ReturnType<typeof createAgentTools>;
  let toolsLoaded: Promise<AgentTools> | undefined;
  const tools = (): Promise<AgentTools> =>
    (toolsLoaded ??= import('./agent-tools.js').then((m) => m.createAgentTools(options.url, options.getAccessToken)));
  /** A method of the tools that loads them first (every one of them returns a promise). */
  const lazy = <K extends Exclude<keyof AgentTools, 'forget'>>(name: K): AgentTools[K] =>
    ((...args: unknown[]) => tools().then((t) => (t[name] as (...a: unknown[]) => Promise<unknown>)(...args))) as unknown as AgentTools[K];

  return {
    ...stores,
    options: { url: options.url, tenant: options.tenant },
    selectSession,
    connect,
    disconnect,
    reconnect,
    openSession,
    closeSession,
    loadOlder,
    send,
    retry,
    cancel,
    /** Uploads a file to a chat with progress; resolves with `{id, name, size, type}` (see src/state/agent-tools.ts). */
    uploadAttachment: lazy('uploadAttachment'),
    /** A short-lived signed download URL (`{inline: true}`: thumbnail URL of a raster image). */
    attachmentUrl: lazy('attachmentUrl'),
    /** What the server accepts: max bytes, types, `accept` value. */
    attachmentLimits: lazy('attachmentLimits'),
    listReplies: lazy('listReplies'),
    createReply: lazy('createReply'),
    updateReply: lazy('updateReply'),
    deleteReply: lazy('deleteReply'),
    favouriteReply: lazy('favouriteReply'),
    markReplyUsed: lazy('markReplyUsed'),
    next,
    accept,
    end,
    setPresence,
    transfer,
    answerTransfer,
    cancelTransfer,
    takeover,
    dashboardStats,
    searchSessions,
    dismissWarning,
    markRead,
    typing,
    logout,
    destroy,
    /** Diagnostics (frames dropped by validation). */
    stats: stats as Readonly<typeof stats>,
  };
}

export type ChatClient = ReturnType<typeof createChatClient>;
