/**
 * "Help requested" on the dashboard (issue 18): the chats whose agent asked for help, listed for
 * the supervisors of their channels (listen or manager permission), oldest request first, each
 * with who asked, the note, and the waiting time counted live from the server's time of the
 * request. Actions: Listen (the listen-in panel), Whisper (the same panel, focus in its whisper
 * box), Take over (managers), and Mark as handled (lowers the flag). The server clears the flag
 * when a supervisor opens the chat or takes it over, so the row goes away by itself once handled
 * (docs/protocol.md § 8.7).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { customerName } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';
import type { ListenPanel } from './dashboard-listen.js';
import { formatDuration } from './dashboard-stats.js';

/** The waiting times of requests for help count in seconds: the list renders once a second while it shows any. */
const HELP_TICK_MS = 1000;

export interface HelpListHost extends ReactiveControllerHost, HTMLElement {
  readonly client?: ChatClient | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  me(): AgentMe | undefined;
}

/** A supervisor of the channel: may listen in (and whisper) or manages it (and may take over). */
export function supervises(me: AgentMe | undefined, channelId: string): boolean {
  const perm = me?.channels.find((c) => c.id === channelId)?.permissions;
  return perm?.listen === true || perm?.manager === true;
}

/** The chats waiting for my help, oldest request first: raised by someone else, in a channel I supervise. */
export function helpRows(rows: readonly SessionSummary[], me: AgentMe | undefined): SessionSummary[] {
  if (!me) return [];
  return rows.filter((s) => s.help !== undefined && s.agentId !== me.id && supervises(me, s.channelId)).sort((a, b) => (a.help?.at ?? 0) - (b.help?.at ?? 0) || (a.id < b.id ? -1 : 1));
}

export class HelpList implements ReactiveController {
  private tick: ReturnType<typeof setInterval> | undefined;
  /** Requests shown by the last render. */
  private shown = 0;
  /** Focus was in the section before the update. */
  private hadFocus = false;
  /** The action under way: `<kind>:<sessionId>`, or ''. */
  private busy = '';
  private error = '';

  constructor(
    private readonly host: HelpListHost,
    private readonly listen: ListenPanel,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    this.hadFocus = this.host.shadowRoot?.activeElement?.closest('.help-section') != null;
  }

  hostUpdated(): void {
    // A row left while focus was in it (handled here or by another supervisor): never to the page.
    if (this.hadFocus && !this.host.shadowRoot?.activeElement) {
      this.host.renderRoot.querySelector<HTMLElement>('#help-heading, #ongoing-heading')?.focus();
    }
    this.hadFocus = false;
    if (this.shown > 0 && this.tick === undefined) {
      this.tick = setInterval(() => {
        this.host.requestUpdate();
      }, HELP_TICK_MS);
    } else if (this.shown === 0 && this.tick !== undefined) {
      this.stopTick();
    }
  }

  hostDisconnected(): void {
    this.stopTick();
  }

  private stopTick(): void {
    clearInterval(this.tick);
    this.tick = undefined;
  }

  /** Another client: forget errors. */
  reset(): void {
    this.error = '';
    this.busy = '';
  }

  private fail(error: unknown, text: (code: string) => string): void {
    const code = error instanceof ChatError ? error.code : 'internal';
    this.error = text(code);
    announce(this.error, { assertive: true });
    this.host.dispatchEvent(new ChatErrorEvent({ code, message: this.error, recoverable: true }));
  }

  private async run(kind: string, session: SessionSummary, action: (client: ChatClient) => Promise<void>, onError: (error: unknown) => void): Promise<void> {
    const client = this.host.client;
    if (!client || this.busy !== '') return;
    this.busy = `${kind}:${session.id}`;
    this.error = '';
    this.host.requestUpdate();
    try {
      await action(client);
    } catch (error) {
      if (this.host.client === client) onError(error);
    } finally {
      this.busy = '';
      this.host.requestUpdate();
    }
  }

  private takeover(session: SessionSummary): Promise<void> {
    const name = customerName(session.customer);
    return this.run(
      'takeover',
      session,
      async (client) => {
        await client.takeover(session.id);
        announce(msg(str`You took over the chat with ${name}.`, { id: 'chat-dashboard.help.taken-over' }));
        client.selectSession(session.id);
      },
      (error) => {
        this.fail(error, (code) =>
          code === 'at_capacity'
            ? msg('You cannot take over: you already handle as many chats as you can.', { id: 'chat-dashboard.help.at-capacity' })
            : msg(str`The chat with ${name} could not be taken over. Try again.`, { id: 'chat-dashboard.help.takeover-error' }),
        );
      },
    );
  }

