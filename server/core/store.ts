/**
 * Data access of one tenant over the SQL port: row types, mapping to wire records, and the
 * queries the room needs. No protocol logic here; `room.ts` decides, this file reads and writes.
 */
import type {
  AgentInfo,
  AgentMe,
  AgentStatus,
  AuthorKind,
  BoardSnapshot,
  ChannelInfo,
  ChannelPermissions,
  ChatMessage,
  MessageKind,
  SessionEventName,
  SessionStatus,
  SessionSummary,
} from '../../src/protocol/index.js';
import { BOARD_LOG_RETENTION, RECENT_WINDOW_MS } from '../../src/protocol/limits.js';
import { randomId } from './auth.js';
import type { SqlPort, SqlValue } from './sql.js';

export interface SessionRow {
  tenant_id: string;
  id: string;
  channel_id: string;
  status: SessionStatus;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
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
}

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
}

export interface AgentRow {
  tenant_id: string;
  id: string;
  name: string;
  email: string;
  status: AgentStatus;
  max_concurrent_chats: number;
  manage_quick_replies: number;
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
  kind: 'session' | 'session-remove' | 'agent';
  channel_id: string | null;
  subject_id: string;
  data: string;
  at: number;
}

/** What an agent may do per channel, loaded once per connection and refreshed on change. */
export interface AgentAccess {
  agent: AgentRow;
  channels: Map<string, ChannelPermissions & { name: string }>;
}

