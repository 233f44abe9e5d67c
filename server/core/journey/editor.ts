/**
 * The channel settings editor of a channel's managers (`GET/PUT /api/channels/<id>/settings`,
 * agents with the Manager permission there): the channel's name, warning thresholds and
 * settings, and the tenant's agents with their permissions in the channel and their capacity.
 * Host-independent; permission changes go through provisioning, so consoles of agents who are
 * online learn them at once (`me`, revoked subscriptions, a fresh board).
 */
import type { ChannelAgentView, ChannelSettingsView } from '../../../src/protocol/channel-settings.js';
import type { Provisioning } from '../provisioning/index.js';
import type { PermissionChange } from '../provisioning/permissions.js';
import { readPermissions, samePermissions } from '../provisioning/permissions.js';
import { Fields, objectBody, ProvisioningError } from '../provisioning/validate.js';
import type { SqlPort } from '../sql.js';

/** Highest capacity a manager can give (as provisioning). */
const MAX_CAPACITY = 50;
const MAX_AGENT_CHANGES = 500;

interface AgentRow {
  id: string;
  name: string;
  status: 'present' | 'away';
  max_concurrent_chats: number;
  can_respond: number | null;
  notifications: number | null;
  can_listen: number | null;
  manager: number | null;
}

export class ChannelSettingsEditor {
  constructor(
    private readonly db: SqlPort,
    private readonly provisioning: Provisioning,
    private readonly now: () => number,
  ) {}

  /** Refuses unless `agentId` is a manager of the (existing) channel. */
  private checkManager(tenantId: string, agentId: string, channelId: string): void {
    this.provisioning.channels.get(tenantId, channelId);
    const row = this.db.get<{ manager: number }>(
      `SELECT ac.manager FROM agent_channels ac JOIN agents a ON a.tenant_id = ac.tenant_id AND a.id = ac.agent_id
       WHERE ac.tenant_id = ? AND ac.agent_id = ? AND ac.channel_id = ? AND a.disabled_at IS NULL AND a.deleted_at IS NULL`,
      [tenantId, agentId, channelId],
    );
    if (row?.manager !== 1) throw new ProvisioningError('forbidden', 'only a manager of this channel can see and change its settings');
  }

  private agents(tenantId: string, channelId: string): ChannelAgentView[] {
    return this.db
      .all<AgentRow>(
        `SELECT a.id, a.name, a.status, a.max_concurrent_chats, ac.can_respond, ac.notifications, ac.can_listen, ac.manager
         FROM agents a LEFT JOIN agent_channels ac ON ac.tenant_id = a.tenant_id AND ac.agent_id = a.id AND ac.channel_id = ?
         WHERE a.tenant_id = ? AND a.disabled_at IS NULL AND a.deleted_at IS NULL
         ORDER BY ac.agent_id IS NULL, a.name, a.id`,
        [channelId, tenantId],
      )
      .map((r) => ({
        id: r.id,
        name: r.name,
        status: r.status,
        maxConcurrentChats: r.max_concurrent_chats,
        permissions: { respond: r.can_respond === 1, notifications: r.notifications === 1, listen: r.can_listen === 1, manager: r.manager === 1 },
      }));
  }

  view(tenantId: string, agentId: string, channelId: string): ChannelSettingsView {
    this.checkManager(tenantId, agentId, channelId);
    return this.viewOf(tenantId, channelId);
  }

  private viewOf(tenantId: string, channelId: string): ChannelSettingsView {
    const c = this.provisioning.channels.get(tenantId, channelId);
    return {
      id: c.id,
      name: c.name,
      warnAfterSeconds: c.warnAfterSeconds,
      managerWarnAfterSeconds: c.managerWarnAfterSeconds,
      settings: c.settings,
      assignment: c.assignment,
      targets: c.targets,
      agents: this.agents(tenantId, channelId),
    };
  }

  /**
   * Changes what the body gives: `name`, `warnAfterSeconds`, `managerWarnAfterSeconds`,
   * `settings` (a patch), `assignment` (automatic assignment, src/protocol/routing.ts), `targets` (priority and response-time targets, src/protocol/priority.ts), `agents: [{id, permissions?, maxConcurrentChats?}]`. Everything is
   * checked before anything is written.
   */
  update(tenantId: string, agentId: string, channelId: string, body: unknown): ChannelSettingsView {
    this.checkManager(tenantId, agentId, channelId);
    const raw = objectBody(body);
    const f = new Fields(raw, ['name', 'warnAfterSeconds', 'managerWarnAfterSeconds', 'settings', 'assignment', 'targets', 'agents']);
    const list = f.array('agents', MAX_AGENT_CHANGES) ?? [];
    const current = new Map(this.agents(tenantId, channelId).map((a) => [a.id, a]));
    const permissionChanges: PermissionChange[] = [];
    const capacity: { id: string; max: number }[] = [];
    for (const [i, item] of list.entries()) {
      const at = `agents[${String(i)}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        f.absorbProblem(at, 'an object {id, permissions?, maxConcurrentChats?}');
        continue;
      }
      const a = new Fields(item as Record<string, unknown>, ['id', 'permissions', 'maxConcurrentChats'], `${at}.`);
      const id = a.text('id', { required: true, max: 64 });
      const agent = id === undefined ? undefined : current.get(id);
      if (id !== undefined && !agent) a.fail('id', 'no such agent in this tenant');
      const max = a.int('maxConcurrentChats', { min: 1, max: MAX_CAPACITY });
      const p = a.has('permissions') ? readPermissions(a.raw('permissions'), `${at}.permissions`, a) : undefined;
      f.absorb(a);
      if (!agent) continue;
      if (p && !samePermissions(p, agent.permissions)) permissionChanges.push({ agentId: agent.id, channelId, permissions: p });
      if (max !== undefined && max !== agent.maxConcurrentChats) capacity.push({ id: agent.id, max });
    }
    const channelFields = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'agents'));
    f.done();
    // The channel's own fields through provisioning (same checks, same storage).
    if (Object.keys(channelFields).length > 0) this.provisioning.channels.put(tenantId, channelId, channelFields, 'update');
    if (capacity.length > 0) {
      const now = this.now();
      this.db.transaction(() => {
        for (const c of capacity) this.db.run('UPDATE agents SET max_concurrent_chats = ?, updated_at = ? WHERE tenant_id = ? AND id = ?', [c.max, now, tenantId, c.id]);
      });
    }
    this.provisioning.applyPermissions(tenantId, permissionChanges);
    return this.viewOf(tenantId, channelId);
  }
}
