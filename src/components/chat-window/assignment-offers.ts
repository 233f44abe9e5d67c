/**
 * Automatic assignment in chat-window (issue 18): a waiting chat the server offers to me, at the
 * top of the window with the customer, the channel, the time left to accept (ticking each
 * second), Accept (which continues in the chat) and Decline; announced once, assertively. When the
 * server set me Away because an offer ran out (auto-away), a note says so with "Set me Present".
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import type { AgentInfo, SessionSummary } from '../../protocol/index.js';
import { formatDuration } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { customerName } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';

const TICK_MS = 1000;

export interface AssignmentOffersHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  clockOffset(): number;
  /** My agent record on the board (its `awayReason`). */
  readonly agentRecord: AgentInfo | undefined;
  /** An offer was accepted: select the chat and continue there. */
  continueInChat(sessionId: string): void;
  /** Back to Present (the auto-away note's button). */
  setPresent(): void;
}

export class AssignmentOffers implements ReactiveController {
  private readonly announced = new Set<string>();
  private tick: ReturnType<typeof setInterval> | undefined;
  private busy: string | undefined;
  private errors: Record<string, string> = {};

  constructor(private readonly host: AssignmentOffersHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopTick();
  }

  reset(): void {
    this.announced.clear();
    this.errors = {};
    this.busy = undefined;
  }

  /** From the host's willUpdate: announce new offers, tick while there are some. */
  follow(offers: readonly SessionSummary[], channelName: (id: string) => string): void {
    for (const s of offers) {
      const key = `${s.id}:${String(s.offer?.at ?? 0)}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      announce(
        msg(str`New chat offered to you: ${customerName(s.customer)}, ${channelName(s.channelId)}. Accept within ${this.timeLeft(s)}.`, {
          id: 'chat-window.offer.announce',
        }),
        { assertive: true },
      );
    }
    if (offers.length > 0) this.startTick();
    else this.stopTick();
  }

  private timeLeft(s: SessionSummary): string {
    const left = Math.max(0, (s.offer?.expiresAt ?? 0) - (Date.now() + this.host.clockOffset()));
    return formatDuration(Math.ceil(left / 1000) * 1000);
  }

  private startTick(): void {
    this.tick ??= setInterval(() => {
      this.host.requestUpdate();
    }, TICK_MS);
  }

  private stopTick(): void {
    if (this.tick === undefined) return;
    clearInterval(this.tick);
    this.tick = undefined;
  }

  private async answer(sessionId: string, accept: boolean): Promise<void> {
    const client = this.host.client;
    if (!client || this.busy) return;
    this.busy = sessionId;
    this.errors = { ...this.errors, [sessionId]: '' };
    this.host.requestUpdate();
    try {
      await client.answerOffer(sessionId, accept);
      if (accept) this.host.continueInChat(sessionId);
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const text =
        code === 'conflict' || code === 'forbidden'
          ? msg('This chat is no longer offered to you: someone else answered it or the time ran out.', { id: 'chat-window.offer.error-gone' })
          : code === 'at_capacity'
            ? msg('You are handling as many chats as you may. End a chat before you accept another one.', { id: 'chat-window.offer.error-capacity' })
            : msg('The offer could not be answered. Try again.', { id: 'chat-window.offer.error' });
      this.errors = { ...this.errors, [sessionId]: text };
      announce(text, { assertive: true });
    } finally {
      this.busy = undefined;
      this.host.requestUpdate();
    }
  }

  render(offers: readonly SessionSummary[], channelName: (id: string) => string) {
    const auto = this.host.agentRecord?.status === 'away' && this.host.agentRecord.awayReason === 'auto';
    if (offers.length === 0 && !auto) return nothing;
    return html`<section part="offers" class="offers" aria-label=${msg('Chats offered to you', { id: 'chat-window.offer.region' })}>
      ${auto
        ? html`<div part="auto-away" class="auto-away" role="status">
            <p>${msg('You were set to Away because a chat offered to you was not accepted in time.', { id: 'chat-window.offer.auto-away' })}</p>
            <button part="auto-away-present" class="btn" type="button" @click=${() => { this.host.setPresent(); }}>
              ${msg('Set me Present', { id: 'chat-window.offer.present' })}
            </button>
          </div>`
        : nothing}
      ${offers.map((s) => {
        const error = this.errors[s.id];
        const headingId = `offer-${s.id}`;
        return html`<div part="offer" class="offer" role="group" aria-labelledby=${headingId}>
          <p id=${headingId} class="offer-title">
            ${msg(str`Chat offered to you: ${customerName(s.customer)}, ${channelName(s.channelId)}`, { id: 'chat-window.offer.title' })}
          </p>
          <p part="offer-time" class="offer-time">
            ${msg(str`Accept within ${this.timeLeft(s)}, or you are set to Away and the chat goes to a colleague.`, { id: 'chat-window.offer.time-left' })}
          </p>
          <div class="offer-actions">
            <button part="offer-accept" class="btn btn--primary" type="button" ?disabled=${this.busy === s.id} @click=${() => void this.answer(s.id, true)}>
              ${msg('Accept', { id: 'chat-window.offer.accept' })}
            </button>
            <button part="offer-decline" class="btn" type="button" ?disabled=${this.busy === s.id} @click=${() => void this.answer(s.id, false)}>
              ${msg('Decline', { id: 'chat-window.offer.decline' })}
            </button>
          </div>
          ${error ? html`<p part="offer-error" class="offer-error" role="alert">${error}</p>` : nothing}
        </div>`;
      })}
    </section>`;
  }
}
