/**
 * Data access of one tenant over the SQL port: row types, mapping to wire records, and the
 * queries the room needs. No protocol logic here; `room/` decides, this file reads and writes.
 */
import type {
  AgentInfo,
  AgentMe,
  AgentStatus,
  AttachmentInfo,
  AuthorKind,
  BoardSnapshot,
  ChannelInfo,
  EventMeta,
  ChannelPermissions,
  ChatMessage,
  MessageKind,
  MessageQuote,
  SessionEventName,
  SessionStatus,
  SessionSummary,
} from '../../src/protocol/index.js';
import { BOARD_LOG_RETENTION, RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import { BOT_SENDER_ID } from '../../src/protocol/channel-settings.js';
import type { ChatPriority } from '../../src/protocol/priority.js';
import { isChatPriority } from '../../src/protocol/priority.js';
import { randomId } from './auth.js';
import type { StoredQuote } from './room/quote.js';
import type { SqlPort, SqlValue } from './sql.js';

export interface SessionRow {
  tenant_id: string;
  id: string;
  channel_id: string;
  status: SessionStatus;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  /** The pre-chat form's company and when the consent text was accepted (migration 9). */
  customer_company?: string | null;
  consent_at?: number | null;
  agent_id: string | null;
  created_at: number;
  accepted_at: number | null;
  ended_at: number | null;
  ended_by: string | null;
  last_activity_at: number;
  epoch: string;
  head_seq: number;
  head_cseq: number;
  last_from: AuthorKind | null;
  last_text: string | null;
  last_at: number | null;
  agent_read_seq: number;
  customer_read_cseq: number;
  unread: number;
  queued_at: number | null;
  warned_level: number;
  transfer_to: string | null;
  transfer_from: string | null;
  transfer_note: string | null;
  transfer_at: number | null;
  transfer_expires_at: number | null;
  customer_read_seq: number;
  /** Migration 8: the identity the website's signed token gave (null: none given). */
  identity_status?: 'verified' | 'unverified' | null;
  identity_external_id?: string | null;
  identity_name?: string | null;
  identity_email?: string | null;
  /** Migration 11: a request for help of the handling agent (help.ts). */
  help_at?: number | null;
  help_by?: string | null;
  help_note?: string | null;
  /** Migration 11: on hold since (hold.ts); returned to the queue with a reason (who, when). */
  held_at?: number | null;
  return_reason?: string | null;
  return_by?: string | null;
  return_at?: number | null;
  /** Migration 12: the pending offer of automatic assignment (room/assignment.ts). */
  offer_to?: string | null;
  offer_at?: number | null;
  offer_expires_at?: number | null;
  /** Migration 11: the wrap-up (wrapup.ts): tags (JSON array), closing comment, closed without telling the customer. */
  tags?: string | null;
  wrap_comment?: string | null;
  closed_silently?: number | null;
  /**
   * Migrations 12 and 14: the chat's priority (who set it, when), since when the customer waits
   * for an answer and when it is due (room/priority.ts), when the first answer came.
   */
  priority?: string | null;
  priority_by?: string | null;
  priority_at?: number | null;
  waiting_since?: number | null;
  response_due_at?: number | null;
  first_response_at?: number | null;
}

/**
 * Queue order (issue 18): highest priority first, then oldest. Every query that orders waiting
 * chats uses it (get next, queue positions, automatic assignment).
 */
export const QUEUE_ORDER = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END, created_at, id";

/** The priority and the awaited answer of a summary (migrations 12 and 14); `normal` is left out. */
export function priorityOf(row: SessionRow): Pick<SessionSummary, 'priority' | 'response'> {
  const open = row.status === 'queued' || row.status === 'active';
  return {
    ...(isChatPriority(row.priority) && row.priority !== 'normal' ? { priority: row.priority } : {}),
    ...(open && typeof row.waiting_since === 'number' && typeof row.response_due_at === 'number'
      ? { response: { kind: typeof row.first_response_at === 'number' ? ('next' as const) : ('first' as const), since: row.waiting_since, due: row.response_due_at } }
      : {}),
  };
}

/**
 * Columns of what belongs to the handling agent's time with a chat (migration 11: the request for
 * help, the hold): cleared whenever the chat ends or changes hands ({@link TenantStore.finish},
 * {@link TenantStore.handOver}, {@link TenantStore.requeue}).
 */
/** The wrap-up fields of a summary (migration 11): tags, closing comment, a silent close. */
function wrapUpOf(row: SessionRow): Pick<SessionSummary, 'tags' | 'closingComment' | 'closedSilently'> {
  let tags: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.tags ?? '[]');
    if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === 'string');
  } catch {
    tags = [];
  }
  return {
    ...(tags.length > 0 ? { tags } : {}),
    ...(row.wrap_comment ? { closingComment: row.wrap_comment } : {}),
    ...(row.closed_silently ? { closedSilently: true as const } : {}),
  };
}

const HANDLER_STATE_RESET = 'help_at = NULL, help_by = NULL, help_note = NULL, held_at = NULL';

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

