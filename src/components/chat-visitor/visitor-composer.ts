/**
 * The customer widget's composer: the draft, the character counter, Enter to send, the typing
 * frames to the agent (throttled, with the draft as a preview), the emoji button, and the
 * messages written while the chat's client is still loading (`early`: shown as waiting and handed
 * to the client's outbox, in order, as soon as it exists). Kept apart from
 * chat-visitor.component.ts, which renders `render()` and asks `flushEarly` once a client exists.
 * A message of the conversation can be quoted in the next one (issue 18): the quote shows above
 * the text area with Remove and goes as a reference (`quote.messageId`); the server checks it
 * and makes the quote everyone sees.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import { announce } from '../../internal/announcer.js';
import { MAX_MESSAGE_TEXT, MAX_TYPING_PREVIEW, TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { OutboxItem } from '../../state/types.js';
import type { VisitorFiles } from './visitor-files.js';
import type { VisitorQuote } from './visitor-quote.js';
import { t } from './visitor-texts.js';
import { VisitorEmoji } from './visitor-emoji.js';
import { icons } from './visitor-icons.js';

/** The counter under the composer appears this many characters before the limit. */
const COUNTER_FROM = MAX_MESSAGE_TEXT - 200;

/** What the composer reads from the widget (closures over its private state). */
export interface ComposerContext {
  /** The chat in progress. */
  sessionId(): string | undefined;
  /** The chat's client (undefined while it loads). */
  chat(): ChatClient | undefined;
  /** The file UI (loaded with the client). */
  files(): VisitorFiles | undefined;
  /** The quote of the next message (loaded with the client). */
  quote(): VisitorQuote | undefined;
  /** The customer sent something: the conversation scrolls to its end. */
  sent(): void;
}

