/**
 * The directory's outbox to its conversation objects (conversation.ts).
 *
 * The conversation objects number their chats' streams (docs/scaling.md § 6); the tenant's object
 * (the directory) writes none. What the directory asks of a conversation travels here, written
 * inside the very transaction in which the directory commits, so nothing it commits can be
 * missed: if the object dies after the commit, the rows are there when it wakes.
 *
 * - **Calls** (`call`, JSON): `ConversationPort.appendSystem` and `append` (a lifecycle event, the
 *   bot's part of a chat), recorded by the room's {@link RemoteConversations} (tenant.ts). Each
 *   carries its row id, increasing, and the conversation object applies each id once.
 * - **The session's row**: a SQLite trigger on `sessions` (update) adds a row; the batch carries
 *   the row as it is now (the conversation object takes its lifecycle columns; the stream columns
 *   are its own). Updates made while copying what a conversation reported
 *   (`conversation_copying` set) add none: they come from there.
 * - **Access**: the rows that decide who may read a chat (the channel's permissions, the agents
 *   concerned) go only when they may have changed: a chat starts, moves to another channel or
 *   changes hands, or a permission or an agent changes (triggers enqueue the open chats it
 *   touches, as `ACCESS` rows); so a call costs its own rows, whatever the size of its channel.
 *
 * `flush` sends, per session, one batch, waits for the conversation object's acknowledgement and
 * only then deletes those rows. A crash between the acknowledgement and the delete sends the
 * batch again; the conversation object applies it as a no-op. So every call reaches its
 * conversation object exactly once, in the order the directory made them.
 *
 * The outbox is this host's own table (like the registry's key index), created after the numbered
 * migrations; the migrations themselves are the same for every object.
 */
import type { SqlPort } from '../core/sql.js';
import type { ApplyAnswer, ConversationBatch, ConversationCall, Row } from './conversation.js';

/**
 * The `seq` of an outbox row that asks for the rows deciding access (the channel's permissions and
 * the agents concerned): written when a chat starts, moves, or changes hands, and when a
 * permission or an agent changes. Other rows carry a call, or nothing (the session's row). (Rows
 * with a message's seq were written before the conversation objects numbered their streams: they
 * stand for the session's row now.)
 */
const ACCESS = -1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversation_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  seq INTEGER
);
CREATE TABLE IF NOT EXISTS conversation_copying (copying INTEGER);
DROP TRIGGER IF EXISTS conversation_outbox_message;
DROP TRIGGER IF EXISTS conversation_outbox_session;
DROP TRIGGER IF EXISTS conversation_outbox_session_new;
DROP TRIGGER IF EXISTS conversation_outbox_permission_new;
DROP TRIGGER IF EXISTS conversation_outbox_permission;
DROP TRIGGER IF EXISTS conversation_outbox_permission_gone;
DROP TRIGGER IF EXISTS conversation_outbox_agent;
CREATE TRIGGER IF NOT EXISTS conversation_outbox_session AFTER UPDATE ON sessions
  WHEN NOT EXISTS (SELECT 1 FROM conversation_copying) BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq) VALUES (NEW.tenant_id, NEW.id, NULL);
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_session_new AFTER INSERT ON sessions BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq) VALUES (NEW.tenant_id, NEW.id, ${ACCESS});
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_session AFTER UPDATE OF channel_id, agent_id, transfer_to ON sessions
  WHEN NEW.channel_id IS NOT OLD.channel_id OR NEW.agent_id IS NOT OLD.agent_id OR NEW.transfer_to IS NOT OLD.transfer_to BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq) VALUES (NEW.tenant_id, NEW.id, ${ACCESS});
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_permission_new AFTER INSERT ON agent_channels BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq)
    SELECT tenant_id, id, ${ACCESS} FROM sessions WHERE tenant_id = NEW.tenant_id AND channel_id = NEW.channel_id AND status IN ('queued', 'active');
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_permission AFTER UPDATE ON agent_channels BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq)
    SELECT tenant_id, id, ${ACCESS} FROM sessions WHERE tenant_id = NEW.tenant_id AND channel_id = NEW.channel_id AND status IN ('queued', 'active');
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_permission_gone AFTER DELETE ON agent_channels BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq)
    SELECT tenant_id, id, ${ACCESS} FROM sessions WHERE tenant_id = OLD.tenant_id AND channel_id = OLD.channel_id AND status IN ('queued', 'active');
