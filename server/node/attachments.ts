/**
 * Attachments on the Node host: the files in a folder, and the separate **attachment origin** (a
 * second HTTP listener that serves nothing but the bytes of stored files, sandboxed). Uploads,
 * signed URLs and the download answer are the host-independent `AttachmentService`
 * (server/core/attachment-service.ts); this is its {@link BlobStore} and listener.
 *
 * Storage: `<data>/attachments/<tenant>/<id>`; while receiving `<id>.part`, deleted on any
 * refusal or abort (and at start-up, for uploads a crash interrupted), so a refused upload leaves
 * nothing behind. Metadata in SQLite (`attachments`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { BlobDraft, BlobStore } from '../core/attachment-service.js';
import { ATTACHMENT_ID, AttachmentService, plainAnswer, TENANT_ID } from '../core/attachment-service.js';
import { AttachmentStore } from '../core/attachments.js';
import type { Clock } from '../core/clock.js';
import type { ChatRoom, RoomLogger } from '../core/room/index.js';
import type { SqlPort } from '../core/sql.js';
import { serveNode } from './http.js';

export interface AttachmentHostOptions {
  db: SqlPort;
  /** The server's data directory; files go to `<dataDir>/attachments/<tenant>/<id>`. */
  dataDir: string;
  clock: Clock;
  /** Installation secret (signs download URLs). */
  secret: string;
  room(tenantId: string): ChatRoom | undefined;
  log: RoomLogger;
  /** Largest file in bytes (default `MAX_FILE_BYTES`). */
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
  /** Uploads, signed URLs, limits (the API's `app.attachments`). */
  readonly service: AttachmentService;
  /** Deletes attachments that were uploaded but never sent within a day. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

/** Files under `<root>/<tenant>/<id>`, written as `<id>.part` and renamed once complete. */
function folderBlobs(root: string): BlobStore {
  const dirOf = (tenantId: string): string => {
    if (!TENANT_ID.test(tenantId)) throw new Error('bad tenant id');
    return join(root, tenantId);
  };
  const fileOf = (tenantId: string, id: string): string => {
    if (!ATTACHMENT_ID.test(id)) throw new Error('bad attachment id');
    return join(dirOf(tenantId), id);
  };
  return {
    async begin(tenantId, id): Promise<BlobDraft> {
      await mkdir(dirOf(tenantId), { recursive: true });
      const final = fileOf(tenantId, id);
      const part = `${final}.part`;
      const fh = await open(part, 'wx+');
      const hash = createHash('sha256');
      let size = 0;
      let closed = false;
      return {
        async write(chunk) {
          hash.update(chunk);
          size += chunk.length;
          await fh.write(chunk);
        },
        source: {
          get size() {
            return size;
          },
          async read(offset, length) {
            const n = Math.max(0, Math.min(length, size - offset));
            const buf = Buffer.alloc(n);
            if (n === 0) return buf;
            const { bytesRead } = await fh.read(buf, 0, n, offset);
            return buf.subarray(0, bytesRead);
          },
        },
        sha256: () => Promise.resolve(hash.digest('hex')),
        async commit() {
          await fh.sync();
          closed = true;
          await fh.close();
          await rename(part, final);
        },
        async discard() {
          if (!closed) await fh.close().catch(() => undefined);
          await unlink(part).catch(() => undefined);
        },
      };
    },
    async open(tenantId, id) {
      const file = fileOf(tenantId, id);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return { size: info.size, body: () => Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array> };
    },
    async delete(tenantId, id) {
      await unlink(fileOf(tenantId, id)).catch(() => undefined);
    },
  };
}

export async function startAttachmentHost(options: AttachmentHostOptions): Promise<AttachmentHost> {
  const { db, log } = options;
  const root = join(options.dataDir, 'attachments');

  // Partial files of uploads a crash interrupted.
  await mkdir(root, { recursive: true });
  for (const tenant of await readdir(root).catch(() => [] as string[])) {
    if (!TENANT_ID.test(tenant)) continue;
    for (const f of await readdir(join(root, tenant)).catch(() => [] as string[])) {
      if (f.endsWith('.part')) await unlink(join(root, tenant, f)).catch(() => undefined);
    }
  }

  let origin = '';
  const service = new AttachmentService({
    clock: options.clock,
    secret: options.secret,
    log,
    blobs: folderBlobs(root),
    room: (tenantId) => options.room(tenantId),
    origin: () => origin,
    maxFileBytes: options.maxFileBytes,
  });

  // ---- the attachment origin -------------------------------------------------------------
  const server: Server = createServer((req, res) => {
    serveNode(
      req,
      res,
      (request) => service.download(request, (tenantId) => new AttachmentStore(db, tenantId)),
      (status) => plainAnswer(status, status === 400 ? 'bad request' : 'internal error'),
    );
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
  origin = (options.origin ?? `http://${selfHost}:${String(port)}`).replace(/\/+$/, '');

  const prune = (): Promise<number> => service.prune(db);
  const pruneTimer = setInterval(() => {
    prune().catch(() => undefined);
  }, 10 * 60_000);
  pruneTimer.unref();

  return {
    origin,
    port,
    service,
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
