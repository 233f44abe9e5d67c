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
  /** Runs `fn` in one transaction: all of its writes commit together or not at all. */
  transaction<T>(fn: () => T): T;
}
