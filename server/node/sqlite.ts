/**
 * The SQL port over better-sqlite3: one file in WAL mode, prepared statements cached by text.
 *
 * Durability (`synchronous`): `FULL` (the default) means a commit is on disk when it is
 * acknowledged. SQLite would sync the write-ahead log inside every COMMIT, blocking the event
 * loop for the disk's latency; instead the connection runs with `synchronous = NORMAL` and this
 * port syncs the log itself (`fdatasync` of the `-wal` file, what SQLite's FULL does in WAL mode):
 * at once, blocking, after every transaction and every write outside one — so `transaction`
 * returns durable, as the port promises — except for `transactionDeferred`, the group commit's
 * path, which returns after the commit and syncs on libuv's thread pool: the event loop processes
 * the next batch while the disk works, and the batch's answers wait for `durable`. Syncs are
 * coalesced (one in flight; the next covers every commit made meanwhile). `NORMAL` does no syncs
 * of its own (an acknowledged message may be lost on power failure, never corrupted).
 *
 * The session rows the room reads on every message are kept in memory while no write could have
 * changed them (session-cache.ts); every statement passes through here, so the port knows.
 */
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import type { RunResult, SqlPort, SqlValue } from '../core/sql.js';
import type { StatementKind } from './session-cache.js';
import { SessionRowCache, statementKind, triggerTouchesSessions } from './session-cache.js';

export interface SqliteOptions {
  /** `FULL` (default) syncs the WAL on every commit: an acknowledged message survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export interface SqliteDatabase extends SqlPort {
  readonly file: string;
  /** The session rows kept in memory (hits and misses for tests and health). */
  readonly sessionRows: SessionRowCache;
  /** Resolves when every commit so far is on disk (shutdown). */
  synced(): Promise<void>;
  close(): void;
}

export function openSqlite(file: string, options: SqliteOptions = {}): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  const full = (options.synchronous ?? 'FULL') === 'FULL' && file !== ':memory:';
  db.pragma('journal_mode = WAL');
  // FULL: the port syncs the log itself (see above); SQLite's own syncs stay at checkpoints.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  interface Prepared {
    stmt: Database.Statement;
    kind: StatementKind;
  }
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let p = cache.get(sql);
    if (!p) {
      const stmt = db.prepare(sql);
      p = { stmt, kind: statementKind(sql, stmt.readonly) };
      cache.set(sql, p);
    }
    return p;
  };
  const sessionRows = new SessionRowCache();
  /** The cache is off while a trigger writes `sessions` (checked again after every schema change). */
  const checkTriggers = () => {
    const triggers = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger'").all() as { sql: string | null }[];
    sessionRows.setEnabled(!triggers.some((t) => t.sql !== null && triggerTouchesSessions(t.sql)));
  };
  checkTriggers();
  /** A transaction that threw rolled back (all or to its savepoint): rows read or written in it may be gone. */
  const rolledBack = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      sessionRows.forgetAll();
      throw error;
    }
  };

  const log = full ? new WalSync(`${file}-wal`) : undefined;
  /** After a statement outside any transaction: its autocommit must be on disk before we return. */
  const autocommitted = (stmt: Database.Statement | undefined) => {
    if (log && !db.inTransaction && !stmt?.readonly) log.syncNow();
  };

  return {
    file,
    sessionRows,
    exec(sql: string) {
      sessionRows.forgetAll();
      try {
        db.exec(sql);
      } finally {
        checkTriggers();
      }
      autocommitted(undefined);
    },
    run(sql: string, params: readonly SqlValue[] = []): RunResult {
      const { stmt, kind } = prepare(sql);
      const r = stmt.run(...params);
      if (kind !== 'other') sessionRows.wrote(kind === 'replace-row' ? 'forget-row' : kind, params);
      autocommitted(stmt);
      return { changes: r.changes };
    },
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row type
    get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
      const { stmt, kind } = prepare(sql);
      if (kind === 'read') return sessionRows.read(params, () => stmt.get(...params)) as T | undefined;
      const row = stmt.get(...params) as T | undefined;
      if (kind !== 'other') sessionRows.wrote(kind, params, row);
      autocommitted(stmt);
      return row;
    },
    all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
      const { stmt, kind } = prepare(sql);
      const rows = stmt.all(...params) as T[];
      if (kind !== 'other' && kind !== 'read') sessionRows.wrote(kind === 'replace-row' ? 'forget-row' : kind, params);
      autocommitted(stmt);
      return rows;
    },
    transaction<T>(fn: () => T): T {
      // better-sqlite3 nests with savepoints, so a transaction inside a transaction is safe.
      const outer = !db.inTransaction;
      const result = rolledBack(() => db.transaction(fn).immediate());
      if (outer) log?.syncNow();
      return result;
    },
    transactionDeferred<T>(fn: () => T): { result: T; durable: Promise<void> | undefined } {
      if (db.inTransaction) return { result: rolledBack(() => db.transaction(fn).immediate()), durable: undefined };
      const result = rolledBack(() => db.transaction(fn).immediate());
      return { result, durable: log?.syncSoon() };
    },
    synced(): Promise<void> {
      return log?.idle() ?? Promise.resolve();
    },
    close() {
      cache.clear();
      sessionRows.forgetAll();
      log?.close();
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}

/**
 * Syncs of the write-ahead log: `syncNow` blocks (fdatasync), `syncSoon` runs one on libuv's
 * thread pool and resolves every waiter that registered before it started.
 */
class WalSync {
  private fd: number | undefined;
  private inFlight = false;
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly path: string) {}

  /** The log's descriptor; the file exists once the first write went to the log. */
  private descriptor(): number {
    this.fd ??= openSync(this.path, 'r+');
    return this.fd;
  }

  syncNow(): void {
    fdatasyncSync(this.descriptor());
  }

  syncSoon(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.kick();
    });
  }

  /** Resolves when no sync is waiting or running. */
  idle(): Promise<void> {
    if (!this.inFlight && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.inFlight) return;
    if (this.waiting.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    const batch = this.waiting.splice(0);
    this.inFlight = true;
    let fd: number;
    try {
      fd = this.descriptor();
    } catch (error) {
      this.inFlight = false;
      for (const w of batch) w.reject(error);
      this.kick();
      return;
    }
    fdatasync(fd, (error) => {
      this.inFlight = false;
      for (const w of batch) {
        if (error) w.reject(error);
        else w.resolve();
      }
      this.kick();
    });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
