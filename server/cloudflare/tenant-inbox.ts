/**
 * The directory's side of the conversations' reports (reports.ts): what a chat's object numbered
 * comes to the tenant's object (`ChatTenant.report`, tenant.ts) and is kept here as the room's
 * copy, each message and call once, and the new messages go to the subscribers of the tenant's
 * sockets.
 */
import type { Reported } from '../core/room/ports.js';
import type { ChatRoom } from '../core/room/index.js';
import type { SqlPort } from '../core/sql.js';
import type { MessageRow } from '../core/store/index.js';
import type { Row } from './conversation.js';
import type { ConversationOutbox } from './outbox.js';
import type { ConversationReport } from './reports.js';
import { STREAM_COLUMNS } from './reports.js';

/** Per chat, the last row of its object's outbox applied here (reports.ts): a report sent again is a no-op. */
const INBOX = 'CREATE TABLE IF NOT EXISTS conversation_inbox (session_id TEXT PRIMARY KEY, last_id INTEGER NOT NULL)';

const COLUMN = /^[a-z_][a-z0-9_]{0,63}$/;

/**
 * A chat's report into the directory: its messages and stream columns into this object's copy,
 * each message once, and its calls (activity, `opened`) applied once (the last row id applied is
 * kept per chat), all in one transaction; the room delivers the new messages to the subscribers
 * of the tenant's sockets.
 */
export function applyReport(db: SqlPort, tenantId: string, room: ChatRoom, outbox: ConversationOutbox, report: ConversationReport): void {
  const sessionId = String(report.stream.id ?? '');
  db.exec(INBOX);
  const applied = db.get<{ last_id: number }>('SELECT last_id FROM conversation_inbox WHERE session_id = ?', [sessionId])?.last_id ?? 0;
  if (report.upTo <= applied && report.messages.length === 0) return;
  const calls = report.calls
    .filter((c) => c.id > applied)
    .map(({ call }): Reported => (call.t === 'activity' ? { kind: 'activity', sessionId, change: call.change } : { kind: 'opened', sessionId, agentId: call.agentId }));
  // The directory's summary follows every message, a lifecycle event's too (its `seq`): one touch, coalesced.
  const at = report.messages.at(-1)?.at;
  if (typeof at === 'number' && !calls.some((c) => c.kind === 'activity')) calls.push({ kind: 'activity', sessionId, change: { kind: 'message', from: 'agent', at } });
  room.reported(
    () =>
      outbox.copying(() => {
        const added = copyMessages(db, report.messages);
        copyStream(db, tenantId, sessionId, report.stream);
        db.run('INSERT INTO conversation_inbox (session_id, last_id) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)', [sessionId, report.upTo]);
        return added;
      }),
    calls,
  );
}

/** Messages of a report into the copy, each once; the ones new here, in seq order (their files are claimed by them here too). */
function copyMessages(db: SqlPort, messages: readonly Row[]): MessageRow[] {
  const added: MessageRow[] = [];
  for (const m of messages) {
    const columns = Object.keys(m);
    if (!columns.every((c) => COLUMN.test(c))) throw new Error('bad row');
    const { changes } = db.run(`INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`, columns.map((c) => m[c] ?? null));
    if (changes !== 1) continue;
    const row = m as unknown as MessageRow;
    for (const file of row.attachments ? (JSON.parse(row.attachments) as { id: string }[]) : []) {
      db.run('UPDATE attachments SET message_id = ? WHERE tenant_id = ? AND id = ? AND message_id IS NULL', [row.id, row.tenant_id, file.id]);
    }
    added.push(row);
  }
  return added;
}

/** The stream columns of a session's row as its conversation has them (never backwards). */
function copyStream(db: SqlPort, tenantId: string, sessionId: string, stream: Row): void {
  const set = STREAM_COLUMNS.map((c) => (c === 'last_activity_at' ? 'last_activity_at = MAX(last_activity_at, ?)' : `${c} = ?`));
  db.run(`UPDATE sessions SET ${set.join(', ')} WHERE tenant_id = ? AND id = ? AND head_seq <= ?`, [...STREAM_COLUMNS.map((c) => stream[c] ?? null), tenantId, sessionId, stream.head_seq ?? 0]);
}
