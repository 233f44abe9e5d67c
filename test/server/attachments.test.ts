/**
 * Attachments against the real server: uploads decided by magic bytes (and refused with a
 * message, storing nothing), file-name neutralisation, decompression bombs, size limits mid-
 * stream, participants only; downloads from the separate attachment origin with exact headers
 * and short-lived signed URLs; `send` with `attachmentIds`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MAX_ATTACHMENTS_PER_MESSAGE, MAX_FILE_NAME } from '../../src/protocol/limits.js';
import { createTenant } from '../../server/core/seed.js';
import {
  activityOf,
  answerTo,
  isAck,
  isNack,
  newCmid,
  openActiveChat,
  sessionEventOf,
  startServer,
  type ActiveChat,
  type Harness,
  type HttpResult,
  type SessionEvent,
  type StartedChat,
} from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(async () => {
  await h.close();
});

// ---- file fixtures --------------------------------------------------------------------------

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16);
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(20, 7), iend]);
}

function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0x01, 0x02]), Buffer.alloc(0x100, 0x20)]); // a 256-byte APP1 to walk over
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, exif, sof, Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0]), Buffer.alloc(32, 0x55), Buffer.from([0xff, 0xd9])]);
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(32);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

function webp(width: number, height: number): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(32, 4);
  b.write('WEBPVP8X', 8, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

/** A ZIP with these (empty, stored) entries: local headers, central directory, end record. */
function zip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(n.length, 26);
    locals.push(local, n);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, n);
    offset += 30 + n.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const DOCX = () => zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels']);
