/**
 * Commands slice: request / answer over the socket. Every command carries a `rid`; the server's
 * `ok` resolves it and its `nack` rejects it with a {@link ChatError}; no answer within 15 s, or
 * the connection going down, rejects it as retryable. The agent actions that are plain commands
 * (get next, accept, end, presence, transfers, takeover, statistics, search) are here too.
 */
import type { ChatPriority, CommandFrame, NackFrame, OkFrame, TransferTarget } from '../protocol/index.js';
import { MAX_SEARCH_QUERY } from '../protocol/index.js';
import type { DashboardStats } from '../protocol/stats.js';
import { parseDashboardStats } from '../protocol/stats.js';
import type { ChatSocket } from '../transport/socket.js';
import type { ConnectionState } from './types.js';
import { ChatError } from './types.js';

interface Pending {
  resolve(data: unknown): void;
  reject(error: ChatError): void;
  timer: ReturnType<typeof setTimeout>;
}

const COMMAND_TIMEOUT_MS = 15_000;

type WithoutRid<T> = T extends unknown ? Omit<T, 'rid'> : never;
export type Command = <T = unknown>(frame: WithoutRid<CommandFrame>, allowWhileResuming?: boolean) => Promise<T>;

export function createCommands(socket: Pick<ChatSocket, 'send'>, status: () => ConnectionState['status']) {
  const pending = new Map<string, Pending>();
  let ridCounter = 0;

  /** Sends a command and resolves with the `ok` data, or rejects with a {@link ChatError}. */
  function command<T = unknown>(frame: WithoutRid<CommandFrame>, allowWhileResuming = true): Promise<T> {
    const now = status();
    if (now !== 'live' && !(allowWhileResuming && now === 'resuming')) {
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

  /** The server's `ok`: resolves its command. */
  function ok(frame: OkFrame): void {
    const p = pending.get(frame.rid);
    if (p) {
      clearTimeout(p.timer);
      pending.delete(frame.rid);
      p.resolve(frame.data);
    }
  }

  /** A `nack` with a `rid`: rejects its command. */
  function nack(frame: NackFrame & { rid: string }): void {
    const p = pending.get(frame.rid);
    if (p) {
      clearTimeout(p.timer);
      pending.delete(frame.rid);
      p.reject(new ChatError(frame.code, frame.message, frame.retryable));
    }
  }

  /** The connection went down: every command waiting for an answer fails (retryable). */
  function down(): void {
    for (const [rid, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ChatError('offline', 'the connection was lost', true));
      pending.delete(rid);
    }
  }

  return { command, ok, nack, down };
}

/** The agent's actions that are one command each. */
export function createActions(command: Command) {
  /** "Get next in queue": the oldest waiting chat of my channels becomes mine. */
  const next = (channelIds?: string[]) =>
    command<{ sessionId: string }>({ t: 'next', ...(channelIds ? { channelIds } : {}) }).then((r) => r.sessionId);
  /** Answers one specific waiting chat. */
  const accept = (sessionId: string) => command<{ sessionId: string }>({ t: 'accept', sessionId }).then(() => sessionId);
  /**
   * Ends a chat (agent) or leaves it (customer). Agents may give its wrap-up (the channel may
   * require a comment or a tag: rejects with `invalid` naming what is missing) and close it
   * without telling the customer (`notify: false`, for spam).
   */
  const end = (sessionId: string, options: { wrapUp?: { comment?: string; tags?: string[] }; notify?: boolean } = {}) =>
    command({ t: 'end', sessionId, ...(options.wrapUp ? { wrapUp: options.wrapUp } : {}), ...(options.notify === false ? { notify: false } : {}) }).then(() => undefined);
  /** Sets a chat's tags and/or closing comment (each given one replaces the stored one). */
  const wrapUp = (sessionId: string, fields: { comment?: string; tags?: string[] }) => command({ t: 'wrapup', sessionId, ...fields }).then(() => undefined);
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
  /**
   * Accepts or declines a waiting chat offered to me by automatic assignment (issue 18). Accepting
   * makes me its handler; declining offers it to the next agent. Not answering in time sets me Away.
   */
  const answerOffer = (sessionId: string, accept: boolean) => command({ t: 'offer-answer', sessionId, accept }).then(() => undefined);
  /** Withdraws a transfer I offered (or, as a manager, any pending one of my channels). */
  const cancelTransfer = (sessionId: string) => command({ t: 'transfer-cancel', sessionId }).then(() => undefined);
  /** Manager: takes over a chat at once; its handler keeps read-only access. */
  const takeover = (sessionId: string) => command({ t: 'takeover', sessionId }).then(() => undefined);
  /** Puts a chat I handle on hold (`on`: it frees a place; the customer is told) or resumes it. */
  const hold = (sessionId: string, on: boolean) => command({ t: 'hold', sessionId, on }).then(() => undefined);
  /** Sends a chat I handle (or manage) back to its queue with a reason the next agent sees. */
  const returnToQueue = (sessionId: string, reason: string) => command({ t: 'requeue', sessionId, reason: reason.trim() }).then(() => undefined);
  /**
   * Ask for help (issue 18): raises (`on`, the handling agent, with an optional note) or lowers
   * (the handling agent or a supervisor) the flag the channel's supervisors see on the Dashboard.
   */
  const askForHelp = (sessionId: string, on: boolean, note?: string) =>
    command({ t: 'help', sessionId, on, ...(on && note !== undefined && note.trim() !== '' ? { note: note.trim() } : {}) }).then(() => undefined);

  /**
   * Sets a chat's priority (issue 18): the handling agent, or a manager of its channel; waiting
   * chats are answered highest priority first.
   */
  const setPriority = (sessionId: string, priority: ChatPriority) => command({ t: 'priority', sessionId, priority }).then(() => undefined);

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

  return { next, accept, end, setPresence, transfer, answerTransfer, answerOffer, cancelTransfer, takeover, askForHelp, hold, returnToQueue, wrapUp, setPriority, dashboardStats, searchSessions };
}
