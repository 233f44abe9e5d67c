/**
 * Channel permissions of agents, as the provisioning API takes them: `{respond, notifications,
 * listen, manager}` (docs/protocol.md, "Authorization per frame"); an omitted flag takes the
 * default of a plain channel member (respond and notifications on, listen and manager off).
 */
import type { ChannelPermissions } from '../../../src/protocol/index.js';
import type { SqlPort } from '../sql.js';
import { TenantStore } from '../store/index.js';
import { Fields, objectBody } from './validate.js';

export type Permissions = ChannelPermissions;

export const NO_PERMISSIONS: Permissions = { respond: false, notifications: false, listen: false, manager: false };
export const MEMBER_PERMISSIONS: Permissions = { respond: true, notifications: true, listen: false, manager: false };

/** One agent's permissions in one channel to set (all false: the agent leaves the channel). */
export interface PermissionChange {
  agentId: string;
  channelId: string;
  permissions: Permissions;
}

export function isMember(p: Permissions): boolean {
  return p.respond || p.notifications || p.listen || p.manager;
}

export function samePermissions(a: Permissions, b: Permissions): boolean {
  return a.respond === b.respond && a.notifications === b.notifications && a.listen === b.listen && a.manager === b.manager;
}

/** Reads `{respond?, notifications?, listen?, manager?}` at `path`; problems go to `into`. */
export function readPermissions(raw: unknown, path: string, into: Fields): Permissions | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    into.absorbProblem(path, 'an object {respond, notifications, listen, manager} of true or false');
    return undefined;
  }
  const f = new Fields(objectBody(raw), ['respond', 'notifications', 'listen', 'manager'], path === '' ? '' : `${path}.`);
  const p: Permissions = {
    respond: f.bool('respond') ?? MEMBER_PERMISSIONS.respond,
    notifications: f.bool('notifications') ?? MEMBER_PERMISSIONS.notifications,
    listen: f.bool('listen') ?? MEMBER_PERMISSIONS.listen,
    manager: f.bool('manager') ?? MEMBER_PERMISSIONS.manager,
  };
  into.absorb(f);
  return Object.keys(f.problems).length === 0 ? p : undefined;
}

/** Writes permission changes in one transaction (when no room of the tenant is running). */
export function writePermissions(db: SqlPort, tenantId: string, changes: readonly PermissionChange[]): void {
  if (changes.length === 0) return;
  const store = new TenantStore(db, tenantId);
  db.transaction(() => {
    for (const c of changes) store.setChannelPermissions(c.agentId, c.channelId, c.permissions);
  });
}

/**
 * Reads a set of channels with their permissions, `{"<channel>": {respond?, …}}` at `path`
 * (e.g. an agent's `channels`, the JIT channels or one role of a sign-in role mapping): every
 * channel must exist in the tenant; all flags false leaves the channel out. Problems go to `into`.
 */
export function readChannelSet(raw: Record<string, unknown>, path: string, into: Fields, channelIds: ReadonlySet<string>): Map<string, Permissions> {
  const set = new Map<string, Permissions>();
  for (const [channelId, value] of Object.entries(raw)) {
    const at = `${path}.${channelId}`;
    if (!channelIds.has(channelId)) {
      into.absorbProblem(at, 'no such channel in this tenant');
      continue;
    }
    const p = readPermissions(value, at, into);
    if (p && isMember(p)) set.set(channelId, p);
  }
  return set;
}
