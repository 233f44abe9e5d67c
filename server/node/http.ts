/**
 * Node's side of the host-independent HTTP API (server/core/http/): an `IncomingMessage` becomes
 * an {@link HttpRequest}, the Fetch `Response` the core answers is written to the
 * `ServerResponse`, with a request id and one access-log line per request. Also the demo's
 * static files from the static root.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { promisify } from 'node:util';
import * as zlibModule from 'node:zlib';

import type { HttpRequest } from '../core/http/router.js';
import { ClientGone, HttpError, parseRequestUrl } from '../core/http/router.js';
import type { ServerLogger } from './log.js';
import type { ClientAddress } from './client-address.js';
import type { HostMetrics } from './metrics.js';

/** How long the rest of a request body the answer did not need is read and dropped before the connection closes. */
const DISCARD_MS = 2000;

/**
 * The body of a request as an async iterable that pauses the socket between chunks. Stopping
 * early only pauses (unlike iterating the stream itself, which would destroy the socket before
 * the answer is written); the rest is discarded by {@link writeResponse}.
 */
function bodyOf(req: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => {
      const queue: Buffer[] = [];
      let ended = false;
      let failed = false;
      let wake: (() => void) | undefined;
      const poke = () => {
        const w = wake;
        wake = undefined;
        w?.();
      };
      const onData = (chunk: Buffer) => {
        queue.push(chunk);
        req.pause();
        poke();
      };
      const onEnd = () => {
        ended = true;
        poke();
      };
      const onGone = () => {
        if (!ended) failed = true;
        poke();
      };
      const stop = () => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('close', onGone);
        req.off('error', onGone);
        req.pause();
      };
      if (req.readableEnded) ended = true;
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('close', onGone);
      req.on('error', onGone);
      req.resume();
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const chunk = queue.shift();
            if (chunk) {
              if (queue.length === 0 && !ended) req.resume();
              return { value: chunk, done: false };
            }
            if (failed) {
              stop();
              throw new ClientGone('the client went away during the upload');
            }
            if (ended) {
              stop();
              return { value: undefined, done: true };
            }
            await new Promise<void>((done) => {
              wake = done;
            });
          }
        },
        return(): Promise<IteratorResult<Uint8Array>> {
          stop();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}

/** The core's view of a Node request, or undefined when its target is not a URL path. */
export function nodeRequest(req: IncomingMessage, id?: string, clientAddress?: ClientAddress): HttpRequest | undefined {
  const url = parseRequestUrl(req.url);
  if (!url) return undefined;
  return {
    ...(id !== undefined ? { id } : {}),
    method: req.method ?? 'GET',
    url,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    remoteAddress: clientAddress ? clientAddress(req) : (req.socket.remoteAddress ?? '?'),
    body: () => bodyOf(req),
  };
}

/**
 * Writes a Fetch response. A response with `Content-Length` and a body is streamed (files); the
 * others are small and written at once. When the answer came before the request body was read
 * (a refused upload), the rest is read and dropped for a short while; a client still sending after
 * that has its connection closed.
 */
export async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // Not `Connection: close`: Node would destroy the socket as soon as the answer is written, and a
  // client still sending would see EPIPE/ECONNRESET before it could read the answer (the 413 of an
  // oversize upload). The rest is read and dropped instead, for DISCARD_MS at most.
  if (!req.complete) discardRest(req);
  const stream = response.headers.has('content-length') && req.method !== 'HEAD' ? response.body : null;
  if (stream) {
    res.writeHead(response.status, headers);
    Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>)
      .on('error', () => res.destroy())
      .pipe(res);
    return;
  }
  const bytes = req.method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  if (res.destroyed) return;
  res.writeHead(response.status, headers);
  res.end(bytes);
}

function discardRest(req: IncomingMessage): void {
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
}

/** What the Node host adds around the core: its log, its metrics, the client address behind trusted proxies. */
export interface NodeHost {
  log?: ServerLogger;
  metrics?: HostMetrics;
  clientAddress?: ClientAddress;
}

/** Paths of probes: their access-log lines are at debug, so that info is about traffic. */
const PROBES = new Set(['/health', '/ready', '/metrics']);

/** A caller's `X-Request-Id` is kept when it is short and plain; otherwise the server makes one. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Answers one request with `handle` (never throws). A request target that is not a URL path, and
 * a failure of `handle` itself, are answered by `fallback(400 | 500)`.
 * Each request has an id (the proxy's `X-Request-Id`, or a new one), sent back in `X-Request-Id`
 * and written on its access-log line (`event: 'http'`) and on any error line about it.
 */
