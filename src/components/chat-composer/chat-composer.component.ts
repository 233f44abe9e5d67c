import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatMessageSendEvent } from '../../events/chat-message-send-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { MAX_MESSAGE_TEXT, MAX_NOTE_TEXT, TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { composerStyles } from './chat-composer.styles.js';

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
};

/** What the composer writes: a reply the customer sees, or an internal note only agents see. */
export type ComposerMode = 'reply' | 'note';

/**
 * @summary The message box of a conversation: Reply / Note mode (a radio group; notes are internal
 * and only agents see them), a labelled text area (Enter sends, Shift+Enter adds a line), a
 * character counter near the limit, the Send button, typing notifications (never for notes), and
 * the reason when writing or sending is not possible. Internal part of chat-conversation.
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
 * @csspart error - Why the last send failed.
 *
 * @cssproperty [--chat-composer-background=var(--chat-color-surface)] - Background of the composer.
 * @cssproperty [--chat-composer-input-background=var(--chat-color-surface)] - Background of the text area.
 * @cssproperty [--chat-composer-max-height=10rem] - Tallest the text area grows.
 * @cssproperty [--chat-composer-note-background=var(--chat-color-note)] - Background of the text area in Note mode.
 *
 * @cssstate readonly - Writing is not possible (`disabled-reason` is set).
 * @cssstate over-limit - The text is longer than allowed.
 * @cssstate note - Note mode: the text becomes an internal note.
 *
 * @fires {ChatMessageSendEvent} chat-message-send - Before a message or note is sent (`detail.kind`). Cancelable: `preventDefault()` keeps the text and sends nothing.
 * @fires {ChatErrorEvent} chat-error - The message could not be put into the outbox.
 */
export class ChatComposer extends ChatElement {
  static override styles = [hostStyles, buttonStyles, composerStyles];

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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTyping();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sessionId')) {
      const previous = changed.get('sessionId');
      if (typeof previous === 'string') this.saveDraft(previous, this.text);
      this.stopTyping();
      this.text = this.sessionId !== undefined ? (this.drafts.get(this.sessionId) ?? '') : '';
      this.mode = this.sessionId !== undefined ? (this.modes.get(this.sessionId) ?? 'reply') : 'reply';
      this.error = '';
    }
    if (!this.allowNotes) this.mode = 'reply';
    if (changed.has('disabledReason') && this.disabledReason) this.stopTyping();
    this.setCustomState('readonly', this.disabledReason !== '');
    this.setCustomState('over-limit', this.text.length > this.limit());
    this.setCustomState('note', this.mode === 'note');
  }

  private limit(): number {
    return this.mode === 'note' ? MAX_NOTE_TEXT : MAX_MESSAGE_TEXT;
  }

  private saveDraft(sessionId: string, text: string): void {
    if (text === '') this.drafts.delete(sessionId);
    else this.drafts.set(sessionId, text);
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    if (this.sessionId !== undefined) this.saveDraft(this.sessionId, this.text);
    if (this.error) this.error = '';
    if (this.text.trim() === '' || this.mode === 'note') this.stopTyping();
    else this.startTyping();
  }

  private onModeChange(event: Event): void {
    const value = (event.target as HTMLInputElement).value === 'note' ? 'note' : 'reply';
    this.setMode(value);
  }

  private onKeydown(event: KeyboardEvent): void {
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
    if (!client || id === undefined || this.disabledReason || this.mode === 'note') return;
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
    if (this.text.trim() === '') return msg('Write a message first.', { id: 'chat-composer.empty' });
    return '';
  }

  private async submit(): Promise<void> {
    const client = this.client;
    const id = this.sessionId;
    const text = this.text;
    const kind = this.mode === 'note' ? 'note' : 'text';
    if (!client || id === undefined || this.sending || this.blockedReason() !== '') return;
    if (!this.dispatchEvent(new ChatMessageSendEvent({ sessionId: id, text, kind }))) return;
    this.sending = true;
    this.error = '';
    try {
      await client.send(id, text, kind);
      this.stopTyping();
      // Only clear what was sent: the user may have typed on meanwhile.
      if (this.sessionId === id) {
        this.text = this.text === text ? '' : this.text.startsWith(text) ? this.text.slice(text.length).trimStart() : this.text;
        this.saveDraft(id, this.text);
      } else {
        const draft = this.drafts.get(id);
        if (draft === text) this.drafts.delete(id);
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

  private renderModes() {
    if (!this.allowNotes) return nothing;
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

  override render() {
    const note = this.mode === 'note';
    const length = this.text.length;
    const left = this.limit() - length;
    const over = left < 0;
    const showCounter = left <= COUNTER_FROM;
    const disabled = this.disabledReason !== '';
    const reason = this.disabledReason || this.sendBlockedReason;
    const blocked = this.blockedReason() !== '';
    const overBy = -left;
    const described = [reason ? 'reason' : 'hint', showCounter ? 'counter' : '', this.error ? 'error' : ''].filter(Boolean).join(' ');
    const label = note ? this.noteLabel || msg('Internal note', { id: 'chat-composer.note-label' }) : this.label || msg('Message', { id: 'chat-composer.label' });
    const placeholder = disabled
      ? ''
      : note
        ? msg('Write an internal note — only agents see it…', { id: 'chat-composer.note-placeholder' })
        : msg('Write a reply…', { id: 'chat-composer.placeholder' });
    return html`<div class="base ${note ? 'base--note' : ''}" part="base">
      ${this.renderModes()}
      <div class="row">
        <textarea
          id="input"
          class="input"
          part="input"
          rows="1"
          aria-label=${label}
          aria-describedby=${described}
          aria-invalid=${over ? 'true' : 'false'}
          placeholder=${placeholder}
          ?disabled=${disabled}
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${this.onBlur}
        ></textarea>
        <button class="btn btn--primary send" part="send" type="button" aria-disabled=${blocked ? 'true' : 'false'} ?disabled=${disabled} @click=${this.submit}>
          ${note ? html`${icons.lock}${msg('Add note', { id: 'chat-composer.add-note' })}` : html`${icons.send}${msg('Send', { id: 'chat-composer.send' })}`}
        </button>
      </div>
      <div class="footer">
        ${reason
          ? html`<p id="reason" class="reason" part="reason">${icons.info}<span>${reason}</span></p>`
          : html`<p id="hint" class="hint" part="hint">${note
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
    </div>`;
  }
}
