/**
 * The HTTP side of the client core for the agent tools: file uploads with progress
 * (XMLHttpRequest, so the browser reports upload progress), signed download URLs, and the
 * reply library. Every call carries the access token from the host's `getAccessToken()` as
 * `Authorization: Bearer`; the token is never stored here.
 *
 * Failures reject with {@link ChatHttpError} (a {@link ChatError} with the HTTP `status`, the
 * server's `reason` for refused uploads and `fields` for reply validation errors); an aborted
 * upload rejects with a `DOMException` named `AbortError`.
 */
import type { AttachmentInfo, AttachmentRefusal, Reply, ReplyInput, ReplyKind, ReplyLanguage } from '../protocol/index.js';

import type { ChannelSettingsUpdate, ChannelSettingsView, WrapUpSettings } from '../protocol/channel-settings.js';
import { ErrorCode } from '../protocol/server-frames.js';
import type { AttachmentLimits } from '../protocol/attachments.js';
import { tooLargeMessage } from '../protocol/attachments.js';
import { ATTACHMENT_URL_TTL_MS } from '../protocol/limits.js';
import { ChatHttpError } from './types.js';

/** The protocol's error codes: an HTTP error with another code is reported as the fallback. */
const ERROR_CODES: readonly string[] = ErrorCode.options;

export { ChatHttpError } from './types.js';

/** Upload progress: bytes sent so far of `total`. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  /** Called as bytes leave the browser (not when the server has stored them: that is when the promise resolves). */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting rejects with an `AbortError`; the server keeps nothing of a partial upload. */
  signal?: AbortSignal;
}

/** What the server accepts (`GET /api/attachments/limits`); the type is the protocol's. */
export type { AttachmentLimits };

/** Filters of {@link listReplies}. */
export interface ReplyQuery {
  /** Only replies offered in this channel (those without a channel filter included). */
  channelId?: string | undefined;
  /** Case-insensitive search in title, text, shortcut and folder. */
  q?: string | undefined;
  kind?: ReplyKind | undefined;
  language?: ReplyLanguage | undefined;
}

export type AccessTokenProvider = () => string | Promise<string>;

function errorFrom(status: number, body: unknown): ChatHttpError {
  const e = (body as { error?: { code?: unknown; message?: unknown; reason?: unknown; fields?: unknown } } | undefined)?.error;
  const fallback: ErrorCode =
    status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 409 ? 'conflict' : status === 429 ? 'rate_limited' : status >= 500 ? 'internal' : 'invalid';
  const code = typeof e?.code === 'string' && ERROR_CODES.includes(e.code) ? (e.code as ErrorCode) : fallback;
  const message = typeof e?.message === 'string' ? e.message : `HTTP ${String(status)}`;
  const reason = typeof e?.reason === 'string' ? (e.reason as AttachmentRefusal) : undefined;
  const fields =
    typeof e?.fields === 'object' && e.fields !== null
      ? Object.fromEntries(Object.entries(e.fields as Record<string, unknown>).filter((x): x is [string, string] => typeof x[1] === 'string'))
      : undefined;
  return new ChatHttpError(code, message, status, reason, fields);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isAttachmentInfo = (a: unknown): a is AttachmentInfo =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as AttachmentInfo).id === 'string' &&
  typeof (a as AttachmentInfo).name === 'string' &&
  typeof (a as AttachmentInfo).size === 'number' &&
  typeof (a as AttachmentInfo).type === 'string';

const isReply = (r: unknown): r is Reply =>
  typeof r === 'object' &&
  r !== null &&
  typeof (r as Reply).id === 'string' &&
  typeof (r as Reply).kind === 'string' &&
  typeof (r as Reply).title === 'string' &&
  typeof (r as Reply).text === 'string';

/**
 * The agent-tools HTTP API of one client. `baseUrl` is the chat server; `getAccessToken` the
 * host's access-token provider (undefined: every call rejects with `unauthenticated`).
 */
