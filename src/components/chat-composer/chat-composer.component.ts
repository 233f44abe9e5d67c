import { consume } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';

import { msg } from '../../i18n/localization.js';
import type { CrmProvider } from '../../crm/types.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatMessageSendEvent } from '../../events/chat-message-send-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { MAX_MESSAGE_TEXT, MAX_NOTE_TEXT } from '../../protocol/limits.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import { fileStyles } from '../../styles/files.styles.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { composerStyles } from './chat-composer.styles.js';
import { type ComposerKind, counterText, fieldLabel, hint, placeholder, sendErrorText, sendLabel } from './composer-texts.js';
import { ComposerDrafts, type ComposerMode } from './composer-drafts.js';
import { composerIcons, renderModes } from './composer-modes.js';
import { ComposerQuote } from './composer-quote.js';
import { ComposerSuggestions } from './composer-suggestions.js';
import { ComposerTools } from './composer-tools.js';
import { ComposerTyping } from './composer-typing.js';
import { ComposerUploads } from './composer-uploads.js';
import { popoverStyles } from '../../styles/popover.styles.js';
import { quoteStyles } from '../../internal/message-quote.js';
import type { ChatMessage } from '../../protocol/model.js';

/** The character counter appears when this many characters (or fewer) are left. */
const COUNTER_FROM = 400;

