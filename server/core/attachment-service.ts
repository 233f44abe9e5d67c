/**
 * Attachments over HTTP, the same on every host: uploads checked while they stream in, signed
 * download URLs, and the download answer of the separate **attachment origin**. The bytes live in
 * the host's {@link BlobStore} (a folder on the Node host, R2 on Cloudflare); the metadata in the
 * tenant's `attachments` table.
 *
 *   POST /api/attachments?sessionId=     (Bearer agent or customer)  raw file bytes, `X-File-Name` (URI-encoded)
 *                                        → 201 {attachment: {id, name, size, type}}
 *   GET  /api/attachments/limits         what the server accepts (size, types, `accept` value)
 *   GET  /api/attachments/<id>/url       (Bearer) → {url, inlineUrl?, expiresAt}   (signed, 5 min)
 *   GET  <attachment origin>/a/<tenant>/<id>?exp=&sig=[&inline=1]                  the bytes
 *
 * A refused upload stores nothing: the draft is discarded on every refusal or abort.
 */
import { ATTACHMENT_ACCEPT, ATTACHMENT_TYPES, isInlineImageType, nameForType, tooLargeMessage } from '../../src/protocol/attachments.js';
import type { AttachmentLimits, AttachmentRefusal } from '../../src/protocol/attachments.js';
import {
  ATTACHMENT_URL_TTL_MS,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_FILE_BYTES,
  MAX_IMAGE_PIXELS,
  UNSENT_ATTACHMENT_TTL_MS,
  UPLOADS_PER_MINUTE,
} from '../../src/protocol/limits.js';
import type { AttachmentRow, FileSource } from './attachments.js';
import { AttachmentStore, AttachmentUrlSigner, attachmentInfo, inspectFile, mayDownload, newAttachmentId, TextScan, unsentAttachmentsBefore } from './attachments.js';
import type { Principal } from './auth.js';
import { MinuteBudget } from './budget.js';
import type { Clock } from './clock.js';
import type { HttpRequest } from './http/router.js';
import { HttpError, jsonResponse } from './http/router.js';
import type { ChatRoom, RoomLogger } from './room/index.js';
import type { SqlPort } from './sql.js';

// ---- the host's file storage --------------------------------------------------------------------

/** Where the bytes of attachments live, by tenant and attachment id. */
export interface BlobStore {
  /** Starts a new file; nothing is visible under the id before {@link BlobDraft.commit}. */
  begin(tenantId: string, id: string): Promise<BlobDraft>;
  /** A stored file, or undefined. */
  open(tenantId: string, id: string): Promise<StoredBlob | undefined>;
  delete(tenantId: string, id: string): Promise<void>;
}

/** A file being received. */
export interface BlobDraft {
  write(chunk: Uint8Array): Promise<void>;
  /** Random access to what was written so far (type inspection). */
  readonly source: FileSource;
  /** SHA-256 of what was written, in hex. */
  sha256(): Promise<string>;
  /** Makes the file durable under its id. */
  commit(contentType: string): Promise<void>;
  /** Drops the draft (refusal, abort); safe after a failed commit. */
  discard(): Promise<void>;
}

export interface StoredBlob {
  readonly size: number;
  /** The bytes, streamed. */
  body(): ReadableStream<Uint8Array>;
}

// ---- the API's side -------------------------------------------------------------------------------

/** What the API routes ask of attachments (server/core/http/routes/attachments.ts). */
export interface AttachmentApi {
  /** `GET /api/attachments/limits`. */
  limits(): AttachmentLimits;
  /** `GET /api/attachments/<id>/url`: a short-lived signed download URL for `principal` (403 otherwise). */
  signedUrl(id: string, principal: Principal): Promise<{ url: string; inlineUrl?: string; expiresAt: number }>;
  /** `POST /api/attachments?sessionId=`: the body streamed into the blob store, checked, stored. */
  upload(request: HttpRequest, principal: Principal): Promise<Response>;
  /** The origin download URLs point to (the demo pages' policy allows its images). */
  origin(): string;
}

export interface AttachmentServiceOptions {
  clock: Clock;
  /** Installation secret (signs download URLs). */
  secret: string;
  log: RoomLogger;
  blobs: BlobStore;
  /** The room of a tenant (who may read a session; the tenant's attachment rows). */
  room(tenantId: string): ChatRoom | undefined;
  /** The origin download URLs point to (known once the host listens). */
  origin(): string;
  /** Largest file in bytes (default {@link MAX_FILE_BYTES}). */
  maxFileBytes?: number | undefined;
}

