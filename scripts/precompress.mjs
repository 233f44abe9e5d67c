#!/usr/bin/env node
// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside every script and style
// sheet of the CDN build, so the server sends them compressed without compressing at run time
// (staticFileFrom in server/node/http.ts prefers these files; brotli at quality 11 of the console bundle
// takes about a second, too long to do per server start).
//
//   node scripts/precompress.mjs <dir>        (scripts/build.mjs passes <temporary dist>/cdn)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/precompress.mjs <dir>');
  process.exit(2);
}
const br = promisify(brotliCompress);
const gz = promisify(gzip);
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => /\.(js|css)$/.test(f));
let raw = 0;
let brotli = 0;
await Promise.all(
  files.map(async (f) => {
    const bytes = readFileSync(join(dir, f));
    const [b, g] = await Promise.all([
      br(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gz(bytes, { level: 9 }),
    ]);
    writeFileSync(join(dir, `${f}.br`), b);
    writeFileSync(join(dir, `${f}.gz`), g);
    raw += bytes.length;
    brotli += b.length;
  }),
);
console.log(`precompress: ${String(files.length)} files, ${String(Math.round(raw / 1024))} kB → ${String(Math.round(brotli / 1024))} kB brotli`);