export function serveNode(req: IncomingMessage, res: ServerResponse, handle: (request: HttpRequest) => Promise<Response>, fallback: (status: 400 | 500) => Response, host: NodeHost = {}): void {
  const { log, metrics, clientAddress } = host;
  const given = req.headers['x-request-id'];
  const reqId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', reqId);
  const request = nodeRequest(req, reqId, clientAddress);
  if (log) accessLog(req, res, log, reqId, request?.remoteAddress ?? req.socket.remoteAddress ?? '?', metrics);
  const answer = request ? handle(request).catch(() => fallback(500)) : Promise.resolve(fallback(400));
  answer
    .then((response) => writeResponse(req, res, response))
    .catch(() => {
      res.destroy();
    });
}

/** Writes the request's `http` line when its answer is done (or the client went away). */
function accessLog(req: IncomingMessage, res: ServerResponse, log: ServerLogger, reqId: string, addr: string, metrics?: HostMetrics): void {
  const started = performance.now();
  // Kept now: once a request ends, `req.socket` may be gone (a refused upload destroys it).
  const socket = req.socket;
  const sentBefore = socket.bytesWritten;
  res.once('close', () => {
    const path = parseRequestUrl(req.url)?.pathname ?? '?';
    const fields = {
      reqId,
      method: req.method ?? '?',
      path,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      bytes: socket.bytesWritten - sentBefore,
      addr,
      ...(res.writableFinished ? {} : { aborted: true }),
      ...(typeof req.headers['user-agent'] === 'string' ? { ua: req.headers['user-agent'].slice(0, 200) } : {}),
    };
    metrics?.request(fields.method, res.statusCode, fields.ms / 1000);
    if (res.statusCode >= 500) log.error('http', fields);
    else if (PROBES.has(path) && res.statusCode < 400) log.debug('http', fields);
    else log.info('http', fields);
  });
}

// ---- static files -------------------------------------------------------------------------------

const zlib = zlibModule.constants;
const brotli = promisify(zlibModule.brotliCompress);
const gzip = promisify(zlibModule.gzip);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Rollup's lazy chunks carry a content hash (`chunks/<name>-<8 characters>.js`): never changed. */
const HASHED = /^\/dist\/cdn\/chunks\/[^/]+-[A-Za-z0-9_-]{8}\.js$/;
/** Text worth compressing (images are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);
/** Smaller files go as they are (compression would save less than a packet). */
const MIN_COMPRESS_BYTES = 1024;

type Encoding = 'br' | 'gzip';

/** The encodings a request accepts, best first (`q=0` refuses one). */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return (['br', 'gzip'] as const).filter(ok);
}

/**
 * Compressed copies made at run time (files the build did not precompress: demo pages, the
 * library's modules, a stale precompressed copy), kept per content hash; about 64 MB at most, then
 * started over.
 */
const compressedCache = new Map<string, Promise<Buffer>>();
let compressedBytes = 0;

