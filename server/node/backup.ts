/**
 * Online backup and restore of a data folder (`crm-chat-server backup FILE`, `… restore FILE`).
 *
 * Backup runs beside the live server (no lock, no write to the live database): SQLite's backup
 * API (better-sqlite3's `db.backup`) copies the database from a read-only connection. After a
 * first empty step it copies every remaining page in one step, inside one read transaction: in
 * WAL mode the server keeps committing meanwhile, and the copy is the database as of one commit
 * (every message acknowledged before the backup began is in it; a page-by-page copy would restart
 * on every commit of the server and might never end under load). The copy is written beside FILE,
 * switched to a self-contained rollback journal, checked (`integrity_check`) and only then renamed
 * to FILE. Attachment files that the copied database refers to are copied to `FILE.attachments/`
 * (files are written once and never changed, so a copy after the database's is complete).
 *
 * Restore needs the server stopped (it takes the data folder's lock): it checks the backup
 * (integrity, schema version not newer than this server's), moves the current `chat.db` aside
 * (`chat.db.before-restore-<time>`), installs the backup in its place, and puts the attachment
 * files back.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import Database from 'better-sqlite3';

import { MIGRATIONS } from '../core/migrations/index.js';
import { lockDataDir } from './data-lock.js';

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
  messages: number;
  attachments: { copied: number; missing: number };
  ms: number;
}

/** Thrown for a backup or restore that cannot be done; the message says why and what to do. */
export class BackupError extends Error {}

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

function attachmentRows(db: Database.Database): { tenant_id: string; id: string }[] {
  const has = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").get() as { n: number };
  if (!has.n) return [];
  return (db.prepare('SELECT tenant_id, id FROM attachments').all() as { tenant_id: string; id: string }[]).filter((r) => SAFE_ID.test(r.tenant_id) && SAFE_ID.test(r.id));
}

function summary(db: Database.Database): { schemaVersion: number; messages: number; integrity: string } {
  const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const hasMigrations = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() as { n: number }).n > 0;
  const schemaVersion = hasMigrations ? ((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0) : 0;
  const hasMessages = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get() as { n: number }).n > 0;
  const messages = hasMessages ? (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n : 0;
  return { schemaVersion, messages, integrity };
}

/** Copies `<dataDir>/chat.db` (and its attachment files) to `file` while the server runs. */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupResult> {
  const started = performance.now();
  const source = join(resolve(dataDir), 'chat.db');
  const target = resolve(file);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}: check --data (or CHAT_DATA_DIR).`);
  if (target === source) throw new BackupError('The backup file must not be the live database.');
  if (!existsSync(dirname(target))) throw new BackupError(`The folder ${dirname(target)} does not exist.`);
  const partial = join(dirname(target), `.${basename(target)}.partial-${String(process.pid)}`);
  rmSync(partial, { force: true });

  const live = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  let rows: { tenant_id: string; id: string }[];
  try {
    // 0 pages first (opens the backup), then every page in one step: one read transaction.
    await live.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    live.close();
  }
  let info: ReturnType<typeof summary>;
  const copy = new Database(partial);
  try {
    copy.pragma('journal_mode = DELETE'); // one self-contained file, no -wal beside it
    info = summary(copy);
    rows = attachmentRows(copy);
  } finally {
    copy.close();
  }
  if (info.integrity !== 'ok') {
    rmSync(partial, { force: true });
    throw new BackupError(`The copy failed its integrity check (${info.integrity}); the live database was not changed. Try again.`);
  }
  chmodSync(partial, 0o600); // it holds the server's token secret and the API keys' hashes
  renameSync(partial, target);

  const attachments = { copied: 0, missing: 0 };
  const folder = `${target}.attachments`;
  rmSync(folder, { recursive: true, force: true });
  for (const row of rows) {
    const from = join(resolve(dataDir), 'attachments', row.tenant_id, row.id);
    if (!existsSync(from)) {
      attachments.missing += 1; // removed since (an unclaimed upload's clean-up)
      continue;
    }
    mkdirSync(join(folder, row.tenant_id), { recursive: true });
    copyFileSync(from, join(folder, row.tenant_id, row.id));
    attachments.copied += 1;
  }
  return { file: target, bytes: statSync(target).size, schemaVersion: info.schemaVersion, messages: info.messages, attachments, ms: Math.round(performance.now() - started) };
}

export interface RestoreResult {
  dataDir: string;
  /** Where the database that was there before went (undefined when there was none). */
  previous?: string;
  schemaVersion: number;
  messages: number;
  attachments: number;
}

/** Installs a backup as `<dataDir>/chat.db`; refused while a server holds the folder. */
export function restoreDataDir(file: string, dataDir: string): RestoreResult {
  const backup = resolve(file);
  const dir = resolve(dataDir);
  if (!existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  const lock = lockDataDir(dir, 'restore'); // throws DataDirInUse while a server runs here
  try {
    let info: ReturnType<typeof summary>;
    try {
      const db = new Database(backup, { readonly: true, fileMustExist: true });
      try {
        info = summary(db);
      } finally {
        db.close();
      }
    } catch (error) {
      throw new BackupError(`${backup} is not a readable SQLite database (${(error as Error).message}).`);
    }
    if (info.integrity !== 'ok') throw new BackupError(`${backup} failed its integrity check (${info.integrity}); nothing was changed.`);
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (info.schemaVersion === 0) throw new BackupError(`${backup} is not a crm-chat-server database (no schema_migrations).`);
    if (info.schemaVersion > known) throw new BackupError(`${backup} has schema version ${String(info.schemaVersion)}, newer than this server knows (${String(known)}): restore it with the version that wrote it. Nothing was changed.`);

    const live = join(dir, 'chat.db');
    let previous: string | undefined;
    if (existsSync(live)) {
      // Fold the old database's WAL into it, so the file moved aside is complete on its own.
      const old = new Database(live);
      old.pragma('wal_checkpoint(TRUNCATE)');
      old.close();
      previous = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(live, previous);
    }
    for (const extra of ['-wal', '-shm', '-journal']) rmSync(`${live}${extra}`, { force: true });
    const incoming = join(dir, `.chat.db.restoring-${String(process.pid)}`);
    copyFileSync(backup, incoming);
    renameSync(incoming, live);

    let attachments = 0;
    const folder = `${backup}.attachments`;
    if (existsSync(folder)) {
      const rows = (() => {
        const db = new Database(live, { readonly: true });
        try {
          return attachmentRows(db);
        } finally {
          db.close();
        }
      })();
      for (const row of rows) {
        const from = join(folder, row.tenant_id, row.id);
        if (!existsSync(from)) continue;
        mkdirSync(join(dir, 'attachments', row.tenant_id), { recursive: true });
        copyFileSync(from, join(dir, 'attachments', row.tenant_id, row.id));
        attachments += 1;
      }
    }
    return { dataDir: dir, ...(previous !== undefined ? { previous } : {}), schemaVersion: info.schemaVersion, messages: info.messages, attachments };
  } finally {
    lock.release();
  }
}
