/**
 * Attachments in the server core (no Node APIs, so a Durable Object host can reuse it):
 *
 * - {@link inspectFile}: decides a file's type from its bytes only (magic numbers; ZIP central
 *   directory for Word and Excel; UTF-8 validity for text), reads raster image dimensions from
 *   the header and refuses decompression bombs before anything decodes them.
 * - {@link TextScan}: the streaming UTF-8 / NUL check a host runs while the bytes arrive.
 * - {@link AttachmentStore}: the `attachments` table of one tenant (metadata; the bytes live in
 *   the host's file storage) and the claim of uploaded files by a message.
 * - {@link AttachmentUrlSigner}: short-lived signed download URLs (HMAC-SHA256, Web Crypto).
 *
 * The upload and download flow (attachment-service.ts) calls these over the host's file storage
 * (a folder on the Node host, R2 on Cloudflare) and serves the bytes from the separate
 * attachment origin.
 */
import type { AttachmentInfo, AttachmentRefusal, AttachmentType } from '../../src/protocol/index.js';
import { fileExtension } from '../../src/protocol/attachments.js';
import { MAX_IMAGE_PIXELS } from '../../src/protocol/limits.js';
import type { Principal } from './auth.js';
import { randomId } from './auth.js';
import type { SqlPort } from './sql.js';

/** The message of every refusal by type: what can be sent instead. */
export const TYPE_REFUSAL_MESSAGE = 'Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.';

// ---- inspection -----------------------------------------------------------------------------

/** Random access to a stored file (the host backs it with a file handle). */
export interface FileSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type Inspection =
  | { ok: true; type: AttachmentType; width?: number; height?: number }
  | { ok: false; status: number; reason: AttachmentRefusal; message: string };

/**
 * Streaming check that a file is text we accept: valid UTF-8 without NUL bytes. Feed every
 * chunk to {@link push} as it arrives, then call {@link finish}.
 */
export class TextScan {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private ok = true;
  private done = false;

  push(chunk: Uint8Array): void {
    if (!this.ok) return;
    if (chunk.includes(0)) {
      this.ok = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.ok = false;
    }
  }

  /** True when everything pushed was valid UTF-8 without NUL (a truncated sequence at the end fails). */
  finish(): boolean {
    if (!this.done) {
      this.done = true;
      if (this.ok) {
        try {
          this.decoder.decode();
        } catch {
          this.ok = false;
        }
      }
    }
    return this.ok;
  }
}

