/**
 * A conversation object's outbox to its tenant's directory (tenant.ts): how the directory learns
 * what the conversation numbered, as stored messages rather than awaited calls.
 *
 * The conversation object (conversation.ts) numbers its chat's stream. Everything the directory
 * needs to know of it is written here inside the very transaction in which the conversation
 * commits: a SQLite trigger on `messages` (insert) adds a row per message, and the conversation's
 * {@link DirectoryPort} adds a row per `activity` (a message's or a read position's summary) and
 * per `opened` (a supervisor opened the chat). `flush` sends them as one {@link ConversationReport}
 * (the messages, the session's stream columns as they are now, the calls in order), waits for the
 * directory's acknowledgement and only then deletes those rows. The directory keeps, per chat,
 * the last row id it applied: a report sent again after a crash between the acknowledgement and
 * the delete is a no-op there. So every message reaches the directory's copy exactly once, in seq
 * order, and every call is applied once.
 *
 * Like the directory's outbox (outbox.ts) this is this host's own table, created after the
 * numbered migrations.
 */
import type { SqlPort } from '../core/sql.js';
import type { Activity } from '../core/room/ports.js';
import type { OutboxMode } from './outbox.js';
import { Outbox } from './outbox.js';
import type { Row } from './conversation.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS directory_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER,
  call TEXT
);
CREATE TRIGGER IF NOT EXISTS directory_outbox_message AFTER INSERT ON messages BEGIN
  INSERT INTO directory_outbox (seq) VALUES (NEW.seq);
END;`;

/** The columns of a session's row that its conversation writes (its stream); the rest are the directory's. */
export const STREAM_COLUMNS = [
  'head_seq',
  'head_cseq',
  'last_from',
  'last_text',
  'last_at',
  'agent_read_seq',
  'customer_read_cseq',
  'customer_read_seq',
  'unread',
  'last_activity_at',
] as const;

/** What a conversation tells its directory besides its messages. */
export type DirectoryCall = { t: 'activity'; change: Activity } | { t: 'opened'; agentId: string };

/** One report of a conversation to its directory. */
export interface ConversationReport {
  /** The last outbox row this report carries: the directory applies the calls up to it once. */
  upTo: number;
  /** The session's stream columns as they are now. */
  stream: Row;
  /** Messages committed since the last acknowledged report, in seq order. */
  messages: Row[];
  /** The calls, in the order they were made, each with its row id. */
  calls: { id: number; call: DirectoryCall }[];
}

/** Outbox rows per report (a busier chat sends several in turn). */
const REPORT_ROWS = 500;

export class DirectoryReports extends Outbox {
  /** Reports acknowledged since the object started. */
  sent = 0;

  constructor(
    db: SqlPort,
    private readonly send: (report: ConversationReport) => Promise<void>,
    mode: OutboxMode = 'deliver',
  ) {
    super(db, 'directory_outbox', mode);
    db.exec(SCHEMA);
  }

  /** Records a call to the directory (inside the conversation's transaction, or on its own). */
  record(call: DirectoryCall): void {
    this.db.run('INSERT INTO directory_outbox (call) VALUES (?)', [JSON.stringify(call)]);
  }

  protected async rounds(): Promise<void> {
    for (;;) {
      const rows = this.db.all<{ id: number; seq: number | null; call: string | null }>('SELECT id, seq, call FROM directory_outbox ORDER BY id LIMIT ?', [REPORT_ROWS]);
      const last = rows.at(-1);
      if (!last) return;
      const stream = this.db.get<Row>(`SELECT tenant_id, id, ${STREAM_COLUMNS.join(', ')} FROM sessions LIMIT 1`);
      if (!stream) return;
      const seqs = rows.flatMap((r) => (r.seq !== null ? [r.seq] : []));
      const messages: Row[] = [];
      for (let i = 0; i < seqs.length; i += 100) {
        const part = seqs.slice(i, i + 100);
        messages.push(...this.db.all<Row>(`SELECT * FROM messages WHERE seq IN (${part.map(() => '?').join(', ')}) ORDER BY seq`, part));
      }
      const calls = rows.flatMap((r) => (r.call !== null ? [{ id: r.id, call: JSON.parse(r.call) as DirectoryCall }] : []));
      await this.send({ upTo: last.id, stream, messages, calls });
      this.sent += 1;
      if (this.mode === 'keep') return;
      this.db.run('DELETE FROM directory_outbox WHERE id <= ?', [last.id]);
    }
  }
}
