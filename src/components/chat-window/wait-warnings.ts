/**
 * The wait warnings of chat-window: chats that have waited in the queue longer than their channel
 * allows, at the top of the window with how long, Answer (which continues in the chat) and
 * Dismiss. Each warning is announced once, assertively; the waiting times tick every 15 seconds;
 * after a warning goes, focus moves to the next one (or to the selected tab).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import { formatDuration } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { customerName, formatTime } from '../../i18n/common.js';
import { announce as announceText } from '../../internal/announcer.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { WarningRow } from '../../state/agent-views.js';
import { ChatError } from '../../state/types.js';

/** How often the waiting times of shown warnings are refreshed. */
const WARNING_TICK_MS = 15_000;

const icons = {
  warning: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8.9 1.6a1 1 0 0 0-1.8 0l-6.4 11.5A1 1 0 0 0 1.6 14.6h12.8a1 1 0 0 0 .9-1.5L8.9 1.6ZM7.2 5.5h1.6l-.2 4.6H7.4l-.2-4.6Zm.8 7.3a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z"/></svg>`,
};

/** Waiting time in words ("40 sec", "3 min", "1 hr, 5 min"), through Intl. */
const waitText = formatDuration;

export interface WaitWarningsHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  readonly shadowRoot: ShadowRoot | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Warnings to show now (none while Away). */
  shownWarnings(): readonly WarningRow[];
  clockOffset(): number;
  atCapacity(): boolean;
  chatLimit(): number | undefined;
  /** A warning's chat was answered: select it and continue there. */
  continueInChat(sessionId: string): void;
  /** Where focus goes when no warning is left. */
  focusSelectedTab(): void;
}

export class WaitWarnings implements ReactiveController {
  /** Warnings already announced (`sessionId:level`), so each is spoken once. */
  private readonly announced = new Set<string>();
  private tick: ReturnType<typeof setInterval> | undefined;
  /** After a warning left: where focus goes (another warning's button, else the selected tab). */
  private focusNext: string | undefined;
  private answering: string | undefined;
  private errors: Record<string, string> = {};
  /** Several warnings are one bar; the list shows when the agent opens it. */
  private expanded = false;

  constructor(private readonly host: WaitWarningsHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stopTick();
  }

  /** Another client: forget what was said and done about the previous one's warnings. */
  reset(): void {
    this.errors = {};
    this.answering = undefined;
    this.announced.clear();
  }

  /** From the host's willUpdate: announce new warnings, tick while there are some. */
  follow(warnings: readonly WarningRow[]): void {
    this.announce(warnings);
    if (warnings.length > 0) this.startTick();
    else this.stopTick();
  }

  hostUpdated(): void {
    if (this.focusNext === undefined) return;
    const target = this.focusNext;
    this.focusNext = undefined;
    const next =
      this.host.renderRoot.querySelector<HTMLElement>(`[data-warning-dismiss="${CSS.escape(target)}"]`) ?? this.host.renderRoot.querySelector<HTMLElement>('[data-warning-dismiss]');
    if (next) next.focus();
    else this.host.focusSelectedTab();
  }


  private facts(w: WarningRow) {
    const name = customerName(w.customer);
    const wait = waitText(Date.now() + (this.host.clockOffset()) - w.waitingSince);
    return { name, channel: w.channelName, wait };
  }

  private title(w: WarningRow, name: string, wait: string): string {
    return w.level === 'managers'
      ? msg(str`Still unanswered: ${name} has waited ${wait}`, { id: 'chat-window.warning.title-managers' })
      : msg(str`${name} has waited ${wait}`, { id: 'chat-window.warning.title' });
  }

