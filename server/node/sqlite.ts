/**
 * The SQL port over better-sqlite3: one file in WAL mode, prepared statements cached by text.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import type { RunResult, SqlPort, SqlValue } from '../core/sql.js';

export interface SqliteOptions {
  /** `FULL` (default) syncs the WAL on every commit: an acknowledged message survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export interface SqliteDatabase extends SqlPort {
  readonly file: string;
  close(): void;
}

export function openSqlite(file: string, options: SqliteOptions = {}): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return {
    file,
    exec(sql: string) {
      db.exec(sql);
    },
    run(sql: string, params: readonly SqlValue[] = []): RunResult {
      const r = prepare(sql).run(...params);
      return { changes: r.changes };
    },
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row type
  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
      return prepare(sql).get(...params) as T | undefined;
    },
    all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
      return prepare(sql).all(...params) as T[];
    },
    transaction<T>(fn: () => T): T {
      // better-sqlite3 nests with savepoints, so a transaction inside a transaction is safe.
      return db.transaction(fn).immediate();
    },
    close() {
      cache.clear();
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}
