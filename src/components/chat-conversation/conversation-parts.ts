/** The parts of chat-conversation's inner elements that it forwards (`exportparts`), and templates its parts share. */
import { html } from 'lit';

/** The parts of chat-message-list this element forwards (its `base` is the `transcript` part here). */
export const MESSAGE_LIST_PARTS = [
  'messages', 'scroller', 'message', 'message--customer', 'message--agent', 'message--note', 'message--whisper', 'message--bot', 'bot-badge', 'message--system',
  'message--internal', 'message--pending', 'message--failed', 'bubble', 'bubble--customer', 'bubble--agent', 'bubble--bot', 'bubble--note', 'bubble--whisper', 'link', 'note-label', 'divider', 'seen', 'meta',
  'message-state', 'retry', 'cancel', 'new-messages', 'jump', 'jump-count', 'load-older', 'no-messages', 'files', 'file',
  'thumbnail', 'file-name', 'file-download', 'message-actions', 'message-menu', 'message-menu-item', 'quote', 'quote-author', 'quote-text',
].join(', ');

/** The parts of chat-composer this element forwards (its `base` is the `composer` part here; `error` becomes `composer-error`). */
export const COMPOSER_PARTS = [
  'modes', 'mode', 'mode--reply', 'mode--note', 'mode--selected', 'input', 'send', 'counter', 'reason', 'hint',
  'error: composer-error', 'quote: composer-quote', 'quote-author: composer-quote-author', 'quote-text: composer-quote-text', 'quote-remove', 'suggestions', 'suggestion', 'tools', 'insert-button', 'emoji-button', 'attach-button', 'document-button', 'save-reply-button',
  'uploads', 'upload', 'upload--uploading', 'upload--done', 'upload--failed', 'file-name', 'upload-progress', 'upload-error',
  'upload-remove', 'picker', 'picker-tab', 'picker-tab--selected', 'picker-search', 'picker-list', 'picker-option',
  'picker-option--active', 'picker-empty', 'picker-preview', 'picker-preview-text', 'picker-favourite', 'picker-manage',
  'picker-new', 'picker-manage-list', 'picker-notice', 'picker-edit', 'picker-delete', 'picker-delete-confirm', 'picker-form',
  'picker-form-error', 'picker-field-error', 'picker-form-save', 'picker-form-cancel', 'emoji-picker', 'emoji',
  'document-picker', 'document-option', 'document-name',
].join(', ');

/**
 * A tool button's label in the header: hidden (still the button's accessible name) when the
 * conversation is narrow, the button then showing its icon and the label as its tooltip
 * (`title`), so the header's buttons stay on one line (chat-conversation.styles.ts, the
 * `conversation-header` container).
 */
export const toolLabel = (text: string) => html`<span class="label">${text}</span>`;