  /** Speaks each new warning once, assertively (a customer is waiting too long). */
  private announce(warnings: readonly WarningRow[]): void {
    const current = new Set(warnings.map((w) => `${w.sessionId}:${w.level}`));
    for (const key of this.announced) if (!current.has(key)) this.announced.delete(key);
    for (const w of warnings) {
      const key = `${w.sessionId}:${w.level}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      const { name, channel, wait } = this.facts(w);
      announceText(
        msg(str`${this.title(w, name, wait)} in ${channel}. Answer or dismiss the warning at the top of the chat window.`, {
          id: 'chat-window.warning.announce',
        }),
        { assertive: true },
      );
    }
  }

  private focusAfter(sessionId: string): void {
    const list = this.host.shownWarnings();
    const index = list.findIndex((w) => w.sessionId === sessionId);
    const inside = this.host.shadowRoot?.activeElement?.closest(`[data-warning="${CSS.escape(sessionId)}"]`) != null;
    if (!inside) return;
    const next = list[index + 1] ?? list[index - 1];
    this.focusNext = next?.sessionId ?? '';
  }

  private dismiss(sessionId: string): void {
    const client = this.host.client;
    if (!client) return;
    this.focusAfter(sessionId);
    const { [sessionId]: _gone, ...rest } = this.errors;
    this.errors = rest;
    this.host.requestUpdate();
    client.dismissWarning(sessionId);
  }

  private async answer(w: WarningRow): Promise<void> {
    const client = this.host.client;
    if (!client || this.answering !== undefined || this.host.atCapacity()) return;
    const { name } = this.facts(w);
    this.answering = w.sessionId;
    this.host.requestUpdate();
    const { [w.sessionId]: _old, ...rest } = this.errors;
    this.errors = rest;
    try {
      await client.accept(w.sessionId);
      if (this.host.client !== client) return;
      this.host.continueInChat(w.sessionId);
      announceText(msg(str`You answered the chat with ${name}.`, { id: 'chat-window.warning.answered' }));
    } catch (error) {
      if (this.host.client !== client) return;
      const code = error instanceof ChatError ? error.code : 'internal';
      const text =
        code === 'at_capacity'
          ? msg('You are handling as many chats as you may. End a chat before you answer another one.', { id: 'chat-window.warning.error-capacity' })
          : code === 'offline' || code === 'timeout'
            ? msg('The chat could not be answered: no connection to the server. Try again when the connection is back.', { id: 'chat-window.warning.error-offline' })
            : msg(str`Someone else answered the chat with ${name}, or it has ended.`, { id: 'chat-window.warning.error-taken' });
      this.errors = { ...this.errors, [w.sessionId]: text };
      this.host.requestUpdate();
      announceText(text, { assertive: true });
    } finally {
      if (this.host.client === client) {
        this.answering = undefined;
        this.host.requestUpdate();
      }
    }
  }

  private startTick(): void {
    if (this.tick !== undefined) return;
    this.tick = setInterval(() => {
      this.host.requestUpdate();
    }, WARNING_TICK_MS);
  }

  private stopTick(): void {
    clearInterval(this.tick);
    this.tick = undefined;
  }

  /**
   * The warnings at the top of the window: who waits how long, Answer and Dismiss. Several are
   * one bar (how many, and who has waited longest) that opens to the list, so they never take
   * over the console.
   */
  render(warnings: readonly WarningRow[]) {
    if (warnings.length === 0) return nothing;
    const label = msg('Chats waiting too long', { id: 'chat-window.warnings.label' });
    if (warnings.length === 1) return html`<section part="warnings" class="warnings" aria-label=${label}>${this.renderRows(warnings)}</section>`;
    const [oldest] = warnings;
    const first = oldest ? this.facts(oldest) : undefined;
    return html`<section part="warnings" class="warnings warnings--bar" aria-label=${label}>
      <details
        part="warnings-bar"
        class="warnings-bar"
        ?open=${this.expanded}
        @toggle=${(e: Event) => {
          this.expanded = (e.currentTarget as HTMLDetailsElement).open;
        }}
      >
        <summary part="warnings-summary" class="warnings-summary">
          <span class="warning-icon">${icons.warning}</span>
          <span
            >${msg(str`${warnings.length} chats have waited too long`, { id: 'chat-window.warnings.count' })}${oldest && first
              ? html`<span class="warnings-oldest"> · ${this.title(oldest, first.name, first.wait)}</span>`
              : nothing}</span
          >
        </summary>
        <div class="warnings-list">${this.renderRows(warnings)}</div>
      </details>
    </section>`;
  }

  private renderRows(warnings: readonly WarningRow[]) {
    const full = this.host.atCapacity();
    const max = this.host.chatLimit() ?? 0;
    return html`${warnings.map((w, i) => {
        const { name, channel, wait } = this.facts(w);
        const since = formatTime(w.createdAt ?? w.waitingSince);
        const error = this.errors[w.sessionId];
        const busy = this.answering === w.sessionId;
        const blocked = full || (this.answering !== undefined && !busy);
        const described = [full ? `warning-reason-${String(i)}` : '', error ? `warning-error-${String(i)}` : ''].filter(Boolean).join(' ');
        return html`<div
          part=${w.level === 'managers' ? 'warning warning--managers' : 'warning'}
          class="warning"
          role="group"
          aria-labelledby=${`warning-title-${String(i)}`}
          data-warning=${w.sessionId}
          data-level=${w.level}
        >
          <span class="warning-icon">${icons.warning}</span>
          <div class="warning-text">
            <p id=${`warning-title-${String(i)}`} class="warning-title">${this.title(w, name, wait)}</p>
            <p class="warning-meta">${msg(str`${channel} · in the queue since ${since}`, { id: 'chat-window.warning.meta' })}</p>
            ${full
              ? html`<p id=${`warning-reason-${String(i)}`} class="warning-reason">
                  ${msg(str`You already handle ${max} chats, your limit. End a chat to answer this one.`, { id: 'chat-window.warning.capacity' })}
                </p>`
              : nothing}
            ${error ? html`<p id=${`warning-error-${String(i)}`} class="warning-error">${error}</p>` : nothing}
          </div>
          <div class="warning-actions">
            <button
              part="warning-answer"
              class="btn btn--primary"
              type="button"
              aria-label=${msg(str`Answer the chat with ${name}`, { id: 'chat-window.warning.answer-label' })}
              aria-disabled=${blocked || busy ? 'true' : 'false'}
              aria-describedby=${described || nothing}
              @click=${() => void this.answer(w)}
            >
              ${busy ? msg('Answering…', { id: 'chat-window.warning.answering' }) : msg('Answer', { id: 'chat-window.warning.answer' })}
            </button>
            <button
              part="warning-dismiss"
              class="btn"
              type="button"
              data-warning-dismiss=${w.sessionId}
              aria-label=${msg(str`Dismiss the warning about ${name}`, { id: 'chat-window.warning.dismiss-label' })}
              @click=${() => {
                this.dismiss(w.sessionId);
              }}
            >
              ${msg('Dismiss', { id: 'chat-window.warning.dismiss' })}
            </button>
          </div>
        </div>`;
    })}`;
  }
}
