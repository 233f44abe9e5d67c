/**
 * Agents (`agents`, `agent_channels`): who they are, what they may do per channel (`AgentAccess`,
 * `me`), their status and permissions, and their roster entries (`AgentInfo`: channels and load).
 */
import type { AgentInfo, AgentMe, AgentStatus, ChannelPermissions } from '../../../src/protocol/index.js';
import { ChannelStore } from './channels.js';

export interface AgentRow {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  status: AgentStatus;
  max_concurrent_chats: number;
  manage_quick_replies: number;
  /** The CRM's user id (migration 7; existing agents: their own id). */
  external_id?: string | null;
  /** Set while the agent is disabled: no sign-in, no access, not on boards (migration 7). */
  disabled_at?: number | null;
  /** Set once deleted: the row stays for names in history (migration 7). */
  deleted_at?: number | null;
  /** Migration 12: `auto` while set Away by automatic assignment (an offer not accepted in time). */
  away_reason?: string | null;
}

export interface AgentChannelRow {
  channel_id: string;
  channel_name: string;
  can_respond: number;
  notifications: number;
  can_listen: number;
  manager: number;
}

/** What an agent may do per channel, loaded once per connection and refreshed on change. */
export interface AgentAccess {
  agent: AgentRow;
  channels: Map<string, ChannelPermissions & { name: string }>;
}

function agentInfoOf(agent: AgentRow, online: boolean, channelIds: string[], activeChats: number): AgentInfo {
  return {
    id: agent.id,
    name: agent.name,
    status: agent.status,
    online,
    channelIds,
    activeChats,
    maxConcurrentChats: agent.max_concurrent_chats,
    ...(agent.status === 'away' && agent.away_reason === 'auto' ? { awayReason: 'auto' as const } : {}),
  };
}

/** Agents, their access and their roster entries (layer over {@link ChannelStore}). */
export class AgentStore extends ChannelStore {
  agent(id: string): AgentRow | undefined {
    return this.db.get<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  /** The agents who can work: neither disabled nor deleted. */
  agents(): AgentRow[] {
    return this.db.all<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? AND disabled_at IS NULL AND deleted_at IS NULL ORDER BY name', [this.tenantId]);
  }

  /** What an agent may do; undefined for an unknown, disabled or deleted agent (who may do nothing). */
  access(agentId: string): AgentAccess | undefined {
    const agent = this.agent(agentId);
    if (!agent || (agent.disabled_at ?? null) !== null || (agent.deleted_at ?? null) !== null) return undefined;
    const rows = this.db.all<AgentChannelRow>(
      `SELECT ac.channel_id, c.name AS channel_name, ac.can_respond, ac.notifications, ac.can_listen, ac.manager
       FROM agent_channels ac JOIN channels c ON c.tenant_id = ac.tenant_id AND c.id = ac.channel_id
       WHERE ac.tenant_id = ? AND ac.agent_id = ? ORDER BY c.sort, c.name`,
      [this.tenantId, agentId],
    );
    const channels = new Map<string, ChannelPermissions & { name: string }>();
    for (const r of rows) {
      channels.set(r.channel_id, {
        name: r.channel_name,
        respond: r.can_respond === 1,
        notifications: r.notifications === 1,
        listen: r.can_listen === 1,
        manager: r.manager === 1,
      });
    }
    return { agent, channels };
  }

  me(access: AgentAccess): AgentMe {
    return {
      kind: 'agent',
      id: access.agent.id,
      tenantId: this.tenantId,
      name: access.agent.name,
      status: access.agent.status,
      maxConcurrentChats: access.agent.max_concurrent_chats,
      manageQuickReplies: access.agent.manage_quick_replies === 1,
      channels: [...access.channels].map(([id, p]) => ({
        id,
        name: p.name,
        permissions: { respond: p.respond, notifications: p.notifications, listen: p.listen, manager: p.manager },
      })),
    };
  }

  setAgentStatus(agentId: string, status: AgentStatus): void {
    this.db.run('UPDATE agents SET status = ?, away_reason = NULL WHERE tenant_id = ? AND id = ?', [status, this.tenantId, agentId]);
  }

  /**
   * Sets an agent's permissions in a channel (inside the caller's transaction). All four false
   * removes the agent from the channel. Returns whether the agent was a member before and is now.
   */
  setChannelPermissions(agentId: string, channelId: string, p: ChannelPermissions): { before: boolean; after: boolean } {
    const before = this.db.get('SELECT 1 AS x FROM agent_channels WHERE tenant_id = ? AND agent_id = ? AND channel_id = ?', [this.tenantId, agentId, channelId]) !== undefined;
    const after = p.respond || p.notifications || p.listen || p.manager;
    if (!after) {
      this.db.run('DELETE FROM agent_channels WHERE tenant_id = ? AND agent_id = ? AND channel_id = ?', [this.tenantId, agentId, channelId]);
    } else {
      this.db.run(
        `INSERT INTO agent_channels (tenant_id, agent_id, channel_id, can_respond, notifications, can_listen, manager) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, agent_id, channel_id) DO UPDATE SET can_respond = excluded.can_respond, notifications = excluded.notifications,
           can_listen = excluded.can_listen, manager = excluded.manager`,
        [this.tenantId, agentId, channelId, p.respond ? 1 : 0, p.notifications ? 1 : 0, p.listen ? 1 : 0, p.manager ? 1 : 0],
      );
    }
    return { before, after };
  }

  /** The chats that count against an agent's capacity: active ones, not on hold (migration 11). */
  activeChatCount(agentId: string): number {
    return (
      this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE tenant_id = ? AND agent_id = ? AND status = 'active' AND held_at IS NULL", [
        this.tenantId,
        agentId,
      ])?.n ?? 0
    );
  }

  agentChannelIds(agentId: string): string[] {
    return this.db
      .all<{ channel_id: string }>('SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?', [this.tenantId, agentId])
      .map((r) => r.channel_id);
  }

  agentInfo(agent: AgentRow, online: boolean): AgentInfo {
    return agentInfoOf(agent, online, this.agentChannelIds(agent.id), this.activeChatCount(agent.id));
  }

  /**
   * {@link agentInfo} of every agent who can work, in the order of {@link agents}: three queries
   * for the whole list instead of two per agent (a board snapshot's roster).
   */
  agentInfos(online: (agentId: string) => boolean): AgentInfo[] {
    const channels = new Map<string, string[]>();
    const memberships = this.db.all<{ agent_id: string; channel_id: string }>('SELECT agent_id, channel_id FROM agent_channels WHERE tenant_id = ? ORDER BY agent_id, channel_id', [
      this.tenantId,
    ]);
    for (const r of memberships) {
      let list = channels.get(r.agent_id);
      if (!list) channels.set(r.agent_id, (list = []));
      list.push(r.channel_id);
    }
    const active = new Map(
      this.db
        .all<{ agent_id: string; n: number }>(
          "SELECT agent_id, COUNT(*) AS n FROM sessions WHERE tenant_id = ? AND status = 'active' AND held_at IS NULL AND agent_id IS NOT NULL GROUP BY agent_id",
          [this.tenantId],
        )
        .map((r) => [r.agent_id, r.n]),
    );
    return this.agents().map((a) => agentInfoOf(a, online(a.id), channels.get(a.id) ?? [], active.get(a.id) ?? 0));
  }

  /** Every agent's name by id, deleted ones too (the names a session summary shows). */
  agentNames(): Map<string, string> {
    return new Map(this.db.all<{ id: string; name: string }>('SELECT id, name FROM agents WHERE tenant_id = ?', [this.tenantId]).map((r) => [r.id, r.name]));
  }
}
