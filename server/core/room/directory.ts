/**
 * Directory work: one tenant's sessions' lifecycle and who works on them. Starting a chat, the
 * queue and queue positions, answering (`accept`, `next`: atomic, one winner), ending, agent
 * presence and load, permissions, statistics and search; with its helpers for the board stream
 * (board.ts), session activity (activity.ts), the agents' roster (roster.ts), availability
 * (presence.ts), wait warnings (warnings.ts) and transfers (transfers.ts).
 *
 * It talks to conversations only through {@link ConversationPort} and hears from them only
 * through {@link DirectoryPort} (ports.ts).
 */
import { MAX_EMAIL, MAX_NAME, MAX_PHONE, MAX_SEARCH_RESULTS, RECENT_SWEEP_MS, WARNING_SWEEP_MS } from '../../../src/protocol/limits.js';
import type { AgentStatus, ChannelPermissions, DashboardStats, Me, ResumeStatus } from '../../../src/protocol/index.js';
import { computeStats } from '../stats.js';
import { openState } from '../journey/hours.js';
import { parseStored } from '../journey/settings.js';
import { BOT_SENDER_ID, channelLanguage, customerText } from '../../../src/protocol/channel-settings.js';
import { expectedWaitMs, recentAverageWaitMs } from '../journey/queue-wait.js';
import { recordStart, welcomeText } from '../journey/start.js';
import type { AgentAccess, SessionRow } from '../store/index.js';
import { agentAccess } from './access.js';
import { ActivityFeed } from './activity.js';
import { Assignment } from './assignment.js';
import { Board } from './board.js';
import { Help } from './help.js';
import { Hold } from './hold.js';
import { WrapUp } from './wrapup.js';
import { once } from './connections.js';
import type { Activity, ConversationPort, DirectoryPort } from './ports.js';
import { Presence } from './presence.js';
import { Priorities } from './priority.js';
import { Roster } from './roster.js';
import type { RoomTimers } from './sweeps.js';
import { Transfers } from './transfers.js';
import type { After, ConnState, RoomContext, StartChatInput } from './types.js';
import { Refusal } from './types.js';
import { Warnings } from './warnings.js';

export class Directory implements DirectoryPort {
  readonly board: Board;
  readonly activityFeed: ActivityFeed;
  readonly roster: Roster;
  readonly presence: Presence;
  readonly warnings: Warnings;
  readonly transfers: Transfers;
  readonly help: Help;
  readonly hold: Hold;
  readonly assignment: Assignment;
  readonly wrapUp: WrapUp;
  readonly priorities: Priorities;

  constructor(
    private readonly ctx: RoomContext,
    private readonly conversation: ConversationPort,
    private readonly timers: RoomTimers,
  ) {
    this.presence = new Presence(ctx);
    this.board = new Board(ctx, (id) => this.presence.isOnline(id));
    this.activityFeed = new ActivityFeed(ctx);
    this.roster = new Roster(ctx, (id) => this.presence.isOnline(id));
    this.warnings = new Warnings(ctx);
    this.transfers = new Transfers(ctx, this, conversation, timers);
    this.help = new Help(ctx, this, conversation);
    this.hold = new Hold(ctx, this, conversation);
    this.assignment = new Assignment(ctx, this, timers);
    this.wrapUp = new WrapUp(ctx, this);
    this.priorities = new Priorities(ctx, this);
  }

  /**
   * Starts the directory's timers: expiry of the transfers still pending in the database (a
   * restart; overdue ones expire at once) and the periodic sweeps.
   */
  start(): void {
    const { store } = this.ctx;
    this.transfers.start();
    this.assignment.start();
    // Agents disabled or moved out of a channel while no room ran (the CLI): release them now.
    const unfit = new Map<string, string[]>();
    for (const b of store.unfitBindings()) unfit.set(b.agent_id, [...(unfit.get(b.agent_id) ?? []), b.session_id]);
    for (const [agentId, ids] of unfit) this.release(agentId, (s) => ids.includes(s.id));
    if (store.tenant()?.recent_swept_at === null) {
      store.db.transaction(() => {
        store.setRecentSweptAt(this.ctx.now());
      });
    }
    this.timers.every('recent', RECENT_SWEEP_MS, () => {
      this.board.recentSweep();
    });
    this.timers.every('warnings', WARNING_SWEEP_MS, () => {
      this.warnings.sweep();
    });
  }