const SESSION_ID = /^[\w.:-]{1,64}$/;
export const TENANT_ID = /^[\w-]{1,64}$/;
export const ATTACHMENT_ID = /^f_[\w-]{1,40}$/;

/** Headers of every answer of the attachment origin: nothing it serves may run or be sniffed. */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Referrer-Policy': 'no-referrer',
} as const;

/** RFC 8187 `filename*` value: UTF-8, percent-encoded (everything but attr-chars). */
export function contentDispositionName(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

const refusal = (status: number, code: string, message: string, reason?: AttachmentRefusal): HttpError => new HttpError(status, code, message, undefined, undefined, reason);

/** A plain-text answer of the attachment origin. */
export function plainAnswer(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS } });
}

export class AttachmentService implements AttachmentApi {
  private readonly maxBytes: number;
  private readonly signer: AttachmentUrlSigner;
  /** Uploads per user and minute. */
  private readonly uploads: MinuteBudget;

  constructor(private readonly options: AttachmentServiceOptions) {
    this.maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
    this.signer = new AttachmentUrlSigner(options.secret);
    this.uploads = new MinuteBudget(() => options.clock.now());
  }

  origin(): string {
    return this.options.origin();
  }

  limits(): AttachmentLimits {
    return {
      maxFileBytes: this.maxBytes,
      maxAttachmentsPerMessage: MAX_ATTACHMENTS_PER_MESSAGE,
      maxImagePixels: MAX_IMAGE_PIXELS,
      types: Object.keys(ATTACHMENT_TYPES),
      accept: ATTACHMENT_ACCEPT,
    };
  }

  private allowUpload(p: Principal): boolean {
    return this.uploads.allow(`${p.tenantId}/${p.role}/${p.subjectId}`, UPLOADS_PER_MINUTE);
  }

  async upload(request: HttpRequest, principal: Principal): Promise<Response> {
    try {
      return await this.receive(request, principal);
    } catch (error) {
      if (error instanceof HttpError) this.options.log.info('attachment.refused', { status: error.status, reason: error.reason ?? error.code });
      throw error;
    }
  }

