/**
 * `createChatClient(options)`: every store, action and the socket of one chat console (agent)
 * or one customer widget. No module-level state: two clients on one page are independent.
 *
 * Data flow: the socket delivers validated frames → `receive()` applies them to the stores in
 * stream order (dedupe and gap fill by `seq`; the board by `prev`; `reset` → snapshot, assembled
 * from its parts; `activity` and `agents` patch the board, latest value wins) → components render
 * the stores. User actions go the other way: `send()` puts a message into the outbox (persisted
 * first), the outbox sends it only while the connection is `live`, one at a time per session,
 * and confirms it on `ack` or on the stream event carrying its `cmid`.
 */
import type { ReadableAtom } from 'nanostores';
import { atom, batch, computed } from 'nanostores';

import type { AgentInfo, AgentMe, BoardEvent, BoardSnapshot, ChannelInfo, Me, ServerFrame, SessionEvent, SessionSnapshot, SessionSummary } from '../protocol/index.js';
import { PROTOCOL_VERSION, streamSessionId } from '../protocol/index.js';
import type { createAgentTools } from './agent-tools.js';
import { createBoard } from './board.js';
import { createBoardCache, indexedDbBoardCache, noBoardCache } from './board-cache.js';
import { createActions, createCommands } from './commands.js';
import { createConnection } from './connection.js';
import type { ReadonlyKeyed, WorkCounter } from './keyed.js';
import { newWorkCounter } from './keyed.js';
import { createMessages } from './messages.js';
import { createOutbox } from './outbox.js';
import type { OutboxStorage } from './outbox-storage.js';
import { indexedDbAvailable, indexedDbOutboxStorage, memoryOutboxStorage, rememberedOwner } from './outbox-storage.js';
import type { Sequencer } from './sequencer.js';
import { createSequencer } from './sequencer.js';
import { createTyping } from './typing.js';
import type { ConnectionState, OutboxItem, SessionMessages, TypingState, VisitorState, WarningState } from './types.js';
import { createViews } from './views.js';
import { createVisitor } from './visitor.js';
import { createDrafts } from './drafts.js';
import { createWarnings } from './warnings.js';

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
    hiddenMaxReconnectDelayMs?: number;
    pingIntervalMs?: number;
    pongTimeoutMs?: number;
    ackTimeoutMs?: number;
  };
}

type Handlers = { [K in ServerFrame['t']]: (frame: Extract<ServerFrame, { t: K }>) => void };

