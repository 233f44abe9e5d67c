/**
 * Files in messages (`ChatMessage.attachments`): one row per file with an icon by type, the name
 * (bidi controls removed, the extension always visible even when the name is cut), the size and
 * a Download button that asks the client for a signed URL when pressed (the client reuses one it
 * got less than 4 minutes ago, see `attachmentUrl` in state/agent-tools.ts); raster images also get a
 * thumbnail of a fixed size (so rows never jump when it loads) with `alt=""` next to the name.
 *
 * Kept apart from chat-message-list.component.ts on purpose: the list renders
 * `renderAttachments(message.attachments, files)` and adds `attachmentStyles`. The file-name and
 * size helpers are shared with the composer's file chips.
 */
import { msg, str } from '@lit/localize';
import type { TemplateResult } from 'lit';
import { css, html, nothing, svg } from 'lit';
import { AsyncDirective } from 'lit/async-directive.js';
import { directive } from 'lit/directive.js';

import { getChatLocale } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { formatBytes, isInlineImageType } from '../../protocol/attachments.js';
import type { AttachmentInfo } from '../../protocol/model.js';

/** Control and bidirectional formatting characters (they can make `gpj.exe` read as `exe.jpg`). */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Longest extension shown apart from the name (longer ones are part of the name). */
const MAX_EXTENSION = 8;

/**
 * A file name split for display: bidi and control characters removed (again: names are data), and
 * the extension apart, so the interface can cut the stem and never the extension
 * (`invoice\u202Egpj.exe` → `{stem: 'invoicegpj', extension: '.exe'}`).
 */
export function displayFileName(raw: string): { stem: string; extension: string; full: string } {
  const full = raw.replace(UNSAFE, '').trim() || 'file';
  const dot = full.lastIndexOf('.');
  if (dot <= 0 || dot === full.length - 1 || full.length - dot - 1 > MAX_EXTENSION) return { stem: full, extension: '', full };
  return { stem: full.slice(0, dot), extension: full.slice(dot), full };
}

/** A file size in the chat's locale (`formatBytes`: the product's one rule, 1 kB = 1,024 bytes). */
export function formatSize(bytes: number): string {
  return formatBytes(bytes, getChatLocale());
}

export type FileKind = 'image' | 'pdf' | 'word' | 'excel' | 'zip' | 'text' | 'other';

/** What kind of file a MIME type is, for its icon and spoken type. */
export function fileKind(type: string): FileKind {
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.includes('wordprocessingml')) return 'word';
  if (type.includes('spreadsheetml')) return 'excel';
  if (type === 'application/zip') return 'zip';
  if (type === 'text/plain' || type === 'text/csv') return 'text';
  return 'other';
}

/** The kind as words (for screen readers and tooltips). */
export function fileKindText(kind: FileKind): string {
  switch (kind) {
    case 'image':
      return msg('Image', { id: 'chat-message-list.file.kind.image' });
    case 'pdf':
      return msg('PDF document', { id: 'chat-message-list.file.kind.pdf' });
    case 'word':
      return msg('Word document', { id: 'chat-message-list.file.kind.word' });
    case 'excel':
      return msg('Excel spreadsheet', { id: 'chat-message-list.file.kind.excel' });
    case 'zip':
      return msg('ZIP archive', { id: 'chat-message-list.file.kind.zip' });
    case 'text':
      return msg('Text file', { id: 'chat-message-list.file.kind.text' });
    default:
      return msg('File', { id: 'chat-message-list.file.kind.other' });
  }
}

const page = svg`<path d="M4 1.5h5.5L13 5v9.5H4z" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/><path d="M9.5 1.5V5H13" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/>`;
const fileIcons: Record<FileKind, TemplateResult> = {
  image: html`<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="1.5" y="2.5" width="13" height="11" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/><circle cx="5.5" cy="6" r="1.3" fill="currentColor"/><path d="m2 12 4-4 3 3 2-2 3 3" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/></svg>`,
  pdf: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M5.5 11.5h5M5.5 9h5" stroke="currentColor" stroke-width="1.2"/></svg>`,
  word: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="m5.5 8 1 4 1.5-3 1.5 3 1-4" fill="none" stroke="currentColor" stroke-width="1.1" stroke-linejoin="round"/></svg>`,
  excel: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="m6 8 4 4m0-4-4 4" stroke="currentColor" stroke-width="1.2"/></svg>`,
  zip: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M7 2v2h1v1H7v1h1v1H7v1.5" fill="none" stroke="currentColor" stroke-width="1"/></svg>`,
  text: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M5.5 8h5M5.5 10h5M5.5 12h3" stroke="currentColor" stroke-width="1.1"/></svg>`,
  other: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}</svg>`,
};

/** The icon of a file kind (decorative). */
export const fileIcon = (kind: FileKind): TemplateResult => fileIcons[kind];

const downloadIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M8 2v8M4.5 7 8 10.5 11.5 7M2.5 13.5h11"/></svg>`;

