/**
 * The one file vocabulary of the agent console and the customer widget: what kind a file is (its
 * icon, its spoken type, its short label), how its name and size are shown, and the signed URLs of
 * thumbnails and downloads (one cache per list or widget, see {@link AttachmentUrls}).
 *
 * Used by chat-message-list (files in messages), chat-composer (file chips, CRM documents) and
 * chat-visitor (chips and files in messages). The styles that go with the name and icon markup are
 * `fileStyles` in src/styles/files.styles.ts.
 */
import { msg } from '@lit/localize';
import type { TemplateResult } from 'lit';
import { html, nothing, svg } from 'lit';
import { AsyncDirective } from 'lit/async-directive.js';
import { directive } from 'lit/directive.js';

import { getFormatLocale } from '../i18n/localization.js';
import { fileExtension, formatBytes, isInlineImageType, sanitizeFileName } from '../protocol/attachments.js';
import type { AttachmentInfo } from '../protocol/model.js';

export type FileKind = 'image' | 'pdf' | 'word' | 'excel' | 'zip' | 'text' | 'other';

const KIND_BY_EXTENSION: Readonly<Record<string, FileKind>> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  pdf: 'pdf',
  docx: 'word',
  doc: 'word',
  xlsx: 'excel',
  xls: 'excel',
  csv: 'excel',
  zip: 'zip',
  txt: 'text',
};

/**
 * What kind of file it is, for its icon and spoken type: by its MIME type (the server's, from the
 * bytes), or by the name's extension while the type is not known yet (a file being uploaded).
 * CSV counts as a spreadsheet.
 */
export function fileKind(type: string, name = ''): FileKind {
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.includes('wordprocessingml')) return 'word';
  if (type.includes('spreadsheetml') || type === 'text/csv') return 'excel';
  if (type === 'application/zip') return 'zip';
  if (type === 'text/plain') return 'text';
  return type === '' ? (KIND_BY_EXTENSION[fileExtension(name)] ?? 'other') : 'other';
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

const LABELS: Readonly<Record<FileKind, string>> = { image: '', pdf: 'PDF', word: 'DOC', excel: 'XLS', zip: 'ZIP', text: 'TXT', other: '' };

/** The short type label on a file's tag icon (`PDF`, `DOC`, `CSV`, …): the kind's, else the extension's. */
export function fileLabel(kind: FileKind, name: string): string {
  const ext = fileExtension(name);
  if (ext === 'csv') return 'CSV';
  return LABELS[kind] || ext.slice(0, 4).toUpperCase();
}

const page = svg`<path d="M4 1.5h5.5L13 5v9.5H4z" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/><path d="M9.5 1.5V5H13" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/>`;
const imageIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true"><rect x="1.5" y="2.5" width="13" height="11" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/><circle cx="5.5" cy="6" r="1.3" fill="currentColor"/><path d="m2 12 4-4 3 3 2-2 3 3" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/></svg>`;
const icons: Record<FileKind, TemplateResult> = {
  image: imageIcon,
  pdf: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M5.5 11.5h5M5.5 9h5" stroke="currentColor" stroke-width="1.2"/></svg>`,
  word: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="m5.5 8 1 4 1.5-3 1.5 3 1-4" fill="none" stroke="currentColor" stroke-width="1.1" stroke-linejoin="round"/></svg>`,
  excel: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="m6 8 4 4m0-4-4 4" stroke="currentColor" stroke-width="1.2"/></svg>`,
  zip: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M7 2v2h1v1H7v1h1v1H7v1.5" fill="none" stroke="currentColor" stroke-width="1"/></svg>`,
  text: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}<path d="M5.5 8h5M5.5 10h5M5.5 12h3" stroke="currentColor" stroke-width="1.1"/></svg>`,
  other: html`<svg viewBox="0 0 16 16" aria-hidden="true">${page}</svg>`,
};

/** The icon of a file kind (decorative): the console's compact glyphs. */
export const fileIcon = (kind: FileKind): TemplateResult => icons[kind];

/**
 * The icon of a file with its type label on a tag (`PDF`, `DOC`, …; images get the picture
 * glyph), in `<span class="ficon ficon--<kind>">` (decorative, but the label is text): the
 * customer widget's larger icons.
 */
export function fileTagIcon(type: string, name: string): TemplateResult {
  const kind = fileKind(type, name);
  if (kind === 'image') return html`<span class="ficon ficon--image">${imageIcon}</span>`;
  const label = fileLabel(kind, name);
  return html`<span class=${`ficon ficon--${kind}`}
    >${svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path class="page" d="M6 2.5h8.5L19.5 7.5v14H6Z"/><path class="fold" d="M14.5 2.5v5h5"/>${label
      ? svg`<rect class="tag" x="2" y="12" width="20" height="8" rx="1.5"/><text x="12" y="18.2" text-anchor="middle">${label}</text>`
      : nothing}</svg>`}</span
  >`;
}

/** Longest extension shown apart from the name (longer ones are part of the name). */
const MAX_EXTENSION = 8;

/**
 * A file name split for display: cleaned like the server does (`sanitizeFileName`: bidi and
 * control characters removed, again, since names are data), and the extension apart, so the
 * interface can cut the stem and never the extension (`invoice\u202Egpj.exe` →
 * `{stem: 'invoicegpj', extension: '.exe'}`).
 */