export function createAgentTools(baseUrl: string, getAccessToken: AccessTokenProvider | undefined) {
  const base = baseUrl.replace(/\/+$/, '');

  async function token(): Promise<string> {
    if (!getAccessToken) throw new ChatHttpError('unauthenticated', 'this client has no getAccessToken option', 401);
    return getAccessToken();
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await token()}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ChatHttpError('offline', 'the chat server could not be reached', 0);
    }
    const data = parse(await res.text());
    if (!res.ok) throw errorFrom(res.status, data);
    return data as T;
  }

  /**
   * Uploads one file to a chat (agents and customers of the session). Resolves with the stored
   * attachment (its `name` sanitised and `type` decided by the server from the bytes); send it
   * with `send(sessionId, text, 'text', [id])`. Refusals reject with {@link ChatHttpError}
   * carrying the server's message (`status` 413 too large, 415 type, 409 chat ended …).
   */
  async function uploadAttachment(sessionId: string, file: Blob & { readonly name: string }, options: UploadOptions = {}): Promise<AttachmentInfo> {
    const { signal, onProgress } = options;
    const abortError = () => new DOMException('The upload was aborted', 'AbortError');
    if (signal?.aborted) throw abortError();
    // Known limits (after `attachmentLimits()`): refuse here instead of sending megabytes to be refused.
    if (knownLimits && file.size > knownLimits.maxFileBytes) {
      throw new ChatHttpError('invalid', tooLargeMessage(knownLimits.maxFileBytes), 413, 'too_large');
    }
    const auth = await token();
    if (signal?.aborted) throw abortError();
    return new Promise<AttachmentInfo>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const onAbort = () => {
        xhr.abort();
      };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
      };
      xhr.open('POST', `${base}/api/attachments?sessionId=${encodeURIComponent(sessionId)}`);
      xhr.setRequestHeader('Authorization', `Bearer ${auth}`);
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      xhr.withCredentials = false;
      if (onProgress) {
        xhr.upload.addEventListener('progress', (e) => {
          onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
        });
      }
      xhr.addEventListener('load', () => {
        done();
        const data = parse(xhr.responseText);
        if (xhr.status === 201) {
          const attachment = (data as { attachment?: unknown } | undefined)?.attachment;
          if (isAttachmentInfo(attachment)) resolve({ id: attachment.id, name: attachment.name, size: attachment.size, type: attachment.type });
          else reject(new ChatHttpError('internal', 'unexpected answer from the chat server', xhr.status));
          return;
        }
        reject(errorFrom(xhr.status, data));
      });
      xhr.addEventListener('error', () => {
        done();
        reject(new ChatHttpError('offline', 'the upload failed: the chat server could not be reached', 0));
      });
      xhr.addEventListener('abort', () => {
        done();
        reject(abortError());
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send(file);
    });
  }

  let limits: Promise<AttachmentLimits> | undefined;
  let knownLimits: AttachmentLimits | undefined;
  /** What the server accepts (fetched once). Afterwards `uploadAttachment` refuses oversize files without sending them. */
  function attachmentLimits(): Promise<AttachmentLimits> {
    limits ??= request<AttachmentLimits>('GET', '/api/attachments/limits').then(
      (value) => {
        knownLimits = value;
        return value;
      },
      (error: unknown) => {
        limits = undefined;
        throw error;
      },
    );
    return limits;
  }

  const urls = new Map<string, { url: string; inlineUrl?: string; until: number }>();
  /**
   * A short-lived signed URL (5 min) for downloading an attachment from the attachment origin;
   * `inline: true` gives the thumbnail URL of a raster image (others get the download URL).
   * Cached while it has more than a minute left. Only participants of the chat get one.
   */
  async function attachmentUrl(id: string, options: { inline?: boolean } = {}): Promise<string> {
    const now = Date.now();
    let entry = urls.get(id);
    if (!entry || entry.until < now) {
      const data = await request<{ url?: unknown; inlineUrl?: unknown }>('GET', `/api/attachments/${encodeURIComponent(id)}/url`);
      if (typeof data.url !== 'string') throw new ChatHttpError('internal', 'unexpected answer from the chat server', 200);
      // Valid for ATTACHMENT_URL_TTL_MS on the server clock; reused here until a minute before that.
      entry = { url: data.url, ...(typeof data.inlineUrl === 'string' ? { inlineUrl: data.inlineUrl } : {}), until: now + ATTACHMENT_URL_TTL_MS - 60_000 };
      if (urls.size > 500) urls.clear();
      urls.set(id, entry);
    }
    return options.inline && entry.inlineUrl ? entry.inlineUrl : entry.url;
  }

  /** Shared replies and my own, with my favourite and usage (`GET /api/replies`). */
  async function listReplies(query: ReplyQuery = {}): Promise<Reply[]> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '') params.set(k, v);
    const qs = params.toString();
    const data = await request<{ replies?: unknown }>('GET', `/api/replies${qs ? `?${qs}` : ''}`);
    return Array.isArray(data.replies) ? data.replies.filter(isReply) : [];
  }

  const one = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const data = await request<{ reply?: unknown }>(method, path, body);
    if (!isReply(data.reply)) throw new ChatHttpError('internal', 'unexpected answer from the chat server', 200);
    return data.reply;
  };

  /** Creates a reply (personal unless `shared: true`, which needs manageQuickReplies). */
  const createReply = (input: ReplyInput) => one('POST', '/api/replies', input);
  /** Changes some fields of a reply (`null` clears shortcut, channelIds or url). */
  const updateReply = (id: string, patch: Partial<ReplyInput>) => one('PATCH', `/api/replies/${encodeURIComponent(id)}`, patch);
  /** Deletes a reply (my own; shared ones need manageQuickReplies). */
  const deleteReply = (id: string) => request<unknown>('DELETE', `/api/replies/${encodeURIComponent(id)}`).then(() => undefined);
  /** Marks or unmarks a reply as one of my favourites. */
  const favouriteReply = (id: string, on: boolean) => one('POST', `/api/replies/${encodeURIComponent(id)}/favourite`, { on });
  /** Records that I inserted a reply (recently used, use count). */
  const markReplyUsed = (id: string) => one('POST', `/api/replies/${encodeURIComponent(id)}/used`, {});

  const isSettingsView = (x: unknown): x is ChannelSettingsView =>
    typeof x === 'object' && x !== null && typeof (x as ChannelSettingsView).id === 'string' && typeof (x as ChannelSettingsView).settings === 'object' && Array.isArray((x as ChannelSettingsView).agents);
  const settingsView = async (method: string, channelId: string, body?: ChannelSettingsUpdate): Promise<ChannelSettingsView> => {
    const data = await request<unknown>(method, `/api/channels/${encodeURIComponent(channelId)}/settings`, body);
    if (!isSettingsView(data)) throw new ChatHttpError('internal', 'unexpected answer from the chat server', 200);
    return data;
  };
  /** A channel's settings, its agents and their permissions (managers of the channel only). */
  const getChannelSettings = (channelId: string) => settingsView('GET', channelId);
  /** Changes a channel's settings (fields given); rejects with `fields` naming each refused value. */
  const saveChannelSettings = (channelId: string, update: ChannelSettingsUpdate) => settingsView('PUT', channelId, update);

  /**
   * What a channel asks of an agent who ends a chat (`GET /api/channels/<id>/wrap-up`: closing
   * comment off / optional / required, its tags, a tag required); any agent of the channel.
   */
  const getWrapUpSettings = async (channelId: string): Promise<WrapUpSettings> => {
    const data = await request<unknown>('GET', `/api/channels/${encodeURIComponent(channelId)}/wrap-up`);
    const w = data as Partial<WrapUpSettings> | null;
    const ok =
      typeof w === 'object' && w !== null && ['off', 'optional', 'required'].includes(w.comment ?? '') && Array.isArray(w.tags) && w.tags.every((t) => typeof t === 'string') && typeof w.tagsRequired === 'boolean';
    if (!ok) throw new ChatHttpError('internal', 'unexpected answer from the chat server', 200);
    return { comment: w.comment ?? 'optional', tags: w.tags ?? [], tagsRequired: w.tagsRequired ?? false };
  };

  /** Drops cached download URLs (logout). */
  function forget(): void {
    urls.clear();
    limits = undefined;
    knownLimits = undefined;
  }

  return {
    uploadAttachment,
    attachmentLimits,
    attachmentUrl,
    listReplies,
    createReply,
    updateReply,
    deleteReply,
    favouriteReply,
    markReplyUsed,
    getChannelSettings,
    saveChannelSettings,
    getWrapUpSettings,
    forget,
  };
}