export class TenantStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  // ---- tenant and board log -------------------------------------------------------------

  tenant(): { id: string; name: string; time_zone: string; board_epoch: string; board_seq: number; allowed_origins: string } | undefined {
    return this.db.get('SELECT id, name, time_zone, board_epoch, board_seq, allowed_origins FROM tenants WHERE id = ?', [this.tenantId]);
  }

  boardHead(): { epoch: string; seq: number } {
    const t = this.tenant();
    if (!t) throw new Error(`unknown tenant ${this.tenantId}`);
    return { epoch: t.board_epoch, seq: t.board_seq };
  }

  /** Appends one event to the board log (inside the caller's transaction). */
  appendBoard(kind: BoardEventRow['kind'], subjectId: string, channelId: string | null, data: unknown, at: number): BoardEventRow {
    this.db.run('UPDATE tenants SET board_seq = board_seq + 1 WHERE id = ?', [this.tenantId]);
    const { seq } = this.boardHead();
    const row: BoardEventRow = { seq, kind, channel_id: channelId, subject_id: subjectId, data: JSON.stringify(data), at };
    this.db.run('INSERT INTO board_events (tenant_id, seq, kind, channel_id, subject_id, data, at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      this.tenantId,
      row.seq,
      row.kind,
      row.channel_id,
      row.subject_id,
      row.data,
      row.at,
    ]);
    if (seq % 500 === 0) {
      this.db.run('DELETE FROM board_events WHERE tenant_id = ? AND seq <= ?', [this.tenantId, seq - BOARD_LOG_RETENTION]);
    }
    return row;
  }

  /** Board events after `afterSeq`, or undefined when some of them were pruned. */
  boardEventsAfter(afterSeq: number, limit: number): BoardEventRow[] | undefined {
    const head = this.boardHead().seq;
    if (afterSeq >= head) return [];
    if (head - afterSeq > limit) return undefined;
    const rows = this.db.all<BoardEventRow>(
      'SELECT seq, kind, channel_id, subject_id, data, at FROM board_events WHERE tenant_id = ? AND seq > ? ORDER BY seq',
      [this.tenantId, afterSeq],
    );
    if (rows.length !== head - afterSeq) return undefined;
    return rows;
  }

  // ---- channels and agents ----------------------------------------------------------------

  channels(): ChannelInfo[] {
    return this.db.all<ChannelInfo>('SELECT id, name FROM channels WHERE tenant_id = ? ORDER BY sort, name', [this.tenantId]);
  }

  channel(id: string): { id: string; name: string; welcome_message: string } | undefined {
    return this.db.get('SELECT id, name, welcome_message FROM channels WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  agent(id: string): AgentRow | undefined {
    return this.db.get<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  agents(): AgentRow[] {
    return this.db.all<AgentRow>('SELECT * FROM agents WHERE tenant_id = ? ORDER BY name', [this.tenantId]);
  }

  access(agentId: string): AgentAccess | undefined {
    const agent = this.agent(agentId);
    if (!agent) return undefined;
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
    this.db.run('UPDATE agents SET status = ? WHERE tenant_id = ? AND id = ?', [status, this.tenantId, agentId]);
  }

  activeChatCount(agentId: string): number {
    return (
      this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sessions WHERE tenant_id = ? AND agent_id = ? AND status = 'active'", [
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
    return {
      id: agent.id,
      name: agent.name,
      status: agent.status,
      online,
      channelIds: this.agentChannelIds(agent.id),
      activeChats: this.activeChatCount(agent.id),
      maxConcurrentChats: agent.max_concurrent_chats,
    };
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
    };
  }

  createSession(input: {
    channelId: string;
    name: string;
    email?: string | undefined;
    phone?: string | undefined;
    at: number;
  }): SessionRow {
    const id = `s_${randomId(12)}`;
    this.db.run(
      `INSERT INTO sessions (tenant_id, id, channel_id, status, customer_name, customer_email, customer_phone,
         created_at, last_activity_at, epoch) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
      [this.tenantId, id, input.channelId, input.name, input.email ?? null, input.phone ?? null, input.at, input.at, randomId(6)],
    );
    const row = this.session(id);
    if (!row) throw new Error('session insert failed');
    return row;
  }

  /** Sessions an agent's board shows: queued and active in their channels or theirs, and those that ended within the recent window. */
  boardSessions(agentId: string, now: number): SessionRow[] {
    return this.db.all<SessionRow>(
      `SELECT s.* FROM sessions s
       WHERE s.tenant_id = ?
         AND (s.agent_id = ? OR s.channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = ? AND agent_id = ?))
         AND (s.status IN ('queued', 'active') OR s.ended_at >= ?)
       ORDER BY s.last_activity_at DESC`,
      [this.tenantId, agentId, this.tenantId, agentId, now - RECENT_WINDOW_MS],
    );
  }

  boardSnapshot(agentId: string, now: number, online: (agentId: string) => boolean): BoardSnapshot {
    const head = this.boardHead();
    return {
      epoch: head.epoch,
      seq: head.seq,
      serverTime: now,
      sessions: this.boardSessions(agentId, now).map((r) => this.summary(r)),
      agents: this.agents().map((a) => this.agentInfo(a, online(a.id))),
      channels: this.channels(),
    };
  }

  /** Oldest queued session in the given channels (no lock needed: callers run inside a transaction). */
  oldestQueued(channelIds: readonly string[]): SessionRow | undefined {
    if (channelIds.length === 0) return undefined;
    const marks = channelIds.map(() => '?').join(', ');
    return this.db.get<SessionRow>(
      `SELECT * FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id IN (${marks})
       ORDER BY created_at, id LIMIT 1`,
      [this.tenantId, ...channelIds],
    );
  }

  queuedInChannel(channelId: string): { id: string }[] {
    return this.db.all<{ id: string }>(
      "SELECT id FROM sessions WHERE tenant_id = ? AND status = 'queued' AND channel_id = ? ORDER BY created_at, id",
      [this.tenantId, channelId],
    );
  }

  /** Moves a queued session to active for `agentId`. False when someone else was first. */
  assign(sessionId: string, agentId: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET status = 'active', agent_id = ?, accepted_at = ?, last_activity_at = ?
         WHERE tenant_id = ? AND id = ? AND status = 'queued'`,
        [agentId, at, at, this.tenantId, sessionId],
      ).changes === 1
    );
  }

  finish(sessionId: string, status: 'ended' | 'missed', by: string, at: number): boolean {
    return (
      this.db.run(
        `UPDATE sessions SET status = ?, ended_at = ?, ended_by = ?, last_activity_at = ?
         WHERE tenant_id = ? AND id = ? AND status IN ('queued', 'active')`,
        [status, at, by, at, this.tenantId, sessionId],
      ).changes === 1
    );
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
    at: number;
  }): MessageRow {
    const visibleToCustomer = input.kind !== 'note';
    const fromCustomer = input.senderKind === 'customer';
    this.db.run(
      `UPDATE sessions SET head_seq = head_seq + 1, head_cseq = head_cseq + ?, last_activity_at = ?,
         unread = unread + ?,
         last_from = CASE WHEN ? THEN ? ELSE last_from END,
         last_text = CASE WHEN ? THEN ? ELSE last_text END,
         last_at = CASE WHEN ? THEN ? ELSE last_at END
       WHERE tenant_id = ? AND id = ?`,
      [
        visibleToCustomer ? 1 : 0,
        input.at,
        fromCustomer ? 1 : 0,
        input.kind === 'text' ? 1 : 0,
        input.senderKind,
        input.kind === 'text' ? 1 : 0,
        input.text,
        input.kind === 'text' ? 1 : 0,
        input.at,
        this.tenantId,
        input.sessionId,
      ],
    );
    const head = this.db.get<{ head_seq: number; head_cseq: number }>('SELECT head_seq, head_cseq FROM sessions WHERE tenant_id = ? AND id = ?', [
      this.tenantId,
      input.sessionId,
    ]);
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
    };
    this.db.run(
      `INSERT INTO messages (tenant_id, session_id, seq, cseq, id, cmid, sender_kind, sender_id, author_name, kind, text, event, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      ] satisfies SqlValue[],
    );
    return row;
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

  markCustomerRead(sessionId: string, cseq: number): void {
    this.db.run('UPDATE sessions SET customer_read_cseq = MAX(customer_read_cseq, ?) WHERE tenant_id = ? AND id = ?', [
      cseq,
      this.tenantId,
      sessionId,
    ]);
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

  /** The wire form of a message for a viewer. Customers never see notes, agent ids or others' cmids. */
  toWire(row: MessageRow, view: 'agent' | 'customer'): ChatMessage {
    const seq = view === 'agent' ? row.seq : (row.cseq ?? 0);
    const showCmid = row.cmid !== null && (view === 'agent' || row.sender_kind === 'customer');
    const showAuthorId = row.sender_id !== null && view === 'agent';
    return {
      id: row.id,
      sessionId: row.session_id,
      seq,
      ...(showCmid && row.cmid ? { cmid: row.cmid } : {}),
      author: { kind: row.sender_kind, ...(showAuthorId && row.sender_id ? { id: row.sender_id } : {}), name: row.author_name },
      kind: row.kind,
      text: row.text,
      ...(row.event ? { event: row.event } : {}),
      at: row.at,
    };
  }
}