export function displayFileName(raw: string): { stem: string; extension: string; full: string } {
  const full = sanitizeFileName(raw);
  const dot = full.lastIndexOf('.');
  if (dot <= 0 || dot === full.length - 1 || full.length - dot - 1 > MAX_EXTENSION) return { stem: full, extension: '', full };
  return { stem: full.slice(0, dot), extension: full.slice(dot), full };
}

/** A file size in the chat's locale (`formatBytes`: the product's one rule, 1 kB = 1,024 bytes). */
export function formatSize(bytes: number): string {
  return formatBytes(bytes, getFormatLocale());
}

/**
 * A file name with the stem cut (ellipsis) before the extension, which always stays visible, shown
 * left to right as stored (a right-to-left stem cannot move the extension). Screen readers get the
 * whole name as one piece of text.
 */
export function fileNameTemplate(name: string, part = 'file-name'): TemplateResult {
  const n = displayFileName(name);
  return html`<span class="file-name" part=${part} title=${n.full}
    ><span class="file-shown" aria-hidden="true"
      ><span class="file-stem">${n.stem}</span>${n.extension !== '' ? html`<span class="file-ext">${n.extension}</span>` : nothing}</span
    ><span class="visually-hidden">${n.full}</span></span
  >`;
}

/** Only absolute http(s) URLs from the chat server are ever used as links or image sources. */
export const httpUrl = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

/**
 * Opens a URL of the attachment origin as a download (its answers say `Content-Disposition:
 * attachment`, so the page stays), suggesting `name`.
 */
export function openDownload(url: string, name?: string): void {
  const href = httpUrl(url);
  if (href === undefined) throw new Error('not an http(s) URL');
  const a = document.createElement('a');
  a.href = href;
  if (name !== undefined) a.download = name;
  a.rel = 'noopener noreferrer';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

/** How long a thumbnail URL from the client is used for new renders (see `thumbnail()`). */
const THUMB_URL_KEEP_MS = 30_000;

type UrlGetter = (id: string, options: { inline?: boolean }) => Promise<string>;

interface ThumbEntry {
  promise: Promise<string>;
  url?: string;
  failed?: boolean;
  until: number;
  /** The image did not load once (its URL expired): the next miss gives up. */
  retried?: boolean;
}

/**
 * Signed URLs for the files a list shows: thumbnail URLs are asked for once per file and kept here
 * for 30 seconds; downloads ask the client each time. The client itself caches each URL and hands
 * out the same one until 4 minutes after it got it (the server's URLs live 5 minutes), so every
 * URL used here has at least 30 seconds left, never a stale one. An image that fails to load gets
 * one more try with a fresh URL, then none.
 */
export class AttachmentUrls {
  private readonly thumbs = new Map<string, ThumbEntry>();
  private readonly retried = new Set<string>();

  /** `getUrl`: the client's `attachmentUrl` (undefined without a client). */
  constructor(private readonly getUrl: UrlGetter | undefined) {}

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
    const next: ThumbEntry = { promise, until: Date.now() + THUMB_URL_KEEP_MS };
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

  /** The image of a thumbnail did not load (its URL expired): one more try with a fresh URL, then none. */
  imageFailed(id: string): void {
    if (this.retried.has(id)) {
      const entry = this.thumbs.get(id);
      if (entry) {
        entry.url = undefined;
        entry.failed = true;
        entry.until = Date.now() + 60_000;
      }
      return;
    }
    this.retried.add(id);
    this.thumbs.delete(id);
  }

  /** Asks the client for the download URL (its cached one while it has over a minute left) and opens it. Rejects when that fails. */
  async download(file: AttachmentInfo): Promise<void> {
    const getUrl = this.getUrl;
    if (!getUrl) throw new Error('no client');
    openDownload(await getUrl(file.id, {}), displayFileName(file.name).full);
  }
}

/**
 * The image of a thumbnail box: rendered at once when its URL is known, else filled in by itself
 * when the URL arrives (so it works however a list caches its rows); an image that fails to load
 * is asked for once more. The box has a fixed size, so nothing moves when the image appears.
 */
class ThumbnailDirective extends AsyncDirective {
  private id: string | undefined;
  private urls: AttachmentUrls | undefined;

  private image(url: string): TemplateResult {
    return html`<img src=${url} alt="" loading="lazy" decoding="async" @error=${this.onError} />`;
  }

  private readonly onError = (): void => {
    const { id, urls } = this;
    if (id === undefined || !urls) return;
    urls.imageFailed(id);
    this.id = undefined;
    this.setValue(this.render(urls, id));
  };

  render(urls: AttachmentUrls, id: string): unknown {
    this.urls = urls;
    const known = urls.known(id);
    if (known?.url !== undefined) {
      this.id = id;
      return this.image(known.url);
    }
    if (known?.failed) return nothing;
    if (this.id !== id) {
      this.id = id;
      urls.thumbnail(id).then(
        (url) => {
          if (this.id === id && this.isConnected) this.setValue(this.image(url));
        },
        () => {
          if (this.id === id && this.isConnected) this.setValue(nothing);
        },
      );
    }
    return nothing;
  }
}

/** `thumbnail(urls, id)`: the `<img>` of a thumbnail box, see {@link ThumbnailDirective}. */
export const thumbnail = directive(ThumbnailDirective);

/** True for files shown with a thumbnail. */
export const hasThumbnail = (file: AttachmentInfo): boolean => isInlineImageType(file.type);
