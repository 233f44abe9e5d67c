/**
 * Numbered schema migrations (SQLite dialect), one file each (`NN-what.ts`), listed here in
 * order, and the runner both hosts use (the Node host on start and in the CLI, the Cloudflare
 * host's objects when they open their database). Append only: never edit a migration that has
 * shipped; add the next number as a file of its own and list it in {@link MIGRATIONS}. `migrate()`
 * applies the missing ones in order, each in its own transaction, and records them in
 * `schema_migrations`.
 */
import type { SqlPort } from '../sql.js';
import { m01 } from './01-core.js';
import { m02 } from './02-transfers.js';
import { m03 } from './03-listen-audit.js';
import { m04 } from './04-agent-tools.js';
import { m05 } from './05-crm.js';
import { m06 } from './06-crm-requests.js';
import { m07 } from './07-provisioning.js';
import { m08 } from './08-identity.js';
import { m09 } from './09-channel-settings.js';
import { m10 } from './10-journey.js';
import { m11 } from './11-help-hold-wrapup.js';
import { m12 } from './12-assignment-priority.js';
import { m13 } from './13-quote.js';
import { m14 } from './14-response-due.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order of version. */
export const MIGRATIONS: readonly Migration[] = [m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12, m13, m14];

/**
 * The database was written by a newer server: it has migrations this code does not know. Nothing
 * is changed; the message says what to do (start the newer version, or restore a backup taken
 * before the upgrade: docs/operations.md § Upgrades).
 */
export class SchemaTooNew extends Error {
  readonly code = 'ESCHEMA';
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The database has schema version ${String(databaseVersion)}, newer than this server knows (${String(knownVersion)}): ` +
        'it was upgraded by a newer crm-chat-server. Start that version (or newer), or restore a backup taken before the upgrade. Nothing was changed.',
    );
  }
}

/** The highest migration applied to a database (0 for a new one). */
export function schemaVersion(db: SqlPort): number {
  const table = db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!table?.n) return 0;
  return db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')?.v ?? 0;
}

/** Applies the migrations this database has not seen yet. Returns the versions applied. */
export function migrate(db: SqlPort, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const current = schemaVersion(db);
  if (current > known) throw new SchemaTooNew(current, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set(db.all<{ version: number }>('SELECT version FROM schema_migrations').map((r) => r.version));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    });
    applied.push(m.version);
  }
  return applied;
}