END;
CREATE TRIGGER IF NOT EXISTS conversation_access_agent AFTER UPDATE OF name, disabled_at, deleted_at ON agents BEGIN
  INSERT INTO conversation_outbox (tenant_id, session_id, seq)
    SELECT tenant_id, id, ${ACCESS} FROM sessions WHERE tenant_id = NEW.tenant_id AND status IN ('queued', 'active')
      AND (agent_id = NEW.id OR channel_id IN (SELECT channel_id FROM agent_channels WHERE tenant_id = NEW.tenant_id AND agent_id = NEW.id));
END;`;


/** Outbox rows read per round (a round sends one batch per session among them). */
const ROUND_ROWS = 500;

/**
 * How the outbox behaves (`CONVERSATION_OUTBOX`; tests only, default `deliver`): `hold` sends
 * nothing (the object as if it died after each commit), `keep` sends but never deletes (as if it
 * died after each acknowledgement).
 */
export type OutboxMode = 'deliver' | 'hold' | 'keep';

export const outboxMode = (value: string | undefined): OutboxMode => (value === 'hold' || value === 'keep' ? value : 'deliver');

/**
 * What the two outboxes of this host share (this one, and a conversation object's reports to its
 * directory, reports.ts): rows written inside the sender's own transactions, sent in rounds by one
 * {@link flush} at a time, deleted only once the receiver acknowledged them.
 */
export abstract class Outbox {
  private flushing: Promise<void> | undefined;

  constructor(
    protected readonly db: SqlPort,
    /** The outbox's table (its rows are what {@link pending} counts). */
    private readonly table: string,
    protected readonly mode: OutboxMode,
  ) {}

  /** Rows not yet acknowledged. */
  pending(): number {
    return this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${this.table}`)?.n ?? 0;
  }

  /**
   * Sends what the outbox holds until it is empty (one flush at a time; a call during a flush
   * waits for it, then sends what came meanwhile). Rejects when a receiver could not be reached:
   * its rows stay for the next flush.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.mode === 'hold' || this.pending() === 0) return;
    const run = this.rounds();
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = undefined;
    }
  }

  /** Sends rounds of rows until none are left (`keep`: one round, nothing deleted). */
  protected abstract rounds(): Promise<void>;
}

/** What an outbox has sent since its object started (the per-object load of the conversation objects). */
export interface OutboxCounts {
  /** Flush rounds (each reads up to 500 rows and sends one batch per chat among them). */
  rounds: number;
  /** Batches acknowledged: calls to conversation objects. */
  batches: number;
  /** The directory's calls in those batches (a call sent again after a crash counts again). */
  calls: number;
  /** Batches that failed (their rows stayed). */
  failed: number;
}

export class ConversationOutbox extends Outbox {
  readonly counts: OutboxCounts = { rounds: 0, batches: 0, calls: 0, failed: 0 };

  constructor(
    db: SqlPort,
    private readonly send: (tenantId: string, sessionId: string, batch: ConversationBatch) => Promise<ApplyAnswer>,
    mode: OutboxMode = 'deliver',
  ) {
    super(db, 'conversation_outbox', mode);
    db.exec(SCHEMA);
    // The call column came with the conversation objects' numbering (an outbox made before lacks it).
    if (!db.all<{ name: string }>('PRAGMA table_info(conversation_outbox)').some((c) => c.name === 'call')) db.exec('ALTER TABLE conversation_outbox ADD COLUMN call TEXT');
  }

  /** Records one of the directory's calls to a conversation, inside the directory's transaction. */
  record(tenantId: string, sessionId: string, call: ConversationCall): void {
    this.db.run('INSERT INTO conversation_outbox (tenant_id, session_id, call) VALUES (?, ?, ?)', [tenantId, sessionId, JSON.stringify(call)]);
  }

  /**
   * Runs `fn` (the copy of what a conversation reported) without adding the session's row to
   * the outbox: those columns come from the conversation. Inside the caller's transaction.
   */
  copying<T>(fn: () => T): T {
    this.db.run('INSERT INTO conversation_copying (copying) VALUES (1)');
    try {
      return fn();
    } finally {
      this.db.run('DELETE FROM conversation_copying');
    }
  }