export class VisitorComposer {
  /** The text being written. */
  draft = '';
  /** Messages written before the chat's client exists. */
  early: OutboxItem[] = [];
  private lastTypingAt = 0;
  private typingOn = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The emoji button and picker of the composer. */
  private readonly emoji: VisitorEmoji;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment },
    private readonly context: ComposerContext,
  ) {
    this.emoji = new VisitorEmoji(host, () => this.input(), (text, start, end) => {
      this.draft = this.draft.slice(0, start) + text + this.draft.slice(end);
      this.host.requestUpdate();
      this.typingChanged();
      const caret = start + text.length;
      void this.host.updateComplete.then(() => {
        const input = this.input();
        input?.focus();
        input?.setSelectionRange(caret, caret);
      });
    });
  }

  private input(): HTMLTextAreaElement | null {
    return this.host.renderRoot.querySelector<HTMLTextAreaElement>('#input');
  }

  /** Forgets the draft, the quote and the early messages (a new chat starts clean). */
  clear(): void {
    this.draft = '';
    this.early = [];
    this.context.quote()?.take();
    this.host.requestUpdate();
  }

  /** Whether messages can be quoted (the quote UI has loaded). */
  canQuote(): boolean {
    return this.context.quote() !== undefined;
  }

  /** Quotes `message` in the next message (the quote UI comes with the client core). */
  quoteMessage(message: ChatMessage): void {
    this.context.quote()?.set(message);
  }

  /** The client could not load: the early messages go back into the draft, never lost. */
  restoreEarly(): void {
    if (this.draft === '') this.draft = this.early.map((m) => m.text).join('\n');
    this.early = [];
    this.host.requestUpdate();
  }

  /** Keeps a message written before the chat's client exists (see `early`). */
  sendEarly(sessionId: string, text: string): void {
    const at = Date.now();
    this.early = [...this.early, { cmid: `early-${String(at)}-${String(this.early.length)}`, sessionId, kind: 'text', text, createdAt: at, order: at, owner: '', state: 'queued' }];
    this.host.requestUpdate();
  }

  /** Hands the early messages to the new client's outbox; each is stored there before it leaves this list. */
  async flushEarly(client: ChatClient): Promise<void> {
    while (this.early.length > 0 && this.context.chat() === client) {
      const [item] = this.early;
      if (item) await client.send(item.sessionId, item.text).catch(() => undefined);
      this.early = this.early.slice(1);
      this.host.requestUpdate();
    }
  }

  /** The early messages of this chat (shown as waiting). */
  earlyOf(sessionId: string): OutboxItem[] {
    return this.early.filter((i) => i.sessionId === sessionId);
  }

  /** Stops the typing timer (the client goes away). */
  detach(): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    this.typingOn = false;
  }

  private readonly onDraft = (event: Event): void => {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.host.requestUpdate();
    this.typingChanged();
  };

  /** Tells the agent that the customer is typing, at most every TYPING_THROTTLE_MS, with the draft. */
  private typingChanged(): void {
    const sessionId = this.context.sessionId();
    if (!sessionId || !this.context.chat()) return;
    if (this.draft.trim() === '') {
      this.stopTyping();
      return;
    }
    const wait = this.lastTypingAt + TYPING_THROTTLE_MS - Date.now();
    if (wait <= 0) {
      this.sendTyping();
    } else {
      // The trailing frame carries the newest draft.
      this.typingTimer ??= setTimeout(() => {
        this.typingTimer = undefined;
        this.sendTyping();
      }, wait);
    }
  }

  private sendTyping(): void {
    const sessionId = this.context.sessionId();
    if (!sessionId || this.draft.trim() === '') return;
    this.lastTypingAt = Date.now();
    this.typingOn = true;
    this.context.chat()?.typing(sessionId, true, this.draft.slice(0, MAX_TYPING_PREVIEW));
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    const sessionId = this.context.sessionId();
    if (this.typingOn && sessionId) this.context.chat()?.typing(sessionId, false);
    this.typingOn = false;
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    this.sendDraft();
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.sendDraft();
  };

  private sendDraft(): void {
    const sessionId = this.context.sessionId();
    const chat = this.context.chat();
    const text = this.draft;
    const files = this.context.files();
    if (!sessionId || text.length > MAX_MESSAGE_TEXT) return;
    if (!chat) {
      // The chat is still starting (its client loads): the message waits for it, never lost.
      if (text.trim() === '') return;
      this.sendEarly(sessionId, text);
      this.draft = '';
      this.context.sent();
      return;
    }
    if (files?.busy) {
      // Files go out with the text: wait for their uploads (or a Cancel).
      announce(t.waitForUpload());
      return;
    }
    if (text.trim() === '' && !files?.readyCount) return;
    const attachments = files?.take() ?? [];
    const quote = this.context.quote()?.take();
    this.draft = '';
    this.host.requestUpdate();
    this.context.sent();
    this.stopTyping();
    chat
      .send(
        sessionId,
        text.trim() === '' ? '' : text,
        'text',
        attachments.map((a) => a.id),
        { quoteId: quote?.id },
      )
      .catch(() => {
        // Not stored (never happens once the client exists): give the text, quote and files back.
        if (this.draft === '') this.draft = text;
        const ui = this.context.quote();
        if (ui && quote) ui.message ??= quote;
        this.host.requestUpdate();
        files?.restore(attachments);
      });
  }

  render() {
    const length = this.draft.length;
    const over = length - MAX_MESSAGE_TEXT;
    const showCounter = length >= COUNTER_FROM;
    const files = this.context.files();
    const empty = this.draft.trim() === '' && !files?.readyCount;
    return html`<form part="composer" class="composer" @submit=${this.onSubmit}>
      ${this.context.quote()?.render() ?? nothing} ${files?.renderTray() ?? nothing} ${files?.renderAttach() ?? nothing} ${this.emoji.renderButton()} ${this.emoji.renderPanel()}
      <label for="input" class="visually-hidden">${t.messageLabel()}</label>
      <textarea
        id="input"
        part="input"
        class="input"
        rows="1"
        placeholder=${t.placeholder()}
        .value=${this.draft}
        aria-invalid=${over > 0 ? 'true' : 'false'}
        aria-describedby=${showCounter ? 'composer-hint counter' : 'composer-hint'}
        @input=${this.onDraft}
        @keydown=${this.onKeydown}
        @paste=${files?.onPaste}
      ></textarea>
      <button part="send" class="send" type="submit" aria-label=${t.send()} title=${t.send()} aria-disabled=${empty || over > 0 || files?.busy ? 'true' : 'false'}>
        ${icons.send}
      </button>
      <span id="composer-hint" class="visually-hidden">${t.composerHint()}</span>
      ${showCounter
        ? html`<p id="counter" part="counter" class=${over > 0 ? 'counter counter--over' : 'counter'}>
            ${over > 0 ? html`${icons.error} ${t.tooLong(over)}` : t.counter(length, MAX_MESSAGE_TEXT)}
          </p>`
        : nothing}
    </form>`;
  }
}
