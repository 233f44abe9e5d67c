/**
 * Session subscriptions and listen-in (conversation side): which connections follow which
 * session and how (`participant` or `listen`), and the `listen_audit` rows of listen-mode ones.
 * A listen opens an audit row; a switch to participant, an unsubscribe, a lost permission or a
 * closed socket closes it with the reason.
 */
import type { ListenAudit, ListenAuditEntry, ListenEnd } from '../listen-audit.js';
import type { SessionRow } from '../store/index.js';
import { listenVia, readMode } from './access.js';
import type { ConnState, Mode, RoomContext } from './types.js';
import { errorName, Refusal } from './types.js';

export class Subscriptions {
  constructor(
    private readonly ctx: RoomContext,
    private readonly audit: ListenAudit,
  ) {}

  /**
   * Records a subscription of this connection. A listen-mode one opens a `listen_audit` row (a
   * repeated listen keeps the open one); a switch to participant closes it with `endReason`.
   */
  set(state: ConnState, session: SessionRow, mode: Mode, endReason: ListenEnd = 'unsubscribed'): void {
    this.ctx.conns.setSub(state, session.id, mode);
    if (state.principal.role !== 'agent') return;
    const open = state.audits.get(session.id);
    if (mode === 'listen') {
      if (open !== undefined) return;
      const id = this.audit.open({ agentId: state.principal.subjectId, sessionId: session.id, channelId: session.channel_id, via: listenVia(state, session), at: this.ctx.now() });
      state.audits.set(session.id, id);
    } else if (open !== undefined) {
      this.audit.close(open, this.ctx.now(), endReason);
      state.audits.delete(session.id);
    }
  }

  /** Ends a subscription of this connection (and its audit row, with `reason`). */
  drop(state: ConnState, sessionId: string, reason: ListenEnd): void {
    this.ctx.conns.dropSub(state, sessionId);
    const open = state.audits.get(sessionId);
    if (open === undefined) return;
    state.audits.delete(sessionId);
    this.audit.close(open, this.ctx.now(), reason);
  }

  /** Closes every open audit row of a connection (it closed). Never throws. */
  endListens(state: ConnState, reason: ListenEnd): void {
    if (state.audits.size === 0) return;
    const ids = [...state.audits.values()];
    state.audits.clear();
    try {
      this.ctx.store.db.transaction(() => {
        for (const id of ids) this.audit.close(id, this.ctx.now(), reason);
      });
    } catch (error) {
      this.ctx.log.warn('audit.close_failed', { error: errorName(error) });
    }
  }

  /**
   * After a change of who may read a session (answered, transferred, requeued, taken over):
   * subscriptions that are no longer allowed end (silently; the board tells the agent why).
   */
  revalidate(sessionId: string): void {
    const row = this.ctx.store.session(sessionId);
    if (!row) return;
    for (const state of [...this.ctx.conns.subscribers(sessionId)]) {
      if (state.principal.role !== 'agent') continue;
      const mode = readMode(this.ctx.store, state, row);
      if (!mode) this.drop(state, sessionId, 'lost-access');
      // A listener who became the handler (accepted a transfer, took over) no longer listens.
      else if (state.subs.get(sessionId) === 'listen' && row.agent_id === state.access?.agent.id) this.set(state, row, 'participant', 'answered');
    }
  }

  /**
   * Subscriptions of a connection its (changed) permissions no longer allow: a listen without
   * the listen permission, a chat it may no longer read. Each is dropped (`revoked`); returns
   * their session ids for the caller to answer with `gone`.
   */
  revoke(state: ConnState): string[] {
    const revoked: string[] = [];
    for (const [sessionId, mode] of [...state.subs]) {
      const row = this.ctx.store.session(sessionId);
      const allowed = row ? readMode(this.ctx.store, state, row) : undefined;
      const keep = row !== undefined && allowed !== undefined && (mode === 'participant' || allowed === 'listen' || state.access?.channels.get(row.channel_id)?.listen === true);
      if (keep) continue;
      this.drop(state, sessionId, 'revoked');
      revoked.push(sessionId);
    }
    return revoked;
  }

  /**
   * The listen-in audit for a supervisor (`GET /api/audit/listen`): rows of sessions in the
   * channels where `agentId` has `manager` or `listen`. Others, and a session outside those
   * channels (or unknown), are refused with `forbidden`.
   */
  auditFor(agentId: string, filter: { sessionId?: string | undefined; from?: number | undefined; to?: number | undefined } = {}): ListenAuditEntry[] {
    const { store } = this.ctx;
    const access = store.access(agentId);
    const supervised = [...(access?.channels ?? [])].filter(([, p]) => p.manager || p.listen).map(([id]) => id);
    if (supervised.length === 0) throw new Refusal('forbidden', 'only supervisors (manager or listen permission) can read the listen audit');
    if (filter.sessionId !== undefined) {
      const session = store.session(filter.sessionId);
      if (!session || !supervised.includes(session.channel_id)) throw new Refusal('forbidden', 'not allowed for this session');
    }
    return this.audit.list({ channelIds: supervised, ...filter });
  }

  /**
   * Nobody listens in a room or unit that is just starting: the audit rows left open (a crash, an
   * eviction) end now (`restart`), except `kept`, those of the sockets it takes back.
   */
  restarted(kept?: ReadonlySet<string>): void {
    this.ctx.store.db.transaction(() => {
      this.audit.closeAllOpen(this.ctx.now(), 'restart', kept);
    });
  }
}