  private handled(session: SessionSummary): Promise<void> {
    const name = customerName(session.customer);
    return this.run(
      'handled',
      session,
      async (client) => {
        await client.askForHelp(session.id, false);
        announce(msg(str`The request for help in the chat with ${name} is marked as handled.`, { id: 'chat-dashboard.help.handled-done' }));
      },
      (error) => {
        this.fail(error, () => msg('The request for help could not be marked as handled. Try again.', { id: 'chat-dashboard.help.handled-error' }));
      },
    );
  }

  private listenTo(session: SessionSummary, focus: 'panel' | 'whisper'): void {
    this.error = '';
    this.listen.open(session, focus);
  }

  /** The section, or nothing when no chat waits for my help. */
  render(rows: readonly SessionSummary[], now: number, channelName: (id: string) => string) {
    const me = this.host.me();
    const list = helpRows(rows, me);
    this.shown = list.length;
    if (list.length === 0 && this.error === '') return nothing;
    return html`<section class="help-section" part="help" aria-labelledby="help-heading">
      <h2 part="help-heading" class="heading help-heading" id="help-heading" tabindex="-1">
        ${msg('Help requested', { id: 'chat-dashboard.help.heading' })}
        <span part="help-count" class="count count--help">${list.length}</span>
      </h2>
      ${this.error ? html`<p part="help-error" class="help-error">${this.error}</p>` : nothing}
      ${list.length === 0
        ? nothing
        : html`<div class="table-wrap">
            <table part="help-table" class="help-table" aria-labelledby="help-heading">
              <thead>
                <tr>
                  <th scope="col">${msg('Customer', { id: 'chat-dashboard.col.customer' })}</th>
                  <th scope="col">${msg('Asked by', { id: 'chat-dashboard.col.asked-by' })}</th>
                  <th scope="col">${msg('Channel', { id: 'chat-dashboard.col.channel' })}</th>
                  <th scope="col">${msg('Waiting', { id: 'chat-dashboard.col.waiting' })}</th>
                  <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'chat-dashboard.col.actions' })}</span></th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  list,
                  (s) => s.id,
                  (s) => this.renderRow(s, me, now, channelName),
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderRow(s: SessionSummary, me: AgentMe | undefined, now: number, channelName: (id: string) => string) {
    const help = s.help;
    if (!help) return nothing;
    const name = customerName(s.customer);
    const note = help.note?.trim() ?? '';
    const perm = me?.channels.find((c) => c.id === s.channelId)?.permissions;
    const canListen = this.listen.canListen(s);
    const busy = this.busy !== '' ? 'true' : 'false';
    return html`<tr part="help-row" data-id=${s.id}>
      <td part="customer"><span class="name">${name}</span></td>
      <td part="agent">
        <span class="asker">${help.agentName}</span>
        ${note !== '' ? html`<span part="help-note" class="help-note" dir="auto">${note}</span>` : nothing}
      </td>
      <td part="channel">${channelName(s.channelId)}</td>
      <td part="waiting" class="waiting">${formatDuration(now - help.at, true)}</td>
      <td class="action help-actions">
        ${canListen
          ? html`<button
                part="help-listen"
                class="btn"
                type="button"
                aria-label=${msg(str`Listen to the chat with ${name} to help ${help.agentName}`, { id: 'chat-dashboard.help.listen-label' })}
                @click=${() => {
                  this.listenTo(s, 'panel');
                }}
              >
                ${msg('Listen', { id: 'chat-dashboard.listen' })}</button
              ><button
                part="help-whisper"
                class="btn"
                type="button"
                aria-label=${msg(str`Whisper to ${help.agentName} in the chat with ${name}`, { id: 'chat-dashboard.help.whisper-label' })}
                @click=${() => {
                  this.listenTo(s, 'whisper');
                }}
              >
                ${msg('Whisper', { id: 'chat-dashboard.help.whisper' })}
              </button>`
          : nothing}
        ${perm?.manager === true
          ? html`<button
              part="help-takeover"
              class="btn btn--primary"
              type="button"
              aria-disabled=${busy}
              aria-label=${msg(str`Take over the chat with ${name}`, { id: 'chat-dashboard.help.takeover-label' })}
              @click=${() => void this.takeover(s)}
            >
              ${this.busy === `takeover:${s.id}` ? msg('Taking over…', { id: 'chat-dashboard.help.taking-over' }) : msg('Take over', { id: 'chat-dashboard.help.takeover' })}
            </button>`
          : nothing}
        <button
          part="help-handled"
          class="btn btn--quiet"
          type="button"
          aria-disabled=${busy}
          aria-label=${msg(str`Mark the request for help in the chat with ${name} as handled`, { id: 'chat-dashboard.help.handled-label' })}
          @click=${() => void this.handled(s)}
        >
          ${msg('Handled', { id: 'chat-dashboard.help.handled' })}
        </button>
      </td>
    </tr>`;
  }
}
