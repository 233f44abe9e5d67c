/**
 * `crm-chat-server`: the one command of the server in the npm package (dist/server/crm-chat-server.js,
 * built from this file by scripts/build-server.mjs) and of `npm start` in a checkout.
 *
 *   crm-chat-server [options]            run the server (main.ts lists the options)
 *   crm-chat-server admin <command> …    the operator CLI (cli.ts)
 *   crm-chat-server backup FILE          online backup; `restore FILE` puts one back (backup-cli.ts)
 *   crm-chat-server --version            the package's version
 *
 * Only the chosen command's module is loaded: each reads its own arguments when it starts.
 */
import { readFileSync } from 'node:fs';

const command = process.argv[2];

if (command === '--version' || command === '-v') {
  // Two folders up from both server/node/bin.ts and dist/server/crm-chat-server.js.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  console.log(pkg.version);
} else if (command === 'admin') {
  await import('./cli.js');
} else if (command === 'edge-worker') {
  // Internal: an edge process the server forks for itself (`--edge-workers`, edges.ts).
  await import('./edge-worker.js');
} else if (command === 'backup' || command === 'restore') {
  await import('./backup-cli.js');
} else {
  await import('./main.js');
}
