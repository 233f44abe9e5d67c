/**
 * The Insert picker's preview: the highlighted reply as it will be inserted (variables resolved as
 * text), whose it is, its shortcut and folder, the favourite star and, for a quick reply the agent
 * may change, Edit.
 */
import { html, nothing } from 'lit';

import { msg } from '../../i18n/localization.js';
import type { Reply } from '../../protocol/replies.js';
import type { ReplyPicker } from './reply-picker.js';

export const starIcon = (on: boolean) =>
  html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1.6l1.9 4 4.4.5-3.3 3 .9 4.3L8 11.2l-3.9 2.2.9-4.3-3.3-3 4.4-.5z" fill=${on ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/></svg>`;

/** The preview of `r` (an empty, hidden box when nothing is highlighted, so the layout stays). */
export function renderReplyPreview(picker: ReplyPicker, r: Reply | undefined) {
  if (!r) return html`<div class="preview preview--empty" id="picker-preview"></div>`;
  const text = picker.textOf(r);
  const mine = picker.me()?.id === r.ownerId;
  return html`<div class="preview" id="picker-preview" part="picker-preview" role="region" aria-label=${msg('Preview', { id: 'chat-composer.picker.preview' })}>
    <div class="preview-head">
      <h3 class="preview-title">${r.title}</h3>
      <button
        class="btn btn--quiet star ${r.favourite ? 'star--on' : ''}"
        part="picker-favourite"
        type="button"
        aria-pressed=${r.favourite ? 'true' : 'false'}
        title=${msg('Favourite', { id: 'chat-composer.picker.favourite' })}
        @click=${() => void picker.toggleFavourite(r)}
      >
        ${starIcon(r.favourite)}<span>${msg('Favourite', { id: 'chat-composer.picker.favourite' })}</span>
      </button>
    </div>
    <p class="preview-facts">
      ${r.kind === 'quick-reply'
        ? mine
          ? msg('Personal', { id: 'chat-composer.picker.personal' })
          : r.ownerId === null
            ? msg('Shared', { id: 'chat-composer.picker.shared' })
            : nothing
        : nothing}
      ${r.shortcut !== null ? html`<span>/${r.shortcut}</span>` : nothing} ${r.folder !== '' ? html`<span>${r.folder}</span>` : nothing}
    </p>
    <p class="preview-text" part="picker-preview-text">${text}</p>
    ${r.kind === 'faq' && r.text.trim() !== '' ? html`<p class="preview-note">${r.text}</p>` : nothing}
    ${r.kind === 'quick-reply' && picker.mayEdit(r)
      ? html`<button
          class="btn"
          part="picker-edit"
          type="button"
          @click=${() => {
            picker.form.open(r, {}, 'browse');
          }}
        >
          ${msg('Edit', { id: 'chat-composer.picker.edit' })}
        </button>`
      : nothing}
  </div>`;
}
