/**
 * `crm-chat-server backup FILE [--data DIR]` and `crm-chat-server restore FILE [--data DIR]`
 * (backup.ts does the work). Exit status: 0 done, 1 refused (the message says why), 2 wrong usage.
 * The summary goes to stdout as one line of text.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { backupDataDir, BackupError, restoreDataDir } from './backup.js';
import { DataDirInUse } from './data-lock.js';

const USAGE = `Usage: crm-chat-server backup FILE [--data DIR]     copy the database while the server runs
       crm-chat-server restore FILE [--data DIR]    install a backup (the server must be stopped)
(data folder: --data DIR, CHAT_DATA_DIR, or ./data)`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { data: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, file, ...rest] = parsed.positionals;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (file === undefined || rest.length > 0) {
    console.error(`${file === undefined ? 'missing FILE' : `unexpected ${rest.join(' ')}`}\n\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(parsed.values.data ?? process.env.CHAT_DATA_DIR ?? './data');
  try {
    if (command === 'backup') {
      const r = await backupDataDir(dataDir, file);
      console.log(
        `Backup written: ${r.file} (${String(r.bytes)} bytes, schema version ${String(r.schemaVersion)}, ${String(r.messages)} messages, ` +
          `${String(r.attachments.copied)} attachment files${r.attachments.missing ? `, ${String(r.attachments.missing)} removed meanwhile` : ''}) in ${String(r.ms)} ms`,
      );
    } else {
      const r = restoreDataDir(file, dataDir);
      console.log(
        `Restored ${resolve(file)} into ${r.dataDir} (schema version ${String(r.schemaVersion)}, ${String(r.messages)} messages, ${String(r.attachments)} attachment files).` +
          (r.previous ? ` The database that was there is kept as ${r.previous}.` : '') +
          ' Start the server on this folder; it applies any newer migrations.',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof DataDirInUse) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
