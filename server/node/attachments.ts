/**
 * Attachments on the Node host: uploads streamed to disk, signed download URLs, and the
 * separate **attachment origin** (a second HTTP listener that serves nothing but the bytes of
 * stored files, sandboxed).
 *
 *   POST /api/attachments?sessionId=     (Bearer agent or customer)  raw file bytes, `X-File-Name` (URI-encoded)
 *                                        → 201 {attachment: {id, name, size, type}}
 *   GET  /api/attachments/limits         what the server accepts (size, types, `accept` value)
 *   GET  /api/attachments/<id>/url       (Bearer) → {url, inlineUrl?, expiresAt}   (signed, 5 min)
 *   GET  <attachment origin>/a/<tenant>/<id>?exp=&sig=[&inline=1]                  the bytes
 *
 * Storage: `<data>/attachments/<tenant>/<id>`; while receiving `<id>.part`, deleted on any
 * refusal or abort, so a refused upload leaves nothing behind. Metadata in SQLite (`attachments`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { ATTACHMENT_ACCEPT, ATTACHMENT_TYPES, isInlineImageType, nameForType, tooLargeMessage } from '../../src/protocol/attachments.js';
import type { AttachmentRefusal } from '../../src/protocol/attachments.js';
import {
  ATTACHMENT_URL_TTL_MS,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_FILE_BYTES,
  MAX_IMAGE_PIXELS,
  UNSENT_ATTACHMENT_TTL_MS,
  UPLOADS_PER_MINUTE,
} from '../../src/protocol/limits.js';
import type { AttachmentRow, FileSource } from '../core/attachments.js';
import {
  AttachmentStore,
  AttachmentUrlSigner,
  attachmentInfo,
  inspectFile,
  mayDownload,
  newAttachmentId,
  TextScan,
  unsentAttachmentsBefore,
} from '../core/attachments.js';
import type { Principal } from '../core/auth.js';
import type { Clock } from '../core/clock.js';
import type { ChatRoom, RoomLogger } from '../core/room/index.js';
import type { SqlPort } from '../core/sql.js';

export interface AttachmentHostOptions {
  db: SqlPort;
  /** The server's data directory; files go to `<dataDir>/attachments/<tenant>/<id>`. */
  dataDir: string;
  clock: Clock;
  /** Installation secret (signs download URLs). */
  secret: string;
  room(tenantId: string): ChatRoom | undefined;
  log: RoomLogger;
  /** Largest file in bytes (default {@link MAX_FILE_BYTES}). */
  maxFileBytes?: number;
  /** Host the download listener binds (the main server's). */
  host: string;
  /** Port of the download listener; 0 (default) picks a free one. */
  port?: number;
  /**
   * Public origin of the download listener, e.g. `https://files.chat.example.com` behind a proxy.
   * Default: the listener's own address (`http://localhost:<port>`).
   */
  origin?: string;
}

export interface AttachmentHost {
  /** The origin download URLs point to. */
  readonly origin: string;
  readonly port: number;
  /** `GET /api/attachments/limits`: what the server accepts. */
  limits(res: ServerResponse): void;
  /** `GET /api/attachments/<id>/url`: a short-lived signed download URL for `principal`. */
  signedUrl(res: ServerResponse, id: string, principal: Principal): Promise<void>;
  /** `POST /api/attachments?sessionId=`: the request body streamed to disk, checked, stored. */
  upload(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void>;
  /** Deletes attachments that were uploaded but never sent within {@link UNSENT_ATTACHMENT_TTL_MS}. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

/** How long the rest of a refused oversize upload is read and discarded before the connection closes. */
const DISCARD_MS = 2000;
const SESSION_ID = /^[\w.:-]{1,64}$/;
const TENANT_ID = /^[\w-]{1,64}$/;
const ATTACHMENT_ID = /^f_[\w-]{1,40}$/;

class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: AttachmentRefusal,
  ) {
    super(message);
  }
}