export function createChatClient(options: ChatClientOptions) {
  const now = options.now ?? (() => Date.now());
  const namespace = `${options.url}|${options.tenant}|${options.outboxKey ?? ''}`;
  const storage: OutboxStorage = options.storage ?? (indexedDbAvailable() ? indexedDbOutboxStorage(namespace) : memoryOutboxStorage());
  const lastOwner = rememberedOwner(namespace, options.storage === undefined);
  const drafts = createDrafts(namespace, options.storage === undefined);

  // ---- slices -----------------------------------------------------------------------------

  /** Diagnostics: frames dropped by validation; the board's work (entries looked at, comparisons, rebuilds). */
  const stats = { invalidFrames: 0, board: newWorkCounter() };
  const connection = createConnection(
    { ...options, now },
    {
      opened: () => {
        sendHello();
      },
      frame: (frame) => {
        receive(frame);
      },
      down: () => {
        void boardCache.flush();
        board.down();
        sequencer.down();
        commands.down();
        outbox.down();
      },
      starting: () => {
        typing.start();
        return Promise.all([outbox.load(), restoreBoard()]).then(() => undefined);
      },
      started: () => outbox.loaded(),
      stopped: () => {
        typing.stop();
      },
    },
    stats,
  );
  const { $connection, $me, socket } = connection;
  const commands = createCommands(socket, () => $connection.get().status);
  const { command } = commands;
  const typing = createTyping(socket, connection.live, now);
  const visitor = createVisitor();
  /** Who I was when the board kept on this device was saved: shown until the welcome says who I am. */
  const $cachedMe = atom<AgentMe | undefined>(undefined);
  const board = createBoard(
    computed([$me, $cachedMe], (me, cached) => me ?? cached),
    {
      resync: () => {
        socket.reconnect();
      },
    },
    stats.board,
  );
  /** The owner of what this client keeps on the device (pending messages, the board). */
  const owner = (): string | undefined => {
    if (options.outboxKey) return options.outboxKey;
    const me = $me.get();
    // Before the welcome (a reload while offline): who was signed in here last, so messages
    // written now are kept for them; they go only if the welcome says it is still them.
    if (!me) return lastOwner.get();
    return me.kind === 'agent' ? `agent:${me.id}` : `customer:${me.sessionId}`;
  };
  const boardCache = createBoardCache(options.storage === undefined && indexedDbAvailable() ? indexedDbBoardCache(namespace) : noBoardCache, {
    snapshot: () => {
      const me = $me.get();
      const key = owner();
      if (me?.kind !== 'agent' || key === undefined) return undefined;
      return { owner: key, me, sessions: [...board.sessions.values()], agents: [...board.agents.values()], channels: board.$channels.get() };
    },
    watch: (changed) => {
      const stops = [board.sessions.$version.listen(changed), board.agents.$version.listen(changed)];
      return () => {
        for (const stop of stops) stop();
      };
    },
    now,
  });
  /** Before the first welcome: the board kept on this device (a reload while offline shows the chats). */
  async function restoreBoard(): Promise<void> {
    boardCache.start();
    if ($me.get() || board.position() || board.sessions.size > 0) return;
    const saved = await boardCache.load(owner());
    if (!saved || $me.get() || board.position() || board.sessions.size > 0) return;
    batch(() => {
      $cachedMe.set(saved.me);
      board.restore(saved);
    });
  }
  const warnings = createWarnings(namespace, board.get);
  board.sessions.watch({ change: warnings.sessionChanged, reset: warnings.retainWaiting });
  const outbox = createOutbox({
    storage,
    socket,
    now,
    ackTimeoutMs: options.socket?.ackTimeoutMs,
    live: connection.live,
    owner,
    inStream: (sessionId, msgId, cmid) => messages.get(sessionId)?.items.some((x) => x.id === msgId || x.cmid === cmid) ?? false,
    followed: (sessionId) => messages.isWanted(sessionId),
  });
  const messages = createMessages({
    command,
    sequencer: () => sequencer,
    live: connection.live,
    message: (sessionId, message) => {
      outbox.confirm(message);
      const customerClient = visitor.isVisitor();
      visitor.onMessage(sessionId, message);
      // An agent sees the customer stopped typing once their message arrives.
      if (message.author.kind === 'customer' && !customerClient) typing.clear(sessionId, true);
    },
    snapshot: (sessionId, snap) => {
      if (snap.session) board.sessionFromStream(snap.session);
      visitor.onSnapshot(sessionId, snap);
      for (const m of snap.messages) outbox.confirm(m);
    },
    dropped: (sessionId) => {
      typing.clear(sessionId);
    },
  });
  const sequencer: Sequencer = createSequencer({
    stream: (name) => (name === 'board' ? board.stream : messages.streamOf(name)),
    resuming: () => $connection.get().status === 'resuming',
    live: () => {
      connection.setConnection({ status: 'live', attempt: 0 });
      outbox.flush();
    },
  });

  // ---- incoming frames --------------------------------------------------------------------

  function sendHello(): void {
    const me = $me.get();
    const position = board.position();
    socket.send({
      t: 'hello',
      v: PROTOCOL_VERSION,
      resume: { ...(position ? { board: position } : {}), sessions: messages.resumePositions(me?.kind === 'customer' ? me.sessionId : undefined) },
    });
  }

  /** What each server frame does, by type (a missing type is a compile error). */
  const handlers: Handlers = {
    welcome(frame) {
      const cached = $cachedMe.get();
      // The board kept on the device was someone else's: it goes before the server's comes.
      if (cached && (frame.me.kind !== 'agent' || frame.me.id !== cached.id)) board.clear();
      $cachedMe.set(undefined);
      connection.welcome(frame);
      if (!options.outboxKey) lastOwner.set(frame.me.kind === 'agent' ? `agent:${frame.me.id}` : `customer:${frame.me.sessionId}`);
      visitor.welcome(frame.me);
      sequencer.welcome(frame.resume);
      messages.subscribeWanted(new Set(frame.resume.map((r) => r.stream)));
      sequencer.maybeLive();
    },
    event(frame) {
      if (frame.stream === 'board') {
        const f = frame as BoardEvent;
        sequencer.sequenced('board', f.epoch, f, () => {
          board.apply(f);
        });
        return;
      }
      const f = frame as SessionEvent;
      const sessionId = streamSessionId(f.stream);
      if (sessionId) {
        sequencer.sequenced(f.stream, f.epoch, f, () => {
          messages.applyMessage(sessionId, f.data);
        });
      }
    },
    reset(frame) {
      if (frame.stream === 'board') {
        // A snapshot in parts is applied when its last part arrives (the stream waits till then).
        if (!board.beginSnapshot(frame.snapshot as BoardSnapshot, 'parts' in frame ? frame.parts : undefined)) return;
      } else {
        const sessionId = streamSessionId(frame.stream);
        if (!sessionId) return;
        messages.applySnapshot(sessionId, frame.snapshot as SessionSnapshot);
      }
      sequencer.snapshotApplied(frame.stream);
    },
    'reset-part'(frame) {
      const done = board.addSnapshotPart(frame);
      if (done === 'applied') sequencer.snapshotApplied('board');
      else if (done === 'invalid') sequencer.resync('board');
    },
    activity(frame) {
      board.applyActivity(frame.sessions);
    },
    agents(frame) {
      board.upsertAgents(frame.agents);
    },
    ack(frame) {
      outbox.ack(frame.cmid, frame.sessionId, frame.msgId, frame.seq);
    },
    nack(frame) {
      if (frame.rid !== undefined) commands.nack({ ...frame, rid: frame.rid });
      else outbox.nack(frame);
    },
    ok(frame) {
      commands.ok(frame);
    },
    typing(frame) {
      typing.onTyping(frame);
    },
    queue(frame) {
      visitor.onQueue(frame);
    },
    availability(frame) {
      visitor.onAvailability(frame);
    },
    warning(frame) {
      warnings.onWarning(frame);
    },
    error(frame) {
      connection.serverError(frame.code, frame.message);
    },
    gone(frame) {
      // The server stopped this subscription (e.g. the listen permission was revoked).
      const sessionId = streamSessionId(frame.stream);
      if (sessionId) {
        messages.dropSession(sessionId);
        sequencer.forget(frame.stream);
      }
    },
    me(frame) {
      // My permissions changed (an administrator edited them).
      $me.set(frame.me);
    },
    pong() {
      // The socket's heartbeat.
    },
  };

  /** Applies a frame in one batch: listeners hear about it once, after every store is updated. */
  function receive(frame: ServerFrame): void {
    batch(() => {
      (handlers[frame.t] as (f: ServerFrame) => void)(frame);
    });
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /** Signs out on this device: closes the socket, deletes pending messages and cached chats. */
  async function logout(): Promise<void> {
    connection.disconnect();
    messages.clear();
    board.clear();
    $cachedMe.set(undefined);
    outbox.clear();
    typing.reset();
    visitor.clear();
    warnings.clear();
    $me.set(undefined);
    lastOwner.set(undefined);
    drafts.clear();
    $selectedSessionId.set(undefined);
    void toolsLoaded?.then((t) => {
      t.forget();
    });
    await Promise.all([storage.clear(), boardCache.clear()]);
  }

  /** Closes everything; the client cannot be used afterwards. */
  function destroy(): void {
    boardCache.stop();
    connection.destroy();
    outbox.destroy();
  }

  /** The session the console shows (shared by the session list, the conversation and the contact panel). */
  const $selectedSessionId = atom<string | undefined>(undefined);

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

  const views = createViews({ messages, typing, outbox, $connection, $me, $visitor: visitor.$visitor });

  const stores = {
    $connection: $connection as ReadableAtom<ConnectionState>,
    $me: $me as ReadableAtom<Me | undefined>,
    $sessions: board.$sessions,
    $agents: board.$agents,
    $channels: board.$channels as ReadableAtom<ChannelInfo[]>,
    $messages: messages.$messages,
    $outbox: outbox.$outbox as ReadableAtom<OutboxItem[]>,
    $outboxPersistent: outbox.$outboxPersistent as ReadableAtom<boolean>,
    $typing: typing.$typing,
    $visitor: visitor.$visitor as ReadableAtom<VisitorState | undefined>,
    $clockOffset: connection.$clockOffset as ReadableAtom<number>,
    $selectedSessionId: $selectedSessionId as ReadableAtom<string | undefined>,
    $warnings: warnings.$warnings as ReadableAtom<WarningState[]>,
    $agentMe: board.$agentMe,
    $queued: board.$queued,
    $mine: board.$mine,
    $incomingTransfers: board.$incomingTransfers,
    /** Waiting chats offered to me by automatic assignment (`answerOffer`). */
    $incomingOffers: board.$incomingOffers,
    /** How many chats wait in my channels (changes only when the number does). */
    $queuedCount: board.$queuedCount,
    /** How many chats I handle now (with those on hold). */
    $mineCount: board.$mineCount,
    /** My load: the chats I handle that count against my limit (not those on hold, issue 18). */
    $loadCount: board.$loadCount,
    /** My own agent record on the board (presence and load as others see them). */
    $myAgent: board.$myAgent,
    /** One session of the board: its listeners hear about that session only. */
    $session: (id: string): ReadableAtom<SessionSummary | undefined> => board.sessions.item(id),
    /** One agent of the board. */
    $agent: (id: string): ReadableAtom<AgentInfo | undefined> => board.agents.item(id),
    /** The messages of one followed session. */
    $sessionMessages: (id: string): ReadableAtom<SessionMessages | undefined> => messages.sessions.item(id),
    /** Who is typing in one session. */
    $sessionTyping: (id: string): ReadableAtom<TypingState | undefined> => typing.sessions.item(id),
  };

  return {
    ...stores,
    /**
     * Computed stores made for the elements (src/state/views.ts): `visitorChat(id)`; the agent
     * console's views come from `agentViews(client)` (src/state/agent-views.ts).
     */
    views,
    /**
     * The board's collections, read-only, for views of one's own: `get`, `entries`, `item(id)`,
     * `$version`, `watch` (see src/state/keyed.ts); `work` counts what keeping views costs.
     */
    board: {
      sessions: board.sessions as ReadonlyKeyed<SessionSummary>,
      agents: board.agents as ReadonlyKeyed<AgentInfo>,
      work: board.work,
    },
    options: { url: options.url, tenant: options.tenant },
    selectSession,
    connect: connection.connect,
    disconnect: connection.disconnect,
    reconnect: connection.reconnect,
    openSession: messages.openSession,
    closeSession: messages.closeSession,
    loadOlder: messages.loadOlder,
    send: outbox.send,
    /** The text being written in a chat ('' when none); kept across chat switches and reloads. */
    draft: drafts.draft,
    saveDraft: drafts.saveDraft,
    retry: outbox.retry,
    cancel: outbox.cancel,
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
    getChannelSettings: lazy('getChannelSettings'),
    saveChannelSettings: lazy('saveChannelSettings'),
    /** A channel's wrap-up requirements for the End chat dialog (any agent of the channel). */
    getWrapUpSettings: lazy('getWrapUpSettings'),
    ...createActions(command),
    dismissWarning: warnings.dismissWarning,
    markRead: messages.markRead,
    markUnread: messages.markUnread,
    typing: typing.typing,
    logout,
    destroy,
    /** Diagnostics: frames dropped by validation; the board's work (entries looked at, comparisons, rebuilds). */
    stats: stats as Readonly<{ invalidFrames: number; board: Readonly<WorkCounter> }>,
  };
}

export type ChatClient = ReturnType<typeof createChatClient>;
