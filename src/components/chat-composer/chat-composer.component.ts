import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';

import { msg, str } from '../../i18n/localization.js';
import type { CrmProvider } from '../../crm/types.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatMessageSendEvent } from '../../events/chat-message-send-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { ATTACHMENT_ACCEPT } from '../../protocol/attachments.js';
import { MAX_MESSAGE_TEXT, MAX_NOTE_TEXT, TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import { fileStyles } from '../../styles/files.styles.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { composerStyles } from './chat-composer.styles.js';
import type { DocumentPicker } from './document-picker.js';
import type { EmojiPicker } from '../../internal/emoji-picker.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import { ComposerUploads } from './composer-uploads.js';
import { popoverStyles } from '../../styles/popover.styles.js';
import type { ReplyPicker } from './reply-picker.js';

/** The character counter appears when this many characters (or fewer) are left. */
const COUNTER_FROM = 400;
/** While typing goes on, "typing" is repeated this often (the other side forgets it after 6 s). */
const TYPING_REFRESH_MS = 3_000;
/** No input for this long: "stopped typing". */
const TYPING_IDLE_MS = 4_000;

const icons = {
  send: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M1.7 1.6a.6.6 0 0 1 .7-.1l12 6a.6.6 0 0 1 0 1l-12 6a.6.6 0 0 1-.8-.7L3 8.6h5.5a.6.6 0 0 0 0-1.2H3L1.6 2.2a.6.6 0 0 1 .1-.6Z"/></svg>`,
  info: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  reply: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"><path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z"/></svg>`,
  lock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5Zm1.5 0h4V5a2 2 0 0 0-4 0v2Z"/></svg>`,
  insert: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M3 2.5h7l3 3v8H3z"/><path d="M5.5 7.5h5M5.5 10h3"/></svg>`,
  emoji: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"><circle cx="8" cy="8" r="6.2"/><path d="M5.4 9.6c.7 1 1.6 1.5 2.6 1.5s1.9-.5 2.6-1.5"/><path d="M6 6.3v.2M10 6.3v.2" stroke-width="1.8"/></svg>`,
  attach: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><path d="m13 7.5-5.3 5.3a3.2 3.2 0 0 1-4.5-4.5L8.8 2.7a2.1 2.1 0 0 1 3 3L6.2 11.3a1 1 0 0 1-1.5-1.5L9.8 4.7"/></svg>`,
  document: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"><path d="M2 4.5h4l1.5 1.5H14v7.5H2z"/><path d="M2 4.5V3h4l1 1.5"/></svg>`,
  save: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M4 2h8v12l-4-3-4 3z"/><path d="M8 5v4M6 7h4" stroke-linecap="round"/></svg>`,
};

/** "/" at the start or after white space, then the search up to the caret (no white space). */
const SLASH = /(^|\s)\/([^\s/]*)$/;


/** What the composer writes: a reply the customer sees, or an internal note only agents see. */
export type ComposerMode = 'reply' | 'note';

/**
 * @summary The message box of a conversation: Reply / Note mode (a radio group; notes are internal
 * and only agents see them), a labelled text area (Enter sends, Shift+Enter adds a line), a
 * character counter near the limit, the Send button, typing notifications (never for notes), and
 * the reason when writing or sending is not possible. With `agent-tools`: the Insert picker
 * (quick replies, reply templates, FAQs; also by typing "/"), emoji, files (Attach, paste, drop
 * through `addFiles()`, "Select a CRM document" with a `crmProvider`) uploaded at once with
 * progress and Cancel, and "Save as quick reply". Internal part of chat-conversation.
 * @tag chat-composer
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The whole element.
 * @csspart modes - The Reply / Note choice (a radio group).
 * @csspart mode - One choice; also `mode--reply`, `mode--note`, and `mode--selected` for the chosen one.
 * @csspart mode--reply - The Reply choice.
 * @csspart mode--note - The Note choice.
 * @csspart mode--selected - The chosen mode.
 * @csspart input - The text area.
 * @csspart send - The Send button.
 * @csspart hint - The keyboard hint ("Enter to send…").
 * @csspart reason - Why writing or sending is not possible now.
 * @csspart counter - Characters left (shown near the limit) or over the limit.
 * @csspart error - Why the last send failed, or why files could not be added (more than 10).
 * @csspart tools - The row of tool buttons (Insert, emoji, Attach, CRM document, Save as quick reply).
 * @csspart insert-button - "Insert" (opens the reply picker; typing "/" does too).
 * @csspart emoji-button - Opens the emoji picker.
 * @csspart attach-button - Opens the file picker.
 * @csspart document-button - "Select a CRM document" (with a `crmProvider`).
 * @csspart save-reply-button - "Save as quick reply" (the text as a new quick reply).
 * @csspart uploads - The files for the next message (chips above the text area).
 * @csspart upload - One file: name with its extension, size, progress, Cancel or Remove; also `upload--uploading`, `upload--done` or `upload--failed`.
 * @csspart upload--uploading - A file being uploaded.
 * @csspart upload--done - A file uploaded, ready to go with the next message.
 * @csspart upload--failed - A file that was refused.
 * @csspart file-name - A file's name in its chip (cut before the extension, which stays visible).
 * @csspart upload-progress - The progress bar of a file being uploaded.
 * @csspart upload-error - Why a file was refused.
 * @csspart upload-remove - Cancel (while uploading) or Remove.
 * @csspart picker - The Insert picker panel (top layer).
 * @csspart picker-tab - A tab of the picker (Quick replies, Reply templates, FAQs); also `picker-tab--selected`.
 * @csspart picker-tab--selected - The selected tab.
 * @csspart picker-search - The picker's search field.
 * @csspart picker-list - The list of replies.
 * @csspart picker-option - One reply in the list; also `picker-option--active`.
 * @csspart picker-option--active - The highlighted reply.
 * @csspart picker-empty - Why a list is empty (loading, nothing matches, no quick replies of your own, …).
 * @csspart picker-preview - The preview of the highlighted reply.
 * @csspart picker-preview-text - The text the reply puts into the message box.
 * @csspart picker-favourite - The favourite star in the preview.
 * @csspart picker-manage - "Edit quick replies" (opens the manage view).
 * @csspart picker-new - "New quick reply".
 * @csspart picker-manage-list - The quick replies the agent may change, in the manage view.
 * @csspart picker-notice - What happened in the manage view ("… deleted").
 * @csspart picker-edit - "Edit" on a quick reply (in the manage view and the preview).
 * @csspart picker-delete - "Delete" on a quick reply in the manage view.
 * @csspart picker-delete-confirm - The confirming "Delete".
 * @csspart picker-form - The quick-reply form.
 * @csspart picker-form-error - Why the quick reply was not saved (not about one field).
 * @csspart picker-field-error - The server's message next to a field of the form.
 * @csspart picker-form-save - The form's Save button.
 * @csspart picker-form-cancel - The form's Cancel button.
 * @csspart emoji-picker - The emoji picker panel.
 * @csspart emoji - One emoji in its grid.
 * @csspart document-picker - The CRM document picker panel.
 * @csspart document-option - One document in its list.
 * @csspart document-name - A document's name (cut before the extension, which stays visible).
 *
 * @cssproperty [--chat-composer-background=var(--chat-color-surface)] - Background of the composer.
 * @cssproperty [--chat-composer-input-background=var(--chat-color-surface)] - Background of the text area.
 * @cssproperty [--chat-composer-max-height=10rem] - Tallest the text area grows.
 * @cssproperty [--chat-composer-note-background=var(--chat-color-note)] - Background of the whole composer in Note mode, and of the selected Note choice.
 *
 * @cssstate readonly - Writing is not possible (`disabled-reason` is set).
 * @cssstate over-limit - The text is longer than allowed.
 * @cssstate note - Note mode: the text becomes an internal note.
 * @cssstate whisper - Whisper mode (`whisper`): the text goes to the handling agent only (also `note`).
 *
 * @fires {ChatMessageSendEvent} chat-message-send - Before a message or note is sent (`detail.kind`). Cancelable: `preventDefault()` keeps the text and sends nothing.
 * @fires {ChatErrorEvent} chat-error - The message could not be put into the outbox, or a file was refused: by the server (`detail.code`; `recoverable` when trying again may work) or because more than 10 would go with one message (`invalid`).
 */
export class ChatComposer extends ChatElement {
  static override styles = [hostStyles, buttonStyles, composerStyles, fileStyles, popoverStyles];

  /** Client to send with; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** Unsent text per session, so switching chats keeps each draft. */
  private readonly drafts = new Map<string, string>();
  /** Reply / Note per session. */
  private readonly modes = new Map<string, ComposerMode>();
  private typingSession: string | undefined;
  private typingSentAt = 0;
  private typingTrailing: ReturnType<typeof setTimeout> | undefined;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private sending = false;
  /** Files per session (uploading, uploaded for the next message, refused). */
  private readonly uploads = new ComposerUploads(this);
  /** The reply picker, emoji picker and CRM documents: their code loads on first use. */
  private picker: ReplyPicker | undefined;
  private emoji: EmojiPicker | undefined;
  private documents: DocumentPicker | undefined;
  private pickerLoading: Promise<ReplyPicker> | undefined;
  /** The "/…" token the picker was dismissed for (it does not reopen until the text there changes). */
  private slashDismissed: { start: number; text: string } | undefined;
  /** What the server accepts (asked once, before the first upload). */
  private limits: { maxFileBytes: number } | undefined;

  @query('textarea') private readonly input?: HTMLTextAreaElement | null;
  @query('#file-input') private readonly fileInput?: HTMLInputElement | null;

  @state() private text = '';
  @state() private error = '';
  @state() private mode: ComposerMode = 'reply';

  /** Session the message goes to. */
  @property({ attribute: 'session-id' })
  sessionId?: string;

  /** When set, the text area is disabled and this sentence says why (chat ended, not mine). */
  @property({ attribute: 'disabled-reason' })
  disabledReason = '';

  /** When set, typing is possible but sending is not, and this sentence says why (offline). */
  @property({ attribute: 'send-blocked-reason' })
  sendBlockedReason = '';

  /** Accessible name of the text area, e.g. "Message to Kim". */
  @property()
  label = '';

  /** Accessible name of the text area in Note mode, e.g. "Internal note on the chat with Kim". */
  @property({ attribute: 'note-label' })
  noteLabel = '';

  /** Offers Note mode (internal notes, agents only). */
  @property({ type: Boolean, attribute: 'allow-notes' })
  allowNotes = false;

  /** Shows the agent's tools: Insert (reply library, also by typing "/"), emoji, files and "Save as quick reply". */
  @property({ type: Boolean, attribute: 'agent-tools' })
  agentTools = false;

  /**
   * Whisper: a supervisor listening in writes to the handling agent only (sent as kind
   * `whisper`, never seen by the customer). No Reply/Note choice, no tools, no typing signal.
   */
  @property({ type: Boolean })
  whisper = false;

  /** CRM to pick documents from ("Select a CRM document"); the button shows when set. */
  @property({ attribute: false })
  crmProvider?: CrmProvider;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTyping();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) {
      const previous = changed.get('sessionId');
      if (typeof previous === 'string') this.saveDraft(previous, this.text);
      this.stopTyping();
      this.picker?.close(false);
      this.emoji?.close(false);
      this.documents?.close(false);
      this.slashDismissed = undefined;
      this.text = this.sessionId !== undefined ? this.draftOf(this.sessionId) : '';
      this.mode = this.sessionId !== undefined ? (this.modes.get(this.sessionId) ?? 'reply') : 'reply';
      this.error = '';
    } else if (changed.has('client') && this.sessionId !== undefined && this.text === '') {
      this.text = this.draftOf(this.sessionId);
    }
    if (!this.allowNotes) this.mode = 'reply';
    if (changed.has('disabledReason') && this.disabledReason) this.stopTyping();
    this.setCustomState('readonly', this.disabledReason !== '');
    this.setCustomState('over-limit', this.text.length > this.limit());
    this.setCustomState('note', this.internal());
    this.setCustomState('whisper', this.whisper);
  }

  /** A note or a whisper: for agents only (no typing signal, no files, the note's limit). */
  private internal(): boolean {
    return this.whisper || this.mode === 'note';
  }

  private limit(): number {
    return this.internal() ? MAX_NOTE_TEXT : MAX_MESSAGE_TEXT;
  }

  /** Drafts live in the client (kept across reloads); without one, in this element. */
  private draftOf(sessionId: string): string {
    return this.client ? this.client.draft(sessionId) : (this.drafts.get(sessionId) ?? '');
  }

  private saveDraft(sessionId: string, text: string): void {
    if (this.client) this.client.saveDraft(sessionId, text);
    else if (text === '') this.drafts.delete(sessionId);
    else this.drafts.set(sessionId, text);
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    if (this.sessionId !== undefined) this.saveDraft(this.sessionId, this.text);
    if (this.error) this.error = '';
    if (this.text.trim() === '' || this.internal()) this.stopTyping();
    else this.startTyping();
    this.checkSlash();
  }

  /** The "/…" before the caret: where it starts and the search after it, or undefined. */
  private slashToken(): { start: number; query: string } | undefined {
    const el = this.input;
    if (!el) return undefined;
    const caret = el.selectionStart;
    const match = SLASH.exec(this.text.slice(0, caret));
    if (!match) return undefined;
    const query = match[2] ?? '';
    return { start: caret - query.length - 1, query };
  }

  /** Typing "/" at the start or after a space opens the picker with what follows as the search. */
  private checkSlash(): void {
    if (!this.agentTools || this.disabledReason) return;
    const token = this.slashToken();
    if (!token) {
      this.slashDismissed = undefined;
      if (this.picker?.open && this.picker.opener === 'slash') this.picker.close(false);
      return;
    }
    const dismissed = this.slashDismissed;
    if (dismissed?.start === token.start && this.text.startsWith(dismissed.text, token.start)) return;
    this.slashDismissed = undefined;
    if (this.picker?.open && this.picker.opener === 'slash') {
      this.picker.setQuery(token.query);
      return;
    }
    // Also when the picker is open from its button: "/…" typed in the text area searches it.
    void this.loadPicker().then((picker) => {
      const now = this.slashToken();
      if (now) picker.openPicker('slash', now.query);
    });
  }

  /** The text is nothing but a "/shortcut": it is a search for a reply, never a message. */
  private isShortcut(): boolean {
    return this.agentTools && /^\s*\/[^\s/]*\s*$/.test(this.text);
  }

  private async loadPicker(): Promise<ReplyPicker> {
    if (this.picker) return this.picker;
    this.pickerLoading ??= import('./reply-picker.js').then((m) => {
      adoptLazyStyles(this, m.pickerStyles);
      this.picker = new m.ReplyPicker(this);
      return this.picker;
    });
    return this.pickerLoading;
  }

  private async onInsertClick(): Promise<void> {
    const picker = await this.loadPicker();
    if (picker.open) picker.close(true);
    else picker.openPicker('button');
  }

  /**
   * Opens the Insert picker (the Alt+Shift+Q shortcut of the console). False when this composer
   * has no agent tools or cannot be written in now.
   */
  openInsertPicker(): boolean {
    if (!this.agentTools || this.disabledReason !== '') return false;
    void this.loadPicker().then((picker) => {
      if (!picker.open) picker.openPicker('button');
    });
    return true;
  }

  private async onEmojiClick(): Promise<void> {
    if (!this.emoji) {
      const m = await import('../../internal/emoji-picker.js');
      adoptLazyStyles(this, [m.emojiStyles]);
      this.emoji ??= new m.EmojiPicker(this);
    }
    this.emoji.toggle();
  }

  private async onDocumentClick(): Promise<void> {
    if (!this.documents) {
      const m = await import('./document-picker.js');
      adoptLazyStyles(this, [m.documentStyles]);
      this.documents ??= new m.DocumentPicker(this);
    }
    this.documents.toggle();
  }

  private onAttachClick(): void {
    this.fileInput?.click();
  }

  private onFilesChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.addFiles(files);
  }

  /** `paste`: files (a screenshot, copied files) are attached; text pastes as text. */
  private onPaste(event: ClipboardEvent): void {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    // Copying from an office program gives the text and a picture of it: the text is what is meant.
    if (files.length === 0 || (data?.getData('text/plain') ?? '') !== '' || this.disabledReason) return;
    event.preventDefault();
    this.addFiles(files);
  }

  private onSaveAsReply(): void {
    this.openQuickReplyForm(this.text);
  }

  private onModeChange(event: Event): void {
    const value = (event.target as HTMLInputElement).value === 'note' ? 'note' : 'reply';
    this.setMode(value);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (this.picker?.handleInputKey(event)) {
      if (event.key === 'Escape') {
        const token = this.slashToken();
        if (token) this.slashDismissed = { start: token.start, text: this.text.slice(token.start, token.start + token.query.length + 1) };
      }
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    void this.submit();
  }

  private onBlur(): void {
    this.stopTyping();
  }

  /** Tells the other side "typing", at most once per TYPING_THROTTLE_MS and refreshed while it goes on. */
  private startTyping(): void {
    const client = this.client;
    const id = this.sessionId;
    // A note is for agents: the customer must not even see that something is being written.
    if (!client || id === undefined || this.disabledReason || this.internal()) return;
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => {
      this.stopTyping();
    }, TYPING_IDLE_MS);
    const now = Date.now();
    const due = this.typingSession === id ? this.typingSentAt + TYPING_REFRESH_MS : this.typingSentAt + TYPING_THROTTLE_MS;
    if (now >= due) {
      clearTimeout(this.typingTrailing);
      this.typingTrailing = undefined;
      this.typingSession = id;
      this.typingSentAt = now;
      client.typing(id, true);
    } else if (this.typingSession !== id && this.typingTrailing === undefined) {
      // Too soon after the last frame: say it when the throttle window ends.
      this.typingTrailing = setTimeout(() => {
        this.typingTrailing = undefined;
        if (this.text.trim() !== '' && this.sessionId === id) this.startTyping();
      }, due - now);
    }
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    clearTimeout(this.typingTrailing);
    this.typingTrailing = undefined;
    const id = this.typingSession;
    if (id === undefined) return;
    this.typingSession = undefined;
    this.typingSentAt = Date.now();
    this.client?.typing(id, false);
  }

  /** Why the text cannot be sent now, or '' when it can. */
  private blockedReason(): string {
    if (this.disabledReason) return this.disabledReason;
    if (this.sendBlockedReason) return this.sendBlockedReason;
    if (this.text.length > this.limit()) return msg('The message is too long.', { id: 'chat-composer.too-long' });
    const files = this.uploads.files();
    if (files.some((u) => u.state === 'uploading')) return msg('Wait until the files are uploaded.', { id: 'chat-composer.wait-for-files' });
    const ready = files.filter((u) => u.state === 'done');
    if (ready.length > 0 && this.internal()) return msg('Files can only be sent in a reply, not in a note.', { id: 'chat-composer.files-in-note' });
    if (this.text.trim() === '' && ready.length === 0) return msg('Write a message first.', { id: 'chat-composer.empty' });
    return '';
  }

  private async submit(): Promise<void> {
    const client = this.client;
    const id = this.sessionId;
    const text = this.text;
    const kind = this.whisper ? 'whisper' : this.mode === 'note' ? 'note' : 'text';
    if (!client || id === undefined || this.sending || this.blockedReason() !== '') return;
    if (this.isShortcut()) {
      // A "/shortcut" never reaches the customer: Enter (or Send) before the picker had opened
      // opens it on that search; with no match it stays open and says so.
      const query = text.trim().slice(1);
      void this.loadPicker().then((picker) => {
        if (!picker.open || picker.mode !== 'slash') picker.openPicker('slash', query);
      });
      return;
    }
    if (!this.dispatchEvent(new ChatMessageSendEvent({ sessionId: id, text, kind }))) return;
    const ready = this.uploads.files(id).filter((u) => u.state === 'done' && u.attachment !== undefined);
    const attachmentIds = ready.map((u) => u.attachment?.id ?? '');
    this.sending = true;
    this.error = '';
    try {
      await client.send(id, text, kind, kind === 'text' && attachmentIds.length > 0 ? attachmentIds : undefined);
      // Sent files go; refused ones are stale now too. Files still uploading stay.
      const sent = new Set(ready.map((u) => u.key));
      const left = this.uploads.files(id).filter((u) => !sent.has(u.key) && u.state !== 'failed');
      if (left.length !== this.uploads.files(id).length) this.uploads.set(id, left);
      this.stopTyping();
      // Only clear what was sent: the user may have typed on meanwhile.
      if (this.sessionId === id) {
        this.text = this.text === text ? '' : this.text.startsWith(text) ? this.text.slice(text.length).trimStart() : this.text;
        this.saveDraft(id, this.text);
      } else {
        if (this.draftOf(id) === text) this.saveDraft(id, '');
      }
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const reason =
        code === 'offline'
          ? msg('Not connected yet. Your text is kept; send it again when the connection is back.', { id: 'chat-composer.error.offline' })
          : msg('The message could not be sent. Your text is kept; try again.', { id: 'chat-composer.error.other' });
      this.error = reason;
      announce(reason, { assertive: true });
      this.dispatchEvent(new ChatErrorEvent({ code, message: reason, recoverable: true }));
    } finally {
      this.sending = false;
    }
  }

  private replaceRange(start: number, end: number, text: string): void {
    const next = `${this.text.slice(0, start)}${text}${this.text.slice(end)}`;
    const caret = start + text.length;
    this.text = next;
    if (this.sessionId !== undefined) this.saveDraft(this.sessionId, next);
    if (this.error) this.error = '';
    void this.updateComplete.then(() => {
      const el = this.input;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
    if (next.trim() !== '' && !this.internal()) this.startTyping();
  }

  /** Moves keyboard focus into the text area. */
  override focus(options?: FocusOptions): void {
    this.input?.focus(options);
  }

  /** Switches between writing a reply and an internal note (when notes are allowed). */
  setMode(mode: ComposerMode): void {
    const next = this.allowNotes ? mode : 'reply';
    if (next === this.mode) return;
    this.mode = next;
    if (this.sessionId !== undefined) this.modes.set(this.sessionId, next);
    if (next === 'note') this.stopTyping();
    else if (this.text.trim() !== '') this.startTyping();
  }

  /** Puts text into the box (e.g. a quick reply), replacing what is there. */
  setText(text: string): void {
    this.text = text;
    if (this.sessionId !== undefined) this.saveDraft(this.sessionId, text);
  }

  /**
   * Adds text for the agent to edit and send: into an empty box as it is, else on a new line
   * after what is there; the caret goes to its end.
   */
  appendText(text: string): void {
    const current = this.text.replace(/\s+$/, '');
    this.replaceRange(current === '' ? 0 : current.length, this.text.length, current === '' ? text : `\n${text}`);
  }

  /**
   * Uploads files to the shown chat at once (Attach, paste, drop, CRM documents); each shows
   * progress and Cancel, and goes out with the next message. At most 10 per message.
   */
  addFiles(files: readonly File[]): void {
    const id = this.sessionId;
    if (id === undefined || !this.client || this.disabledReason || files.length === 0) return;
    const tooMany = this.uploads.add(id, files);
    if (tooMany !== '') {
      this.error = tooMany;
      announce(tooMany, { assertive: true });
      this.dispatchEvent(new ChatErrorEvent({ code: 'invalid', message: tooMany, recoverable: false }));
    }
  }

  /** Opens the form for a new quick reply with `text` (its content), e.g. from a sent message. */
  openQuickReplyForm(text: string): void {
    if (!this.agentTools) return;
    void this.loadPicker().then((picker) => {
      picker.saveAsQuickReply(text);
    });
  }

  /** For the pickers: text in place of the "/…" that opened the reply picker, else at the caret. */
  insertReplyText(text: string, fromSlash: boolean): void {
    const el = this.input;
    let start = el?.selectionStart ?? this.text.length;
    let end = el?.selectionEnd ?? start;
    if (fromSlash) {
      const token = this.slashToken();
      if (token) {
        start = token.start;
        end = token.start + token.query.length + 1;
      }
    }
    this.slashDismissed = undefined;
    this.replaceRange(start, end, text);
  }

  /** For the emoji picker: text at the caret. */
  insertAtCaret(text: string): void {
    const el = this.input;
    const start = el?.selectionStart ?? this.text.length;
    this.replaceRange(start, el?.selectionEnd ?? start, text);
  }

  /** Focus helpers for the pickers. */
  focusInput(): void {
    this.input?.focus();
  }

  focusInsertButton(): void {
    this.renderRoot.querySelector<HTMLElement>('[part~="insert-button"]')?.focus();
  }

  focusEmojiButton(): void {
    this.renderRoot.querySelector<HTMLElement>('[part~="emoji-button"]')?.focus();
  }

  focusDocumentButton(): void {
    this.renderRoot.querySelector<HTMLElement>('[part~="document-button"]')?.focus();
  }

  private renderModes() {
    if (!this.allowNotes || this.whisper) return html`<span></span>`;
    const disabled = this.disabledReason !== '';
    const choice = (mode: ComposerMode, label: string, icon: unknown) => {
      const selected = this.mode === mode;
      return html`<label class="mode ${selected ? 'mode--selected' : ''}" part="mode mode--${mode}${selected ? ' mode--selected' : ''}">
        <input type="radio" name="mode" value=${mode} .checked=${selected} ?disabled=${disabled} @change=${this.onModeChange} />${icon}<span>${label}</span>
      </label>`;
    };
    return html`<div class="modes" part="modes" role="radiogroup" aria-label=${msg('Message type', { id: 'chat-composer.modes' })}>
      ${choice('reply', msg('Reply', { id: 'chat-composer.mode.reply' }), icons.reply)}
      ${choice('note', msg('Note', { id: 'chat-composer.mode.note' }), icons.lock)}
    </div>`;
  }

  private renderTools() {
    if (!this.agentTools) return nothing;
    const disabled = this.disabledReason !== '';
    const pickerOpen = this.picker?.open === true;
    const canSave = this.text.trim() !== '' && !disabled;
    return html`<div class="tools" part="tools" role="group" aria-label=${msg('Insert and attach', { id: 'chat-composer.tools' })}>
      <button
        class="btn btn--quiet tool"
        part="insert-button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${pickerOpen ? 'true' : 'false'}
        title=${msg('Quick replies, templates and FAQs (or type /)', { id: 'chat-composer.insert-title' })}
        ?disabled=${disabled}
        @click=${this.onInsertClick}
      >
        ${icons.insert}<span>${msg('Insert', { id: 'chat-composer.insert' })}</span>
      </button>
      <button
        class="btn btn--quiet tool tool--icon"
        part="emoji-button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.emoji?.open === true ? 'true' : 'false'}
        aria-label=${msg('Insert emoji', { id: 'chat-composer.emoji-button' })}
        title=${msg('Insert emoji', { id: 'chat-composer.emoji-button' })}
        ?disabled=${disabled}
        @click=${this.onEmojiClick}
      >
        ${icons.emoji}
      </button>
      <button
        class="btn btn--quiet tool tool--icon"
        part="attach-button"
        type="button"
        aria-label=${msg('Attach files', { id: 'chat-composer.attach' })}
        title=${msg('Attach files (or drop them on the conversation, or paste)', { id: 'chat-composer.attach-title' })}
        ?disabled=${disabled}
        @click=${this.onAttachClick}
      >
        ${icons.attach}
      </button>
      ${this.crmProvider
        ? html`<button
            class="btn btn--quiet tool tool--icon"
            part="document-button"
            type="button"
            aria-haspopup="dialog"
            aria-expanded=${this.documents?.open === true ? 'true' : 'false'}
            aria-label=${msg('Select a CRM document', { id: 'chat-composer.documents.title' })}
            title=${msg('Select a CRM document', { id: 'chat-composer.documents.title' })}
            ?disabled=${disabled}
            @click=${this.onDocumentClick}
          >
            ${icons.document}
          </button>`
        : nothing}
      <button
        class="btn btn--quiet tool tool--icon"
        part="save-reply-button"
        type="button"
        aria-label=${msg('Save as quick reply', { id: 'chat-composer.save-reply' })}
        title=${msg('Save as quick reply', { id: 'chat-composer.save-reply' })}
        aria-disabled=${canSave ? 'false' : 'true'}
        ?disabled=${disabled}
        @click=${() => {
          if (canSave) this.onSaveAsReply();
        }}
      >
        ${icons.save}
      </button>
      <input id="file-input" type="file" multiple accept=${ATTACHMENT_ACCEPT} hidden tabindex="-1" @change=${this.onFilesChosen} />
    </div>`;
  }

  override render() {
    const note = this.internal();
    const whisper = this.whisper;
    const length = this.text.length;
    const left = this.limit() - length;
    const over = left < 0;
    const showCounter = left <= COUNTER_FROM;
    const disabled = this.disabledReason !== '';
    const reason = this.disabledReason || this.sendBlockedReason;
    const blocked = this.blockedReason() !== '';
    const overBy = -left;
    const described = [reason ? 'reason' : 'hint', showCounter ? 'counter' : '', this.error ? 'error' : ''].filter(Boolean).join(' ');
    const label = whisper
      ? this.label || msg('Whisper to the agent', { id: 'chat-composer.whisper-label' })
      : note
        ? this.noteLabel || msg('Internal note', { id: 'chat-composer.note-label' })
        : this.label || msg('Message', { id: 'chat-composer.label' });
    const placeholder = disabled
      ? ''
      : whisper
        ? msg('Whisper to the agent — the customer does not see it…', { id: 'chat-composer.whisper-placeholder' })
        : note
          ? msg('Write an internal note — only agents see it…', { id: 'chat-composer.note-placeholder' })
        : this.agentTools
          ? msg('Write a reply… (/ for quick replies)', { id: 'chat-composer.placeholder-tools' })
          : msg('Write a reply…', { id: 'chat-composer.placeholder' });
    const aria = this.picker?.inputAria() ?? {};
    const top = this.allowNotes || this.agentTools;
    return html`<div class="base ${note ? 'base--note' : ''}" part="base">
      ${top ? html`<div class="top">${this.renderModes()}${this.renderTools()}</div>` : nothing} ${this.uploads.render()}
      <div class="row">
        <textarea
          id="input"
          class="input"
          part="input"
          rows="1"
          aria-label=${label}
          aria-describedby=${described}
          aria-invalid=${over ? 'true' : 'false'}
          aria-controls=${ifDefined(aria.controls)}
          aria-activedescendant=${ifDefined(aria.activedescendant)}
          aria-autocomplete=${ifDefined(aria.controls !== undefined ? 'list' : undefined)}
          placeholder=${placeholder}
          ?disabled=${disabled}
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${this.onBlur}
          @paste=${this.onPaste}
        ></textarea>
        <button class="btn btn--primary send" part="send" type="button" aria-disabled=${blocked ? 'true' : 'false'} ?disabled=${disabled} @click=${this.submit}>
          ${whisper
            ? html`${icons.lock}${msg('Whisper', { id: 'chat-composer.send-whisper' })}`
            : note
              ? html`${icons.lock}${msg('Add note', { id: 'chat-composer.add-note' })}`
              : html`${icons.send}${msg('Send', { id: 'chat-composer.send' })}`}
        </button>
      </div>
      <div class="footer">
        ${reason
          ? html`<p id="reason" class="reason" part="reason">${icons.info}<span>${reason}</span></p>`
          : html`<p id="hint" class="hint" part="hint">${whisper
              ? msg('Only agents see whispers. Enter to whisper, Shift+Enter for a new line', { id: 'chat-composer.whisper-hint' })
              : note
              ? msg('Only agents see notes. Enter to add, Shift+Enter for a new line', { id: 'chat-composer.note-hint' })
              : msg('Enter to send, Shift+Enter for a new line', { id: 'chat-composer.hint' })}</p>`}
        ${showCounter
          ? html`<span id="counter" class="counter ${over ? 'counter--over' : ''}" part="counter"
              >${over
                ? msg(str`Over the limit by ${overBy}`, { id: 'chat-composer.counter.over' })
                : msg(str`Characters left: ${left}`, { id: 'chat-composer.counter.left' })}</span
            >`
          : nothing}
      </div>
      ${this.error ? html`<p id="error" class="error" part="error">${this.error}</p>` : nothing}
      ${this.picker?.render() ?? nothing}${this.emoji?.render() ?? nothing}${this.documents?.render() ?? nothing}
    </div>`;
  }
}
