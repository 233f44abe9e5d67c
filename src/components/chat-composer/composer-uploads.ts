/**
 * The composer's files for the next message, per chat: each file is uploaded at once
 * (`client.uploadAttachment`, with progress and Cancel), then waits as a chip for Send; a refused
 * one says why (the server's reasons in words), is announced and fired as `chat-error`. At most
 * {@link MAX_ATTACHMENTS_PER_MESSAGE} per message.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import { displayFileName, fileIcon, fileKind, fileNameTemplate, formatSize } from '../../internal/files.js';
import { formatFileSize } from '../../protocol/attachments.js';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../protocol/limits.js';
import type { AttachmentInfo } from '../../protocol/model.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError, ChatHttpError } from '../../state/types.js';

const closeIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"><path d="m4 4 8 8M12 4l-8 8"/></svg>`;

let uploadCounter = 0;

/** One file being uploaded to (or uploaded to, or refused by) a chat. */
export interface Upload {
  key: string;
  /** The name as picked (shown until the server answers with the stored name). */
  name: string;
  size: number;
  type: string;
  loaded: number;
  total: number;
  state: 'uploading' | 'done' | 'failed';
  attachment?: AttachmentInfo;
  error?: string;
  controller: AbortController;
}

export interface ComposerUploadsHost extends ReactiveControllerHost, EventTarget {
  readonly client?: ChatClient | undefined;
  readonly sessionId?: string | undefined;
  /** Back to the text area (after a chip went). */
  focusInput(): void;
}

export class ComposerUploads {
  /** Files per chat, kept while another chat is shown. */
  private readonly uploads = new Map<string, Upload[]>();
  /** The server's limits, asked for with the first upload. */
  private limits: { maxFileBytes: number } | undefined;

  constructor(private readonly host: ComposerUploadsHost) {}

  /**
   * Starts uploading `files` to chat `sessionId`; returns why some were left out (more than a
   * message may carry), or ''.
   */
  add(sessionId: string, files: readonly File[]): string {
    const list = [...this.files(sessionId)];
    const room = MAX_ATTACHMENTS_PER_MESSAGE - list.filter((u) => u.state !== 'failed').length;
    for (const file of files.slice(0, Math.max(0, room))) {
      uploadCounter += 1;
      const key = `u${String(uploadCounter)}`;
      const controller = new AbortController();
      list.push({ key, name: file.name, size: file.size, type: file.type, loaded: 0, total: file.size, state: 'uploading', controller });
      void this.upload(sessionId, file, key, controller);
    }
    this.set(sessionId, list);
    const max = MAX_ATTACHMENTS_PER_MESSAGE;
    return files.length > room ? msg(str`At most ${max} files can go with one message.`, { id: 'chat-composer.upload.too-many' }) : '';
  }


  /** The files of chat `sessionId` (the shown one by default). */
  files(sessionId = this.host.sessionId): Upload[] {
    return sessionId === undefined ? [] : (this.uploads.get(sessionId) ?? []);
  }

  /** Replaces the files of a chat. */
  set(sessionId: string, list: Upload[]): void {
    if (list.length === 0) this.uploads.delete(sessionId);
    else this.uploads.set(sessionId, list);
    this.host.requestUpdate();
  }

  private patchUpload(sessionId: string, key: string, patch: Partial<Upload>): void {
    this.set(
      sessionId,
      this.files(sessionId).map((u) => (u.key === key ? { ...u, ...patch } : u)),
    );
  }

  /** The refusal of an upload in words (the server's reasons; its message when unknown). */
  private refusal(error: unknown): string {
    if (!(error instanceof ChatError)) return msg('The file could not be uploaded. Try again.', { id: 'chat-composer.upload.error.other' });
    const reason = error instanceof ChatHttpError ? error.reason : undefined;
    switch (reason) {
      case 'too_large': {
        const max = this.limits?.maxFileBytes;
        if (max === undefined) return error.message;
        const size = formatFileSize(max);
        return msg(str`The file is too large: at most ${size}.`, { id: 'chat-composer.upload.error.too-large' });
      }
      case 'type':
        return msg('Only images, PDF, Word, Excel, ZIP, text and CSV files can be sent.', { id: 'chat-composer.upload.error.type' });
      case 'image_too_large':
        return msg('The image is too large: at most 40 megapixels.', { id: 'chat-composer.upload.error.image-too-large' });
      case 'empty':
        return msg('The file is empty.', { id: 'chat-composer.upload.error.empty' });
      case 'rate_limited':
        return msg('Too many files in a short time. Wait a minute and try again.', { id: 'chat-composer.upload.error.rate' });
      default:
        break;
    }
    if (error.code === 'session_closed') return msg('The chat has ended: files can no longer be sent.', { id: 'chat-composer.upload.error.closed' });
    if (error.code === 'offline') return msg('The upload failed: the server could not be reached.', { id: 'chat-composer.upload.error.offline' });
    return error.message;
  }