  /** Stops the coalesced feeds (shutdown): nothing waiting is sent. */
  stop(): void {
    this.activityFeed.stop();
    this.roster.stop();
  }

  // ---- the conversation's calls (DirectoryPort) ------------------------------------------

  /**
   * A session's message-level fields changed: after the commit its `activity` is marked for the
   * next coalesced flush (no board event: those are for the lifecycle). A message the customer
   * sees starts or answers a wait for a response (priority.ts), in the same transaction.
   */
  activity(sessionId: string, change: Activity, after: After[]): void {
    if (change.kind === 'message' && change.visible === true) this.priorities.message(sessionId, change.from, change.at);
    // The summary a snapshot sends carries these fields too.
    this.board.forget(sessionId);
    after.push(() => {
      this.board.forget(sessionId);
      this.activityFeed.touch(sessionId);
    });
  }

  /** A supervisor opened a chat whose agent asked for help: the request is answered. */
  opened(sessionId: string, agentId: string): void {
    this.help.joined(sessionId, agentId);
  }

  // ---- connections ----------------------------------------------------------------------

  /**
   * `hello`, directory part: `me`; for an agent, online (the roster learns it on its next flush)
   * and the board stream's resume (a replay is followed by the current roster and the current
   * activity of the sessions queued in their channels or handled by them; a snapshot carries
   * both); for a customer, the channel of their session (the connection index of availability).
   */
  greet(state: ConnState, boardPos: { epoch: string; seq: number } | undefined): { me: Me; resume: ResumeStatus[]; texts: string[]; channelId?: string } {
    const { store } = this.ctx;
    if (!state.access) {
      const session = store.session(state.principal.subjectId);
      return {
        me: { kind: 'customer', tenantId: this.ctx.tenantId, sessionId: state.principal.subjectId, name: session?.customer_name ?? '' },
        resume: [],
        texts: [],
        ...(session ? { channelId: session.channel_id } : {}),
      };
    }
    const agentId = state.access.agent.id;
    state.access = store.access(agentId) ?? state.access;
    const me = store.me(state.access);
    if (this.presence.connected(agentId)) this.agentUpdated(agentId);
    const board = this.board.resume(state, agentId, boardPos);
    const texts = board.status.status === 'replay' ? [...board.texts, ...this.roster.current(), ...this.activityFeed.current(state)] : board.texts;
    return { me, resume: [board.status], texts };
  }

  /** After `welcome`: a customer's queue position and availability; an agent's due warnings. */
  greeted(state: ConnState): void {
    if (state.principal.role === 'customer') {
      this.sendQueuePosition(state);
      this.presence.send(state);
    } else {
      this.warnings.sendDue(state);
    }
  }

  /** A connection closed: its agent may have gone offline. */
  disconnected(state: ConnState): void {
    if (!state.hello || state.principal.role !== 'agent') return;
    const agentId = state.principal.subjectId;
    if (this.presence.disconnected(agentId)) this.agentUpdated(agentId);
  }

  // ---- frames ---------------------------------------------------------------------------

  /** `accept`: answers a queued chat of a channel where the agent may respond. */
  answer(state: ConnState, sessionId: string): { sessionId: string } {
    const access = agentAccess(state);
    const session = this.ctx.store.session(sessionId);
    if (!session || !access.channels.get(session.channel_id)?.respond) throw new Refusal('forbidden', 'you cannot answer chats in this channel');
    if (session.status !== 'queued') throw new Refusal('conflict', 'this chat was already answered or has ended');
    this.assign(access, session);
    return { sessionId };
  }

  /**
   * `next`: the next queued chat (highest priority, then oldest) of the agent's respond-channels (or of those asked for); a
   * chat offered to another agent by automatic assignment is left to them.
   */
  next(state: ConnState, channelIds: readonly string[] | undefined): { sessionId: string } {
    const access = agentAccess(state);
    const mine = [...access.channels].filter(([, perm]) => perm.respond).map(([id]) => id);
    const channels = channelIds ? mine.filter((id) => channelIds.includes(id)) : mine;
    const session = this.ctx.store.oldestQueued(channels, access.agent.id);
    if (!session) throw new Refusal('queue_empty', 'no chat is waiting in your channels');
    this.assign(access, session);
    return { sessionId: session.id };
  }

