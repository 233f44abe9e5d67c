/**
 * Channels (`channels`) as the room reads them: the list, one channel's settings, its members and
 * who may work in each (the raw material of availability and wait warnings).
 */
import type { AgentStatus, ChannelInfo } from '../../../src/protocol/index.js';
import { BoardLogStore } from './board-log.js';

/** Channel settings the room needs (migration 2 added the warning and sneak-peek settings). */
export interface ChannelRow {
  id: string;
  name: string;
  welcome_message: string;
  warn_after_s: number;
  manager_warn_after_s: number;
  sneak_peek: number;
  /** Migration 9: the customer's journey (JSON, server/core/journey/settings.ts). */
  settings: string;
}

/** Channels and their members (layer over {@link BoardLogStore}). */
export class ChannelStore extends BoardLogStore {
  channels(): ChannelInfo[] {
    return this.db.all<ChannelInfo>('SELECT id, name FROM channels WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY sort, name', [this.tenantId]);
  }

  channel(id: string): ChannelRow | undefined {
    return this.db.get<ChannelRow>(
      'SELECT id, name, welcome_message, warn_after_s, manager_warn_after_s, sneak_peek, settings FROM channels WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL',
      [this.tenantId, id],
    );
  }

  /** Agents with any permission in a channel. */
  channelMembers(channelId: string): string[] {
    return this.db
      .all<{ agent_id: string }>('SELECT agent_id FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [this.tenantId, channelId])
      .map((r) => r.agent_id);
  }

  /**
   * Agents with a permission in each channel, with their status: the raw material of
   * availability and wait warnings (the room adds who is online).
   */
  channelAgents(): { channel_id: string; agent_id: string; status: AgentStatus; can_respond: number; notifications: number; manager: number }[] {
    return this.db.all(
      `SELECT ac.channel_id, ac.agent_id, a.status, ac.can_respond, ac.notifications, ac.manager
       FROM agent_channels ac JOIN agents a ON a.tenant_id = ac.tenant_id AND a.id = ac.agent_id
       WHERE ac.tenant_id = ? AND a.disabled_at IS NULL AND a.deleted_at IS NULL`,
      [this.tenantId],
    );
  }
}