/** RFC 8187 `filename*` value: UTF-8, percent-encoded (everything but attr-chars). */
export function contentDispositionName(name: string): string {
  return `UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'",
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Referrer-Policy': 'no-referrer',
} as const;

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...(close ? { Connection: 'close' } : {}),
  });
  res.end(JSON.stringify(body));
}

export async function startAttachmentHost(options: AttachmentHostOptions): Promise<AttachmentHost> {
  const { db, clock, log } = options;
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const root = join(options.dataDir, 'attachments');
  const signer = new AttachmentUrlSigner(options.secret);
  const dirOf = (tenantId: string): string => {
    if (!TENANT_ID.test(tenantId)) throw new Error('bad tenant id');
    return join(root, tenantId);
  };
  const fileOf = (tenantId: string, id: string): string => {
    if (!ATTACHMENT_ID.test(id)) throw new Error('bad attachment id');
    return join(dirOf(tenantId), id);
  };

  // Partial files of uploads a crash interrupted.
  await mkdir(root, { recursive: true });
  for (const tenant of await readdir(root).catch(() => [] as string[])) {
    if (!TENANT_ID.test(tenant)) continue;
    for (const f of await readdir(join(root, tenant)).catch(() => [] as string[])) {
      if (f.endsWith('.part')) await unlink(join(root, tenant, f)).catch(() => undefined);
    }
  }

  // Uploads per user and minute.
  const buckets = new Map<string, { n: number; minute: number }>();
  const allowUpload = (p: Principal): boolean => {
    const key = `${p.tenantId}/${p.role}/${p.subjectId}`;
    const minute = Math.floor(clock.now() / 60_000);
    const b = buckets.get(key);
    if (b?.minute !== minute) {
      if (buckets.size > 10_000) buckets.clear();
      buckets.set(key, { n: 1, minute });
      return true;
    }
    b.n += 1;
    return b.n <= UPLOADS_PER_MINUTE;
  };

  const refuse = (res: ServerResponse, e: UploadRefused, close = false): void => {
    log.info('attachment.refused', { status: e.status, reason: e.reason ?? e.code });
    sendJson(res, e.status, { error: { code: e.code, message: e.message, ...(e.reason ? { reason: e.reason } : {}) } }, close);
  };

  /** Answers now and reads (and drops) whatever the client still sends, for a short while, then closes. */
  const refuseAndDiscard = (req: IncomingMessage, res: ServerResponse, e: UploadRefused): void => {
    refuse(res, e, true);
    req.removeAllListeners('data');
    req.on('data', () => undefined);
    req.on('error', () => undefined);
    req.resume();
    const timer = setTimeout(() => {
      req.socket.destroy();
    }, DISCARD_MS);
    timer.unref();
    req.on('end', () => {
      clearTimeout(timer);
    });
  };

  /** Streams the request body into `fh`: hashes it, scans it as text, stops at the limit. */
  const receive = (req: IncomingMessage, fh: FileHandle, scan: TextScan): Promise<{ size: number; sha256: string }> =>
    new Promise((resolve, reject) => {
      const hash = createHash('sha256');
      let size = 0;
      let settled = false;
      let ended = false;
      /** The write in flight: 'end' may come before it finished (the last chunk's read ends the stream). */
      let writing: Promise<void> = Promise.resolve();
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        req.pause();
        reject(error);
      };
      req.on('data', (buf: Buffer) => {
        if (settled) return;
        size += buf.length;
        if (size > maxBytes) {
          fail(new UploadRefused(413, 'invalid', tooLargeMessage(maxBytes), 'too_large'));
          return;
        }
        hash.update(buf);
        scan.push(buf);
        req.pause();
        writing = fh.write(buf).then(
          () => {
            if (!settled) req.resume();
          },
          (error: unknown) => {
            fail(error instanceof Error ? error : new Error('write failed'));
          },
        );
      });
      req.on('end', () => {
        ended = true;
        void writing.then(() => {
          if (settled) return;
          settled = true;
          resolve({ size, sha256: hash.digest('hex') });
        });
      });
      req.on('error', () => {
        fail(new Error('upload aborted'));
      });
      req.on('close', () => {
        if (!ended) fail(new Error('upload aborted'));
      });
    });

  const upload = async (req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void> => {
    const sessionId = url.searchParams.get('sessionId') ?? '';
    if (!SESSION_ID.test(sessionId)) throw new UploadRefused(400, 'invalid', 'sessionId: the id of the chat the file is for');
    const r = options.room(principal.tenantId);
    if (!r?.accessMode(principal, sessionId)) throw new UploadRefused(403, 'forbidden', 'not allowed in this session');
    const session = r.store.session(sessionId);
    if (session?.status !== 'queued' && session?.status !== 'active') throw new UploadRefused(409, 'session_closed', 'The chat has ended: files can no longer be sent.');
    const rawName = req.headers['x-file-name'];
    let name: string;
    try {
      if (typeof rawName !== 'string' || rawName === '' || rawName.length > 4096) throw new Error('missing');
      name = decodeURIComponent(rawName);
    } catch {
      throw new UploadRefused(400, 'invalid', 'X-File-Name: the file name, URI-encoded, is required.', 'name');
    }
    if (!allowUpload(principal)) throw new UploadRefused(429, 'rate_limited', 'Too many files in a short time: wait a minute.', 'rate_limited');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw new UploadRefused(413, 'invalid', tooLargeMessage(maxBytes), 'too_large');
    }

    const id = newAttachmentId();
    const dir = dirOf(principal.tenantId);
    await mkdir(dir, { recursive: true });
    const final = fileOf(principal.tenantId, id);
    const part = `${final}.part`;
    const fh = await open(part, 'wx+');
    let kept = false;
    try {
      const scan = new TextScan();
      const { size, sha256 } = await receive(req, fh, scan);
      const source: FileSource = {
        size,
        async read(offset, length) {
          const n = Math.max(0, Math.min(length, size - offset));
          const buf = Buffer.alloc(n);
          if (n === 0) return buf;
          const { bytesRead } = await fh.read(buf, 0, n, offset);
          return buf.subarray(0, bytesRead);
        },
      };
      const verdict = await inspectFile(source, { name, textOk: scan.finish(), maxPixels: MAX_IMAGE_PIXELS });
      if (!verdict.ok) throw new UploadRefused(verdict.status, 'invalid', verdict.message, verdict.reason);
      await fh.sync();
      await fh.close();
      await rename(part, final);
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
        await unlink(final).catch(() => undefined);
        throw error;
      }
      kept = true;
      log.info('attachment.stored', { type: row.type, size: row.size });
      sendJson(res, 201, { attachment: attachmentInfo(row) });
    } finally {
      if (!kept) {
        await fh.close().catch(() => undefined);
        await unlink(part).catch(() => undefined);
      }
    }
  };

  const signedUrl = async (res: ServerResponse, id: string, principal: Principal): Promise<void> => {
    const r = options.room(principal.tenantId);
    const row = ATTACHMENT_ID.test(id) ? r?.attachments.get(id) : undefined;
    if (!r || !row || !mayDownload(principal, row, r.accessMode(principal, row.session_id) !== undefined)) {
      throw new UploadRefused(403, 'forbidden', 'not allowed to download this file');
    }
    const expiresAt = clock.now() + ATTACHMENT_URL_TTL_MS;
    const url = `${origin}${await signer.path(row.tenant_id, row.id, expiresAt)}`;
    sendJson(res, 200, { url, ...(isInlineImageType(row.type) ? { inlineUrl: `${url}&inline=1` } : {}), expiresAt });
  };

  const limits = (res: ServerResponse): void => {
    sendJson(res, 200, {
      maxFileBytes: maxBytes,
      maxAttachmentsPerMessage: MAX_ATTACHMENTS_PER_MESSAGE,
      maxImagePixels: MAX_IMAGE_PIXELS,
      types: Object.keys(ATTACHMENT_TYPES),
      accept: ATTACHMENT_ACCEPT,
    });
  };

  const answerSignedUrl = async (res: ServerResponse, id: string, principal: Principal): Promise<void> => {
    try {
      await signedUrl(res, id, principal);
    } catch (error) {
      if (!(error instanceof UploadRefused)) throw error;
      refuse(res, error);
    }
  };

  const answerUpload = async (req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void> => {
    try {
      await upload(req, res, url, principal);
    } catch (error) {
      if (error instanceof UploadRefused) {
        refuseAndDiscard(req, res, error);
        return;
      }
      if (req.destroyed || req.socket.destroyed) {
        log.info('attachment.aborted');
        return;
      }
      throw error;
    }
  };

  // ---- the attachment origin -------------------------------------------------------------

  const plain = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
    res.end(text);
  };

  const download = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      plain(res, 405, 'method not allowed');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://attachments');
    } catch {
      plain(res, 400, 'bad request');
      return;
    }
    const m = /^\/a\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const tenantId = m?.[1] ?? '';
    const id = m?.[2] ?? '';
    if (!TENANT_ID.test(tenantId) || !ATTACHMENT_ID.test(id)) {
      plain(res, 404, 'not found');
      return;
    }
    const exp = Number(url.searchParams.get('exp'));
    const sig = url.searchParams.get('sig') ?? '';
    if (!Number.isSafeInteger(exp) || !(await signer.verify(tenantId, id, exp, sig))) {
      plain(res, 403, 'This link is not valid.');
      return;
    }
    if (exp < clock.now()) {
      plain(res, 403, 'This link has expired: open the file from the chat again.');
      return;
    }
    const row = new AttachmentStore(db, tenantId).get(id);
    const file = fileOf(tenantId, id);
    const info = row ? await stat(file).catch(() => undefined) : undefined;
    if (!row || !info?.isFile()) {
      plain(res, 404, 'This file no longer exists.');
      return;
    }
    const inline = url.searchParams.get('inline') === '1' && isInlineImageType(row.type);
    res.writeHead(200, {
      'Content-Type': row.type.startsWith('text/') ? `${row.type}; charset=utf-8` : row.type,
      'Content-Length': String(info.size),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=${contentDispositionName(row.name)}`,
      'Cache-Control': 'private, max-age=300',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    download(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const selfHost = options.host === '127.0.0.1' || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const origin = (options.origin ?? `http://${selfHost}:${String(port)}`).replace(/\/+$/, '');

  const prune = async (): Promise<number> => {
    const rows = unsentAttachmentsBefore(db, clock.now() - UNSENT_ATTACHMENT_TTL_MS);
    for (const row of rows) {
      new AttachmentStore(db, row.tenant_id).delete(row.id);
      await unlink(fileOf(row.tenant_id, row.id)).catch(() => undefined);
    }
    if (rows.length > 0) log.info('attachment.pruned', { count: rows.length });
    return rows.length;
  };
  const pruneTimer = setInterval(() => {
    prune().catch(() => undefined);
  }, 10 * 60_000);
  pruneTimer.unref();

  return {
    origin,
    port,
    limits,
    signedUrl: answerSignedUrl,
    upload: answerUpload,
    prune,
    async close() {
      clearInterval(pruneTimer);
      server.closeAllConnections();
      await new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
    },
  };
}