  protected async rounds(): Promise<void> {
    for (;;) {
      const rows = this.db.all<{ id: number; tenant_id: string; session_id: string; seq: number | null; call: string | null }>(
        'SELECT id, tenant_id, session_id, seq, call FROM conversation_outbox ORDER BY id LIMIT ?',
        [ROUND_ROWS],
      );
      if (rows.length === 0) return;
      const sessions = new Map<string, { tenantId: string; sessionId: string; calls: { id: number; call: ConversationCall }[]; legacy: number[]; access: boolean; ids: number[] }>();
      for (const r of rows) {
        const key = `${r.tenant_id}\n${r.session_id}`;
        let s = sessions.get(key);
        if (!s) sessions.set(key, (s = { tenantId: r.tenant_id, sessionId: r.session_id, calls: [], legacy: [], access: false, ids: [] }));
        if (r.seq === ACCESS) s.access = true;
        else if (r.seq !== null && r.seq > 0) s.legacy.push(r.seq);
        if (r.call !== null) s.calls.push({ id: r.id, call: JSON.parse(r.call) as ConversationCall });
        s.ids.push(r.id);
      }
      // Sessions are independent objects: their batches go out together; what was acknowledged
      // is forgotten in one write, what failed stays for the next flush.
      const all = [...sessions.values()];
      const sent = await Promise.allSettled(
        all.map(async (s) => {
          const batch = this.batch(s.tenantId, s.sessionId, s.calls, s.access, s.legacy);
          if (!batch) return false;
          const answer = await this.send(s.tenantId, s.sessionId, batch);
          this.counts.batches += 1;
          this.counts.calls += batch.calls.length;
          return answer.wantsAccess;
        }),
      );
      this.counts.rounds += 1;
      if (this.mode !== 'keep') {
        this.db.transaction(() => {
          for (const [i, result] of sent.entries()) {
            const s = all[i];
            if (result.status !== 'fulfilled' || !s) continue;
            for (const id of s.ids) this.db.run('DELETE FROM conversation_outbox WHERE id = ?', [id]);
            // An object that never had the rows deciding access (written before they travelled): they go next.
            if (result.value) this.db.run('INSERT INTO conversation_outbox (tenant_id, session_id, seq) VALUES (?, ?, ?)', [s.tenantId, s.sessionId, ACCESS]);
          }
        });
      }
      this.counts.failed += sent.filter((r) => r.status === 'rejected').length;
      const failed = sent.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      if (this.mode === 'keep') return;
    }
  }

  /** The session's batch as the database has it now, with the rows deciding access when asked (undefined: the session is gone). */
  private batch(tenantId: string, sessionId: string, calls: { id: number; call: ConversationCall }[], withAccess: boolean, legacy: number[]): ConversationBatch | undefined {
    const session = this.db.get<Row>('SELECT * FROM sessions WHERE tenant_id = ? AND id = ?', [tenantId, sessionId]);
    if (!session) return undefined;
    const tenant = this.db.get<Row>('SELECT * FROM tenants WHERE id = ?', [tenantId]);
    const channel = this.db.get<Row>('SELECT * FROM channels WHERE tenant_id = ? AND id = ?', [tenantId, session.channel_id ?? '']);
    if (!tenant || !channel) return undefined;
    const handlers = this.db.all<Row>('SELECT * FROM session_agents WHERE tenant_id = ? AND session_id = ?', [tenantId, sessionId]);
    // Rows of messages this object numbered before the conversation objects did (an upgrade): they go along once.
    const messages: Row[] = [];
    for (let i = 0; i < legacy.length; i += 100) {
      const part = legacy.slice(i, i + 100);
      messages.push(...this.db.all<Row>(`SELECT * FROM messages WHERE tenant_id = ? AND session_id = ? AND seq IN (${part.map(() => '?').join(', ')}) ORDER BY seq`, [tenantId, sessionId, ...part]));
    }
    const base = { tenant, channel, session, calls, handlers, ...(messages.length > 0 ? { messages } : {}) };
    if (!withAccess) return base;
    // Who may read the chat, as the conversation object decides it (access.ts): the channel's
    // members with their permissions, those agents' rows, and who handled the chat before.
    const permissions = this.db.all<Row>('SELECT * FROM agent_channels WHERE tenant_id = ? AND channel_id = ?', [tenantId, channel.id ?? '']);
    const agents = this.db.all<Row>(
      `SELECT * FROM agents WHERE tenant_id = ? AND (id IN (SELECT agent_id FROM agent_channels WHERE tenant_id = ? AND channel_id = ?)
         OR id IN (SELECT agent_id FROM session_agents WHERE tenant_id = ? AND session_id = ?) OR id = ? OR id = ?)`,
      [tenantId, tenantId, channel.id ?? '', tenantId, sessionId, session.agent_id ?? '', session.transfer_to ?? ''],
    );
    return { ...base, access: { agents, permissions } };
  }
}