const XLSX = () => zip(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
const PDF = () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TYPE_MESSAGE = 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.';

// ---- HTTP helpers ---------------------------------------------------------------------------

async function upload(token: string, sessionId: string, name: string | undefined, body: Buffer, headers: Record<string, string> = {}): Promise<HttpResult> {
  const res = await fetch(`${h.api.baseUrl}/api/attachments?sessionId=${encodeURIComponent(sessionId)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(name !== undefined ? { 'x-file-name': encodeURIComponent(name) } : {}), ...headers },
    body: new Uint8Array(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

interface Uploaded {
  id: string;
  name: string;
  size: number;
  type: string;
}

async function uploadOk(token: string, sessionId: string, name: string, body: Buffer): Promise<Uploaded> {
  const r = await upload(token, sessionId, name, body);
  assert.equal(r.status, 201, `upload ${name}: ${JSON.stringify(r.body)}`);
  return (r.body as { attachment: Uploaded }).attachment;
}

function refusal(r: HttpResult): { code: string; message: string; reason?: string } {
  return (r.body as { error: { code: string; message: string; reason?: string } }).error;
}

const attachmentsDir = () => join(h.dataDir, 'attachments', 'demo');
const storedFiles = () => (existsSync(attachmentsDir()) ? readdirSync(attachmentsDir()) : []);
const rowCount = () => h.server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM attachments')?.n ?? 0;

/** Nothing was kept: no file (not even a partial one) and no row. */
function assertNothingStored(before: { files: number; rows: number }, what: string): void {
  assert.equal(storedFiles().length, before.files, `${what}: files ${storedFiles().join(', ')}`);
  assert.equal(rowCount(), before.rows, `${what}: rows`);
}
const snapshot = () => ({ files: storedFiles().length, rows: rowCount() });

async function signedUrl(token: string, id: string): Promise<HttpResult> {
  return h.api.request('GET', `/api/attachments/${id}/url`, { headers: { authorization: `Bearer ${token}` } });
}

async function chatWithCustomer(): Promise<StartedChat> {
  return h.api.startChat('support', 'Ada Customer');
}

// ---- uploads --------------------------------------------------------------------------------

describe('uploads: type by magic bytes', () => {
  test('a PNG is stored under <data>/attachments/<tenant>/<id> with its metadata', async () => {
    const chat = await chatWithCustomer();
    const bytes = png(640, 480);
    const before = Date.now();
    const a = await uploadOk(chat.token, chat.sessionId, 'photo.png', bytes);
    assert.match(a.id, /^f_[\w-]+$/);
    assert.deepEqual({ ...a, id: '' }, { id: '', name: 'photo.png', size: bytes.length, type: 'image/png' });
    assert.deepEqual(readFileSync(join(attachmentsDir(), a.id)), bytes);
    const row = h.server.db.get<Record<string, unknown>>('SELECT * FROM attachments WHERE id = ?', [a.id]);
    assert.ok(row);
    assert.equal(row.tenant_id, 'demo');
    assert.equal(row.session_id, chat.sessionId);
    assert.equal(row.uploader_kind, 'customer');
    assert.equal(row.uploader_id, chat.sessionId);
    assert.equal(row.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(row.width, 640);
    assert.equal(row.height, 480);
    assert.equal(row.message_id, null);
    assert.ok((row.created_at as number) >= before);
  });

  test('JPEG, GIF, WebP, PDF, Word, Excel, ZIP, text and CSV are recognised from their bytes', async () => {
    const chat = await chatWithCustomer();
    const cases: [string, Buffer, string][] = [
      ['a.jpg', jpeg(1200, 800), 'image/jpeg'],
      ['a.gif', gif(100, 50), 'image/gif'],
      ['a.webp', webp(300, 200), 'image/webp'],
      ['a.pdf', PDF(), 'application/pdf'],
      ['a.docx', DOCX(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['a.xlsx', XLSX(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['a.zip', zip(['readme.txt', 'photos/1.jpg']), 'application/zip'],
      ['notes.txt', Buffer.from('Hej! Jag har en fråga om min beställning – går det att ändra adressen?\n', 'utf8'), 'text/plain'],
      ['bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with a byte order mark')]), 'text/plain'],
      ['orders.csv', Buffer.from('order;item;qty\nNO-1001;Tält Fjäll 2;1\n', 'utf8'), 'text/csv'],
      ['UPPER.TXT', Buffer.from('upper-case extension'), 'text/plain'],
    ];
    for (const [name, bytes, type] of cases) {
      const a = await uploadOk(chat.token, chat.sessionId, name, bytes);
      assert.equal(a.type, type, name);
      assert.equal(a.name, name);
    }
  });

  test('a ZIP without word/ or xl/ is a ZIP, whatever it is called; the name gets the right extension', async () => {
    const chat = await chatWithCustomer();
    assert.deepEqual(
      await Promise.all([
        uploadOk(chat.token, chat.sessionId, 'report.docx', zip(['[Content_Types].xml', 'ppt/presentation.xml'])),
        uploadOk(chat.token, chat.sessionId, 'invoice.pdf', png(10, 10)),
        uploadOk(chat.token, chat.sessionId, 'setup.exe', DOCX()),
        uploadOk(chat.token, chat.sessionId, 'photo', jpeg(10, 10)),
      ]).then((list) => list.map((a) => [a.name, a.type])),
      [
        ['report.docx.zip', 'application/zip'],
        ['invoice.pdf.png', 'image/png'],
        ['setup.exe.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        ['photo.jpg', 'image/jpeg'],
      ],
    );
  });

  test('HTML disguised as a PNG (name and Content-Type) is refused with a clear message and nothing is stored', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    const html = Buffer.from('<!DOCTYPE html><html><body><script>parent.__pwned()</script></body></html>');
    const r = await upload(chat.token, chat.sessionId, 'a.png', html, { 'content-type': 'image/png' });
    assert.equal(r.status, 415);
    assert.deepEqual(refusal(r), { code: 'invalid', message: TYPE_MESSAGE, reason: 'type' });
    assertNothingStored(before, 'html as png');
  });

  test('SVG (with a script or foreignObject), HTML, XHTML and XML are refused, also when named .txt', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>';
    const cases: [string, string][] = [
      ['a.svg', svg],
      ['b.svg', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg><foreignObject><body xmlns="http://www.w3.org/1999/xhtml">&x;</body></foreignObject></svg>'],
      ['a.html', '<html><body onload="__pwned()"></body></html>'],
      ['a.xhtml', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>'],
      ['a.xml', '<?xml version="1.0"?><note/>'],
      ['svg.txt', `  \n${svg}`],
      ['page.csv', '<html><script>x()</script></html>'],
      ['readme.md', '# just text, but not .txt or .csv'],
      ['run.sh', '#!/bin/sh\necho hi\n'],
    ];
    for (const [name, body] of cases) {
      const r = await upload(chat.token, chat.sessionId, name, Buffer.from(body));
      assert.equal(r.status, 415, name);
      assert.equal(refusal(r).message, TYPE_MESSAGE, name);
    }
    // Executables and other binaries too.
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100)]);
    assert.equal((await upload(chat.token, chat.sessionId, 'a.png', elf)).status, 415);
    assert.equal((await upload(chat.token, chat.sessionId, 'a.exe', Buffer.from('MZ\x90\x00binary'))).status, 415);
    assertNothingStored(before, 'markup');
  });

  test('text with a NUL byte, invalid UTF-8 or UTF-16 is refused', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    const cases: [string, Buffer][] = [
      ['nul.txt', Buffer.from('hello\u0000world')],
      ['latin1.txt', Buffer.from([0x48, 0x65, 0x6a, 0x20, 0xe5, 0xe4, 0xf6])], // ISO-8859-1 "Hej åäö"
      ['truncated.csv', Buffer.concat([Buffer.from('a;b\n'), Buffer.from([0xe2, 0x82])])],
      ['overlong.txt', Buffer.from([0xc0, 0xaf])],
      ['utf16.txt', Buffer.from('\ufeffhello', 'utf16le')],
    ];
    for (const [name, body] of cases) {
      const r = await upload(chat.token, chat.sessionId, name, body);
      assert.equal(r.status, 415, name);
      assert.equal(refusal(r).reason, 'type', name);
    }
    assertNothingStored(before, 'bad text');
  });

  test('decompression bombs: a 50 000 × 50 000 PNG header (and GIF, JPEG, WebP ones) are refused before decoding', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    for (const [name, bytes] of [
      ['bomb.png', png(50_000, 50_000)],
      ['bomb.gif', gif(65_535, 65_535)],
      ['bomb.jpg', jpeg(65_000, 65_000)],
      ['bomb.webp', webp(16_000, 16_000)],
    ] as const) {
      const r = await upload(chat.token, chat.sessionId, name, bytes);
      assert.equal(r.status, 415, name);
      assert.equal(refusal(r).reason, 'image_too_large', name);
      assert.match(refusal(r).message, /too large: \d+ × \d+ pixels \(at most 40 megapixels\)/, name);
    }
    // Exactly at the limit is fine; damaged headers are refused.
    assert.equal((await upload(chat.token, chat.sessionId, 'ok.png', png(8000, 5000))).status, 201);
    assert.equal((await upload(chat.token, chat.sessionId, 'zero.png', png(0, 10))).status, 415);
    assert.equal((await upload(chat.token, chat.sessionId, 'cut.png', png(10, 10).subarray(0, 16))).status, 415);
    assert.equal((await upload(chat.token, chat.sessionId, 'nosof.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).status, 415);
    assert.equal(rowCount(), before.rows + 1);
  });

  test('empty files and missing names are refused', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    const empty = await upload(chat.token, chat.sessionId, 'empty.txt', Buffer.alloc(0));
    assert.equal(empty.status, 400);
    assert.equal(refusal(empty).reason, 'empty');
    const noName = await upload(chat.token, chat.sessionId, undefined, png(1, 1));
    assert.equal(noName.status, 400);
    assert.equal(refusal(noName).reason, 'name');
    const badName = await upload(chat.token, chat.sessionId, undefined, png(1, 1), { 'x-file-name': '%E0%A4%A' });
    assert.equal(badName.status, 400);
    assertNothingStored(before, 'empty');
  });
});

describe('uploads: file names', () => {
  test('path parts, control and bidi characters are removed; long names are cut keeping the extension', async () => {
    const chat = await chatWithCustomer();
    const cases: [string, Buffer, string][] = [
      ['../../etc/passwd.txt', Buffer.from('root:x:0:0'), 'passwd.txt'],
      ['C:\\Users\\ada\\Desktop\\scan.pdf', PDF(), 'scan.pdf'],
      ['invoice\u202Egpj.exe', png(5, 5), 'invoicegpj.exe.png'],
      ['\u2066report\u2069\u200F.pdf', PDF(), 'report.pdf'],
      ['  tab\there\r\n.png  ', png(5, 5), 'tabhere.png'],
      ['<img src=x onerror=__pwned()>.png', png(5, 5), '<img src=x onerror=__pwned()>.png'],
      [`quote"and'apostrophe.png`, png(5, 5), `quote"and'apostrophe.png`],
      ['CON.txt', Buffer.from('con'), 'CON.txt'],
      ['/', PDF(), 'file.pdf'],
    ];
    for (const [raw, bytes, stored] of cases) {
      const a = await uploadOk(chat.token, chat.sessionId, raw, bytes);
      assert.equal(a.name, stored, JSON.stringify(raw));
    }
    const long = await uploadOk(chat.token, chat.sessionId, `${'å'.repeat(300)}.png`, png(5, 5));
    assert.equal(Array.from(long.name).length, MAX_FILE_NAME);
    assert.ok(long.name.endsWith('å.png'));
    // Nothing outside the tenant's directory.
    assert.deepEqual(readdirSync(join(h.dataDir, 'attachments')), ['demo']);
  });
});

