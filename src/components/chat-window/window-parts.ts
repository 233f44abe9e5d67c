/**
 * The parts of the elements inside the window that it re-exports (`exportparts`), as
 * `<prefix>__<part>`: `session-list__item`, `conversation__message`, and so on. Each list names
 * every part its element documents (`@csspart`); chat-window's JSDoc names the prefixes.
 */

/** `exportparts` value that re-exports a child's parts as `<prefix>__<part>`. */
export const exportParts = (prefix: string, parts: readonly string[]) => parts.map((p) => `${p}:${prefix}__${p}`).join(', ');

export const STATUS_PARTS = [
  'base', 'retry',
];
export const CONTACT_PANEL_PARTS = [
  'base', 'heading', 'customer', 'identity', 'identity--verified', 'identity--unverified', 'claimed', 'company', 'consent', 'matches', 'item', 'reason', 'auto-link', 'auto-link-undo', 'link-button', 'favourite-button', 'search',
  'search-input', 'create-button', 'form', 'field-error', 'duplicate-warning', 'card', 'card-name',
  'open-button', 'change-button', 'section', 'transcript', 'skeleton', 'empty', 'error', 'retry',
];
export const DASHBOARD_PARTS = [
  'base', 'main', 'filter', 'filter-option', 'stats', 'stats-heading', 'stats-meta', 'cards', 'card',
  // help requested (issue 18)
  'help', 'help-heading', 'help-count', 'help-table', 'help-row', 'help-note', 'help-listen', 'help-whisper', 'help-takeover', 'help-handled', 'help-error', 'returned',
  'card-label', 'card-value', 'card-note', 'chart-section', 'chart', 'chart-bar', 'chart-toggle',
  'chart-table', 'heading', 'count', 'capacity', 'hidden-waiting', 'error', 'error-dismiss', 'empty', 'table',
  'row', 'row--answering', 'customer', 'channel', 'waiting', 'preview', 'answer', 'ongoing-heading',
  'ongoing-count', 'ongoing-empty', 'ongoing-table', 'ongoing-row', 'agent', 'duration', 'listen-button',
  'listen', 'listen-heading', 'listen-notice', 'listen-stop', 'listen-conversation', 'listen-ended',
  'ratings', 'ratings-table', 'priority', 'sla', 'card-tags', 'tag-count',
];
export const SESSION_LIST_PARTS = [
  'base', 'header', 'queue-count', 'next-button', 'next-reason', 'next-error', 'search', 'search-input',
  'search-clear', 'search-status', 'no-match', 'list-label', 'list', 'group', 'group-label', 'group-count',
  'item', 'item--selected', 'item--unread', 'item--transfer', 'item--completed', 'name', 'identity',
  'identity--verified', 'identity--unverified', 'channel', 'transfer', 'flag',
  'preview', 'badge', 'time', 'empty', 'marks', 'priority', 'sla', 'tag-filter', 'tag-filter-select',
];
export const CONVERSATION_PARTS = [
  'base', 'header', 'title', 'identity', 'identity--verified', 'identity--unverified', 'channel', 'status', 'listening', 'actions', 'takeover-button', 'transfer-button',
  // hold, help and return to queue (issue 18)
  'help-button', 'hold-button', 'requeue-button', 'hold-bar', 'help-bar', 'help-note', 'returned-bar', 'returned-reason', 'hold-error',
  'requeue-dialog', 'requeue-reason', 'requeue-error', 'requeue-confirm', 'requeue-cancel',
  'help-dialog', 'help-note-input', 'help-error', 'help-confirm', 'help-cancel', 'tags', 'tag',
  'end-button', 'unread-button', 'whisper', 'end-error', 'transfer-pending', 'transfer-cancel', 'transfer-offer', 'transfer-note',
  'transfer-accept', 'transfer-reject', 'notice', 'notice-close', 'transcript', 'messages', 'scroller', 'message',
  'message--customer', 'message--agent', 'message--note', 'message--whisper', 'message--bot', 'bot-badge', 'message--system', 'message--internal',
  'message--pending', 'message--failed', 'bubble', 'bubble--customer', 'bubble--agent', 'bubble--bot', 'bubble--note', 'bubble--whisper', 'link', 'note-label', 'divider', 'seen', 'retry', 'cancel',
  'new-messages', 'jump', 'jump-count', 'load-older', 'no-messages', 'meta', 'message-state', 'typing', 'preview',
  'composer', 'whisper', 'modes', 'mode', 'mode--reply', 'mode--note', 'mode--selected', 'input', 'send', 'hint', 'counter', 'reason',
  'composer-error', 'dialog', 'dialog-confirm', 'dialog-cancel', 'transfer-dialog', 'transfer-option',
  'transfer-option--disabled', 'transfer-note-input', 'transfer-error', 'transfer-confirm', 'transfer-dismiss', 'empty',
  // agent tools (requests, files, Insert / emoji / CRM document pickers, message actions)
  'request-button', 'requests', 'request-link', 'request-dialog', 'request-confirm', 'request-cancel', 'request-contact',
  'request-field-error', 'drop-zone', 'tools', 'insert-button', 'emoji-button', 'attach-button', 'document-button',
  'save-reply-button', 'uploads', 'upload', 'upload--uploading', 'upload--done', 'upload--failed', 'upload-progress',
  'upload-error', 'upload-remove', 'file-name', 'picker', 'picker-tab', 'picker-tab--selected', 'picker-search',
  'picker-list', 'picker-option', 'picker-option--active', 'picker-empty', 'picker-preview', 'picker-preview-text',
  'picker-favourite', 'picker-manage', 'picker-new', 'picker-manage-list', 'picker-notice', 'picker-edit', 'picker-delete',
  'picker-delete-confirm', 'picker-form', 'picker-form-error', 'picker-field-error', 'picker-form-save',
  'picker-form-cancel', 'emoji-picker', 'emoji', 'document-picker', 'document-option', 'document-name', 'files', 'file',
  'thumbnail', 'file-download', 'message-actions', 'message-menu', 'message-menu-item', 'quote', 'quote-author', 'quote-text',
  'composer-quote', 'composer-quote-author', 'composer-quote-text', 'quote-remove', 'suggestions', 'suggestion',
  'priority-field', 'priority-select', 'priority-error', 'priority',
  'wrapup', 'wrapup-comment', 'wrapup-tags', 'wrapup-tag', 'wrapup-silent', 'wrapup-error',
];
