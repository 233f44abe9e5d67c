/**
 * `ChatConversation`: one Durable Object per conversation (named `<tenant>/<session id>`), with
 * its own SQLite and the same numbered migrations as every object of this host. It owns the
 * durable copy of its chat's stream: the session's row and its messages, in seq order, exactly
 * once. The tenant's object (the directory, tenant.ts) feeds it from a transactional outbox
 * (outbox.ts): each batch is the session's row as it is now plus the messages committed since the
 * last acknowledged batch. A batch may arrive again (the sender crashed between the call and
 * deleting its outbox rows); applying it twice changes nothing, because a message is keyed by
 * `(tenant, session, seq)` and never changes once written, and the session's row is replaced by
 * the newer one.
 *
 * This is the first step of the split of docs/scaling.md § 6: the live stream (sockets, seq
 * assignment, delivery) still runs in the tenant's object; what remains is listed there.
 */
import { DurableObject } from 'cloudflare:workers';

import { migrate } from '../core/migrations.js';
import type { SqlPort, SqlValue } from '../core/sql.js';
import type { Env } from './env.js';
import { durableSql, hasSchema } from './sql.js';

/** A row as read from SQLite (no blobs in these tables). */
export type Row = Record<string, SqlValue>;

/** What the directory sends a conversation: its rows as they are after the directory's commit. */
export interface ConversationBatch {
  /** The tenant's and the channel's rows (the session's row references them); written once. */
  tenant: Row;
  channel: Row;
  /** The session's row as it is now (lifecycle and stream columns). */
  session: Row;
  /** Messages committed since the last acknowledged batch, in seq order. */
  messages: Row[];
}

/** What a conversation object holds (the operator's read, and the tests'). */
export interface ConversationCopy {
  session: Row | undefined;
  messages: Row[];
}

const COLUMN = /^[a-z_][a-z0-9_]{0,63}$/;

function columnsOf(row: Row): string[] {
  const columns = Object.keys(row);
  if (columns.length === 0 || !columns.every((c) => COLUMN.test(c))) throw new Error('bad row');
  return columns;
}

/** `INSERT … ON CONFLICT DO NOTHING` (`conflict` undefined) or `DO UPDATE` of every other column. */
function upsert(db: SqlPort, table: string, row: Row, key?: readonly string[]): void {
  const columns = columnsOf(row);
  const values = columns.map((c) => row[c] ?? null);
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  if (key === undefined) {
    db.run(`${head} ON CONFLICT DO NOTHING`, values);
    return;
  }
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  db.run(`${head} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`, values);
}

/** The object's name for a session of a tenant. */
export const conversationName = (tenantId: string, sessionId: string): string => `${tenantId}/${sessionId}`;

export class ChatConversation extends DurableObject<Env> {
  private database: SqlPort | undefined;

  private db(): SqlPort {
    if (this.database) return this.database;
    const db = durableSql(this.ctx.storage);
    migrate(db);
    // The reference CRM lives with the directory (docs/scaling.md § 2): its "chat ended" activity
    // is written there, not again in each conversation's copy of the session's row.
    db.exec('DROP TRIGGER IF EXISTS crm_chat_ended');
    this.database = db;
    return db;
  }

  /** Applies one batch from the directory's outbox, in one transaction; a repeated batch is a no-op. */
  apply(batch: ConversationBatch): { messages: number } {
    const db = this.db();
    return db.transaction(() => {
      upsert(db, 'tenants', batch.tenant);
      upsert(db, 'channels', batch.channel);
      upsert(db, 'sessions', batch.session, ['tenant_id', 'id']);
      let added = 0;
      for (const message of batch.messages) {
        const columns = columnsOf(message);
        const { changes } = db.run(
          `INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (tenant_id, session_id, seq) DO NOTHING`,
          columns.map((c) => message[c] ?? null),
        );
        added += changes;
      }
      return { messages: added };
    });
  }

  /** The session's row and its messages in seq order (nothing for an object never written). */
  copy(): ConversationCopy {
    if (!this.database && !hasSchema(this.ctx.storage)) return { session: undefined, messages: [] };
    const db = this.db();
    return {
      session: db.get<Row>('SELECT * FROM sessions LIMIT 1'),
      messages: db.all<Row>('SELECT * FROM messages ORDER BY seq'),
    };
  }
}
