/**
 * Who may read a session, per connection: pure rules over the principal, the agent's channel
 * permissions and the session row. Both the conversation (subscriptions, writes) and the
 * directory (transfers, takeover) ask these; neither keeps state here.
 */
import type { Principal } from '../auth.js';
import type { ListenVia } from '../listen-audit.js';
import type { AgentAccess, SessionRow, TenantStore } from '../store/index.js';
import type { ConnState, Mode } from './types.js';
import { Refusal } from './types.js';

export type Reader = Pick<ConnState, 'principal' | 'access'>;

/** The agent's access of a connection; `forbidden` for customers. */
export function agentAccess(state: Pick<ConnState, 'access'>): AgentAccess {
  if (!state.access) throw new Refusal('forbidden', 'agents only');
  return state.access;
}

/**
 * How this connection may read a session, or undefined when it may not: customers their
 * own session; agents the sessions they handle, queued ones in channels they answer, any in
 * channels they manage (participant); with the listen permission, the target of a pending
 * transfer, or having handled it before (listen: read-only).
 */
export function readMode(store: TenantStore, who: Reader, session: SessionRow): Mode | undefined {
  if (who.principal.role === 'customer') return session.id === who.principal.subjectId ? 'participant' : undefined;
  const access = who.access;
  if (!access) return undefined;
  const me = access.agent.id;
  if (session.agent_id === me) return 'participant';
  const perm = access.channels.get(session.channel_id);
  if (perm?.manager || (session.status === 'queued' && perm?.respond)) return 'participant';
  if (perm?.listen) return 'listen';
  if (session.transfer_to === me || store.handled(session.id, me)) return 'listen';
  return undefined;
}

/** Why an agent may listen to a session (recorded in the audit). */
export function listenVia(who: Reader, session: SessionRow): ListenVia {
  const access = who.access;
  if (access?.channels.get(session.channel_id)?.listen) return 'permission';
  if (session.transfer_to === access?.agent.id) return 'transfer';
  return 'handled';
}

/**
 * How a principal from an HTTP request may read a session (the socket's rules, without a
 * connection): `participant`, `listen`, or undefined when not at all (other tenant, unknown
 * session or agent). Attachment uploads and downloads use it.
 */
export function principalReadMode(store: TenantStore, tenantId: string, principal: Principal, sessionId: string): Mode | undefined {
  if (principal.tenantId !== tenantId) return undefined;
  const session = store.session(sessionId);
  if (!session) return undefined;
  const access = principal.role === 'agent' ? store.access(principal.subjectId) : undefined;
  if (principal.role === 'agent' && !access) return undefined;
  return readMode(store, { principal, access }, session);
}