  private async upload(sessionId: string, file: File, key: string, controller: AbortController): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    if (!this.limits) {
      try {
        this.limits = await client.attachmentLimits();
      } catch {
        // The server checks anyway.
      }
    }
    try {
      const attachment = await client.uploadAttachment(sessionId, file, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          this.patchUpload(sessionId, key, { loaded, total });
        },
      });
      this.patchUpload(sessionId, key, { state: 'done', attachment, name: attachment.name, size: attachment.size, type: attachment.type, loaded: attachment.size, total: attachment.size });
      announce(msg(str`${displayFileName(attachment.name).full} is ready to send.`, { id: 'chat-composer.upload.done' }));
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        this.set(
          sessionId,
          this.files(sessionId).filter((u) => u.key !== key),
        );
        return;
      }
      const text = this.refusal(error);
      this.patchUpload(sessionId, key, { state: 'failed', error: text });
      announce(msg(str`${displayFileName(file.name).full} was not uploaded: ${text}`, { id: 'chat-composer.upload.failed' }), { assertive: true });
      // As the widget does: the host hears of the refusal too (the server's code; retryable when trying again may work).
      const code = error instanceof ChatError ? error.code : 'internal';
      const recoverable = error instanceof ChatError ? error.retryable : true;
      this.host.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable }));
    }
  }

  /** Cancel (while uploading) or Remove. */
  private remove(key: string): void {
    const id = this.host.sessionId;
    if (id === undefined) return;
    const upload = this.files(id).find((u) => u.key === key);
    if (!upload) return;
    const name = displayFileName(upload.name).full;
    if (upload.state === 'uploading') {
      upload.controller.abort();
      announce(msg(str`Upload of ${name} cancelled.`, { id: 'chat-composer.upload.cancelled' }));
    } else {
      announce(msg(str`${name} removed.`, { id: 'chat-composer.upload.removed' }));
    }
    this.set(
      id,
      this.files(id).filter((u) => u.key !== key),
    );
    this.host.focusInput();
  }

  /** The chips of the shown chat's files: progress and Cancel, size and Remove, or why refused. */
  render() {
    const files = this.files();
    if (files.length === 0) return nothing;
    return html`<ul class="uploads" part="uploads" aria-label=${msg('Files for the next message', { id: 'chat-composer.uploads' })}>
      ${files.map((u) => {
        const name = displayFileName(u.name).full;
        const pct = u.total > 0 ? Math.min(100, Math.round((u.loaded / u.total) * 100)) : 0;
        return html`<li class="upload upload--${u.state}" part="upload upload--${u.state}">
          <span class="file-icon">${fileIcon(fileKind(u.type))}</span>
          <span class="file-text">
            ${fileNameTemplate(u.name)}
            ${u.state === 'uploading'
              ? html`<span class="upload-progress-row"
                  ><progress
                    class="upload-progress"
                    part="upload-progress"
                    max="100"
                    value=${pct}
                    aria-label=${msg(str`Uploading ${name}`, { id: 'chat-composer.upload.progress' })}
                  ></progress
                  ><span class="file-meta">${pct} %</span></span
                >`
              : u.state === 'failed'
                ? html`<span class="upload-error" part="upload-error">${u.error}</span>`
                : html`<span class="file-meta">${formatSize(u.size)}</span>`}
          </span>
          <button
            class="btn btn--quiet upload-remove"
            part="upload-remove"
            type="button"
            aria-label=${u.state === 'uploading'
              ? msg(str`Cancel the upload of ${name}`, { id: 'chat-composer.upload.cancel-label' })
              : msg(str`Remove ${name}`, { id: 'chat-composer.upload.remove-label' })}
            title=${u.state === 'uploading' ? msg('Cancel', { id: 'chat-composer.upload.cancel' }) : msg('Remove', { id: 'chat-composer.upload.remove' })}
            @click=${() => {
              this.remove(u.key);
            }}
          >
            ${u.state === 'uploading' ? html`<span>${msg('Cancel', { id: 'chat-composer.upload.cancel' })}</span>` : closeIcon}
          </button>
        </li>`;
      })}
    </ul>`;
  }
}
