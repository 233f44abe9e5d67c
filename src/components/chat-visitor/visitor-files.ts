/**
 * The customer widget's files: the attach button and file picker, drag-and-drop onto the panel,
 * paste into the composer, uploads with progress and Cancel, refusals with the server's message,
 * the chips of the files that go out with the next message, and the files of messages (type icon,
 * name, size, Download, thumbnails of raster images).
 *
 * Loaded with `import()` together with the client core when a chat starts or is restored: its own
 * chunk, so neither the widget's first file nor the core chunk grows. Its styles are adopted into
 * the widget's shadow root when it is created.
 */
import type { TemplateResult } from 'lit';
import { html, nothing, svg } from 'lit';

import { formatNumber } from '../../i18n/format.js';
import { getChatLocale, msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import { AttachmentUrls, displayFileName, fileNameTemplate, fileTagIcon, formatSize, hasThumbnail, thumbnail } from '../../internal/files.js';
import { FileDropController } from '../../internal/file-drop.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import { ATTACHMENT_ACCEPT } from '../../protocol/attachments.js';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../protocol/limits.js';
import type { AttachmentInfo } from '../../protocol/model.js';
import type { AttachmentLimits, ChatClient } from '../../state/create-chat-client.js';
import { fileCardStyles, fileStyles } from '../../styles/files.styles.js';
import { filesStyles } from './visitor-files.styles.js';

/** What the files need from the widget. */
export interface FilesHost {
  /** The chat client (undefined while none is attached). */
  client(): ChatClient | undefined;
  /** The chat in progress. */
  sessionId(): string | undefined;
  /** Renders the widget again. */
  update(): void;
  /** Resolves when the widget has rendered. */
  rendered(): Promise<unknown>;
  /** Dispatches an event from the widget (`chat-error`). */
  dispatch(event: Event): void;
  /** Focuses the first element in the shadow root matching `selector`. */
  focus(selector: string): void;
  readonly root: ShadowRoot;
}

/** A file of the composer: uploading, refused, or uploaded and waiting for Send. */
type Item =
  | { key: number; state: 'uploading'; name: string; size: number; loaded: number; total: number; controller: AbortController }
  | { key: number; state: 'refused'; name: string; size: number; error: string }
  | { key: number; state: 'ready'; name: string; size: number; info: AttachmentInfo };

const ft = {
  attach: () => msg('Attach a file', { id: 'chat-visitor.file.attach' }),
  tray: () => msg('Files to send', { id: 'chat-visitor.file.tray' }),
  drop: () => msg('Drop files here to attach them', { id: 'chat-visitor.file.drop' }),
  uploading: (name: string) => msg(str`Uploading ${name}`, { id: 'chat-visitor.file.uploading' }),
  cancel: () => msg('Cancel', { id: 'chat-visitor.file.cancel' }),
  cancelUpload: (name: string) => msg(str`Cancel upload of ${name}`, { id: 'chat-visitor.file.cancel-upload' }),
  cancelled: (name: string) => msg(str`Upload of ${name} cancelled`, { id: 'chat-visitor.file.cancelled' }),
  attached: (name: string) => msg(str`${name} attached. It is sent with your next message.`, { id: 'chat-visitor.file.attached' }),
  remove: (name: string) => msg(str`Remove ${name}`, { id: 'chat-visitor.file.remove' }),
  removed: (name: string) => msg(str`${name} removed`, { id: 'chat-visitor.file.removed' }),
  dismiss: (name: string) => msg(str`Dismiss the message about ${name}`, { id: 'chat-visitor.file.dismiss' }),
  notAttached: (name: string, reason: string) => msg(str`${name} was not attached: ${reason}`, { id: 'chat-visitor.file.not-attached' }),
  download: (name: string) => msg(str`Download ${name}`, { id: 'chat-visitor.file.download' }),
  downloadFailed: () => msg('The file could not be downloaded. Try again.', { id: 'chat-visitor.file.download-failed' }),
  tooMany: (max: number) => msg(str`You can send at most ${max} files in one message.`, { id: 'chat-visitor.file.too-many' }),
  // Refusals: in English the widget shows the server's own message; these are its translations.
  tooLarge: (max: string) => msg(str`The file is too large: at most ${max}.`, { id: 'chat-visitor.file.too-large' }),
  type: () => msg('Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.', { id: 'chat-visitor.file.type' }),
  imageTooLarge: (megapixels: number) => msg(str`The image is too large: at most ${megapixels} megapixels.`, { id: 'chat-visitor.file.image-too-large' }),
  rateLimited: () => msg('Too many files in a short time: wait a minute.', { id: 'chat-visitor.file.rate-limited' }),
  empty: () => msg('The file is empty.', { id: 'chat-visitor.file.empty' }),
  ended: () => msg('The chat has ended: files can no longer be sent.', { id: 'chat-visitor.file.ended' }),
  failed: () => msg('The file could not be uploaded. Check your connection and try again.', { id: 'chat-visitor.file.failed' }),
};

const icons = {
  clip: svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="m20.5 11.5-8.3 8.3a5.4 5.4 0 0 1-7.7-7.7l8.3-8.3a3.6 3.6 0 0 1 5.1 5.1l-8.3 8.3a1.8 1.8 0 0 1-2.6-2.6l7.7-7.6"/></svg>`,
  close: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"><path d="m4 4 8 8M12 4l-8 8"/></svg>`,
  download: svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M12 4v11m-5-5 5 5 5-5M5 20h14"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
};

/** The shown name: cleaned like the server does (bidi and control characters removed). */
const displayName = (raw: string): string => displayFileName(raw).full;

const percent = (part: number, whole: number): number => (whole > 0 ? Math.min(100, Math.floor((part / whole) * 100)) : 0);

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/**
 * What the customer reads when an upload is refused: in English the server's own message (it names
 * the limit or the image size); in other languages the translation for its `reason`. Network and
 * server failures get a localized sentence of our own.
 */
function refusalText(error: unknown, limits: AttachmentLimits | undefined): string {
  const e = error as { status?: unknown; reason?: unknown; code?: unknown; message?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : 0;
  if (status === 0 || status >= 500) return ft.failed();
  if (getChatLocale() === 'en' && typeof e?.message === 'string' && e.message !== '') return e.message;
  switch (e?.reason) {
    case 'too_large':
      return limits ? ft.tooLarge(formatSize(limits.maxFileBytes)) : ft.tooLarge(formatSize(10 * 1024 * 1024));
    case 'type':
      return ft.type();
    case 'image_too_large':
      return ft.imageTooLarge(Math.floor((limits?.maxImagePixels ?? 40_000_000) / 1_000_000));
    case 'rate_limited':
      return ft.rateLimited();
    case 'empty':
      return ft.empty();
    default:
      return e?.code === 'session_closed' ? ft.ended() : ft.failed();
  }
}

/** The `chat-error` of a refused upload or a failed download link. */
function errorEvent(error: unknown, message: string): ChatErrorEvent {
  const e = error as { status?: unknown; code?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : 0;
  const code = typeof e?.code === 'string' ? e.code : 'invalid';
  return new ChatErrorEvent({ code, message, recoverable: status === 0 || status === 429 || status >= 500 });
}

/** The files of one chat in the widget; created once per widget, reset when the chat changes. */
export class VisitorFiles {
  private items: Item[] = [];
  private counter = 0;
  private limits: AttachmentLimits | undefined;
  private limitsLoad: Promise<AttachmentLimits | undefined> | undefined;
  /** Files this widget uploaded, for the pending message that carries them. */
  private readonly known = new Map<string, AttachmentInfo>();
  /** Signed URLs of thumbnails and downloads, per client. */
  private urls: { client: ChatClient; urls: AttachmentUrls } | undefined;
  private readonly downloadFailed = new Set<string>();
  /** Files dragged over the panel and dropped on it (bind `drop.onDragEnter` … on the panel). */
  readonly drop = new FileDropController(
    {
      requestUpdate: () => {
        this.host.update();
      },
    },
    {
      onFiles: (files) => {
        void this.add(files);
      },
    },
  );

  constructor(private readonly host: FilesHost) {
    adoptLazyStyles({ renderRoot: host.root }, [fileStyles, fileCardStyles, filesStyles]);
  }

  /** Whether an upload is still running (Send waits for it). */
  get busy(): boolean {
    return this.items.some((i) => i.state === 'uploading');
  }

  /** How many uploaded files go out with the next message. */
  get readyCount(): number {
    return this.items.reduce((n, i) => (i.state === 'ready' ? n + 1 : n), 0);
  }

  /** Takes the uploaded files for a message that is being sent (their chips go). */
  take(): AttachmentInfo[] {
    const ready = this.items.flatMap((i) => (i.state === 'ready' ? [i.info] : []));
    this.items = this.items.filter((i) => i.state === 'uploading');
    this.host.update();
    return ready;
  }

  /** Puts files back as chips (the message could not be stored). */
  restore(files: readonly AttachmentInfo[]): void {
    this.items = [...this.items, ...files.map((info): Item => ({ key: ++this.counter, state: 'ready', name: info.name, size: info.size, info }))];
    this.host.update();
  }

  /** Forgets the composer's files (new chat, chat ended, widget removed); running uploads are aborted. */
  reset(): void {
    for (const item of this.items) if (item.state === 'uploading') item.controller.abort();
    this.items = [];
    this.drop.reset();
    this.host.update();
  }

  // ---- adding files ------------------------------------------------------------------------

  /** The server's limits, fetched once when the customer first attaches something. */
  private loadLimits(): Promise<AttachmentLimits | undefined> {
    const client = this.host.client();
    if (!client) return Promise.resolve(undefined);
    this.limitsLoad ??= client.attachmentLimits().then(
      (limits) => {
        this.limits = limits;
        this.host.update();
        return limits;
      },
      () => {
        // Not known: the server still checks every upload.
        this.limitsLoad = undefined;
        return undefined;
      },
    );
    return this.limitsLoad;
  }

  /** Uploads files at once (after refusing what the known limits already rule out). */
  async add(files: readonly File[]): Promise<void> {
    if (files.length === 0 || !this.host.client() || !this.host.sessionId()) return;
    const limits = await this.loadLimits();
    const client = this.host.client();
    const sessionId = this.host.sessionId();
    if (!client || !sessionId) return;
    // Messages about earlier refusals make way for this batch.
    this.items = this.items.filter((i) => i.state !== 'refused');
    const max = limits?.maxAttachmentsPerMessage ?? MAX_ATTACHMENTS_PER_MESSAGE;
    for (const file of files) {
      const name = displayName(file.name);
      const key = ++this.counter;
      const taken = this.items.filter((i) => i.state !== 'refused').length;
      if (taken >= max) {
        this.refuse({ key, state: 'refused', name, size: file.size, error: ft.tooMany(max) }, { status: 400, code: 'invalid' });
      } else if (limits && file.size > limits.maxFileBytes) {
        // Known to be too large: refused here instead of sending megabytes to be refused.
        this.refuse({ key, state: 'refused', name, size: file.size, error: ft.tooLarge(formatSize(limits.maxFileBytes)) }, { status: 413, code: 'invalid' });
      } else {
        this.upload(client, sessionId, file, key, name);
      }
    }
    this.host.update();
  }

  private upload(client: ChatClient, sessionId: string, file: File, key: number, name: string): void {
    const controller = new AbortController();
    const item: Item = { key, state: 'uploading', name, size: file.size, loaded: 0, total: file.size, controller };
    this.items = [...this.items, item];
    const current = () => this.items.find((i) => i.key === key);
    client
      .uploadAttachment(sessionId, file, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          const now = current();
          if (now?.state !== 'uploading') return;
          this.replace({ ...now, loaded, total });
        },
      })
      .then(
        (info) => {
          if (current()?.state !== 'uploading') return;
          this.known.set(info.id, info);
          this.replace({ key, state: 'ready', name: info.name, size: info.size, info });
          announce(ft.attached(displayName(info.name)));
        },
        (error: unknown) => {
          if (isAbort(error) || current()?.state !== 'uploading') return;
          this.items = this.items.filter((i) => i.key !== key);
          this.refuse({ key, state: 'refused', name, size: file.size, error: refusalText(error, this.limits) }, error);
        },
      );
  }

  private replace(next: Item): void {
    this.items = this.items.map((i) => (i.key === next.key ? next : i));
    this.host.update();
  }

  private refuse(item: Extract<Item, { state: 'refused' }>, error: unknown): void {
    this.items = [...this.items, item];
    announce(ft.notAttached(item.name, item.error), { assertive: true });
    this.host.dispatch(errorEvent(error, item.error));
    this.host.update();
  }

  /** As shown: refusals first, then uploads, then the files to send (each in the order added). */
  private ordered(): Item[] {
    const rank = { refused: 0, uploading: 1, ready: 2 } as const;
    return [...this.items].sort((a, b) => rank[a.state] - rank[b.state] || a.key - b.key);
  }

  /** After a chip or row goes: focus the next one's button, or the composer. */
  private async forget(key: number): Promise<void> {
    const index = this.ordered().findIndex((i) => i.key === key);
    this.items = this.items.filter((i) => i.key !== key);
    this.host.update();
    await this.host.rendered();
    const rest = this.ordered();
    const next = rest[Math.min(index, rest.length - 1)];
    this.host.focus(next ? `[data-key="${String(next.key)}"] button` : '#input');
  }

  private cancel(key: number): void {
    const item = this.items.find((i) => i.key === key);
    if (item?.state !== 'uploading') return;
    item.controller.abort();
    announce(ft.cancelled(item.name));
    void this.forget(key);
  }

  private remove(key: number): void {
    const item = this.items.find((i) => i.key === key);
    if (!item) return;
    if (item.state === 'ready') announce(ft.removed(displayName(item.name)));
    void this.forget(key);
  }

  // ---- picker, drag-and-drop, paste ------------------------------------------------------------

  private readonly pick = (): void => {
    void this.loadLimits();
    this.host.root.querySelector<HTMLInputElement>('#file-input')?.click();
  };

  private readonly onPicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // Picking the same file again must fire `change` again.
    input.value = '';
    void this.add(files);
  };

  /** `paste` in the composer: files (a screenshot, copied files) are attached; text pastes as text. */
  readonly onPaste = (event: ClipboardEvent): void => {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    // Copying from an office program gives the text and a picture of it: the text is what is meant.
    if (files.length === 0 || (data?.getData('text/plain') ?? '') !== '') return;
    event.preventDefault();
    void this.add(files);
  };

  // ---- downloads and thumbnails ----------------------------------------------------------------

  /** The signed URLs of the current client's files. */
  private attachmentUrls(client: ChatClient): AttachmentUrls {
    if (this.urls?.client !== client) this.urls = { client, urls: new AttachmentUrls((id, options) => client.attachmentUrl(id, options)) };
    return this.urls.urls;
  }

  private async download(file: AttachmentInfo): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    this.downloadFailed.delete(file.id);
    try {
      // The client's signed URL: a new one when the one it has is less than a minute from expiry.
      await this.attachmentUrls(client).download(file);
    } catch (error) {
      this.downloadFailed.add(file.id);
      announce(ft.downloadFailed(), { assertive: true });
      this.host.dispatch(errorEvent(error, ft.downloadFailed()));
    }
    this.host.update();
  }

  // ---- rendering -------------------------------------------------------------------------------

  /** The attach button and its (hidden) file input; the input is `#file-input`. */
  renderAttach(): TemplateResult {
    return html`<button part="attach" class="attach" type="button" aria-label=${ft.attach()} title=${ft.attach()} @click=${this.pick}>${icons.clip}</button
      ><input id="file-input" type="file" multiple hidden tabindex="-1" accept=${this.limits?.accept ?? ATTACHMENT_ACCEPT} @change=${this.onPicked} />`;
  }

  /** Uploads, refusals and the chips of files to send, above the message field. */
  renderTray(): TemplateResult | typeof nothing {
    if (this.items.length === 0) return nothing;
    return html`<ul part="files" class="tray" aria-label=${ft.tray()}>
      ${this.ordered().map((item) => this.renderItem(item))}
    </ul>`;
  }

  private renderItem(item: Item): TemplateResult {
    const name = displayName(item.name);
    const key = String(item.key);
    switch (item.state) {
      case 'uploading': {
        const pct = percent(item.loaded, item.total);
        return html`<li part="upload" class="upload" data-key=${key}>
          ${fileTagIcon('', name)}
          <span class="upload-main">
            ${fileNameTemplate(name)}
            <span class="upload-bar">
              <progress max="100" value=${pct} aria-label=${ft.uploading(name)}></progress>
              <span class="upload-pct">${formatNumber(pct / 100, { style: 'percent' })}</span>
            </span>
          </span>
          <button
            class="btn small"
            type="button"
            aria-label=${ft.cancelUpload(name)}
            title=${ft.cancelUpload(name)}
            @click=${() => {
              this.cancel(item.key);
            }}
          >
            ${ft.cancel()}
          </button>
        </li>`;
      }
      case 'refused':
        return html`<li part="upload-refused" class="refused" data-key=${key}>
          ${icons.error}
          <span class="refused-text">${fileNameTemplate(name)} <span class="refused-reason">${item.error}</span></span>
          <button
            class="chip-btn"
            type="button"
            aria-label=${ft.dismiss(name)}
            title=${ft.dismiss(name)}
            @click=${() => {
              this.remove(item.key);
            }}
          >
            ${icons.close}
          </button>
        </li>`;
      default:
        return html`<li part="chip" class="chip" data-key=${key}>
          ${fileTagIcon(item.info.type, name)} ${fileNameTemplate(name)}
          <span class="fsize">${formatSize(item.size)}</span>
          <button
            class="chip-btn"
            type="button"
            aria-label=${ft.remove(name)}
            title=${ft.remove(name)}
            @click=${() => {
              this.remove(item.key);
            }}
          >
            ${icons.close}
          </button>
        </li>`;
    }
  }

  /** The visible drop zone over the panel while files are dragged over it. */
  renderDropZone(): TemplateResult | typeof nothing {
    return this.drop.dropping ? html`<div part="drop-zone" class="drop-zone"><p>${icons.clip}<span>${ft.drop()}</span></p></div>` : nothing;
  }

  /** The files of a message. */
  renderFiles(files: readonly AttachmentInfo[] | undefined): TemplateResult | typeof nothing {
    if (!files || files.length === 0) return nothing;
    return html`<ul part="attachments" class="files">
      ${files.map((file) => this.renderFile(file))}
    </ul>`;
  }

  /** The files of a message not confirmed yet (as far as this widget uploaded them). */
  renderPendingFiles(ids: readonly string[] | undefined): TemplateResult | typeof nothing {
    return this.renderFiles((ids ?? []).flatMap((id) => this.known.get(id) ?? []));
  }

  private renderFile(file: AttachmentInfo): TemplateResult {
    const name = displayName(file.name);
    const failed = this.downloadFailed.has(file.id);
    const client = this.host.client();
    return html`<li part="attachment" class="file">
      ${hasThumbnail(file) && client ? html`<span part="thumbnail" class="thumb">${thumbnail(this.attachmentUrls(client), file.id)}</span>` : nothing}
      <span class="file-row">
        ${fileTagIcon(file.type, name)}
        <span class="file-text">${fileNameTemplate(name)} <span class="fsize">${formatSize(file.size)}</span></span>
        <button
          part="download"
          class="download"
          type="button"
          aria-label=${ft.download(name)}
          title=${ft.download(name)}
          @click=${() => {
            void this.download(file);
          }}
        >
          ${icons.download}
        </button>
      </span>
      ${failed ? html`<span class="file-error">${icons.error} ${ft.downloadFailed()}</span>` : nothing}
    </li>`;
  }
}
