/**
 * What the directory's actions on one chat share (hold.ts, help.ts, wrapup.ts, priority.ts): the
 * caller's access and the chat the frame names, refused `forbidden` unless the action's rule
 * allows it, and one transaction that writes the chat's row, refused `conflict` when the row
 * changed meanwhile, before what follows from it (events, the board) is added.
 */
import type { SqlValue } from '../sql.js';
import type { AgentAccess, SessionRow, TenantStore } from '../store/index.js';
import { agentAccess } from './access.js';
import type { Directory } from './directory.js';
import type { After, ConnState, RoomContext } from './types.js';
import { Refusal } from './types.js';

/** The caller of an action and its chat. */
export interface Target {
  access: AgentAccess;
  session: SessionRow;
  /** The caller handles the chat. */
  mine: boolean;
}

/** The rule of most actions: the handling agent, or a manager of the chat's channel. */
export const handlerOrManager = ({ access, session, mine }: Target): boolean => mine || access.channels.get(session.channel_id)?.manager === true;

export abstract class SessionAction {
  constructor(
    protected readonly ctx: RoomContext,
    protected readonly dir: Directory,
  ) {}

  protected get store(): TenantStore {
    return this.ctx.store;
  }

  /** The calling agent and the chat `sessionId`; `forbidden` with `message` unless `allowed` (never for an unknown chat). */
  protected target(state: Pick<ConnState, 'access'>, sessionId: string, allowed: (t: Target) => boolean, message: string): Target {
    const access = agentAccess(state);
    const session = this.store.session(sessionId);
    const target = session ? { access, session, mine: session.agent_id === access.agent.id } : undefined;
    if (!target || !allowed(target)) throw new Refusal('forbidden', message);
    return target;
  }

  /**
   * One transaction: `sql` must change the chat's row (else it changed meanwhile: `conflict`,
   * nothing written), then `then` adds what follows, sent after the commit.
   */
  protected change(sql: string, params: readonly SqlValue[], then: (after: After[]) => void): void {
    this.ctx.tx((after) => {
      if (this.store.db.run(sql, params).changes !== 1) throw new Refusal('conflict', 'the chat changed meanwhile; try again');
      then(after);
    });
  }
}
