/**
 * Chatbot first, on the customer's side: the channel's bot answers before the chat starts (through
 * the chat server, which signs the requests to the bot's webhook); it, or the customer ("Talk to
 * a person"), hands off to the queue, and the conversation with the bot starts the chat. The
 * bot's texts are rendered as text.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';

import type { LocaleInfo } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { BotTurn, BotTurnResult } from '../../protocol/channel-settings.js';
import { MAX_MESSAGE_TEXT } from '../../protocol/limits.js';
import type { VisitorChannel } from '../../state/visitor-http.js';
import { t } from './visitor-texts.js';
import { post } from './visitor-journey-api.js';
import { j } from './visitor-journey-texts.js';

export interface BotHost extends ReactiveControllerHost {
  readonly tenant: string;
  readonly chatLocale: LocaleInfo;
  chatServer(): string;
}

export class VisitorBot {
  /** The conversation with the bot so far, and the server's proof of it (sent when the chat starts). */
  turns: BotTurn[] = [];
  proof: string | undefined;
  private asking = '';
  private handoff = false;
  private done = false;
  private input = '';
  private onHandoff: (() => void) | undefined;
  /** The bot's conversation is shown instead of the form. */
  active = false;

  constructor(private readonly host: BotHost) {}

  private update(): void {
    this.host.requestUpdate();
  }

  /** A new chat starts clean. */
  reset(): void {
    this.turns = [];
    this.proof = undefined;
    this.asking = '';
    this.handoff = false;
    this.done = false;
    this.input = '';
    this.active = false;
    this.onHandoff = undefined;
  }


  /** True when the channel's bot answers before this chat starts (until it handed off). */
  wants(channel: VisitorChannel | undefined): boolean {
    return channel?.bot === true && !this.done;
  }

  /** True when the customer talked with the bot: its conversation (with the first message) starts the chat. */
  used(): boolean {
    return this.turns.length > 0;
  }

  /** Shows the bot's conversation; the first message, if any, is its first question. `handoff` starts the chat. */
  start(channel: VisitorChannel, firstMessage: string, handoff: () => void): void {
    this.active = true;
    this.onHandoff = handoff;
    this.update();
    if (firstMessage.trim() !== '') void this.ask(channel, firstMessage.trim());
  }

  private async ask(channel: VisitorChannel, text: string): Promise<void> {
    this.asking = text;
    this.update();
    try {
      const result = await post<BotTurnResult>(`${this.host.chatServer()}/api/bot/turn`, {
        tenant: this.host.tenant,
        channelId: channel.id,
        lang: this.host.chatLocale.locale,
        text,
        ...(this.proof !== undefined ? { bot: { conversation: this.turns, proof: this.proof } } : {}),
      });
      this.turns = result.conversation;
      this.proof = result.proof;
      const answer = result.conversation.at(-1);
      if (answer?.from === 'bot') announce(`${channel.texts?.botName ?? t.bot()}: ${answer.text}`);
      if (result.handoff) this.handOff();
    } catch {
      // No bot (or none reachable): the customer goes to the queue all the same.
      this.handOff();
    } finally {
      this.asking = '';
      this.update();
    }
  }

  /** The bot hands the customer to the queue (or the customer asked for a person): the chat starts. */
  private handOff(): void {
    if (this.done) return;
    this.handoff = true;
    this.done = true;
    announce(j.botHandoff());
    this.update();
    const go = this.onHandoff;
    void this.host.updateComplete.then(() => {
      this.active = false;
      go?.();
    });
  }

  private readonly onSubmit = (channel: VisitorChannel) => (e: Event) => {
    e.preventDefault();
    const text = this.input.trim();
    if (text === '' || this.asking !== '' || this.handoff) return;
    this.input = '';
    void this.ask(channel, text);
  };

  render(channel: VisitorChannel): TemplateResult {
    const name = channel.texts?.botName ?? t.bot();
    const turns = this.asking !== '' ? [...this.turns, { from: 'customer' as const, text: this.asking, at: 0 }] : this.turns;
    return html`<div part="bot" class="form bot" role="group" aria-labelledby="bot-title">
      <h3 id="bot-title" class="faq-title">${name} <span part="bot-badge" class="bot-badge">${t.bot()}</span></h3>
      <p class="hint">${j.botIntro()}</p>
      <ol class="bot-log" aria-label=${t.conversation()}>
        ${turns.map(
          (turn) => html`<li part=${turn.from === 'bot' ? 'message message--bot' : 'message message--customer'} class=${`bot-turn bot-turn--${turn.from}`}>
            <span class="bot-who">${turn.from === 'bot' ? name : t.you()}</span>
            <p part=${turn.from === 'bot' ? 'bubble bubble--agent bubble--bot' : 'bubble bubble--customer'} class="bubble" dir="auto">${turn.text}</p>
          </li>`,
        )}
      </ol>
      ${this.asking !== '' ? html`<p class="hint" role="status">${j.botThinking()}</p>` : nothing}
      ${this.handoff
        ? html`<p class="hint" role="status">${j.botHandoff()}</p>`
        : html`<form class="bot-ask" novalidate @submit=${this.onSubmit(channel)}>
              <label class="label" for="bot-input">${j.botInput()}</label>
              <div class="row">
                <input id="bot-input" class="control" maxlength=${MAX_MESSAGE_TEXT} autocomplete="off" .value=${this.input} @input=${(e: Event) => { this.input = (e.target as HTMLInputElement).value; }} />
                <button class="btn" type="submit" ?disabled=${this.asking !== ''}>${j.send()}</button>
              </div>
            </form>
            <button part="start" class="btn btn--primary start bot-person" type="button" @click=${() => { this.handOff(); }}>${j.botPerson()}</button>`}
    </div>`;
  }
}
