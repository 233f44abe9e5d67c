/**
 * The session rows of the point read `TenantStore.session()` kept in memory by the Node host's SQL
 * port (sqlite.ts), so that the message path (authorise the `send`, then the `activity` flush)
 * reads the row from SQLite at most once per change instead of on every use.
 *
 * Correct by construction, not by callers' discipline: the port sees every statement, and
 *
 * - a write that names the `sessions` table as `UPDATE sessions … WHERE tenant_id = ? AND id = ?`
 *   forgets that one row, or, with `RETURNING *` (the message append), replaces it by the row
 *   SQLite returns;
 * - any other write that mentions `sessions` (inserts, updates of many rows, deletes), every
 *   `exec` (schema changes, migrations) and every transaction that rolls back forget all rows;
 * - writes of other tables leave the rows alone, unless a trigger writes `sessions` (then the
 *   cache is off; checked when the port opens and after every `exec`);
 * - the rows handed out are frozen: a caller cannot change the copy others will read.
 *
 * One process writes the database file (the data directory's lock, data-lock.ts), so no other
 * writer can change a row behind the cache's back.
 */

/** The statement `TenantStore.session()` runs (server/core/store/sessions.ts). */
export const SESSION_READ = 'SELECT * FROM sessions WHERE tenant_id = ? AND id = ?';

/** At most this many rows are kept; the oldest read goes first. */
const MAX_ROWS = 20_000;

/** What a statement means for the cache (decided once per statement text). */
export type StatementKind = 'read' | 'other' | 'forget-row' | 'replace-row' | 'forget-all';

const MENTIONS_SESSIONS = /\bsessions\b/i;
const ONE_ROW_UPDATE = /^\s*UPDATE\s+sessions\s+SET\s[\s\S]*\sWHERE\s+tenant_id\s*=\s*\?\s+AND\s+id\s*=\s*\?\s*(RETURNING\s+\*\s*)?$/i;

/** The kind of a statement; `readonly` as SQLite says (better-sqlite3's `Statement.readonly`). */
export function statementKind(sql: string, readonly: boolean): StatementKind {
  if (sql === SESSION_READ) return 'read';
  if (readonly || !MENTIONS_SESSIONS.test(sql)) return 'other';
  const m = ONE_ROW_UPDATE.exec(sql);
  if (!m) return 'forget-all';
  return m[1] ? 'replace-row' : 'forget-row';
}

/** Whether a trigger's body (what follows its `BEGIN`) writes or mentions `sessions`. */
export function triggerTouchesSessions(triggerSql: string): boolean {
  const begin = /\bBEGIN\b/i.exec(triggerSql);
  return begin !== null && MENTIONS_SESSIONS.test(triggerSql.slice(begin.index));
}

export class SessionRowCache {
  private readonly rows = new Map<string, Readonly<Record<string, unknown>>>();
  private enabled = true;
  /** Reads answered from memory and from SQLite (tests, health). */
  hits = 0;
  misses = 0;

  private static key(params: readonly unknown[]): string | undefined {
    const [tenant, id] = params.slice(-2);
    return typeof tenant === 'string' && typeof id === 'string' ? `${tenant}\u0000${id}` : undefined;
  }

  /** Off while a trigger writes `sessions` (its writes would pass unseen). */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.rows.clear();
  }

  /** The row of a `SESSION_READ`, from memory or from `read` (then kept). */
  read(params: readonly unknown[], read: () => unknown): unknown {
    const key = this.enabled ? SessionRowCache.key(params) : undefined;
    if (key === undefined) return read();
    const cached = this.rows.get(key);
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const row = read();
    if (row && typeof row === 'object') this.keep(key, row as Record<string, unknown>);
    return row;
  }

  /** After a write statement of this kind with these parameters and (for `replace-row`) this result. */
  wrote(kind: StatementKind, params: readonly unknown[], row?: unknown): void {
    if (kind === 'forget-all') {
      this.forgetAll();
      return;
    }
    if (kind !== 'forget-row' && kind !== 'replace-row') return;
    const key = SessionRowCache.key(params);
    if (key === undefined) {
      this.forgetAll();
      return;
    }
    this.rows.delete(key);
    if (kind === 'replace-row' && this.enabled && row && typeof row === 'object') this.keep(key, row as Record<string, unknown>);
  }

  forgetAll(): void {
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }

  private keep(key: string, row: Record<string, unknown>): void {
    if (this.rows.size >= MAX_ROWS) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
    this.rows.set(key, Object.freeze(row));
  }
}
