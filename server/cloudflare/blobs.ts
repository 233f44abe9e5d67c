/**
 * Attachment bytes in R2 (local R2 under `wrangler dev`): the core's `BlobStore`. An upload is
 * received into memory (at most the file limit, 10 MB by default), inspected there and put to R2
 * only once accepted, so a refused or aborted upload never reaches the bucket.
 */
import type { BlobDraft, BlobStore } from '../core/attachment-service.js';
import { ATTACHMENT_ID, TENANT_ID } from '../core/attachment-service.js';
import { concatBytes } from '../core/http/router.js';

function keyOf(tenantId: string, id: string): string {
  if (!TENANT_ID.test(tenantId) || !ATTACHMENT_ID.test(id)) throw new Error('bad attachment key');
  return `${tenantId}/${id}`;
}

export function r2Blobs(bucket: R2Bucket): BlobStore {
  return {
    begin(tenantId, id): Promise<BlobDraft> {
      const key = keyOf(tenantId, id);
      const chunks: Uint8Array[] = [];
      let size = 0;
      let joined: Uint8Array<ArrayBuffer> | undefined;
      const bytes = (): Uint8Array<ArrayBuffer> => {
        joined ??= concatBytes(chunks, size);
        return joined;
      };
      return Promise.resolve({
        write(chunk) {
          chunks.push(chunk.slice());
          size += chunk.length;
          joined = undefined;
          return Promise.resolve();
        },
        source: {
          get size() {
            return size;
          },
          read(offset, length) {
            return Promise.resolve(bytes().subarray(offset, Math.min(size, offset + length)));
          },
        },
        async sha256() {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes()));
          return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
        },
        async commit(contentType) {
          await bucket.put(key, bytes(), { httpMetadata: { contentType } });
        },
        discard() {
          chunks.length = 0;
          joined = undefined;
          return Promise.resolve();
        },
      });
    },
    async open(tenantId, id) {
      const object = await bucket.get(keyOf(tenantId, id));
      if (!object) return undefined;
      return { size: object.size, body: () => object.body };
    },
    async delete(tenantId, id) {
      await bucket.delete(keyOf(tenantId, id));
    },
  };
}
