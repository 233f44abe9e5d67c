/**
 * The storage port of the server core: a small synchronous SQL interface in the SQLite dialect.
 *
 * Synchronous on purpose: both hosts we target (better-sqlite3 in Node, Durable Object SQLite
 * on Cloudflare) execute statements synchronously, and a synchronous transaction on a
 * single-threaded host is what makes "get next in queue" atomic without locks.
 */
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface RunResult {
  /** Rows changed by the statement. */
  changes: number;
}

export interface SqlPort {
  /** Runs one or more statements without parameters (schema changes). */
  exec(sql: string): void;
  /** Runs one statement and reports how many rows changed. */
  run(sql: string, params?: readonly SqlValue[]): RunResult;
  /** First row of a query, or undefined. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row type
  get<T>(sql: string, params?: readonly SqlValue[]): T | undefined;
  /** All rows of a query. */
  all<T>(sql: string, params?: readonly SqlValue[]): T[];
  /**
   * Runs `fn` in one transaction: all of its writes commit together or not at all. When it
   * returns, the commit is durable (on disk, as the host's durability setting says).
   */
  transaction<T>(fn: () => T): T;
  /**
   * Optional (the group commit uses it when present): like {@link transaction}, but returns as
   * soon as the commit is done in memory and the file written, before the disk sync; `durable`
   * resolves when the commit is on disk (rejects when the sync failed), in commit order. The
   * Node host syncs on libuv's thread pool, so the event loop works on the next batch meanwhile.
   */
  transactionDeferred?<T>(fn: () => T): { result: T; durable: Promise<void> | undefined };
}
