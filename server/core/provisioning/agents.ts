/**
 * Agents of a tenant, addressed by the CRM's user id (`externalId`), so a CRM can sync its users:
 * `PUT` creates or updates (idempotent: the same call twice changes nothing the second time),
 * `PATCH` updates only, disable and enable, delete, and per-channel permissions. The chat server's
 * own id of an agent (`id`, in protocol frames) is made here and never changes.
 *
 * Permission changes go through the tenant's running room when there is one (its
 * `applyPermissions` tells the consoles at once and puts back in the queue the chats of a channel
 * where the agent may no longer answer), else straight to the database. Disabling or deleting an
 * agent ends their auth sessions (tokens and outstanding tickets stop working), closes their open
 * sockets and releases their chats (docs/provisioning.md § 9).
 */
import { MAX_EMAIL, MAX_NAME } from '../../../src/protocol/limits.js';
import { randomId } from '../auth.js';
import type { SqlPort } from '../sql.js';
import type { Channels } from './channels.js';
import type { PermissionChange, Permissions } from './permissions.js';
import { NO_PERMISSIONS, readChannelSet, readPermissions, samePermissions } from './permissions.js';
import { checkExternalId, checkSlug, EXTERNAL_ID, EXTERNAL_ID_RULE, Fields, objectBody, ProvisioningError } from './validate.js';

/** An agent as the provisioning API shows it. */
export interface AgentView {
  /** The CRM's user id: how the API addresses the agent. */
  externalId: string;
  /** The chat server's id of the agent (in protocol frames and sign-in). */
  id: string;
  name: string;
  email: string;
  /** Chats the agent may handle at once ("Get next in queue" stops there). */
  maxConcurrentChats: number;
  /** May create and change the tenant's shared replies. */
  manageQuickReplies: boolean;
  disabled: boolean;
  /** Permissions by channel id; a channel not listed: not a member. */
  channels: Record<string, Permissions>;
  createdAt: number | null;
  updatedAt: number | null;
}

interface AgentRow {
  id: string;
  external_id: string;
  name: string;
  email: string;
  max_concurrent_chats: number;
  manage_quick_replies: number;
  disabled_at: number | null;
  created_at: number | null;
  updated_at: number | null;
}

interface PermissionRow {
  agent_id: string;
  channel_id: string;
  can_respond: number;
  notifications: number;
  can_listen: number;
  manager: number;
}

interface AgentInput {
  externalId: string;
  name?: string | undefined;
  /** '' clears. */
  email?: string | undefined;
  maxConcurrentChats?: number | undefined;
  manageQuickReplies?: boolean | undefined;
  disabled?: boolean | undefined;
  /** When given: the agent's whole set of channels (others are left). */
  channels?: Map<string, Permissions> | undefined;
}

export const MAX_CONCURRENT_CHATS = 100;
/** Agents in one batch request. */
export const MAX_BATCH_AGENTS = 1000;
const DEFAULT_MAX_CONCURRENT_CHATS = 5;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AGENT_FIELDS = ['name', 'email', 'maxConcurrentChats', 'manageQuickReplies', 'disabled', 'channels'];