  private async receive(request: HttpRequest, principal: Principal): Promise<Response> {
    const sessionId = request.url.searchParams.get('sessionId') ?? '';
    if (!SESSION_ID.test(sessionId)) throw refusal(400, 'invalid', 'sessionId: the id of the chat the file is for');
    const r = this.options.room(principal.tenantId);
    if (!r?.accessMode(principal, sessionId)) throw refusal(403, 'forbidden', 'not allowed in this session');
    const session = r.store.session(sessionId);
    if (session?.status !== 'queued' && session?.status !== 'active') throw refusal(409, 'session_closed', 'The chat has ended: files can no longer be sent.');
    const rawName = request.header('x-file-name');
    let name: string;
    try {
      if (rawName === undefined || rawName === '' || rawName.length > 4096) throw new Error('missing');
      name = decodeURIComponent(rawName);
    } catch {
      throw refusal(400, 'invalid', 'X-File-Name: the file name, URI-encoded, is required.', 'name');
    }
    if (!this.allowUpload(principal)) throw refusal(429, 'rate_limited', 'Too many files in a short time: wait a minute.', 'rate_limited');
    const declared = Number(request.header('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) throw refusal(413, 'invalid', tooLargeMessage(this.maxBytes), 'too_large');

    const id = newAttachmentId();
    const { blobs, log, clock } = this.options;
    const draft = await blobs.begin(principal.tenantId, id);
    let kept = false;
    try {
      const scan = new TextScan();
      let size = 0;
      for await (const chunk of request.body()) {
        size += chunk.length;
        if (size > this.maxBytes) throw refusal(413, 'invalid', tooLargeMessage(this.maxBytes), 'too_large');
        scan.push(chunk);
        await draft.write(chunk);
      }
      const verdict = await inspectFile(draft.source, { name, textOk: scan.finish(), maxPixels: MAX_IMAGE_PIXELS });
      if (!verdict.ok) throw refusal(verdict.status, 'invalid', verdict.message, verdict.reason);
      const sha256 = await draft.sha256();
      await draft.commit(verdict.type);
      const row: Omit<AttachmentRow, 'tenant_id' | 'message_id'> = {
        id,
        session_id: sessionId,
        uploader_kind: principal.role,
        uploader_id: principal.subjectId,
        name: nameForType(name, verdict.type),
        size,
        type: verdict.type,
        sha256,
        width: verdict.width ?? null,
        height: verdict.height ?? null,
        created_at: clock.now(),
      };
      try {
        r.attachments.insert(row);
      } catch (error) {
        await blobs.delete(principal.tenantId, id).catch(() => undefined);
        throw error;
      }
      kept = true;
      log.info('attachment.stored', { type: row.type, size: row.size });
      return jsonResponse(201, { attachment: attachmentInfo(row) });
    } finally {
      if (!kept) await draft.discard().catch(() => undefined);
    }
  }

  async signedUrl(id: string, principal: Principal): Promise<{ url: string; inlineUrl?: string; expiresAt: number }> {
    try {
      const r = this.options.room(principal.tenantId);
      const row = ATTACHMENT_ID.test(id) ? r?.attachments.get(id) : undefined;
      if (!r || !row || !mayDownload(principal, row, r.accessMode(principal, row.session_id) !== undefined)) {
        throw refusal(403, 'forbidden', 'not allowed to download this file');
      }
      const expiresAt = this.options.clock.now() + ATTACHMENT_URL_TTL_MS;
      const url = `${this.options.origin()}${await this.signer.path(row.tenant_id, row.id, expiresAt)}`;
      return { url, ...(isInlineImageType(row.type) ? { inlineUrl: `${url}&inline=1` } : {}), expiresAt };
    } catch (error) {
      if (error instanceof HttpError) this.options.log.info('attachment.refused', { status: error.status, reason: error.code });
      throw error;
    }
  }

  /**
   * The attachment origin: `GET|HEAD /a/<tenant>/<id>?exp=&sig=[&inline=1]` with a valid, unexpired
   * signature serves the bytes (as a download unless an inline-safe image is asked inline); every
   * other request gets a plain refusal. Every answer carries {@link SECURITY_HEADERS}.
   */
  async download(request: Pick<HttpRequest, 'method' | 'url'>, rows: (tenantId: string) => AttachmentStore | undefined): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plainAnswer(405, 'method not allowed');
    const m = /^\/a\/([^/]+)\/([^/]+)$/.exec(request.url.pathname);
    const tenantId = m?.[1] ?? '';
    const id = m?.[2] ?? '';
    if (!TENANT_ID.test(tenantId) || !ATTACHMENT_ID.test(id)) return plainAnswer(404, 'not found');
    const exp = Number(request.url.searchParams.get('exp'));
    const sig = request.url.searchParams.get('sig') ?? '';
    if (!Number.isSafeInteger(exp) || !(await this.signer.verify(tenantId, id, exp, sig))) return plainAnswer(403, 'This link is not valid.');
    if (exp < this.options.clock.now()) return plainAnswer(403, 'This link has expired: open the file from the chat again.');
    const row = rows(tenantId)?.get(id);
    const blob = row ? await this.options.blobs.open(tenantId, id) : undefined;
    if (!row || !blob) return plainAnswer(404, 'This file no longer exists.');
    const inline = request.url.searchParams.get('inline') === '1' && isInlineImageType(row.type);
    const headers = {
      'Content-Type': row.type.startsWith('text/') ? `${row.type}; charset=utf-8` : row.type,
      'Content-Length': String(blob.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=${contentDispositionName(row.name)}`,
      'Cache-Control': 'private, max-age=300',
      ...SECURITY_HEADERS,
    };
    return new Response(request.method === 'HEAD' ? null : blob.body(), { status: 200, headers });
  }

  /** Deletes attachments (rows and bytes) uploaded but never sent within {@link UNSENT_ATTACHMENT_TTL_MS}. */
  async prune(db: SqlPort): Promise<number> {
    const rows = unsentAttachmentsBefore(db, this.options.clock.now() - UNSENT_ATTACHMENT_TTL_MS);
    for (const row of rows) {
      new AttachmentStore(db, row.tenant_id).delete(row.id);
      await this.options.blobs.delete(row.tenant_id, row.id).catch(() => undefined);
    }
    if (rows.length > 0) this.options.log.info('attachment.pruned', { count: rows.length });
    return rows.length;
  }
}