/**
 * A file name with the stem cut (ellipsis) before the extension, which always stays visible.
 * Screen readers get the whole name as one piece of text.
 */
export function fileNameTemplate(name: string, part = 'file-name'): TemplateResult {
  const n = displayFileName(name);
  return html`<span class="file-name" part=${part} title=${n.full}
    ><span class="file-shown" aria-hidden="true"
      ><span class="file-stem">${n.stem}</span>${n.extension !== '' ? html`<span class="file-ext">${n.extension}</span>` : nothing}</span
    ><span class="visually-hidden">${n.full}</span></span
  >`;
}

/** Opens a URL of the attachment origin as a download (its answers say `Content-Disposition: attachment`). */
export function openDownload(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener noreferrer';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

/** How long a thumbnail URL from the client is used for new renders (see `thumbnail()`). */
const THUMB_URL_KEEP_MS = 30_000;

/**
 * Signed URLs for the files a list shows: thumbnail URLs are asked for once per file and kept here
 * for 30 seconds; downloads ask the client each time. The client itself caches each URL and hands
 * out the same one until 4 minutes after it got it (the server's URLs live 5 minutes), so every
 * URL used here has at least 30 seconds left, never a stale one.
 */
export class AttachmentUrls {
  private readonly thumbs = new Map<string, { promise: Promise<string>; url?: string; failed?: boolean; until: number }>();

  constructor(private readonly getUrl: ((id: string, options: { inline?: boolean }) => Promise<string>) | undefined) {}

  /** The thumbnail URL of a raster image if it is known and fresh. */
  known(id: string): { url?: string | undefined; failed?: boolean | undefined } | undefined {
    const entry = this.thumbs.get(id);
    return entry && entry.until > Date.now() && (entry.url !== undefined || entry.failed === true) ? entry : undefined;
  }

  /** The thumbnail URL of a raster image (one request per file while it is fresh). */
  thumbnail(id: string): Promise<string> {
    const entry = this.thumbs.get(id);
    if (entry && entry.until > Date.now()) return entry.promise;
    const getUrl = this.getUrl;
    const promise = getUrl ? getUrl(id, { inline: true }) : Promise.reject(new Error('no client'));
    // Kept 30 s: the client hands out URLs with over a minute left (it reuses them until then), so a
    // row rendered again later never gets an expired one.
    const next: { promise: Promise<string>; url?: string; failed?: boolean; until: number } = { promise, until: Date.now() + THUMB_URL_KEEP_MS };
    this.thumbs.set(id, next);
    if (this.thumbs.size > 500) this.thumbs.delete(this.thumbs.keys().next().value ?? id);
    promise.then(
      (url) => {
        next.url = url;
      },
      () => {
        next.failed = true;
        next.until = Date.now() + 60_000;
      },
    );
    return promise;
  }

  /** Asks the client for the download URL (its cached one while it has over a minute left) and opens it; says so when it fails. */
  async download(file: AttachmentInfo): Promise<void> {
    const name = displayFileName(file.name).full;
    try {
      if (!this.getUrl) throw new Error('no client');
      openDownload(await this.getUrl(file.id, {}));
    } catch {
      announce(msg(str`${name} could not be downloaded. Try again.`, { id: 'chat-message-list.file.download-error' }), { assertive: true });
    }
  }
}

const thumbImage = (url: string) => html`<img src=${url} alt="" loading="lazy" decoding="async" />`;

/**
 * The image of a thumbnail box: rendered at once when its URL is known, else filled in by itself
 * when the URL arrives (so it works however the list caches its rows). The box has a fixed size,
 * so nothing moves when the image appears.
 */
class ThumbnailDirective extends AsyncDirective {
  private id: string | undefined;

  render(urls: AttachmentUrls, id: string): unknown {
    const known = urls.known(id);
    if (known?.url !== undefined) {
      this.id = id;
      return thumbImage(known.url);
    }
    if (known?.failed) return nothing;
    if (this.id !== id) {
      this.id = id;
      urls.thumbnail(id).then(
        (url) => {
          if (this.id === id && this.isConnected) this.setValue(thumbImage(url));
        },
        () => undefined,
      );
    }
    return nothing;
  }
}

const thumbnail = directive(ThumbnailDirective);

function renderFile(file: AttachmentInfo, urls: AttachmentUrls) {
  const kind = fileKind(file.type);
  const name = displayFileName(file.name).full;
  const size = formatSize(file.size);
  const image = isInlineImageType(file.type);
  return html`<li class="file file--${kind}" part="file">
    ${image
      ? html`<div class="thumb" part="thumbnail">${thumbnail(urls, file.id)}</div>`
      : nothing}
    <div class="file-row">
      <span class="file-icon">${fileIcon(kind)}</span>
      <span class="file-text">
        ${fileNameTemplate(file.name)}
        <span class="file-meta"><span class="visually-hidden">${fileKindText(kind)}, </span>${size}</span>
      </span>
      <button
        class="btn btn--quiet file-download"
        part="file-download"
        type="button"
        aria-label=${msg(str`Download ${name}, ${size}`, { id: 'chat-message-list.file.download-label' })}
        title=${msg('Download', { id: 'chat-message-list.file.download' })}
        @click=${() => void urls.download(file)}
      >
        ${downloadIcon}<span class="file-download-text">${msg('Download', { id: 'chat-message-list.file.download' })}</span>
      </button>
    </div>
  </li>`;
}

/** The files of a message, or nothing. */
export function renderAttachments(files: readonly AttachmentInfo[] | undefined, urls: AttachmentUrls) {
  if (!files || files.length === 0) return nothing;
  return html`<ul class="files" part="files" aria-label=${msg(str`Files: ${files.length}`, { id: 'chat-message-list.files-label' })}>
    ${files.map((f) => renderFile(f, urls))}
  </ul>`;
}

/** A pending message's files (only their number is known until the server confirms it). */
export function renderPendingFiles(count: number) {
  if (count === 0) return nothing;
  return html`<div class="files files--pending" part="files">
    ${fileIcon('other')}<span>${count === 1 ? msg('1 file', { id: 'chat-message-list.file.pending-one' }) : msg(str`${count} files`, { id: 'chat-message-list.file.pending-many' })}</span>
  </div>`;
}

/** Thumbnails are at most this big (CSS px); the box has this size before the image loads. */
export const THUMB_WIDTH = 220;
export const THUMB_HEIGHT = 150;

export const attachmentStyles = css`
  .files {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    margin: var(--_space-xs) 0 0;
    padding: 0;
    list-style: none;
    width: min(100%, 20rem);
    max-width: var(--chat-conversation-bubble-max-width, min(75%, 42rem));
  }
  .files--pending {
    flex-direction: row;
    align-items: center;
    width: auto;
    color: var(--_muted);
    font-size: var(--_font-size-s);
  }
  .files--pending svg {
    width: 14px;
    height: 14px;
  }
  .file {
    display: flex;
    flex-direction: column;
    gap: var(--_space-xs);
    padding: var(--_space-xs);
    border: 1px solid var(--_border);
    border-radius: var(--chat-conversation-bubble-radius, var(--_radius));
    background: var(--_surface);
    color: var(--_text);
  }
  .thumb {
    width: ${THUMB_WIDTH}px;
    max-width: 100%;
    height: ${THUMB_HEIGHT}px;
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
    overflow: hidden;
  }
  .thumb img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  .file-row {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-width: 0;
  }
  .file-icon {
    display: inline-flex;
    flex: none;
    color: var(--_muted);
  }
  .file-icon svg {
    width: 22px;
    height: 22px;
  }
  .file--pdf .file-icon {
    color: var(--_danger);
  }
  .file-text {
    display: flex;
    flex-direction: column;
    flex: 1 1 auto;
    min-width: 0;
  }
  .file-name {
    display: flex;
    min-width: 0;
    font-weight: 600;
    white-space: nowrap;
  }
  .file-shown {
    display: flex;
    min-width: 0;
    /* The name is shown left to right as stored: a name's own direction cannot move the extension. */
    direction: ltr;
    unicode-bidi: isolate;
  }
  .file-stem {
    overflow: hidden;
    text-overflow: ellipsis;
    min-width: 0;
  }
  .file-ext {
    flex: none;
  }
  .file-meta {
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .file-download {
    flex: none;
    min-height: 32px;
    padding: 0 var(--_space-s);
    color: var(--_accent);
  }
  .file-download svg {
    width: 16px;
    height: 16px;
  }
`;