/** Why an agent stopped handling a session (`session_agents.ended_reason`). */
export type HandlingEnd = 'ended' | 'transferred' | 'taken-over' | 'requeued';

export interface MessageRow {
  tenant_id: string;
  session_id: string;
  seq: number;
  cseq: number | null;
  id: string;
  cmid: string | null;
  sender_kind: AuthorKind;
  sender_id: string | null;
  author_name: string;
  kind: MessageKind;
  text: string;
  event: SessionEventName | null;
  at: number;
  /** 1 for agent-only system events (they have no `cseq`). */
  internal: number;
  /** JSON of {@link EventMeta} for agent-only events. */
  meta: string | null;
  /** JSON of the {@link AttachmentInfo} list the message carries (migration 4; NULL = none). */
  attachments?: string | null;
  /** JSON of the {@link StoredQuote} of the message it quotes (migration 13; NULL = none). */
  quote?: string | null;
}

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

export interface BoardEventRow {
  seq: number;
  /** (Logs written by protocol version 1 also hold `agent` rows: never read again.) */
  kind: 'session' | 'session-remove';
  channel_id: string | null;
  subject_id: string;
  data: string;
  at: number;
  /**
   * JSON array of agent ids who may see the event besides the members of `channel_id`
   * (handler, transfer target, former handlers); NULL on rows older than migration 2.
   */
  audience: string | null;
}

/** What an agent may do per channel, loaded once per connection and refreshed on change. */
export interface AgentAccess {
  agent: AgentRow;
  channels: Map<string, ChannelPermissions & { name: string }>;
}

/** What an agent's board lists (params: {@link TenantStore.boardParams}); search keeps its WHERE in step. */
const BOARD_SESSIONS = `FROM sessions s
       WHERE s.tenant_id = ?
         AND (s.agent_id = ? OR s.transfer_to = ?
              OR s.channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?)
              OR EXISTS (SELECT 1 FROM session_agents sa WHERE sa.tenant_id = s.tenant_id AND sa.session_id = s.id AND sa.agent_id = ?))
         AND (s.status IN ('queued', 'active') OR s.ended_at >= ?)
       ORDER BY s.last_activity_at DESC, s.id`;

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

