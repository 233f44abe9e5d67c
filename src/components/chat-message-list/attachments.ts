/**
 * Files in messages (`ChatMessage.attachments`): one row per file with an icon by type, the name
 * (bidi controls removed, the extension always visible even when the name is cut), the size and
 * a Download button that asks the client for a signed URL when pressed (the client reuses one it
 * got less than 4 minutes ago, see `attachmentUrl` in state/agent-tools.ts); raster images also get a
 * thumbnail of a fixed size (so rows never jump when it loads) with `alt=""` next to the name.
 *
 * Kept apart from chat-message-list.component.ts on purpose: the list renders
 * `renderAttachments(message.attachments, files)` and adds `attachmentStyles`. The file
 * vocabulary (kinds, icons, names, sizes, thumbnail URLs) is src/internal/files.ts, shared with the
 * composer and the customer widget.
 */
import { css, html, nothing } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { AttachmentUrls } from '../../internal/files.js';
import { displayFileName, fileIcon, fileKind, fileKindText, fileNameTemplate, formatSize, hasThumbnail, thumbnail } from '../../internal/files.js';
import type { AttachmentInfo } from '../../protocol/model.js';
import { fileCardStyles, fileStyles } from '../../styles/files.styles.js';

const downloadIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M8 2v8M4.5 7 8 10.5 11.5 7M2.5 13.5h11"/></svg>`;

/** Downloads a file of a message; says so when that fails. */
function download(urls: AttachmentUrls, file: AttachmentInfo): void {
  urls.download(file).catch(() => {
    const name = displayFileName(file.name).full;
    announce(msg(str`${name} could not be downloaded. Try again.`, { id: 'chat-message-list.file.download-error' }), { assertive: true });
  });
}

function renderFile(file: AttachmentInfo, urls: AttachmentUrls) {
  const kind = fileKind(file.type);
  const name = displayFileName(file.name).full;
  const size = formatSize(file.size);
  const image = hasThumbnail(file);
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
        @click=${() => {
          download(urls, file);
        }}
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

export const attachmentStyles = [
  fileStyles,
  fileCardStyles,
  css`
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
  .file-row {
    gap: var(--_space-s);
  }
  .file--pdf .file-icon {
    color: var(--_danger);
  }
  .file-text {
    flex: 1 1 auto;
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
`,
];