describe('uploads: limits and who may upload', () => {
  test('a file over the limit is refused mid-stream, with nothing stored (no partial file)', async () => {
    await h.close();
    h = await startServer({ maxFileBytes: 64 * 1024 });
    const chat = await chatWithCustomer();
    const before = snapshot();
    // Chunked, so the server cannot know the size in advance; it answers while we are still sending.
    const answer = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(`${h.api.baseUrl}/api/attachments?sessionId=${chat.sessionId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'x-file-name': 'big.txt', 'transfer-encoding': 'chunked' },
      });
      let stop = false;
      req.on('response', (res) => {
        stop = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, sent });
        });
      });
      req.on('error', (e) => {
        if (!stop) reject(e);
      });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        if (stop || sent > 10 * 1024 * 1024) return;
        sent += chunk.length;
        req.write(chunk, () => setTimeout(pump, 2));
      };
      pump();
    });
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body), { error: { code: 'invalid', message: 'The file is too large: at most 64 kB.', reason: 'too_large' } });
    assert.ok(answer.sent < 1024 * 1024, `the server answered after ${String(answer.sent)} bytes`);
    assertNothingStored(before, 'oversize');
    // A declared Content-Length over the limit is refused before any byte is read.
    const declared = await upload(chat.token, chat.sessionId, 'big.png', Buffer.alloc(64 * 1024 + 1));
    assert.equal(declared.status, 413);
    assert.equal(refusal(declared).reason, 'too_large');
    // The limit itself is fine, and the limits are published.
    assert.equal((await upload(chat.token, chat.sessionId, 'max.txt', Buffer.alloc(64 * 1024, 0x62))).status, 201);
    const limits = await h.api.request('GET', '/api/attachments/limits');
    assert.equal(limits.status, 200);
    assert.equal((limits.body as { maxFileBytes: number }).maxFileBytes, 64 * 1024);
    assert.equal((limits.body as { maxAttachmentsPerMessage: number }).maxAttachmentsPerMessage, MAX_ATTACHMENTS_PER_MESSAGE);
  });

  test('an upload the client aborts leaves nothing behind', async () => {
    const chat = await chatWithCustomer();
    const before = snapshot();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${h.api.baseUrl}/api/attachments?sessionId=${chat.sessionId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'x-file-name': 'half.pdf', 'content-length': String(1024 * 1024) },
      });
      req.on('error', () => {
        resolve();
      });
      req.write(Buffer.concat([PDF(), Buffer.alloc(200 * 1024)]), () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
    });
    const deadline = Date.now() + 3000;
    while (storedFiles().length !== before.files && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assertNothingStored(before, 'aborted');
  });

  test('only participants may upload: not another customer, not an agent without access, not after the chat ended', async () => {
    const chat = await chatWithCustomer();
    const other = await h.api.startChat('support', 'Other Customer');
    const before = snapshot();
    const expect = async (token: string, sessionId: string, status: number, what: string) => {
      const r = await upload(token, sessionId, 'a.png', png(2, 2));
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
    };
    await expect(other.token, chat.sessionId, 403, 'another customer');
    await expect(await h.api.token('lars'), chat.sessionId, 403, 'lars (sales only) on a support chat');
    await expect('a.forged.token', chat.sessionId, 401, 'forged token');
    await expect(chat.token, 's_doesnotexist', 403, 'unknown session');
    await expect(chat.token, '../../etc', 400, 'bad session id');
    assertNothingStored(before, 'refused uploads');
    await expect(await h.api.token('sofia'), chat.sessionId, 201, 'sofia may answer support chats');
    const customer = await h.api.customer(chat);
    await customer.ok({ t: 'end', sessionId: chat.sessionId });
    await expect(chat.token, chat.sessionId, 409, 'after the end');
  });

  test(`a burst of uploads is limited (429 after the per-minute budget)`, async () => {
    const chat = await chatWithCustomer();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await upload(chat.token, chat.sessionId, `n${String(i)}.txt`, Buffer.from(`note ${String(i)}`))).status);
    assert.deepEqual(statuses.slice(0, 30), new Array<number>(30).fill(201));
    assert.deepEqual(statuses.slice(30), [429, 429]);
    h.clock.advance(60_000);
    assert.equal((await upload(chat.token, chat.sessionId, 'later.txt', Buffer.from('later'))).status, 201);
  });
});

// ---- downloads ------------------------------------------------------------------------------

describe('downloads from the attachment origin', () => {
  test('a signed URL on the other origin serves the bytes with exactly these headers', async () => {
    const chat = await chatWithCustomer();
    const bytes = png(20, 10);
    const a = await uploadOk(chat.token, chat.sessionId, 'Kvitto "mars" (1).png', bytes);
    const r = await signedUrl(chat.token, a.id);
    assert.equal(r.status, 200);
    const { url, inlineUrl, expiresAt } = r.body as { url: string; inlineUrl: string; expiresAt: number };
    assert.equal(new URL(url).origin, h.server.attachments.origin);
    assert.notEqual(new URL(url).origin, new URL(h.server.url).origin, 'another origin than the API');
    assert.ok(expiresAt > h.clock.now() && expiresAt <= h.clock.now() + 5 * 60_000);
    assert.equal(inlineUrl, `${url}&inline=1`);

    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    const expected = {
      'content-type': 'image/png',
      'content-length': String(bytes.length),
      'content-disposition': "attachment; filename*=UTF-8''Kvitto%20%22mars%22%20%281%29.png",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': 'private, max-age=300',
      'referrer-policy': 'no-referrer',
    };
    for (const [k, v] of Object.entries(expected)) assert.equal(res.headers.get(k), v, k);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('set-cookie'), null);

    const inline = await fetch(inlineUrl);
    assert.equal(inline.headers.get('content-disposition'), "inline; filename*=UTF-8''Kvitto%20%22mars%22%20%281%29.png");
    assert.equal(inline.headers.get('content-security-policy'), "sandbox; default-src 'none'");
    assert.equal(inline.headers.get('x-content-type-options'), 'nosniff');
    await inline.arrayBuffer();

    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(bytes.length));
    assert.equal((await fetch(url, { method: 'POST' })).status, 405);
    // The attachment origin serves nothing else.
    for (const path of ['/api/replies', '/demo/', '/health', '/a/demo', '/']) {
      const other = await fetch(`${h.server.attachments.origin}${path}`);
      assert.ok(other.status === 404 || other.status === 403, `${path}: ${String(other.status)}`);
      assert.equal(other.headers.get('content-security-policy'), "sandbox; default-src 'none'");
      await other.arrayBuffer();
    }
  });

  test('non-raster types are never inline; text is served as UTF-8 plain text', async () => {
    const chat = await chatWithCustomer();
    const pdf = await uploadOk(chat.token, chat.sessionId, 'a.pdf', PDF());
    const txt = await uploadOk(chat.token, chat.sessionId, 'å.txt', Buffer.from('hej'));
    const pdfUrl = (await signedUrl(chat.token, pdf.id)).body as { url: string; inlineUrl?: string };
    assert.equal(pdfUrl.inlineUrl, undefined);
    const forced = await fetch(`${pdfUrl.url}&inline=1`);
    assert.equal(forced.headers.get('content-disposition'), "attachment; filename*=UTF-8''a.pdf");
    assert.equal(forced.headers.get('content-type'), 'application/pdf');
    await forced.arrayBuffer();
    const t = await fetch(((await signedUrl(chat.token, txt.id)).body as { url: string }).url);
    assert.equal(t.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(t.headers.get('content-disposition'), "attachment; filename*=UTF-8''%C3%A5.txt");
    assert.equal(await t.text(), 'hej');
  });

  test('non-participants get no URL; the customer gets an agent\'s file only once it was sent', async () => {
    const active = await openActiveChat(h.api, { agentId: 'erik' });
    const erik = await h.api.token('erik');
    const mine = await uploadOk(active.chat.token, active.sessionId, 'mine.png', png(3, 3));
    const agents = await uploadOk(erik, active.sessionId, 'price-list.pdf', PDF());
    const other = await h.api.startChat('support', 'Eve');
    for (const [token, what] of [
      [other.token, 'another customer'],
      [await h.api.token('lars'), 'lars (sales)'],
    ] as const) {
      assert.equal((await signedUrl(token, mine.id)).status, 403, what);
      assert.equal((await signedUrl(token, agents.id)).status, 403, what);
    }
    assert.equal((await signedUrl(active.chat.token, 'f_unknown123')).status, 403, 'unknown id: same answer');
    assert.equal((await signedUrl(active.chat.token, mine.id)).status, 200);
    assert.equal((await signedUrl(erik, mine.id)).status, 200, 'the handling agent');
    assert.equal((await signedUrl(await h.api.token('anna'), mine.id)).status, 200, 'a manager of the channel');
    assert.equal((await signedUrl(active.chat.token, agents.id)).status, 403, 'not sent yet');
    const cmid = newCmid();
    active.agent.sendJson({ t: 'send', cmid, sessionId: active.sessionId, kind: 'text', text: 'Here is our price list', attachmentIds: [agents.id] });
    assert.ok(isAck(await active.agent.waitFor(answerTo(cmid))));
    assert.equal((await signedUrl(active.chat.token, agents.id)).status, 200, 'sent: the customer may download it');
    assert.equal((await h.api.request('GET', `/api/attachments/${mine.id}/url`)).status, 401);
  });

  test('expired, tampered and other-tenant links are refused', async () => {
    const chat = await chatWithCustomer();
    const a = await uploadOk(chat.token, chat.sessionId, 'a.png', png(3, 3));
    const b = await uploadOk(chat.token, chat.sessionId, 'b.png', png(3, 3));
    const { url } = (await signedUrl(chat.token, a.id)).body as { url: string };
    const u = new URL(url);
    const sig = u.searchParams.get('sig') ?? '';
    const exp = u.searchParams.get('exp') ?? '';
    const variants: [string, string][] = [
      ['other id, same signature', `${u.origin}/a/demo/${b.id}?exp=${exp}&sig=${sig}`],
      ['later expiry', `${u.origin}/a/demo/${a.id}?exp=${String(Number(exp) + 60_000)}&sig=${sig}`],
      ['flipped signature', `${u.origin}/a/demo/${a.id}?exp=${exp}&sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`],
      ['no signature', `${u.origin}/a/demo/${a.id}?exp=${exp}`],
      ['other tenant', `${u.origin}/a/acme/${a.id}?exp=${exp}&sig=${sig}`],
      ['path tricks', `${u.origin}/a/demo/..%2F..%2Fchat.db?exp=${exp}&sig=${sig}`],
    ];
    for (const [what, link] of variants) {
      const res = await fetch(link);
      assert.ok(res.status === 403 || res.status === 404, `${what}: ${String(res.status)}`);
      assert.doesNotMatch(await res.text(), /PNG|IHDR/, what);
    }
    assert.equal((await fetch(url)).status, 200, 'the original still works');
    h.clock.advance(5 * 60_000 + 1);
    const expired = await fetch(url);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /expired/);

    // An agent of another tenant, with the same agent id, gets nothing for a demo attachment id.
    createTenant(
      h.server.db,
      {
        id: 'acme',
        name: 'Acme',
        channels: [{ id: 'support', name: 'Support', welcomeMessage: 'Hi' }],
        agents: [{ id: 'anna', name: 'Acme Anna', email: 'anna@acme.example', maxConcurrentChats: 5, channels: { support: { listen: true, manager: true } } }],
      },
      h.clock.now(),
    );
    const acme = await h.api.login('anna', 'acme');
    assert.equal((await signedUrl(acme, a.id)).status, 403);
    assert.equal((await upload(acme, chat.sessionId, 'x.png', png(1, 1))).status, 403, 'nor upload into a demo session');
  });

  test('unsent uploads are deleted after a day; sent ones stay', async () => {
    const active = await openActiveChat(h.api, { agentId: 'erik' });
    const sent = await uploadOk(active.chat.token, active.sessionId, 'sent.png', png(3, 3));
    const unsent = await uploadOk(active.chat.token, active.sessionId, 'unsent.png', png(3, 3));
    const cmid = newCmid();
    active.customer.sendJson({ t: 'send', cmid, sessionId: active.sessionId, kind: 'text', text: '', attachmentIds: [sent.id] });
    assert.ok(isAck(await active.customer.waitFor(answerTo(cmid))));
    assert.equal(await h.server.attachments.prune(), 0);
    h.clock.advance(24 * 60 * 60 * 1000 + 1);
    assert.equal(await h.server.attachments.prune(), 1);
    assert.deepEqual(storedFiles(), [sent.id]);
    assert.deepEqual(
      h.server.db.all<{ id: string }>('SELECT id FROM attachments').map((r) => r.id),
      [sent.id],
    );
    assert.notEqual(unsent.id, sent.id);
  });
});

// ---- messages with attachments ----------------------------------------------------------------

describe('send with attachmentIds', () => {
  async function sendFiles(chat: ActiveChat, who: 'customer' | 'agent', text: string, attachmentIds: string[], extra: Record<string, unknown> = {}) {
    const client = who === 'customer' ? chat.customer : chat.agent;
    const cmid = typeof extra.cmid === 'string' ? extra.cmid : newCmid();
    const from = client.mark();
    client.sendJson({ t: 'send', cmid, sessionId: chat.sessionId, kind: 'text', text, attachmentIds, ...extra });
    return client.waitFor(answerTo(cmid), { from });
  }

  test('a customer sends two files without text: both sides get them in the message, in history and snapshots', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const a = await uploadOk(chat.chat.token, chat.sessionId, 'skada.jpg', jpeg(800, 600));
    const b = await uploadOk(chat.chat.token, chat.sessionId, 'kvitto.pdf', PDF());
    const boardFrom = chat.agent.mark();
    const ack = await sendFiles(chat, 'customer', '', [a.id, b.id]);
    assert.ok(isAck(ack), JSON.stringify(ack));
    const expected = [a, b].map(({ id, name, size, type }) => ({ id, name, size, type }));
    const atAgent = await chat.agent.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.data.id === ack.msgId);
    assert.deepEqual(atAgent.data.attachments, expected);
    assert.equal(atAgent.data.kind, 'text');
    assert.equal(atAgent.data.text, '');
    const atCustomer = await chat.customer.waitFor((f): f is SessionEvent => sessionEventOf(chat.sessionId)(f) && f.data.id === ack.msgId);
    assert.deepEqual(atCustomer.data.attachments, expected);
    // The session list shows the file names as the last message (the handler's activity).
    await chat.agent.waitFor(
      activityOf(chat.sessionId, (a) => a.lastMessage?.text === 'skada.jpg, kvitto.pdf'),
      { from: boardFrom, label: 'activity with the file names' },
    );
    // History and a fresh snapshot carry them too.
    const history = (await chat.agent.ok({ t: 'history', sessionId: chat.sessionId, limit: 10 })) as { messages: { id: string; attachments?: unknown }[] };
    assert.deepEqual(history.messages.find((m) => m.id === ack.msgId)?.attachments, expected);
    const customerHistory = (await chat.customer.ok({ t: 'history', sessionId: chat.sessionId, limit: 10 })) as { messages: { id: string; attachments?: unknown }[] };
    assert.deepEqual(customerHistory.messages.find((m) => m.id === ack.msgId)?.attachments, expected);
    // Messages without files have no attachments field.
    assert.ok(history.messages.filter((m) => m.id !== ack.msgId).every((m) => !('attachments' in m)));
    // Each file is now tied to the message.
    assert.equal(h.server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM attachments WHERE message_id = ?', [ack.msgId])?.n, 2);
  });

  test('the handling agent sends a file with text; the customer sees it and may download it', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const f = await uploadOk(await h.api.token('erik'), chat.sessionId, 'storleksguide.pdf', PDF());
    const ack = await sendFiles(chat, 'agent', 'Here is our size guide', [f.id]);
    assert.ok(isAck(ack));
    const seen = await chat.customer.waitFor((x): x is SessionEvent => sessionEventOf(chat.sessionId)(x) && x.data.id === ack.msgId);
    assert.equal(seen.data.text, 'Here is our size guide');
    assert.deepEqual(seen.data.attachments, [{ id: f.id, name: 'storleksguide.pdf', size: f.size, type: 'application/pdf' }]);
    assert.equal((await signedUrl(chat.chat.token, f.id)).status, 200);
  });

  test('unknown, foreign, someone else\'s and already sent ids are refused; nothing is stored', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const otherChat = await h.api.startChat('support', 'Other');
    const foreign = await uploadOk(otherChat.token, otherChat.sessionId, 'foreign.png', png(2, 2));
    const agentsFile = await uploadOk(await h.api.token('erik'), chat.sessionId, 'agent.png', png(2, 2));
    const own = await uploadOk(chat.chat.token, chat.sessionId, 'own.png', png(2, 2));
    const head = () => h.server.db.get<{ head_seq: number }>('SELECT head_seq FROM sessions WHERE id = ?', [chat.sessionId])?.head_seq;
    const before = head();
    for (const [what, ids] of [
      ['unknown', ['f_doesnotexist00']],
      ['another session', [foreign.id]],
      ['the agent\'s upload', [agentsFile.id]],
      ['one good, one unknown', [own.id, 'f_doesnotexist00']],
    ] as const) {
      const answer = await sendFiles(chat, 'customer', 'look', [...ids]);
      assert.ok(isNack(answer) && answer.code === 'invalid', `${what}: ${JSON.stringify(answer)}`);
      assert.match(answer.message, /is not a file you uploaded to this chat/);
    }
    assert.equal(head(), before, 'nothing was stored');
    assert.equal(h.server.db.get<{ m: string | null }>('SELECT message_id AS m FROM attachments WHERE id = ?', [own.id])?.m, null, 'the good one is still unsent');

    const cmid = newCmid();
    assert.ok(isAck(await sendFiles(chat, 'customer', '', [own.id], { cmid })));
    // The same send again (a retry) is a duplicate, not a second use.
    const retry = await sendFiles(chat, 'customer', '', [own.id], { cmid });
    assert.ok(isAck(retry) && retry.duplicate);
    // A new message with a used file is a conflict; a reused cmid with other files is invalid.
    const again = await sendFiles(chat, 'customer', 'again', [own.id]);
    assert.ok(isNack(again) && again.code === 'conflict', JSON.stringify(again));
    const other = await uploadOk(chat.chat.token, chat.sessionId, 'other.png', png(2, 2));
    const reused = await sendFiles(chat, 'customer', '', [other.id], { cmid });
    assert.ok(isNack(reused) && reused.code === 'invalid', JSON.stringify(reused));
  });

  test('frame rules: text may be empty only with files; at most 10 files, no duplicates, not in notes', async () => {
    const chat = await openActiveChat(h.api, { agentId: 'erik' });
    const erik = await h.api.token('erik');
    const f = await uploadOk(erik, chat.sessionId, 'a.png', png(2, 2));
    const cases: [string, Record<string, unknown>, string][] = [
      ['blank text, no files', { text: '  ', attachmentIds: undefined }, 'text is empty'],
      ['empty list', { text: '', attachmentIds: [] }, 'attachmentIds'],
      ['duplicates', { text: 'x', attachmentIds: [f.id, f.id] }, 'duplicates'],
      ['too many', { text: 'x', attachmentIds: Array.from({ length: MAX_ATTACHMENTS_PER_MESSAGE + 1 }, (_, i) => `f_x${String(i)}`) }, 'attachmentIds'],
      ['not ids', { text: 'x', attachmentIds: ['../etc'] }, 'attachmentIds'],
      ['note with a file', { kind: 'note', text: 'internal', attachmentIds: [f.id] }, 'not in notes'],
    ];
    for (const [what, fields, message] of cases) {
      const cmid = newCmid();
      chat.agent.sendJson({ t: 'send', cmid, sessionId: chat.sessionId, kind: 'text', ...fields });
      const answer = await chat.agent.waitFor(answerTo(cmid));
      assert.ok(isNack(answer) && answer.code === 'invalid', `${what}: ${JSON.stringify(answer)}`);
      assert.ok(answer.message.includes(message), `${what}: ${answer.message}`);
    }
    const ok = await sendFiles(chat, 'agent', '', [f.id]);
    assert.ok(isAck(ok));
  });
});