function compressed(file: string, hash: string, encoding: Encoding): Promise<Buffer> {
  const key = `${file}\n${hash}\n${encoding}`;
  let entry = compressedCache.get(key);
  if (!entry) {
    if (compressedBytes > 64 * 1024 * 1024) {
      compressedCache.clear();
      compressedBytes = 0;
    }
    entry = readFile(file).then((bytes) =>
      encoding === 'br'
        ? // Quality 11, as the build's .br: compressed once per content and kept.
          brotli(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : gzip(bytes, { level: 6 }),
    );
    compressedCache.set(key, entry);
    void entry.then(
      (b) => (compressedBytes += b.length),
      () => compressedCache.delete(key),
    );
  }
  return entry;
}

/**
 * What identifies a file's bytes on this machine while the process runs: size, times and inode.
 * Only a cache key: `ctime` changes with every write or re-extraction (nobody can set it), so a
 * changed file never keeps an old hash; what is served is decided by content alone.
 */
const statKey = (stat: Stats): string => `${String(stat.size)}:${String(stat.mtimeMs)}:${String(stat.ctimeMs)}:${String(stat.ino)}`;

/** SHA-256 of bytes, base64url (the ETag and the freshness of precompressed copies). */
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64url');

const hashCache = new Map<string, { key: string; hash: Promise<string> }>();

/** The content hash of a static file, computed once per version of it. */
function contentHash(file: string, stat: Stats): Promise<string> {
  const key = statKey(stat);
  const cached = hashCache.get(file);
  if (cached?.key === key) return cached.hash;
  const hash = readFile(file).then(sha256);
  hashCache.set(file, { key, hash });
  void hash.catch(() => hashCache.delete(file));
  return hash;
}

const brotliDecompress = promisify(zlibModule.brotliDecompress);
const gunzip = promisify(zlibModule.gunzip);
const siblingCache = new Map<string, { key: string; fresh: Promise<boolean> }>();

/**
 * Whether the build's `.br`/`.gz` beside a file holds exactly that file's bytes: decompressed
 * (never to more than the file's size) and hashed, once per version of both. File times do not
 * decide it: an installed package's extraction resets them (npm gives every file the same one),
 * and a copy or a checkout may make an old copy look newer than its source.
 */
function precompressedMatches(sibling: string, siblingStat: Stats, encoding: Encoding, source: { hash: string; size: number }): Promise<boolean> {
  const key = `${statKey(siblingStat)}\n${source.hash}`;
  const cached = siblingCache.get(sibling);
  if (cached?.key === key) return cached.fresh;
  const limit = { maxOutputLength: Math.max(1, source.size) };
  const fresh = readFile(sibling)
    .then((bytes) => (encoding === 'br' ? brotliDecompress(bytes, limit) : gunzip(bytes, limit)))
    .then(
      (bytes) => bytes.length === source.size && sha256(bytes) === source.hash,
      // Not a valid stream, or larger than the source: not this file's copy.
      () => false,
    );
  siblingCache.set(sibling, { key, fresh });
  return fresh;
}

/**
 * `/demo/…`, `/dist/…` and `/themes/…` from the static root (never outside it); 404 otherwise. Scripts and
 * pages are sent compressed when the browser accepts it (brotli, else gzip): the build's `.br`/`.gz`
 * beside a bundle when it holds that bundle's content (checked by hash, not by file times), else
 * compressed once here and kept. Caching: content-hashed chunks are `immutable` for a year;
 * everything else is `no-cache` with an ETag of its content hash, so a reload revalidates with a
 * 304, and the same bytes keep their ETag across a reinstall or a restart.
 */
export function staticFileFrom(staticRoot: string | undefined): (request: HttpRequest) => Promise<Response> {
  const root = staticRoot === undefined ? undefined : resolve(staticRoot);
  return async (request) => {
    if (!root) throw new HttpError(404, 'not_found', 'not found');
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(request.url.pathname));
    } catch {
      throw new HttpError(400, 'invalid', 'bad path');
    }
    if (!rel.startsWith('/demo/') && !rel.startsWith('/dist/') && !rel.startsWith('/themes/') && rel !== '/demo') throw new HttpError(404, 'not_found', 'not found');
    let file = resolve(join(root, rel));
    if (!file.startsWith(root + sep)) throw new HttpError(404, 'not_found', 'not found');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) throw new HttpError(404, 'not_found', 'not found');
    const type = extname(file);
    const stat = statSync(file);
    const hash = await contentHash(file, stat);
    const immutable = HASHED.test(rel);

    let encoding: Encoding | undefined;
    let body: Buffer | string = file; // a path: streamed as it is
    let length = stat.size;
    if (COMPRESSIBLE.has(type) && stat.size >= MIN_COMPRESS_BYTES) {
      for (const candidate of acceptedEncodings(request.header('accept-encoding'))) {
        const sibling = `${file}.${candidate === 'br' ? 'br' : 'gz'}`;
        const siblingStat = existsSync(sibling) ? statSync(sibling) : undefined;
        encoding = candidate;
        if (siblingStat?.isFile() && (await precompressedMatches(sibling, siblingStat, candidate, { hash, size: stat.size }))) {
          body = sibling;
          length = siblingStat.size;
        } else {
          body = await compressed(file, hash, candidate);
          length = body.length;
        }
        break;
      }
    }
    const etag = `W/"${hash}${encoding ? `-${encoding}` : ''}"`;
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[type] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      ...(COMPRESSIBLE.has(type) ? { Vary: 'Accept-Encoding' } : {}),
    };
    if (request.header('if-none-match')?.split(',').map((t) => t.trim()).includes(etag) === true) return new Response(null, { status: 304, headers });
    // A file is read up to the size it had when it was measured for Content-Length: a file
    // rewritten meanwhile (a deploy, a rebuild) must not add bytes the client will read as the
    // start of its next response on this keep-alive connection.
    const stream =
      typeof body !== 'string' ? new Uint8Array(body) : length === 0 ? new Uint8Array(0) : (Readable.toWeb(createReadStream(body, { start: 0, end: length - 1 })) as unknown as ReadableStream<Uint8Array>);
    return new Response(stream, { status: 200, headers: { ...headers, 'Content-Length': String(length), ...(encoding ? { 'Content-Encoding': encoding } : {}) } });
  };
}