export class TenantStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  // ---- tenant and board log -------------------------------------------------------------

  tenant():
    | {
        id: string;
        name: string;
        time_zone: string;
        board_epoch: string;
        board_seq: number;
        allowed_origins: string;
        transfer_timeout_ms: number;
        recent_swept_at: number | null;
      }
    | undefined {
    return this.db.get(
      'SELECT id, name, time_zone, board_epoch, board_seq, allowed_origins, transfer_timeout_ms, recent_swept_at FROM tenants WHERE id = ?',
      [this.tenantId],
    );
  }

  setRecentSweptAt(at: number): void {
    this.db.run('UPDATE tenants SET recent_swept_at = ? WHERE id = ?', [at, this.tenantId]);
  }

  boardHead(): { epoch: string; seq: number } {
    const t = this.tenant();
    if (!t) throw new Error(`unknown tenant ${this.tenantId}`);
    return { epoch: t.board_epoch, seq: t.board_seq };
  }

  /** Appends one event to the board log (inside the caller's transaction). */
  appendBoard(
    kind: BoardEventRow['kind'],
    subjectId: string,
    channelId: string | null,
    data: unknown,
    at: number,
    audience: readonly string[] | null = null,
  ): BoardEventRow {
    this.db.run('UPDATE tenants SET board_seq = board_seq + 1 WHERE id = ?', [this.tenantId]);
    const { seq } = this.boardHead();
    const row: BoardEventRow = {
      seq,
      kind,
      channel_id: channelId,
      subject_id: subjectId,
      data: JSON.stringify(data),
      at,
      audience: audience ? JSON.stringify(audience) : null,
    };
    this.db.run('INSERT INTO board_events (tenant_id, seq, kind, channel_id, subject_id, data, at, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      this.tenantId,
      row.seq,
      row.kind,
      row.channel_id,
      row.subject_id,
      row.data,
      row.at,
      row.audience,
    ]);
    if (seq % 500 === 0) {
      this.db.run('DELETE FROM board_events WHERE tenant_id = ? AND seq <= ?', [this.tenantId, seq - BOARD_LOG_RETENTION]);
    }
    return row;
  }

  /**
   * The board events after `afterSeq` that an agent may see (their channels' events and those
   * whose audience names them), in order: the replay of a resume. Undefined when the log no longer
   * holds every event after `afterSeq` (pruned) or when there are more than `limit` of them.
   * Rows before migration 2 (no stored audience) are returned too, for the caller's own check.
   */
  boardEventsFor(afterSeq: number, agentId: string, channelIds: readonly string[], limit: number): BoardEventRow[] | undefined {
    const head = this.boardHead().seq;
    if (afterSeq >= head) return [];
    const kept = this.db.get('SELECT 1 AS x FROM board_events WHERE tenant_id = ? AND seq = ?', [this.tenantId, afterSeq + 1]);
    if (!kept) return undefined;
    const inChannels = channelIds.length > 0 ? `channel_id IN (${channelIds.map(() => '?').join(', ')}) OR ` : '';
    const rows = this.db.all<BoardEventRow>(
      `SELECT seq, kind, channel_id, subject_id, data, at, audience FROM board_events
       WHERE tenant_id = ? AND seq > ? AND kind IN ('session', 'session-remove')
         AND (${inChannels}audience IS NULL OR instr(audience, ?) > 0)
       ORDER BY seq LIMIT ?`,
      [this.tenantId, afterSeq, ...channelIds, JSON.stringify(agentId), limit + 1],
    );
    return rows.length > limit ? undefined : rows;
  }

  // ---- channels and agents ----------------------------------------------------------------

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

  /**
   * Sessions an agent is bound to in the directory: active ones they handle, and those with a
   * transfer offered to them (what goes back or is cancelled when they can no longer work).
   */
  boundTo(agentId: string): SessionRow[] {
    return this.db.all<SessionRow>(
      "SELECT * FROM sessions WHERE tenant_id = ? AND ((status = 'active' AND agent_id = ?) OR transfer_to = ?) ORDER BY created_at, id",
      [this.tenantId, agentId, agentId],
    );
  }

  /**
   * Agents bound to a session (handling it, or offered it) who may not work there any more:
   * disabled or deleted, or neither `respond` nor `manager` in its channel. Pairs of agent and
   * session; normally none (the room releases them at once), but a change written while no room
   * ran (the CLI) is found here when the room starts.
   */
  unfitBindings(): { agent_id: string; session_id: string }[] {
    return this.db.all(
      `SELECT a.id AS agent_id, s.id AS session_id FROM sessions s
       JOIN agents a ON a.tenant_id = s.tenant_id AND ((s.status = 'active' AND a.id = s.agent_id) OR a.id = s.transfer_to)
       LEFT JOIN agent_channels ac ON ac.tenant_id = s.tenant_id AND ac.agent_id = a.id AND ac.channel_id = s.channel_id
       WHERE s.tenant_id = ? AND (a.disabled_at IS NOT NULL OR a.deleted_at IS NOT NULL OR ac.agent_id IS NULL OR (ac.can_respond = 0 AND ac.manager = 0))`,
      [this.tenantId],
    );
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

  // ---- sessions ---------------------------------------------------------------------------

  session(id: string): SessionRow | undefined {
    return this.db.get<SessionRow>('SELECT * FROM sessions WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  summary(row: SessionRow): SessionSummary {
    const agentName = row.agent_id ? this.agent(row.agent_id)?.name : undefined;
    return {
      id: row.id,
      channelId: row.channel_id,
      status: row.status,
      customer: {
        name: row.customer_name,
        ...(row.customer_email ? { email: row.customer_email } : {}),
        ...(row.customer_phone ? { phone: row.customer_phone } : {}),
        ...(row.customer_company ? { company: row.customer_company } : {}),
        ...(typeof row.consent_at === 'number' ? { consentAt: row.consent_at } : {}),
      },
      ...(row.agent_id ? { agentId: row.agent_id } : {}),
      ...(agentName ? { agentName } : {}),
      createdAt: row.created_at,
      ...(row.accepted_at !== null ? { acceptedAt: row.accepted_at } : {}),
      ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}),
      lastActivityAt: row.last_activity_at,
      ...(row.last_from && row.last_text !== null && row.last_at !== null
        ? { lastMessage: { from: row.last_from, text: row.last_text, at: row.last_at } }
        : {}),
      unread: row.unread,
      seq: row.head_seq,
      ...(row.transfer_to !== null && row.transfer_from !== null && row.transfer_at !== null && row.transfer_expires_at !== null
        ? {
            transfer: {
              fromAgentId: row.transfer_from,
              fromAgentName: this.agent(row.transfer_from)?.name ?? '',
              toAgentId: row.transfer_to,
              toAgentName: this.agent(row.transfer_to)?.name ?? '',
              ...(row.transfer_note !== null ? { note: row.transfer_note } : {}),
              at: row.transfer_at,
              expiresAt: row.transfer_expires_at,
            },
          }
        : {}),
      ...(row.status === 'queued' && row.offer_to && typeof row.offer_at === 'number' && typeof row.offer_expires_at === 'number'
        ? { offer: { agentId: row.offer_to, agentName: this.agent(row.offer_to)?.name ?? '', at: row.offer_at, expiresAt: row.offer_expires_at } }
        : {}),
      customerReadSeq: row.customer_read_seq,
      ...(row.identity_status === 'verified' || row.identity_status === 'unverified'
        ? {
            identity: {
              verified: row.identity_status === 'verified',
              ...(row.identity_external_id ? { externalId: row.identity_external_id } : {}),
              ...(row.identity_name ? { name: row.identity_name } : {}),
              ...(row.identity_email ? { email: row.identity_email } : {}),
            },
          }
        : {}),
      ...(typeof row.help_at === 'number' && row.help_by
        ? { help: { at: row.help_at, agentId: row.help_by, agentName: this.agent(row.help_by)?.name ?? '', ...(row.help_note ? { note: row.help_note } : {}) } }
        : {}),
      ...(typeof row.held_at === 'number' && row.status === 'active' ? { heldAt: row.held_at } : {}),
      ...(row.return_reason && typeof row.return_at === 'number' && (row.status === 'queued' || row.status === 'active')
        ? {
            returned: {
              reason: row.return_reason,
              ...(row.return_by ? { agentId: row.return_by } : {}),
              agentName: row.return_by ? (this.agent(row.return_by)?.name ?? '') : '',
              at: row.return_at,
            },
          }
        : {}),
      ...wrapUpOf(row),
      ...priorityOf(row),
    };
  }

  createSession(input: {
    channelId: string;
    name: string;
    email?: string | undefined;
    phone?: string | undefined;
    at: number;
    /** What the website's identity token said (server/core/identity/customer-identity.ts). */
    identity?: { status: 'verified' | 'unverified'; externalId?: string | undefined; name?: string | undefined; email?: string | undefined } | undefined;
    /** Its priority and who gave it (room/priority.ts); the first answer due then (undefined: no target). */
    priority?: { value: ChatPriority; by: string } | undefined;
    firstResponseDue?: number | undefined;
  }): SessionRow {
    const id = `s_${randomId(12)}`;
    const identity = input.identity;
    this.db.run(
      `INSERT INTO sessions (tenant_id, id, channel_id, status, customer_name, customer_email, customer_phone,
         created_at, last_activity_at, epoch, queued_at, identity_status, identity_external_id, identity_name, identity_email,
         priority, priority_by, priority_at, waiting_since, response_due_at)
       VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        this.tenantId,
        id,
        input.channelId,
        input.name,
        input.email ?? null,
        input.phone ?? null,
        input.at,
        input.at,
        randomId(6),
        input.at,
        identity?.status ?? null,
        identity?.externalId ?? null,
        identity?.name ?? null,
        identity?.email ?? null,
        input.priority?.value ?? 'normal',
        input.priority?.by ?? 'channel',
        input.at,
        input.at,
        input.firstResponseDue ?? null,
      ],
    );
    const row = this.session(id);
    if (!row) throw new Error('session insert failed');
    return row;
  }

  /**
   * Sessions an agent's board shows: those of their channels, those they handle, handled before
   * or are offered by a pending transfer; queued and active ones, and those that ended within
   * the recent window.
   */
  boardSessions(agentId: string, now: number): SessionRow[] {
    return this.db.all<SessionRow>(`SELECT s.* ${BOARD_SESSIONS}`, this.boardParams(agentId, now));
  }

  /** The ids of {@link boardSessions}, in its order (the room's snapshot serialises from its own cache). */
  boardSessionIds(agentId: string, now: number): string[] {
    return this.db.all<{ id: string }>(`SELECT s.id ${BOARD_SESSIONS}`, this.boardParams(agentId, now)).map((r) => r.id);
  }

  private boardParams(agentId: string, now: number): SqlValue[] {
    return [this.tenantId, agentId, agentId, this.tenantId, agentId, agentId, now - RECENT_WINDOW_MS];
  }

  /**
   * Message text search (`search` frame): ids of the sessions {@link boardSessions} would list
   * for the agent (the same visibility and recent window; keep the two WHERE clauses in step)
   * that have a text or note containing `query`. `LIKE` with `%` `_` `\` escaped; SQLite folds
   * case for ASCII only, so the lower-case, upper-case and capitalised forms of the query are
   * tried too (Swedish å ä ö). Newest activity first, at most `limit`.
   */
  searchSessions(agentId: string, query: string, now: number, limit: number): string[] {
    const escaped = query.replace(/[\\%_]/g, (c) => `\\${c}`);
    const forms = new Set([escaped, escaped.toLowerCase(), escaped.toUpperCase(), escaped.charAt(0).toUpperCase() + escaped.slice(1).toLowerCase()]);
    const patterns = [...forms].map((f) => `%${f}%`);
    const likes = patterns.map(() => "m.text LIKE ? ESCAPE '\\'").join(' OR ');
    return this.db
      .all<{ id: string }>(
        `SELECT s.id FROM sessions s
         WHERE s.tenant_id = ?
           AND (s.agent_id = ? OR s.transfer_to = ?
                OR s.channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?)
                OR EXISTS (SELECT 1 FROM session_agents sa WHERE sa.tenant_id = s.tenant_id AND sa.session_id = s.id AND sa.agent_id = ?))
           AND (s.status IN ('queued', 'active') OR s.ended_at >= ?)
           AND EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = s.tenant_id AND m.session_id = s.id
                       AND m.kind IN ('text', 'note') AND (${likes}))
         ORDER BY s.last_activity_at DESC, s.id
         LIMIT ?`,
        [this.tenantId, agentId, agentId, this.tenantId, agentId, agentId, now - RECENT_WINDOW_MS, ...patterns, limit],
      )
      .map((r) => r.id);
  }

  /**
   * Agents who may see a session besides its channel's members: the handler, the target of a
   * pending transfer and everyone who handled it before (sorted, without duplicates).
   */
  relatedAgents(row: SessionRow): string[] {
    const ids = new Set(this.formerHandlers(row.id));
    if (row.agent_id) ids.add(row.agent_id);
    if (row.transfer_to) ids.add(row.transfer_to);
    return [...ids].sort();
  }

  /** Agents who ever handled the session (including the current handler). */
  formerHandlers(sessionId: string): string[] {
    return this.db
      .all<{ agent_id: string }>('SELECT DISTINCT agent_id FROM session_agents WHERE tenant_id = ? AND session_id = ?', [this.tenantId, sessionId])
      .map((r) => r.agent_id);
  }

  /** True when the agent handled this session at some time (now or before). */
  handled(sessionId: string, agentId: string): boolean {
    return (
      this.db.get('SELECT 1 AS x FROM session_agents WHERE tenant_id = ? AND session_id = ? AND agent_id = ? LIMIT 1', [this.tenantId, sessionId, agentId]) !==
      undefined
    );
  }

  /** Records that `agentId` starts handling the session now. */
  startHandling(sessionId: string, agentId: string, at: number): void {
    this.db.run(
      `INSERT INTO session_agents (tenant_id, session_id, agent_id, started_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, session_id, agent_id, started_at) DO UPDATE SET ended_at = NULL, ended_reason = NULL`,
      [this.tenantId, sessionId, agentId, at],
    );
  }

  /** Closes the open handling record of `agentId` (if any). */
  stopHandling(sessionId: string, agentId: string, at: number, reason: HandlingEnd): void {
    this.db.run(
      'UPDATE session_agents SET ended_at = ?, ended_reason = ? WHERE tenant_id = ? AND session_id = ? AND agent_id = ? AND ended_at IS NULL',
      [at, reason, this.tenantId, sessionId, agentId],
    );
  }

  /** The handling history of a session, oldest first. */
  handlingHistory(sessionId: string): { agent_id: string; started_at: number; ended_at: number | null; ended_reason: HandlingEnd | null }[] {
    return this.db.all(
      'SELECT agent_id, started_at, ended_at, ended_reason FROM session_agents WHERE tenant_id = ? AND session_id = ? ORDER BY started_at, agent_id',
      [this.tenantId, sessionId],
    );
  }

  // ---- transfers --------------------------------------------------------------------------

  /** Offers an active session to another agent; false when a transfer is already pending. */
  setTransfer(sessionId: string, t: { from: string; to: string; note: string | undefined; at: number; expiresAt: number }): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET transfer_to = ?, transfer_from = ?, transfer_note = ?, transfer_at = ?, transfer_expires_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'active' AND transfer_to IS NULL`,
        [t.to, t.from, t.note ?? null, t.at, t.expiresAt, this.tenantId, sessionId],
      ).changes === 1
    );
  }

  /** Clears the pending transfer; false when there was none. */
  clearTransfer(sessionId: string): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET transfer_to = NULL, transfer_from = NULL, transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL
         WHERE tenant_id = ? AND id = ? AND transfer_to IS NOT NULL`,
        [this.tenantId, sessionId],
      ).changes === 1
    );
  }

  /** Sessions with a pending transfer (to schedule their expiry after a restart). */
  pendingTransfers(): { id: string; transfer_expires_at: number }[] {
    return this.db.all('SELECT id, transfer_expires_at FROM sessions WHERE tenant_id = ? AND transfer_to IS NOT NULL', [this.tenantId]);
  }

  /** Gives an active session to another agent (transfer accepted, takeover); clears any transfer. */
  handOver(sessionId: string, fromAgentId: string, toAgentId: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET agent_id = ?, last_activity_at = ?, transfer_to = NULL, transfer_from = NULL, transfer_note = NULL,
           transfer_at = NULL, transfer_expires_at = NULL, ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status = 'active' AND agent_id = ?`,
        [toAgentId, at, this.tenantId, sessionId, fromAgentId],
      ).changes === 1
    );
  }

  /** Puts a queued or active session (back) into a channel's queue; it keeps its place by `created_at`. */
  requeue(sessionId: string, channelId: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET status = 'queued', channel_id = ?, agent_id = NULL, accepted_at = NULL, queued_at = ?, warned_level = 0,
           last_activity_at = ?, transfer_to = NULL, transfer_from = NULL, transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL,
           ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')`,
        [channelId, at, at, this.tenantId, sessionId],
      ).changes === 1
    );
  }

  // ---- sweeps -----------------------------------------------------------------------------

  /** Queued sessions due (at `now`) for a wait warning at a level not announced yet, with their channel's settings. */
  queuedForWarnings(now: number): (SessionRow & { warn_after_s: number; manager_warn_after_s: number })[] {
    // Only those due at a level not yet warned: a sweep reads what it announces, not the whole queue.
    return this.db.all(
      `SELECT s.*, c.warn_after_s, c.manager_warn_after_s FROM sessions s
       JOIN channels c ON c.tenant_id = s.tenant_id AND c.id = s.channel_id
       WHERE s.tenant_id = ? AND s.status = 'queued'
         AND ((s.warned_level < 1 AND c.warn_after_s > 0 AND COALESCE(s.queued_at, s.created_at) <= ? - c.warn_after_s * 1000)
           OR (s.warned_level < 2 AND c.manager_warn_after_s > 0 AND COALESCE(s.queued_at, s.created_at) <= ? - c.manager_warn_after_s * 1000))
       ORDER BY s.created_at, s.id`,
      [this.tenantId, now, now],
    );
  }

  /** Queued sessions warned at some level already (a console that connects is told again), oldest first. */
  warnedQueued(): Pick<SessionRow, 'id' | 'channel_id' | 'created_at' | 'queued_at' | 'warned_level'>[] {
    return this.db.all(
      "SELECT id, channel_id, created_at, queued_at, warned_level FROM sessions WHERE tenant_id = ? AND status = 'queued' AND warned_level > 0 ORDER BY created_at, id",
      [this.tenantId],
    );
  }

  setWarnedLevel(sessionId: string, level: number): void {
    this.db.run('UPDATE sessions SET warned_level = MAX(warned_level, ?) WHERE tenant_id = ? AND id = ?', [level, this.tenantId, sessionId]);
  }

  /** Sessions whose `ended_at` lies in [from, to): they left the recent window between two sweeps. */
  endedBetween(from: number, to: number): SessionRow[] {
    return this.db.all<SessionRow>(
      "SELECT * FROM sessions WHERE tenant_id = ? AND status IN ('ended', 'missed') AND ended_at >= ? AND ended_at < ? ORDER BY ended_at, id",
      [this.tenantId, from, to],
    );
  }

  boardSnapshot(agentId: string, now: number, online: (agentId: string) => boolean): BoardSnapshot {
    const head = this.boardHead();
    return {
      epoch: head.epoch,
      seq: head.seq,
      serverTime: now,
      sessions: this.boardSessions(agentId, now).map((r) => this.summary(r)),
      agents: this.agentInfos(online),
      channels: this.channels(),
    };
  }

  /**
   * Sessions whose activity a console shows without following them: queued in the given channels,
   * or active and handled by the agent (what a board resumed by replay is sent fresh).
   */
  activityView(agentId: string, channelIds: readonly string[]): SessionRow[] {
    const inChannels = channelIds.length > 0 ? `(status = 'queued' AND channel_id IN (${channelIds.map(() => '?').join(', ')})) OR ` : '';
    return this.db.all<SessionRow>(`SELECT * FROM sessions WHERE tenant_id = ? AND (${inChannels}(status = 'active' AND agent_id = ?)) ORDER BY created_at, id`, [
      this.tenantId,
      ...channelIds,
      agentId,
    ]);
  }

  /** The next queued session in the given channels: highest priority, then oldest (no lock needed: callers run inside a transaction). */
  oldestQueued(channelIds: readonly string[], agentId?: string): SessionRow | undefined {
    if (channelIds.length === 0) return undefined;
    const marks = channelIds.map(() => '?').join(', ');
    return this.db.get<SessionRow>(
      `SELECT * FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id IN (${marks})
         AND (offer_to IS NULL OR offer_to = ?)
       ORDER BY ${QUEUE_ORDER} LIMIT 1`,
      [this.tenantId, ...channelIds, agentId ?? null],
    );
  }

  queuedInChannel(channelId: string): { id: string }[] {
    return this.db.all<{ id: string }>(
      `SELECT id FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id = ? ORDER BY ${QUEUE_ORDER}`,
      [this.tenantId, channelId],
    );
  }

  /** Moves a queued session to active for `agentId`. False when someone else was first. */
  assign(sessionId: string, agentId: string, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = 'active', agent_id = ?, accepted_at = ?, last_activity_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'queued'`,
        [agentId, at, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok) this.startHandling(sessionId, agentId, at);
    return ok;
  }

  /**
   * A customer returns to an ended session (journey): back to `agentId` (active) or to the queue
   * (no agent). The earlier end stays in the transcript; `returned_at` records the return.
   */
  reopen(sessionId: string, agentId: string | undefined, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = ?, agent_id = ?, accepted_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END, queued_at = ?, warned_level = 0,
           ended_at = NULL, ended_by = NULL, last_activity_at = ?, returned_at = ?
         WHERE tenant_id = ? AND id = ? AND status IN ('ended', 'missed')`,
        [agentId ? 'active' : 'queued', agentId ?? null, agentId ?? null, at, at, at, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok && agentId) this.startHandling(sessionId, agentId, at);
    return ok;
  }

  /** Ends a session (a pending transfer goes with it; the handler's record is closed). */
  finish(sessionId: string, status: 'ended' | 'missed', by: string, at: number): boolean {
    const ok =
      this.db.run(
        `UPDATE sessions SET status = ?, ended_at = ?, ended_by = ?, last_activity_at = ?, transfer_to = NULL, transfer_from = NULL,
           transfer_note = NULL, transfer_at = NULL, transfer_expires_at = NULL, ${HANDLER_STATE_RESET}
         WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')`,
        [status, at, by, at, this.tenantId, sessionId],
      ).changes === 1;
    if (ok) {
      this.db.run('UPDATE session_agents SET ended_at = ?, ended_reason = ? WHERE tenant_id = ? AND session_id = ? AND ended_at IS NULL', [
        at,
        'ended',
        this.tenantId,
        sessionId,
      ]);
    }
    return ok;
  }

  // ---- messages ---------------------------------------------------------------------------

  messageByCmid(senderKind: AuthorKind, senderId: string, cmid: string): MessageRow | undefined {
    return this.db.get<MessageRow>('SELECT * FROM messages WHERE tenant_id = ? AND sender_kind = ? AND sender_id = ? AND cmid = ?', [
      this.tenantId,
      senderKind,
      senderId,
      cmid,
    ]);
  }

  /**
   * Appends a message to a session's stream (inside the caller's transaction): next `seq`,
   * next `cseq` when the customer may see it, the session's last-message copy and unread count.
   */
  appendMessage(input: {
    sessionId: string;
    cmid?: string | undefined;
    senderKind: AuthorKind;
    senderId?: string | undefined;
    authorName: string;
    kind: MessageKind;
    text: string;
    event?: SessionEventName | undefined;
    /** Agent-only system event: no `cseq`, never delivered to customers. */
    internal?: boolean | undefined;
    meta?: EventMeta | undefined;
    /** Files sent with a text message (already claimed by the caller). */
    attachments?: readonly AttachmentInfo[] | undefined;
    at: number;
  }): MessageRow {
    const internal = input.kind === 'event' && input.internal === true;
    const files = input.attachments && input.attachments.length > 0 ? input.attachments : undefined;
    // The board's last-message copy of a file without text: its names.
    const lastText = files && input.text.trim() === '' ? files.map((a) => a.name).join(', ') : input.text;
    const visibleToCustomer = input.kind !== 'note' && !internal;
    const fromCustomer = input.senderKind === 'customer';
    // RETURNING: the new head without a second read (and the row for a host that caches it).
    const head = this.db.get<SessionRow>(
      `UPDATE sessions SET head_seq = head_seq + 1, head_cseq = head_cseq + ?, last_activity_at = ?,
         unread = unread + ?,
         last_from = CASE WHEN ? THEN ? ELSE last_from END,
         last_text = CASE WHEN ? THEN ? ELSE last_text END,
         last_at = CASE WHEN ? THEN ? ELSE last_at END
       WHERE tenant_id = ? AND id = ? RETURNING *`,
      [
        visibleToCustomer ? 1 : 0,
        input.at,
        fromCustomer ? 1 : 0,
        input.kind === 'text' ? 1 : 0,
        input.senderKind,
        input.kind === 'text' ? 1 : 0,
        lastText,
        input.kind === 'text' ? 1 : 0,
        input.at,
        this.tenantId,
        input.sessionId,
      ],
    );
    if (!head) throw new Error('session vanished');
    const row: MessageRow = {
      tenant_id: this.tenantId,
      session_id: input.sessionId,
      seq: head.head_seq,
      cseq: visibleToCustomer ? head.head_cseq : null,
      id: `m_${randomId(12)}`,
      cmid: input.cmid ?? null,
      sender_kind: input.senderKind,
      sender_id: input.senderId ?? null,
      author_name: input.authorName,
      kind: input.kind,
      text: input.text,
      event: input.event ?? null,
      at: input.at,
      internal: internal ? 1 : 0,
      // Agent-only details: of an internal event, or of a whisper (a note).
      meta: (internal || input.kind === 'note') && input.meta ? JSON.stringify(input.meta) : null,
      attachments: files ? JSON.stringify(files) : null,
    };
    this.db.run(
      `INSERT INTO messages (tenant_id, session_id, seq, cseq, id, cmid, sender_kind, sender_id, author_name, kind, text, event, at, internal, meta, attachments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.tenant_id,
        row.session_id,
        row.seq,
        row.cseq,
        row.id,
        row.cmid,
        row.sender_kind,
        row.sender_id,
        row.author_name,
        row.kind,
        row.text,
        row.event,
        row.at,
        row.internal,
        row.meta,
        row.attachments ?? null,
      ] satisfies SqlValue[],
    );
    return row;
  }

  /** A message of this tenant by its id. */
  messageById(id: string): MessageRow | undefined {
    return this.db.get<MessageRow>('SELECT * FROM messages WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  /** Stores the quote of a message just appended (inside the caller's transaction); sets it on `row`. */
  setMessageQuote(row: MessageRow, quote: StoredQuote): void {
    const json = JSON.stringify(quote);
    this.db.run('UPDATE messages SET quote = ? WHERE tenant_id = ? AND session_id = ? AND seq = ?', [json, this.tenantId, row.session_id, row.seq]);
    row.quote = json;
  }

  /** Marks messages up to `seq` read by the handling agent; recomputes unread. */
  markAgentRead(sessionId: string, seq: number): void {
    this.db.run(
      `UPDATE sessions SET agent_read_seq = MAX(agent_read_seq, ?),
         unread = (SELECT COUNT(*) FROM messages m WHERE m.tenant_id = sessions.tenant_id AND m.session_id = sessions.id
                   AND m.sender_kind = 'customer' AND m.seq > MAX(sessions.agent_read_seq, ?))
       WHERE tenant_id = ? AND id = ?`,
      [seq, seq, this.tenantId, sessionId],
    );
  }

  /**
   * The agent's read position goes back to just before the newest customer message, so that it
   * counts as unread (1). False when the customer has written nothing.
   */
  markAgentUnread(sessionId: string): boolean {
    const last = this.db.get<{ seq: number | null }>(
      "SELECT MAX(seq) AS seq FROM messages WHERE tenant_id = ? AND session_id = ? AND sender_kind = 'customer' AND kind = 'text'",
      [this.tenantId, sessionId],
    );
    if (last?.seq == null) return false;
    this.db.run('UPDATE sessions SET agent_read_seq = ?, unread = 1 WHERE tenant_id = ? AND id = ?', [last.seq - 1, this.tenantId, sessionId]);
    return true;
  }

  /**
   * Marks messages up to `cseq` (customer numbering) read by the customer and stores the
   * matching agent-numbering position (`customer_read_seq`, for "Seen"). True when it moved.
   */
  markCustomerRead(sessionId: string, cseq: number): boolean {
    const seq =
      this.db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM messages WHERE tenant_id = ? AND session_id = ? AND cseq IS NOT NULL AND cseq <= ?', [
        this.tenantId,
        sessionId,
        cseq,
      ])?.seq ?? 0;
    const before = this.session(sessionId)?.customer_read_seq ?? 0;
    this.db.run(
      'UPDATE sessions SET customer_read_cseq = MAX(customer_read_cseq, ?), customer_read_seq = MAX(customer_read_seq, ?) WHERE tenant_id = ? AND id = ?',
      [cseq, seq, this.tenantId, sessionId],
    );
    return seq > before;
  }

  /**
   * Messages of a session in the numbering of the viewer (`agent`: seq, all kinds;
   * `customer`: cseq, without notes). `after` pages forward, `before` pages backward.
   */
  messages(
    sessionId: string,
    view: 'agent' | 'customer',
    range: { after?: number | undefined; before?: number | undefined; limit: number },
  ): { rows: MessageRow[]; hasMore: boolean } {
    const col = view === 'agent' ? 'seq' : 'cseq';
    const params: SqlValue[] = [this.tenantId, sessionId];
    let where = `tenant_id = ? AND session_id = ? AND ${col} IS NOT NULL`;
    if (range.after !== undefined) {
      where += ` AND ${col} > ?`;
      params.push(range.after);
    }
    if (range.before !== undefined) {
      where += ` AND ${col} < ?`;
      params.push(range.before);
    }
    const forward = range.after !== undefined && range.before === undefined;
    const rows = this.db.all<MessageRow>(
      `SELECT * FROM messages WHERE ${where} ORDER BY ${col} ${forward ? 'ASC' : 'DESC'} LIMIT ?`,
      [...params, range.limit + 1],
    );
    const hasMore = rows.length > range.limit;
    if (hasMore) rows.length = range.limit;
    if (!forward) rows.reverse();
    return { rows, hasMore };
  }

  /** The wire form of a message for a viewer. Customers never see notes, agent ids or others' cmids (the bot's id they do: its messages are marked). */
  toWire(row: MessageRow, view: 'agent' | 'customer'): ChatMessage {
    const seq = view === 'agent' ? row.seq : (row.cseq ?? 0);
    const showCmid = row.cmid !== null && (view === 'agent' || row.sender_kind === 'customer');
    const showAuthorId = row.sender_id !== null && (view === 'agent' || (row.sender_kind === 'system' && row.sender_id === BOT_SENDER_ID));
    return {
      id: row.id,
      sessionId: row.session_id,
      seq,
      ...(showCmid && row.cmid ? { cmid: row.cmid } : {}),
      author: { kind: row.sender_kind, ...(showAuthorId && row.sender_id ? { id: row.sender_id } : {}), name: row.author_name },
      kind: row.kind,
      text: row.text,
      ...(row.event ? { event: row.event } : {}),
      ...(view === 'agent' && row.internal === 1 ? { internal: true } : {}),
      ...(view === 'agent' && row.meta !== null ? { meta: JSON.parse(row.meta) as EventMeta } : {}),
      ...(row.attachments ? { attachments: JSON.parse(row.attachments) as AttachmentInfo[] } : {}),
      ...quoteFor(row.quote, view),
      at: row.at,
    };
  }
}

/** The quote of a message for a viewer: a customer gets none of a message only agents saw. */
function quoteFor(json: string | null | undefined, view: 'agent' | 'customer'): { quote?: MessageQuote } {
  if (!json) return {};
  const q = JSON.parse(json) as StoredQuote;
  const seq = view === 'agent' ? q.seq : q.cseq;
  return seq === null ? {} : { quote: { id: q.id, seq, author: { kind: q.kind, name: q.name }, excerpt: q.excerpt, at: q.at } };
}