export type { ComposerMode };

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
 * @csspart quote - The message the next one quotes (above the text area), with its author and an excerpt.
 * @csspart quote-author - Who wrote the quoted message.
 * @csspart quote-text - The excerpt of the quoted message.
 * @csspart quote-remove - Removes the quote.
 * @csspart suggestions - Suggested replies (with `agent-tools`): the library's replies, and the CRM's, that match what the customer writes.
 * @csspart suggestion - One suggested reply (a button; Enter puts it into the message box).
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
  static override styles = [hostStyles, buttonStyles, composerStyles, fileStyles, popoverStyles, quoteStyles];

  /** Client to send with; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** Unsent text and Reply / Note per session, so switching chats keeps each. */
  private readonly drafts = new ComposerDrafts(() => this.client);
  private sending = false;
  /** Files per session (uploading, uploaded for the next message, refused). */
  private readonly uploads = new ComposerUploads(this);
  /** Replies of the library (and the CRM) matching what the customer writes. */
  private readonly suggestions = new ComposerSuggestions(this, () => this.kind() === 'text');
  /** The message the next one quotes, per chat. */
  private readonly quote = new ComposerQuote(this);
  /** "typing" to the other side (never for notes and whispers). */
  private readonly typing = new ComposerTyping(this, () => this.internal(), () => this.text.trim() !== '');
  /** The agent's tool buttons, their panels (loaded on first use) and the "/" search. */
  private readonly tools = new ComposerTools(this, {
    text: () => this.text,
    input: () => this.input,
    replaceRange: (start, end, text) => {
      this.replaceRange(start, end, text);
    },
  });
  @query('textarea') private readonly input?: HTMLTextAreaElement | null;

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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) {
      const previous = changed.get('sessionId');
      if (typeof previous === 'string') this.drafts.saveText(previous, this.text);
      this.typing.stop();
      this.tools.reset();
      this.suggestions.reset();
      this.text = this.sessionId !== undefined ? this.drafts.text(this.sessionId) : '';
      this.mode = this.drafts.mode(this.sessionId);
      this.error = '';
    } else if (changed.has('client') && this.sessionId !== undefined && this.text === '') {
      this.text = this.drafts.text(this.sessionId);
    }
    if (!this.allowNotes) this.mode = 'reply';
    if (changed.has('disabledReason') && this.disabledReason) this.typing.stop();
    this.setCustomState('readonly', this.disabledReason !== '');
    this.setCustomState('over-limit', this.text.length > this.limit());
    this.setCustomState('note', this.internal());
    this.setCustomState('whisper', this.whisper);
  }

  /** A note or a whisper: for agents only (no typing signal, no files, the note's limit). */
  private internal(): boolean {
    return this.kind() !== 'text';
  }

  private kind(): ComposerKind {
    return this.whisper ? 'whisper' : this.mode === 'note' ? 'note' : 'text';
  }

  private limit(): number {
    return this.internal() ? MAX_NOTE_TEXT : MAX_MESSAGE_TEXT;
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    if (this.sessionId !== undefined) this.drafts.saveText(this.sessionId, this.text);
    if (this.error) this.error = '';
    if (this.text.trim() === '' || this.internal()) this.typing.stop();
    else this.typing.start();
    this.tools.checkSlash();
  }

  /**
   * Opens the Insert picker (the Alt+Shift+Q shortcut of the console). False when this composer
   * has no agent tools or cannot be written in now.
   */
  openInsertPicker(): boolean {
    if (!this.agentTools || this.disabledReason !== '') return false;
    this.tools.openInsertPicker();
    return true;
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

  private readonly onModeChange = (mode: ComposerMode): void => {
    this.setMode(mode);
  };


  private onKeydown(event: KeyboardEvent): void {
    if (this.tools.handleInputKey(event)) return;
    if (event.key === 'ArrowUp' && event.altKey && this.suggestions.focusFirst()) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    void this.submit();
  }

  private onBlur(): void {
    this.typing.stop();
  }

  /** Why the text cannot be sent now, or '' when it can. */
  private blockedReason(): string {
    if (this.disabledReason) return this.disabledReason;
    if (this.sendBlockedReason) return this.sendBlockedReason;
    if (this.text.length > this.limit()) return msg('The message is too long.', { id: 'chat-composer.too-long' });
    const quote = this.quote.blockedReason(this.kind());
    if (quote) return quote;
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
    const kind = this.kind();
    if (!client || id === undefined || this.sending || this.blockedReason() !== '') return;
    if (this.tools.isShortcut()) {
      // A "/shortcut" never reaches the customer: it opens the picker on that search.
      this.tools.searchShortcut();
      return;
    }
    if (!this.dispatchEvent(new ChatMessageSendEvent({ sessionId: id, text, kind }))) return;
    const ready = this.uploads.files(id).filter((u) => u.state === 'done' && u.attachment !== undefined);
    const attachmentIds = ready.map((u) => u.attachment?.id ?? '');
    const quoteId = this.quote.current()?.id;
    this.sending = true;
    this.error = '';
    try {
      await client.send(id, text, kind, kind === 'text' && attachmentIds.length > 0 ? attachmentIds : undefined, { quoteId });
      if (quoteId !== undefined) this.quote.clear(id, true);
      // Sent files go; refused ones are stale now too. Files still uploading stay.
      const sent = new Set(ready.map((u) => u.key));
      const left = this.uploads.files(id).filter((u) => !sent.has(u.key) && u.state !== 'failed');
      if (left.length !== this.uploads.files(id).length) this.uploads.set(id, left);
      this.typing.stop();
      // Only clear what was sent: the user may have typed on meanwhile.
      if (this.sessionId === id) {
        this.text = this.text === text ? '' : this.text.startsWith(text) ? this.text.slice(text.length).trimStart() : this.text;
        this.drafts.saveText(id, this.text);
      } else {
        if (this.drafts.text(id) === text) this.drafts.saveText(id, '');
      }
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const reason = sendErrorText(code);
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
    if (this.sessionId !== undefined) this.drafts.saveText(this.sessionId, next);
    if (this.error) this.error = '';
    void this.updateComplete.then(() => {
      const el = this.input;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
    if (next.trim() !== '' && !this.internal()) this.typing.start();
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
    if (this.sessionId !== undefined) this.drafts.saveMode(this.sessionId, next);
    if (next === 'note') this.typing.stop();
    else if (this.text.trim() !== '') this.typing.start();
  }

  /** Puts text into the box (e.g. a quick reply), replacing what is there. */
  setText(text: string): void {
    this.text = text;
    if (this.sessionId !== undefined) this.drafts.saveText(this.sessionId, text);
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
    this.tools.openQuickReplyForm(text);
  }

  /** For the pickers: text in place of the "/…" that opened the reply picker, else at the caret. */
  insertReplyText(text: string, fromSlash: boolean): void {
    this.tools.insertReplyText(text, fromSlash);
  }

  /**
   * Quotes `message` (of the shown chat) in the next message: shown above the text area with a
   * Remove button, focus in the text area. A reply may quote what the customer sees; a note any
   * message of the chat.
   */
  quoteMessage(message: ChatMessage): void {
    if (message.sessionId !== this.sessionId || this.disabledReason !== '') return;
    this.quote.set(message);
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

  override render() {
    const kind = this.kind();
    const left = this.limit() - this.text.length;
    const over = left < 0;
    const showCounter = left <= COUNTER_FROM;
    const disabled = this.disabledReason !== '';
    const reason = this.disabledReason || this.sendBlockedReason || this.quote.blockedReason(kind);
    const blocked = this.blockedReason() !== '';
    const described = [reason ? 'reason' : 'hint', showCounter ? 'counter' : '', this.error ? 'error' : ''].filter(Boolean).join(' ');
    const aria = this.tools.inputAria();
    const top = this.allowNotes || this.agentTools;
    return html`<div class="base ${kind !== 'text' ? 'base--note' : ''}" part="base">
      ${top ? html`<div class="top">${this.allowNotes && !this.whisper ? renderModes(this.mode, this.disabledReason !== '', this.onModeChange) : html`<span></span>`}${this.tools.render()}</div>` : nothing} ${this.uploads.render()}${this.quote.render() ?? nothing}${this.suggestions.render()}
      <div class="row">
        <textarea
          id="input"
          class="input"
          part="input"
          rows="1"
          aria-label=${fieldLabel(kind, this.label, this.noteLabel)}
          aria-describedby=${described}
          aria-invalid=${over ? 'true' : 'false'}
          aria-controls=${ifDefined(aria.controls)}
          aria-activedescendant=${ifDefined(aria.activedescendant)}
          aria-autocomplete=${ifDefined(aria.controls !== undefined ? 'list' : undefined)}
          placeholder=${disabled ? '' : placeholder(kind, this.agentTools)}
          ?disabled=${disabled}
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${this.onBlur}
          @paste=${this.onPaste}
        ></textarea>
        <button class="btn btn--primary send" part="send" type="button" aria-disabled=${blocked ? 'true' : 'false'} ?disabled=${disabled} @click=${this.submit}>
          ${kind === 'text' ? composerIcons.send : composerIcons.lock}${sendLabel(kind)}
        </button>
      </div>
      <div class="footer">
        ${reason
          ? html`<p id="reason" class="reason" part="reason">${composerIcons.info}<span>${reason}</span></p>`
          : html`<p id="hint" class="hint" part="hint">${hint(kind)}</p>`}
        ${showCounter
          ? html`<span id="counter" class="counter ${over ? 'counter--over' : ''}" part="counter">${counterText(left)}</span>`
          : nothing}
      </div>
      ${this.error ? html`<p id="error" class="error" part="error">${this.error}</p>` : nothing}
      ${this.tools.renderPanels()}
    </div>`;
  }
}