/** Inserts an agent row (no checks: callers validate). Shared by the API and the demo seed. */
export function insertAgent(
  db: SqlPort,
  tenantId: string,
  a: { id: string; externalId: string; name: string; email: string; maxConcurrentChats: number; manageQuickReplies: boolean; status?: 'present' | 'away' | undefined },
  now: number,
): void {
  db.run(
    `INSERT INTO agents (tenant_id, id, external_id, name, email, status, max_concurrent_chats, manage_quick_replies, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [tenantId, a.id, a.externalId, a.name, a.email, a.status ?? 'present', a.maxConcurrentChats, a.manageQuickReplies ? 1 : 0, now, now],
  );
}

function permissionsOf(r: PermissionRow): Permissions {
  return { respond: r.can_respond === 1, notifications: r.notifications === 1, listen: r.can_listen === 1, manager: r.manager === 1 };
}

/** Checks one agent's fields (of a PUT body, or an entry of a batch under `f`'s prefix). */
function readAgent(f: Fields, externalId: string, channelIds: ReadonlySet<string>): AgentInput {
  const input: AgentInput = { externalId };
  input.name = f.text('name', { max: MAX_NAME });
  const email = f.clearableText('email', { max: MAX_EMAIL, pattern: EMAIL, patternRule: 'an e-mail address' });
  if (email !== undefined) input.email = email ?? '';
  input.maxConcurrentChats = f.int('maxConcurrentChats', { min: 1, max: MAX_CONCURRENT_CHATS });
  input.manageQuickReplies = f.bool('manageQuickReplies');
  input.disabled = f.bool('disabled');
  const channels = f.object('channels');
  if (channels) input.channels = readChannelSet(channels, f.path('channels'), f, channelIds);
  return input;
}

export class Agents {
  constructor(
    private readonly db: SqlPort,
    private readonly now: () => number,
    private readonly channels: Channels,
    private readonly effects: {
      applyPermissions(tenantId: string, changes: readonly PermissionChange[]): void;
      cutOff(tenantId: string, agentId: string): void;
      /** The agent's display name changed (consoles show it at once). */
      renamed(tenantId: string, agentId: string): void;
    },
  ) {}

  private rowByExternal(tenantId: string, externalId: string): AgentRow | undefined {
    return this.db.get<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? AND external_id = ? AND deleted_at IS NULL', [tenantId, externalId]);
  }

  private found(tenantId: string, externalId: string): AgentRow {
    checkExternalId(externalId, 'agent');
    const row = this.rowByExternal(tenantId, externalId);
    if (!row) throw new ProvisioningError('not_found', 'no such agent');
    return row;
  }

  private permissions(tenantId: string, agentId?: string): PermissionRow[] {
    const select = 'SELECT ac.* FROM agent_channels ac JOIN channels c ON c.tenant_id = ac.tenant_id AND c.id = ac.channel_id WHERE ac.tenant_id = ?';
    return agentId === undefined
      ? this.db.all<PermissionRow>(`${select} ORDER BY c.sort, c.name`, [tenantId])
      : this.db.all<PermissionRow>(`${select} AND ac.agent_id = ? ORDER BY c.sort, c.name`, [tenantId, agentId]);
  }

  private view(row: AgentRow, perms: readonly PermissionRow[]): AgentView {
    return {
      externalId: row.external_id,
      id: row.id,
      name: row.name,
      email: row.email,
      maxConcurrentChats: row.max_concurrent_chats,
      manageQuickReplies: row.manage_quick_replies === 1,
      disabled: row.disabled_at !== null,
      channels: Object.fromEntries(perms.map((p) => [p.channel_id, permissionsOf(p)])),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The tenant's agents (disabled ones too, not deleted ones), by name. */
  list(tenantId: string): AgentView[] {
    const byAgent = new Map<string, PermissionRow[]>();
    for (const p of this.permissions(tenantId)) {
      const list = byAgent.get(p.agent_id) ?? [];
      list.push(p);
      byAgent.set(p.agent_id, list);
    }
    return this.db
      .all<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY name, external_id', [tenantId])
      .map((row) => this.view(row, byAgent.get(row.id) ?? []));
  }

  get(tenantId: string, externalId: string): AgentView {
    const row = this.found(tenantId, externalId);
    return this.view(row, this.permissions(tenantId, row.id));
  }

  /**
   * `PUT` (`mode: 'upsert'`): creates the agent (name required) or changes the fields given;
   * `channels`, when given, is the agent's whole set of channels. `PATCH` (`mode: 'update'`):
   * only an existing agent.
   */
  put(tenantId: string, externalId: string, body: unknown, mode: 'upsert' | 'update'): { agent: AgentView; created: boolean } {
    checkExternalId(externalId, 'agent');
    const raw = objectBody(body);
    const f = new Fields(raw, AGENT_FIELDS);
    const input = readAgent(f, externalId, this.channels.ids(tenantId));
    f.done();
    const [result] = this.upsert(tenantId, [input], mode, false);
    return { agent: this.get(tenantId, externalId), created: result?.created ?? false };
  }

  /**
   * Many agents in one call (`{agents: [{externalId, name, …}, …]}`, at most
   * {@link MAX_BATCH_AGENTS}): every entry is checked first, then all rows are written in one
   * transaction, so a refusal changes nothing. Each entry works like `PUT`.
   */
  putMany(tenantId: string, body: unknown): { agents: { externalId: string; id: string; created: boolean }[] } {
    const outer = new Fields(objectBody(body), ['agents']);
    const list = outer.array('agents', MAX_BATCH_AGENTS);
    if (list === undefined && !outer.has('agents')) outer.fail('agents', `required, a list of at most ${String(MAX_BATCH_AGENTS)}`);
    const channelIds = this.channels.ids(tenantId);
    const inputs: AgentInput[] = [];
    const seen = new Set<string>();
    for (const [i, item] of (list ?? []).entries()) {
      const prefix = `agents[${String(i)}].`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        outer.absorbProblem(`agents[${String(i)}]`, 'an object');
        continue;
      }
      const entry = item as Record<string, unknown>;
      const f = new Fields(entry, ['externalId', ...AGENT_FIELDS], prefix);
      const externalId = f.text('externalId', { required: true, max: 200, pattern: EXTERNAL_ID, patternRule: EXTERNAL_ID_RULE });
      if (externalId !== undefined && seen.has(externalId)) f.fail('externalId', 'appears more than once in this batch');
      if (externalId !== undefined) seen.add(externalId);
      const input = readAgent(f, externalId ?? '', channelIds);
      outer.absorb(f);
      inputs.push(input);
    }
    outer.done();
    const results = this.upsert(tenantId, inputs, 'upsert', true);
    return { agents: results };
  }

  private upsert(tenantId: string, inputs: readonly AgentInput[], mode: 'upsert' | 'update', batch: boolean): { externalId: string; id: string; created: boolean }[] {
    const changes: PermissionChange[] = [];
    const cut: string[] = [];
    const renamed: string[] = [];
    const now = this.now();
    const results = this.db.transaction(() =>
      inputs.map((input, index) => {
        const where = batch ? `agents[${String(index)}].` : '';
        let row = this.rowByExternal(tenantId, input.externalId);
        const created = row === undefined;
        if (!row) {
          if (mode === 'update') throw new ProvisioningError('not_found', 'no such agent');
          if (input.name === undefined) throw new ProvisioningError('invalid', `${where}name: required when the agent is created`, { [`${where}name`]: 'required when the agent is created' });
          const id = `ag_${randomId(9)}`;
          insertAgent(
            this.db,
            tenantId,
            {
              id,
              externalId: input.externalId,
              name: input.name,
              email: input.email ?? '',
              maxConcurrentChats: input.maxConcurrentChats ?? DEFAULT_MAX_CONCURRENT_CHATS,
              manageQuickReplies: input.manageQuickReplies ?? false,
            },
            now,
          );
          row = this.rowByExternal(tenantId, input.externalId);
          if (!row) throw new Error('agent insert failed');
        } else {
          const set = (column: string, value: string | number | null | undefined, current: string | number | null) => {
            if (value !== undefined && value !== current) this.db.run(`UPDATE agents SET ${column} = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, [value, now, tenantId, row?.id ?? '']);
          };
          set('name', input.name, row.name);
          if (input.name !== undefined && input.name !== row.name) renamed.push(row.id);
          set('email', input.email, row.email);
          set('max_concurrent_chats', input.maxConcurrentChats, row.max_concurrent_chats);
          set('manage_quick_replies', input.manageQuickReplies === undefined ? undefined : input.manageQuickReplies ? 1 : 0, row.manage_quick_replies);
        }
        const agentId = row.id;
        if (input.disabled === true && row.disabled_at === null) {
          this.db.run('UPDATE agents SET disabled_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?', [now, now, tenantId, agentId]);
          cut.push(agentId);
        } else if (input.disabled === false && row.disabled_at !== null) {
          this.db.run('UPDATE agents SET disabled_at = NULL, updated_at = ? WHERE tenant_id = ? AND id = ?', [now, tenantId, agentId]);
        }
        if (input.channels) changes.push(...this.diff(tenantId, agentId, input.channels));
        return { externalId: input.externalId, id: agentId, created };
      }),
    );
    this.effects.applyPermissions(tenantId, changes);
    for (const agentId of cut) this.effects.cutOff(tenantId, agentId);
    for (const agentId of renamed) if (!cut.includes(agentId)) this.effects.renamed(tenantId, agentId);
    return results;
  }

  /** The changes that take an agent from their current channels to `wanted`. */
  private diff(tenantId: string, agentId: string, wanted: ReadonlyMap<string, Permissions>): PermissionChange[] {
    const current = new Map(this.permissions(tenantId, agentId).map((p) => [p.channel_id, permissionsOf(p)]));
    const changes: PermissionChange[] = [];
    for (const channelId of new Set([...current.keys(), ...wanted.keys()])) {
      const now = current.get(channelId) ?? NO_PERMISSIONS;
      const next = wanted.get(channelId) ?? NO_PERMISSIONS;
      if (!samePermissions(now, next)) changes.push({ agentId, channelId, permissions: next });
    }
    return changes;
  }

  /** Disables (no sign-in, open sockets closed, off the boards) or enables an agent. */
  setDisabled(tenantId: string, externalId: string, disabled: boolean): AgentView {
    this.found(tenantId, externalId);
    this.upsert(tenantId, [{ externalId, disabled }], 'update', false);
    return this.get(tenantId, externalId);
  }

  /** Sets the agent's permissions in one channel (`{respond?, notifications?, listen?, manager?}`). */
  setChannel(tenantId: string, externalId: string, channelId: string, body: unknown): AgentView {
    const row = this.found(tenantId, externalId);
    checkSlug(channelId, 'channelId');
    this.channels.get(tenantId, channelId);
    const f = new Fields({}, []);
    const p = readPermissions(objectBody(body), '', f);
    f.done();
    const current = this.permissions(tenantId, row.id).find((x) => x.channel_id === channelId);
    const next = p ?? NO_PERMISSIONS;
    if (!current || !samePermissions(permissionsOf(current), next)) this.effects.applyPermissions(tenantId, [{ agentId: row.id, channelId, permissions: next }]);
    return this.get(tenantId, externalId);
  }

  /** Takes the agent out of a channel. */
  removeChannel(tenantId: string, externalId: string, channelId: string): AgentView {
    const row = this.found(tenantId, externalId);
    checkSlug(channelId, 'channelId');
    if (this.permissions(tenantId, row.id).some((x) => x.channel_id === channelId)) {
      this.effects.applyPermissions(tenantId, [{ agentId: row.id, channelId, permissions: NO_PERMISSIONS }]);
    }
    return this.get(tenantId, externalId);
  }

  /**
   * Deletes an agent: refused (conflict) while they handle chats or a transfer is offered to
   * them; otherwise they are cut off, leave every channel, and their row stays only for the names
   * in history (the external id is free again: a later `PUT` makes a new agent).
   */
  remove(tenantId: string, externalId: string): void {
    const row = this.found(tenantId, externalId);
    const busy =
      this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE tenant_id = ? AND ((agent_id = ? AND status = 'active') OR transfer_to = ?)", [tenantId, row.id, row.id])
        ?.n ?? 0;
    if (busy > 0) {
      throw new ProvisioningError(
        'conflict',
        `the agent has ${String(busy)} ongoing chat(s) or transfer offer(s): disable the agent, let the chats end or transfer them, then delete`,
      );
    }
    this.effects.cutOff(tenantId, row.id);
    this.effects.applyPermissions(
      tenantId,
      this.permissions(tenantId, row.id).map((p) => ({ agentId: row.id, channelId: p.channel_id, permissions: NO_PERMISSIONS })),
    );
    const now = this.now();
    this.db.transaction(() => {
      this.db.run("UPDATE agents SET deleted_at = ?, updated_at = ?, email = '' WHERE tenant_id = ? AND id = ?", [now, now, tenantId, row.id]);
    });
  }
}