const refuse = (status: number, reason: AttachmentRefusal, message: string): Inspection => ({ ok: false, status, reason, message });
const typeRefusal = (): Inspection => refuse(415, 'type', TYPE_REFUSAL_MESSAGE);
const damaged = (): Inspection => refuse(415, 'type', 'The image could not be read: the file seems to be damaged.');

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) + (b[i + 2] ?? 0) * 0x10000;
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 0x10000 + u16be(b, i + 2);
const u32le = (b: Uint8Array, i: number) => u16le(b, i) + u16le(b, i + 2) * 0x10000;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));
function startsWith(b: Uint8Array, bytes: readonly number[], at = 0): boolean {
  return bytes.every((x, k) => b[at + k] === x);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
/** JPEG start-of-frame markers (they carry the dimensions); not DHT (C4), JPG (C8), DAC (CC). */
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

async function jpegSize(file: FileSource): Promise<{ width: number; height: number } | undefined> {
  let pos = 2;
  for (let guard = 0; guard < 10_000 && pos + 4 <= file.size; guard++) {
    const head = await file.read(pos, 9);
    if (head[0] !== 0xff) return undefined;
    const marker = head[1] ?? 0;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // no length
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // image data before any frame header
    if (JPEG_SOF.has(marker)) {
      if (head.length < 9) return undefined;
      return { height: u16be(head, 5), width: u16be(head, 7) };
    }
    const length = u16be(head, 2);
    if (length < 2) return undefined;
    pos += 2 + length;
  }
  return undefined;
}

function webpSize(h: Uint8Array): { width: number; height: number } | undefined {
  const chunk = ascii(h, 12, 4);
  if (chunk === 'VP8X' && h.length >= 30) return { width: 1 + u24le(h, 24), height: 1 + u24le(h, 27) };
  if (chunk === 'VP8L' && h.length >= 25 && h[20] === 0x2f) {
    const bits = u32le(h, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && h.length >= 30 && startsWith(h, [0x9d, 0x01, 0x2a], 23)) {
    return { width: u16le(h, 26) & 0x3fff, height: u16le(h, 28) & 0x3fff };
  }
  return undefined;
}

/** Names in a ZIP's central directory, or undefined when it cannot be read (ZIP64, damaged). */
export async function zipEntryNames(file: FileSource, maxEntries = 20_000): Promise<string[] | undefined> {
  const tailLength = Math.min(file.size, 22 + 0xffff);
  const tail = await file.read(file.size - tailLength, tailLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (!startsWith(tail, ZIP_EMPTY, i)) continue;
    const entries = u16le(tail, i + 10);
    const cdSize = u32le(tail, i + 12);
    const cdOffset = u32le(tail, i + 16);
    if (entries === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) return undefined;
    if (cdOffset + cdSize > file.size || cdSize > 8 * 1024 * 1024) return undefined;
    const cd = await file.read(cdOffset, cdSize);
    const names: string[] = [];
    const decoder = new TextDecoder();
    let p = 0;
    while (p + 46 <= cd.length && names.length < Math.min(entries, maxEntries)) {
      if (u32le(cd, p) !== 0x02014b50) break;
      const nameLength = u16le(cd, p + 28);
      const extraLength = u16le(cd, p + 30);
      const commentLength = u16le(cd, p + 32);
      names.push(decoder.decode(cd.subarray(p + 46, p + 46 + nameLength)));
      p += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  }
  return undefined;
}

/** A text file starting like an HTML, XML or SVG document (`<html`, `<?xml`, `<!DOCTYPE`, `<svg`…). */
function looksLikeMarkup(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(head.subarray(0, 1024));
  return /^[\ufeff\s]*<[a-z!?]/i.test(text);
}

/**
 * Decides what a stored file is, from its bytes only: PNG, JPEG, GIF, WebP, PDF, Word (docx),
 * Excel (xlsx), ZIP; text (`.txt`) and CSV (`.csv`) only when `textOk` (valid UTF-8, no NUL)
 * and not starting like markup. Raster images above `maxPixels` are refused from their header.
 * Everything else (SVG, HTML, XML, executables, …) is refused.
 */
export async function inspectFile(file: FileSource, options: { name: string; textOk: boolean; maxPixels?: number }): Promise<Inspection> {
  if (file.size === 0) return refuse(400, 'empty', 'The file is empty.');
  const h = await file.read(0, 64);
  const image = (type: AttachmentType, size: { width: number; height: number } | undefined): Inspection => {
    if (!size || size.width <= 0 || size.height <= 0) return damaged();
    const max = options.maxPixels ?? MAX_IMAGE_PIXELS;
    if (size.width * size.height > max) {
      return refuse(
        415,
        'image_too_large',
        `The image is too large: ${String(size.width)} × ${String(size.height)} pixels (at most ${String(Math.floor(max / 1_000_000))} megapixels).`,
      );
    }
    return { ok: true, type, width: size.width, height: size.height };
  };
  if (startsWith(h, PNG)) {
    return image('image/png', h.length >= 24 && ascii(h, 12, 4) === 'IHDR' ? { width: u32be(h, 16), height: u32be(h, 20) } : undefined);
  }
  if (startsWith(h, JPEG)) return image('image/jpeg', await jpegSize(file));
  const six = ascii(h, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return image('image/gif', h.length >= 10 ? { width: u16le(h, 6), height: u16le(h, 8) } : undefined);
  if (ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 4) === 'WEBP') return image('image/webp', webpSize(h));
  if (ascii(h, 0, 5) === '%PDF-') return { ok: true, type: 'application/pdf' };
  if (startsWith(h, ZIP_LOCAL) || startsWith(h, ZIP_EMPTY)) {
    const names = (await zipEntryNames(file)) ?? [];
    if (names.includes('[Content_Types].xml')) {
      if (names.some((n) => n.startsWith('word/'))) return { ok: true, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
      if (names.some((n) => n.startsWith('xl/'))) return { ok: true, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    }
    return { ok: true, type: 'application/zip' };
  }
  const ext = fileExtension(options.name);
  if ((ext === 'txt' || ext === 'csv') && options.textOk && !looksLikeMarkup(await file.read(0, 1024))) {
    return { ok: true, type: ext === 'csv' ? 'text/csv' : 'text/plain' };
  }
  return typeRefusal();
}

// ---- storage --------------------------------------------------------------------------------

export interface AttachmentRow {
  tenant_id: string;
  id: string;
  session_id: string;
  uploader_kind: 'agent' | 'customer';
  uploader_id: string;
  name: string;
  size: number;
  type: AttachmentType;
  sha256: string;
  width: number | null;
  height: number | null;
  /** The message that sent it; NULL while it is only uploaded. */
  message_id: string | null;
  created_at: number;
}

/** A new attachment id (also its file name on disk: letters, digits, `_`, `-`). */
export const newAttachmentId = (): string => `f_${randomId(12)}`;

/** The wire form of an attachment (in messages and upload answers). */
export function attachmentInfo(row: Pick<AttachmentRow, 'id' | 'name' | 'size' | 'type'>): AttachmentInfo {
  return { id: row.id, name: row.name, size: row.size, type: row.type };
}

export class AttachmentStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  get(id: string): AttachmentRow | undefined {
    return this.db.get<AttachmentRow>('SELECT * FROM attachments WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  insert(row: Omit<AttachmentRow, 'tenant_id' | 'message_id'>): void {
    this.db.run(
      `INSERT INTO attachments (tenant_id, id, session_id, uploader_kind, uploader_id, name, size, type, sha256, width, height, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.tenantId, row.id, row.session_id, row.uploader_kind, row.uploader_id, row.name, row.size, row.type, row.sha256, row.width, row.height, row.created_at],
    );
  }

  /**
   * Checks that every id is an uploaded, unsent attachment of this session by this sender.
   * Unknown ids and other people's files get the same answer, so ids cannot be probed.
   */
  claimable(
    ids: readonly string[],
    sessionId: string,
    sender: { kind: 'agent' | 'customer'; id: string },
  ): { ok: true; rows: AttachmentRow[] } | { ok: false; code: 'invalid' | 'conflict'; message: string } {
    const rows: AttachmentRow[] = [];
    for (const id of ids) {
      const row = this.get(id);
      if (row?.session_id !== sessionId || row.uploader_kind !== sender.kind || row.uploader_id !== sender.id) {
        return { ok: false, code: 'invalid', message: `attachment ${id} is not a file you uploaded to this chat` };
      }
      if (row.message_id !== null) return { ok: false, code: 'conflict', message: `attachment ${id} was already sent` };
      rows.push(row);
    }
    return { ok: true, rows };
  }

  /** Marks the attachments as sent by `messageId` (inside the send's transaction); false if one was taken meanwhile. */
  claim(ids: readonly string[], messageId: string): boolean {
    for (const id of ids) {
      const r = this.db.run('UPDATE attachments SET message_id = ? WHERE tenant_id = ? AND id = ? AND message_id IS NULL', [messageId, this.tenantId, id]);
      if (r.changes !== 1) return false;
    }
    return true;
  }

  delete(id: string): void {
    this.db.run('DELETE FROM attachments WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }
}

/** Attachments of any tenant uploaded before `before` and never sent (for the cleanup). */
export function unsentAttachmentsBefore(db: SqlPort, before: number, limit = 500): Pick<AttachmentRow, 'tenant_id' | 'id'>[] {
  return db.all('SELECT tenant_id, id FROM attachments WHERE message_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?', [before, limit]);
}

/**
 * Who may download an attachment: agents who may read its session (`mayReadSession`); the
 * customer of the session for files they uploaded and files sent in the chat (never an agent's
 * upload that was not sent). Callers look the row up in the principal's own tenant.
 */
export function mayDownload(principal: Principal, row: AttachmentRow, mayReadSession: boolean): boolean {
  if (principal.tenantId !== row.tenant_id) return false;
  if (principal.role === 'customer') {
    return row.session_id === principal.subjectId && (row.uploader_kind === 'customer' || row.message_id !== null);
  }
  return mayReadSession;
}

// ---- signed download URLs -------------------------------------------------------------------

const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]{1,200}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Signs and checks download URLs `<origin>/a/<tenant>/<id>?exp=<ms>&sig=<hmac>`. The HMAC covers
 * tenant, id and expiry under the installation secret, in a message domain of its own (access
 * tokens sign `a.`/`t.` strings), so a signature is valid for nothing else.
 */
export class AttachmentUrlSigner {
  private keyPromise: Promise<CryptoKey> | undefined;

  constructor(private readonly secret: string) {}

  private key(): Promise<CryptoKey> {
    this.keyPromise ??= crypto.subtle.importKey('raw', enc.encode(this.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return this.keyPromise;
  }

  private static message(tenantId: string, id: string, exp: number): Uint8Array<ArrayBuffer> {
    // A copy typed over an ArrayBuffer in both runtimes' type libraries (DOM and Workers).
    return new Uint8Array(enc.encode(`attachment-url\n${tenantId}\n${id}\n${String(exp)}`));
  }

  /** The path and query of a download URL valid until `exp` (append it to the attachment origin). */
  async path(tenantId: string, id: string, exp: number): Promise<string> {
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key(), AttachmentUrlSigner.message(tenantId, id, exp)));
    return `/a/${encodeURIComponent(tenantId)}/${encodeURIComponent(id)}?exp=${String(exp)}&sig=${b64url(sig)}`;
  }

  /** True when `sig` is the signature of (tenant, id, exp); the caller checks `exp` against its clock. */
  async verify(tenantId: string, id: string, exp: number, sig: string): Promise<boolean> {
    const bytes = fromB64url(sig);
    if (!bytes) return false;
    return crypto.subtle.verify('HMAC', await this.key(), bytes, AttachmentUrlSigner.message(tenantId, id, exp));
  }
}
