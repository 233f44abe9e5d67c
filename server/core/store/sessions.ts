/**
 * Sessions (`sessions`): the row, its wire summary (`SessionSummary`, with the names of the agents
 * it mentions) and a new chat's row. What moves a session between states is in handling.ts; what a
 * board lists in board.ts; its stream (messages, read positions) in messages.ts.
 */
import type { AuthorKind, SessionStatus, SessionSummary } from '../../../src/protocol/index.js';
import type { ChatPriority } from '../../../src/protocol/priority.js';
import { isChatPriority } from '../../../src/protocol/priority.js';
import { randomId } from '../auth.js';
import { AgentStore } from './agents.js';

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

/** Session rows and their summaries (layer over {@link AgentStore}). */
export class SessionStore extends AgentStore {
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
}
