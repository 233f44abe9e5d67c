/**
 * A session's stream (`messages` and the stream columns of `sessions`): appending with the next
 * `seq`/`cseq`, `cmid` idempotency, quotes, read positions, history pages and the wire form of a
 * message for each viewer.
 */
import type { AttachmentInfo, AuthorKind, ChatMessage, EventMeta, MessageKind, MessageQuote, SessionEventName } from '../../../src/protocol/index.js';
import { BOT_SENDER_ID } from '../../../src/protocol/channel-settings.js';
import { randomId } from '../auth.js';
import type { StoredQuote } from '../room/quote.js';
import type { SqlValue } from '../sql.js';
import { BoardStore } from './board.js';
import type { SessionRow } from './sessions.js';

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

/** A session's messages (layer over {@link BoardStore}). */
export class MessageStore extends BoardStore {
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
