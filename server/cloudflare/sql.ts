/**
 * The SQL port of the core (server/core/sql.ts) over a Durable Object's SQLite storage: the same
 * statements and migrations as better-sqlite3 on the Node host. Statements run synchronously;
 * `transaction` is `transactionSync`, which nests like a savepoint (an inner one that throws
 * rolls back alone), so the room's per-frame transactions inside a batch behave as on Node.
 */
import type { RunResult, SqlPort, SqlValue } from '../core/sql.js';

type Binding = string | number | null | ArrayBuffer;

/** Durable Object SQL takes no bigint and wants blobs as ArrayBuffer. */
function binding(value: SqlValue): Binding {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return value.slice().buffer;
  return value;
}

/** A row with blob columns as Uint8Array (as better-sqlite3 gives Buffers). */
function row(raw: Record<string, SqlStorageValue>): Record<string, unknown> {
  for (const [key, value] of Object.entries(raw)) {
    if (value instanceof ArrayBuffer) raw[key] = new Uint8Array(value) as unknown as SqlStorageValue;
  }
  return raw;
}

export function durableSql(storage: DurableObjectStorage): SqlPort {
  const sql = storage.sql;
  return {
    exec(text: string) {
      sql.exec(text);
    },
    run(text: string, params: readonly SqlValue[] = []): RunResult {
      sql.exec(text, ...params.map(binding));
      // `rowsWritten` also counts rows written by triggers and indexes; `changes()` is SQLite's own count.
      const changes = sql.exec<{ n: number }>('SELECT changes() AS n').one().n;
      return { changes };
    },
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row type
    get<T>(text: string, params: readonly SqlValue[] = []): T | undefined {
      const rows = sql.exec(text, ...params.map(binding)).toArray();
      const first = rows[0];
      return first === undefined ? undefined : (row(first) as T);
    },
    all<T>(text: string, params: readonly SqlValue[] = []): T[] {
      return sql
        .exec(text, ...params.map(binding))
        .toArray()
        .map((r) => row(r) as T);
    },
    transaction<T>(fn: () => T): T {
      return storage.transactionSync(fn);
    },
  };
}

/** Whether this object's database has been set up (reading does not create storage). */
export function hasSchema(storage: DurableObjectStorage): boolean {
  return storage.sql.exec("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").toArray().length > 0;
}
