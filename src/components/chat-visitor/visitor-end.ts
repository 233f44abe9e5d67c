/**
 * Ending the chat from the customer's side: End chat (or Leave the queue) asks first ("End this
 * chat?" with Keep chatting), Escape or Keep chatting returns focus to End chat, and a failure is
 * shown, announced and fired as `chat-error`. Kept apart from chat-visitor.component.ts, which
 * renders `renderConfirm()` and hides the composer while `confirming`.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { t } from './visitor-texts.js';
import { icons } from './visitor-icons.js';

export interface EndHost extends ReactiveControllerHost, EventTarget {
  focusInside(selector: string): void;
}

export class VisitorEnd {
  /** "End this chat?" is shown. */
  confirming = false;
  private ending = false;
  private error = '';

  constructor(
    private readonly host: EndHost,
    private readonly chat: () => { client: ChatClient; sessionId: string } | undefined,
  ) {}

  /** The confirmation goes without moving focus (the chat ended, the panel closed). */
  dismiss(): void {
    this.confirming = false;
    this.error = '';
    this.host.requestUpdate();
  }

  readonly ask = async (): Promise<void> => {
    this.confirming = true;
    this.error = '';
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.focusInside('.confirm-no');
  };

  /** Keep chatting (or Escape): the confirmation goes and focus returns to End chat, which opened it. */
  readonly cancel = async (): Promise<void> => {
    this.dismiss();
    await this.host.updateComplete;
    this.host.focusInside('.end');
  };

  private readonly confirm = async (): Promise<void> => {
    const chat = this.chat();
    if (!chat || this.ending) return;
    this.ending = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      await chat.client.end(chat.sessionId);
      this.confirming = false;
    } catch (error) {
      this.error = t.endFailed();
      announce(this.error, { assertive: true });
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'internal';
      this.host.dispatchEvent(new ChatErrorEvent({ code, message: this.error, recoverable: true }));
    } finally {
      this.ending = false;
      this.host.requestUpdate();
    }
  };

  renderConfirm() {
    return html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-title" aria-describedby="confirm-hint">
      <p id="confirm-title" class="confirm-title">${t.confirmEnd()}</p>
      <p id="confirm-hint" class="confirm-hint">${t.confirmEndHint()}</p>
      ${this.error ? html`<p class="form-error">${icons.error} <span>${this.error}</span></p>` : nothing}
      <div class="confirm-actions">
        <button class="btn btn--primary confirm-yes" type="button" aria-disabled=${this.ending ? 'true' : 'false'} @click=${this.confirm}>${t.confirmEndYes()}</button>
        <button class="btn confirm-no" type="button" @click=${this.cancel}>${t.keepChatting()}</button>
      </div>
    </div>`;
  }
}
