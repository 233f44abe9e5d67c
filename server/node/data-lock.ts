/**
 * One server per data folder. Two servers on one `chat.db` would each keep their own rooms,
 * sequence numbers and timers over the same rows: messages would be lost or duplicated.
 *
 * The lock is an exclusive lock that SQLite takes on `<data>/server.lock` (a small SQLite file in
 * `locking_mode = EXCLUSIVE`), that is an OS file lock held by the process. The operating system
 * drops it when the process ends in any way, `kill -9` and crashes included, so a lock left by a
 * dead server never blocks the next start and needs no clean-up. Beside it, `server.lock.json`
 * names the holder (pid, host, start time) for the refusal message; it is informational only.
 *
 * The admin CLI and `backup` do not take the lock: they are meant to run beside the server.
 * `restore` takes it, because it replaces the database under the server's feet.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

export interface DataLock {
  readonly file: string;
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

/** Thrown when another process holds the data folder; its message says who and what to do. */
export class DataDirInUse extends Error {
  readonly code = 'EDATALOCKED';
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | undefined,
  ) {
    const who = holder ? `another crm-chat-server (pid ${String(holder.pid)} on ${holder.host}, running since ${holder.since})` : 'another crm-chat-server';
    super(`The data folder ${dataDir} is in use by ${who}. Only one server may use a data folder: stop the other one first, or start this one with another --data folder.`);
  }
}

/**
 * Takes the data folder's lock, or throws {@link DataDirInUse} at once (no waiting).
 * `what` is recorded for the message another process shows (`server`, `restore`).
 */
export function lockDataDir(dataDir: string, what = 'server'): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'server.lock');
  const info = `${file}.json`;
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the EXCLUSIVE lock, and in this locking mode it is kept after COMMIT.
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at INTEGER NOT NULL); DELETE FROM held; INSERT INTO held VALUES (unixepoch()); COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUse(dataDir, readHolder(info));
    throw error;
  }
  const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: what };
  writeFileSync(info, `${JSON.stringify(holder)}\n`);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      rmSync(info, { force: true });
      db.close();
    },
  };
}

function readHolder(info: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(info, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}