  /**
   * `end`: by the customer, the handling agent or a manager; idempotent. A queued chat is missed.
   * `silent`: the customer is not told (the `ended` event is agent-only, wrapup.ts); `within`
   * writes more in the same transaction (the wrap-up).
   */
  end(state: ConnState, sessionId: string, options: { silent?: boolean; within?: () => void } = {}): void {
    const { store } = this.ctx;
    const p = state.principal;
    const session = store.session(sessionId);
    if (!session) throw new Refusal('forbidden', 'not allowed in this session');
    if (p.role === 'customer') {
      if (session.id !== p.subjectId) throw new Refusal('forbidden', 'not allowed in this session');
    } else {
      const perm = agentAccess(state).channels.get(session.channel_id);
      if (session.agent_id !== p.subjectId && !perm?.manager) throw new Refusal('forbidden', 'only the handling agent or a manager can end this chat');
    }
    if (session.status === 'ended' || session.status === 'missed') return; // idempotent
    const status = session.status === 'queued' ? 'missed' : 'ended';
    this.ctx.tx((after) => {
      const at = this.ctx.now();
      const before = this.board.visibilityOf(session);
      if (!store.finish(session.id, status, p.role, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      options.within?.();
      const who = p.role === 'agent' ? (state.access?.agent.name ?? '') : session.customer_name;
      const silent = options.silent === true && status === 'ended' ? { silent: true as const } : undefined;
      this.conversation.appendSystem(session.id, status === 'missed' ? 'left' : 'ended', status === 'missed' ? 'The customer left the queue' : 'The chat has ended', at, after, who, silent);
      this.board.sessionChanged(session.id, after, before);
      // A pending transfer ends with the chat.
      after.push(() => {
        this.transfers.cancelTimer(session.id);
        this.conversation.revalidate(session.id);
      });
      if (session.agent_id) this.agentChanged(session.agent_id, after);
      if (session.status === 'queued') this.assignment.settle(session.id, 'withdrawn', after);
      if (session.status === 'queued') {
        after.push(() => {
          this.queuePositions(session.channel_id, session.id);
        });
      }
    });
  }

  /**
   * A customer returns to their chat within `graceMs` of its end (the channel's post-chat
   * setting): it is active again with the same agent when they are online, Present, may respond
   * in the channel and have room; otherwise it waits in the channel's queue. Idempotent while the
   * chat is open.
   */
  reopen(sessionId: string, graceMs: number): 'queued' | 'active' {
    const { store } = this.ctx;
    const session = store.session(sessionId);
    if (!session) throw new Refusal('not_found', 'no such chat');
    if (session.status === 'queued' || session.status === 'active') return session.status;
    const at = this.ctx.now();
    if (session.ended_at === null || at - session.ended_at > graceMs) throw new Refusal('conflict', 'the chat ended too long ago to return to it');
    const channel = store.channel(session.channel_id);
    if (!channel) throw new Refusal('conflict', 'the channel of this chat no longer exists');
    const agent = session.agent_id ? store.agent(session.agent_id) : undefined;
    const canTake =
      agent?.status === 'present' &&
      this.presence.isOnline(agent.id) &&
      store.access(agent.id)?.channels.get(session.channel_id)?.respond === true &&
      store.activeChatCount(agent.id) < agent.max_concurrent_chats;
    return this.ctx.tx((after) => {
      const before = this.board.visibilityOf(session);
      if (!store.reopen(session.id, canTake ? agent.id : undefined, at)) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      if (canTake) {
        this.conversation.appendSystem(session.id, 'joined', `${agent.name} joined the chat`, at, after, agent.name);
        this.agentChanged(agent.id, after);
      } else {
        const language = store.db.get<{ language: string | null }>('SELECT language FROM sessions WHERE tenant_id = ? AND id = ?', [this.ctx.tenantId, session.id])?.language;
        this.conversation.appendSystem(session.id, 'queued', welcomeText(parseStored(channel.settings), channelLanguage(language), channel.welcome_message), at, after);
        after.push(() => {
          this.queuePositions(session.channel_id);
        });
      }
      this.board.sessionChanged(session.id, after, before);
      after.push(() => {
        this.conversation.revalidate(session.id);
        this.presence.sendToCustomer(session.id);
      });
      return canTake ? 'active' : 'queued';
    });
  }

  /** `presence`: Present or Away. */
  setStatus(state: ConnState, status: AgentStatus): void {
    const agentId = agentAccess(state).agent.id;
    this.ctx.tx((after) => {
      this.ctx.store.setAgentStatus(agentId, status);
      this.agentChanged(agentId, after);
    });
    // Back to Present: the wait warnings that are still due reach this agent's consoles.
    if (status === 'present') this.warnings.sendDueToAgent(agentId);
  }

  /**
   * Dashboard statistics on the room's clock (`stats` frame, `GET /api/stats`): for the channels
   * asked for that the agent belongs to (any permission), all of theirs when none are asked for;
   * other channels are left out silently. Definitions: docs/dashboard.md.
   */
  stats(agentId: string, channelIds?: readonly string[]): DashboardStats {
    const { store } = this.ctx;
    const mine = store.agentChannelIds(agentId);
    const chosen = channelIds ? mine.filter((id) => channelIds.includes(id)) : mine;
    return computeStats({
      db: store.db,
      tenantId: this.ctx.tenantId,
      now: this.ctx.now(),
      timeZone: store.tenant()?.time_zone ?? 'UTC',
      channelIds: chosen,
      isOnline: (id) => this.presence.isOnline(id),
    });
  }

  /**
   * Message text search for the session list (agents only): ids of the sessions on the caller's
   * board (the board's visibility and recent window) with a text or note containing the query,
   * case-insensitively, newest activity first, at most MAX_SEARCH_RESULTS. Never logs the query.
   */
  search(state: ConnState, query: string): { sessionIds: string[] } {
    const access = agentAccess(state);
    return { sessionIds: this.ctx.store.searchSessions(access.agent.id, query.trim(), this.ctx.now(), MAX_SEARCH_RESULTS) };
  }

  // ---- HTTP-facing operations -------------------------------------------------------------

  /** Starts a customer chat: a queued session with the channel's welcome text. */
  startChat(input: StartChatInput): SessionRow {
    const { store } = this.ctx;
    const channel = store.channel(input.channelId);
    if (!channel) throw new Refusal('not_found', 'unknown channel');
    const settings = parseStored(channel.settings);
    if (!openState(settings.hours, this.ctx.now()).open) throw new Refusal('conflict', 'the channel is closed now (see its opening hours)');
    const name = clean(input.name, MAX_NAME, 'name');
    const email = clean(input.email, MAX_EMAIL, 'email');
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Refusal('invalid', 'email: not an e-mail address');
    const phone = clean(input.phone, MAX_PHONE, 'phone');
    if (phone && !/^[+()\d\s./-]{3,}$/.test(phone)) throw new Refusal('invalid', 'phone: not a phone number');
    return this.ctx.tx((after) => {
      const at = this.ctx.now();
      const start = this.priorities.atStart(
        channel.id,
        { name, email, phone, company: input.journey?.company, language: input.journey?.language ?? settings.language },
        at,
      );
      const session = store.createSession({ channelId: channel.id, name: name ?? '', email, phone, at, identity: input.identity, ...start });
      if (input.journey) recordStart(store.db, this.ctx.tenantId, session.id, input.journey);
      // The bot's part first (nobody follows the chat yet: stored, not delivered), then the queue.
      const botName = customerText(settings, input.journey?.language ?? settings.language, 'botName') ?? 'Bot';
      for (const turn of input.botPart ?? []) {
        const bot = turn.from === 'bot';
        this.conversation.append(
          {
            sessionId: session.id,
            senderKind: bot ? 'system' : 'customer',
            senderId: bot ? BOT_SENDER_ID : session.id,
            authorName: bot ? botName : session.customer_name,
            kind: 'text',
            text: turn.text,
            at: Math.min(turn.at, at),
          },
          after,
        );
      }
      this.conversation.appendSystem(session.id, 'queued', welcomeText(settings, input.journey?.language, channel.welcome_message), at, after);
      this.board.sessionChanged(session.id, after);
      after.push(() => {
        this.queuePositions(channel.id);
      });
      return session;
    });
  }

  /**
   * Sets an agent's permissions in a channel (all false: removes them from it) and applies the
   * change at once to their open consoles: `me` with the new permissions; every session
   * subscription no longer allowed is dropped and answered with `gone {stream, reason:
   * 'revoked'}` (the conversation's part); a fresh board snapshot when they joined or left the
   * channel; availability is recomputed for customers.
   */
  setPermissions(agentId: string, channelId: string, perms: ChannelPermissions): void {
    const { store, conns } = this.ctx;
    if (!store.agent(agentId)) throw new Refusal('not_found', 'no such agent');
    if (!store.channel(channelId)) throw new Refusal('not_found', 'no such channel');
    const couldWork = canWork(store.access(agentId)?.channels.get(channelId));
    const membershipChanged = this.ctx.tx((after) => {
      const r = store.setChannelPermissions(agentId, channelId, perms);
      this.agentChanged(agentId, after);
      return r.before !== r.after;
    });
    const fresh = store.access(agentId);
    if (!fresh) return;
    this.ctx.log.info('permissions.changed', { channel: channelId });
    const consoles = [...conns.ofAgent(agentId)].filter((state) => !state.closed);
    const me = once(() => ({ t: 'me', me: store.me(fresh) }));
    for (const state of consoles) {
      state.access = fresh;
      conns.reindexAgent(state);
      if (state.hello) conns.sendText(state, me());
    }
    this.conversation.revoke(agentId);
    if (membershipChanged) {
      for (const state of consoles) {
        if (!state.hello) continue;
        for (const text of this.board.reset(state, agentId, 'permissions')) conns.sendText(state, text);
      }
    }
    if (couldWork && !canWork(perms)) this.release(agentId, (s) => s.channel_id === channelId);
  }

  /**
   * Permission changes from provisioning, applied at once: those of an agent who is online one by
   * one through {@link setPermissions} (their consoles follow); the others written together in one
   * transaction. Either way the roster tells every console the agent's new channels (`agents`),
   * availability is recounted, and chats of a channel where the agent may no longer answer go
   * back to the queue ({@link release}).
   */
  applyPermissions(changes: readonly { agentId: string; channelId: string; permissions: ChannelPermissions }[]): void {
    const { store } = this.ctx;
    const live = changes.filter((c) => this.presence.isOnline(c.agentId));
    for (const c of live) this.setPermissions(c.agentId, c.channelId, c.permissions);
    const offline = changes.filter((c) => !live.includes(c));
    if (offline.length === 0) return;
    const lost = new Map<string, Set<string>>();
    this.ctx.tx((after) => {
      for (const c of offline) {
        const couldWork = canWork(store.access(c.agentId)?.channels.get(c.channelId));
        store.setChannelPermissions(c.agentId, c.channelId, c.permissions);
        if (couldWork && !canWork(c.permissions)) lost.set(c.agentId, (lost.get(c.agentId) ?? new Set()).add(c.channelId));
      }
      for (const agentId of new Set(offline.map((c) => c.agentId))) this.agentChanged(agentId, after);
    });
    for (const [agentId, channels] of lost) this.release(agentId, (s) => channels.has(s.channel_id));
  }

  /**
   * The agent was disabled or deleted (their sockets are closed already): every chat they
   * handle goes back to the queue, offers to them are cancelled, and every console's roster
   * shows them without channels and offline.
   */
  cutOff(agentId: string): void {
    this.release(agentId, () => true);
    this.agentUpdated(agentId);
  }

  /**
   * An agent's display name changed: the agent's own consoles get their `me` again (and the name
   * their messages carry from now on), the boards a `session` event for each chat whose summary
   * names them (open, or ended within the recent window), and every console's roster the record.
   */
  renamed(agentId: string): void {
    const { store, conns } = this.ctx;
    const fresh = store.access(agentId);
    if (!fresh) return;
    const me = once(() => ({ t: 'me', me: store.me(fresh) }));
    for (const state of conns.ofAgent(agentId)) {
      if (state.closed) continue;
      state.access = fresh;
      if (state.hello) conns.sendText(state, me());
    }
    this.ctx.tx((after) => {
      for (const sessionId of store.naming(agentId, this.ctx.now())) this.board.sessionChanged(sessionId, after);
      this.agentChanged(agentId, after);
    });
  }

  /**
   * The rule when an agent can no longer work in chats (docs/provisioning.md § 9): of the chats
   * bound to them (handled, or offered to them) those `which` selects go back to their queue or
   * lose the offer; see {@link Transfers.release}.
   */
  private release(agentId: string, which: (s: SessionRow) => boolean): void {
    const sessions = this.ctx.store.boundTo(agentId).filter(which);
    if (sessions.length > 0) this.transfers.release(agentId, sessions);
  }

  // ---- shared with transfers ----------------------------------------------------------------

  /** An agent's record changed (status, load, permissions) in this transaction: see {@link agentUpdated}. */
  agentChanged(agentId: string, after: After[]): void {
    after.push(() => {
      this.agentUpdated(agentId);
    });
  }

  /** An agent's record changed: the roster publishes it (coalesced); availability is recounted. */
  agentUpdated(agentId: string): void {
    this.roster.touch(agentId);
    this.presence.update(agentId);
    this.assignment.agentUpdated(agentId);
  }

  /**
   * Tells the queued customers of a channel their place in the queue (1 = next), and the
   * customer of a session that just left it (`left`: answered, ended) position 0. Nobody else
   * hears of it: customers of other channels keep their place, and those already out of the
   * queue were told once.
   */
  queuePositions(channelId: string, left?: string): void {
    const { store, conns } = this.ctx;
    let wait: { average: number | undefined; agents: number } | undefined;
    const tell = (sessionId: string, position: number): void => {
      wait ??= position > 0 ? { average: recentAverageWaitMs(store.db, this.ctx.tenantId, channelId, this.ctx.now()), agents: this.presence.availableCount(channelId) } : undefined;
      const expected = position > 0 && wait ? expectedWaitMs(wait.average, position, wait.agents) : undefined;
      const text = once(() => ({ t: 'queue', sessionId, position, ...(expected !== undefined ? { expectedWaitMs: expected } : {}) }));
      for (const state of conns.ofCustomer(sessionId)) {
        if (state.hello) conns.sendText(state, text());
      }
    };
    // Only customers with an open widget are told: with none in the channel, no query at all.
    if (conns.customersIn(channelId).size > 0) {
      store.queuedInChannel(channelId).forEach((s, i) => {
        tell(s.id, i + 1);
      });
    }
    if (left !== undefined) tell(left, 0);
    this.assignment.pump(channelId);
  }

  /** Gives a queued session to an agent: capacity, status guard, joined event, board events. */
  private assign(access: AgentAccess, session: SessionRow): void {
    const { store } = this.ctx;
    const agent = store.agent(access.agent.id) ?? access.agent;
    this.ctx.tx((after) => {
      if (store.activeChatCount(agent.id) >= agent.max_concurrent_chats) {
        throw new Refusal('at_capacity', `you already handle ${String(agent.max_concurrent_chats)} chats`);
      }
      const at = this.ctx.now();
      if (!store.assign(session.id, agent.id, at)) throw new Refusal('conflict', 'another agent answered this chat first');
      this.assignment.settle(session.id, { answeredBy: agent.id }, after);
      this.conversation.appendSystem(session.id, 'joined', `${agent.name} joined the chat`, at, after, agent.name);
      this.board.sessionChanged(session.id, after);
      this.agentChanged(agent.id, after);
      after.push(() => {
        this.queuePositions(session.channel_id, session.id);
        this.conversation.revalidate(session.id);
      });
    });
  }

  private sendQueuePosition(state: ConnState): void {
    const session = this.ctx.store.session(state.principal.subjectId);
    if (session?.status !== 'queued') return;
    const position = this.ctx.store.queuedInChannel(session.channel_id).findIndex((s) => s.id === session.id) + 1;
    const average = recentAverageWaitMs(this.ctx.store.db, this.ctx.tenantId, session.channel_id, this.ctx.now());
    const expected = expectedWaitMs(average, position, this.presence.availableCount(session.channel_id));
    this.ctx.conns.send(state, { t: 'queue', sessionId: session.id, position, ...(expected !== undefined ? { expectedWaitMs: expected } : {}) });
  }
}

/** Trims an optional text input; throws a clear `invalid` refusal when it is too long. */
function clean(value: string | undefined, max: number, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.length > max) throw new Refusal('invalid', `${field}: at most ${String(max)} characters`);
  return text === '' ? undefined : text;
}

/** May handle chats in a channel: answer them, or (a manager) take them over. */
function canWork(p: ChannelPermissions | undefined): boolean {
  return p !== undefined && (p.respond || p.manager);
}
