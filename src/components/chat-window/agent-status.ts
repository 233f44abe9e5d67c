/**
 * The agent's part of the window's header: name, load ("2 of 4 chats", and at the limit why no
 * chat can be answered), the Present/Away control (shown as chosen at once, put back with a
 * message when the server refuses) and what Away means.
 */
import type { TemplateResult } from 'lit';
import { html, nothing, svg } from 'lit';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { AgentInfo, AgentStatus } from '../../protocol/index.js';
import type { WindowBadges } from '../../state/agent-views.js';
import type { ChatClient } from '../../state/create-chat-client.js';

const fullIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM4.5 7.2h7v1.6h-7V7.2Z"/></svg>`;

/** What the agent's status needs from the window. */
export interface AgentStatusHost {
  client(): ChatClient | undefined;
  /** Who I am, my load, my agent record (`agentViews(client).windowBadges`). */
  badges(): WindowBadges | undefined;
  requestUpdate(): void;
}

export class AgentStatusBar {
  /** The status chosen here until the board confirms it. */
  private override: AgentStatus | undefined;
  /** Why the status could not be changed. */
  private error = '';

  constructor(private readonly host: AgentStatusHost) {}

  /** Another client: forget what was chosen with the last one. */
  reset(): void {
    this.override = undefined;
    this.error = '';
  }

  /** Before each render: the board confirmed the status chosen here. */
  follow(): void {
    if (this.override !== undefined && this.agentRecord?.status === this.override) this.override = undefined;
  }

  /** My agent record on the board. */
  get agentRecord(): AgentInfo | undefined {
    return this.host.badges()?.myAgent;
  }

  /** My status as shown: as chosen here, else as the board or the welcome says. */
  get presence(): AgentStatus | undefined {
    return this.override ?? this.agentRecord?.status ?? this.host.badges()?.me?.status;
  }

  /** My chat limit, or undefined before the welcome. */
  get maxChats(): number | undefined {
    return this.agentRecord?.maxConcurrentChats ?? this.host.badges()?.me?.maxConcurrentChats;
  }

  /** Whether I handle as many chats as I may. */
  atCapacity(): boolean {
    const max = this.maxChats;
    return max !== undefined && (this.host.badges()?.load ?? 0) >= max;
  }

  private readonly onPresenceChange = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    if (!input.checked) return;
    await this.change(input.value === 'away' ? 'away' : 'present');
  };

  /** Sets my status (shown at once; put back with a message when refused). */
  async change(status: AgentStatus): Promise<void> {
    const client = this.host.client();
    if (!client) return;
    const before = this.presence;
    if (before === status) return;
    this.override = status;
    this.error = '';
    this.host.requestUpdate();
    try {
      await client.setPresence(status);
    } catch {
      if (this.host.client() !== client) return;
      this.override = before;
      const text = msg('Your status could not be changed. Check the connection and try again.', { id: 'chat-window.presence.error' });
      this.error = text;
      this.host.requestUpdate();
      announce(text, { assertive: true });
    }
  }

  private renderLoad() {
    const max = this.maxChats;
    if (max === undefined) return nothing;
    const n = this.host.badges()?.load ?? 0;
    const full = this.atCapacity();
    const load = msg(str`${n} of ${max} chats`, { id: 'chat-window.load' });
    return html`<span part=${full ? 'load load--full' : 'load'} class="load" ?data-full=${full}>
      ${full ? fullIcon : nothing}<span>${load}</span>
      ${full
        ? html`<span aria-hidden="true">·</span> <span class="load-reason">${msg('Limit reached: end a chat to answer another.', { id: 'chat-window.load.full' })}</span>`
        : nothing}
    </span>`;
  }

  private renderPresence(presence: AgentStatus) {
    const awayText = msg('You can still answer chats, but you get no transfers or warnings.', { id: 'chat-window.presence.away-hint' });
    const option = (value: AgentStatus, label: string) => {
      const checked = presence === value;
      return html`<label
        part=${checked ? 'presence-option presence-option--selected' : 'presence-option'}
        class="presence-option"
        title=${value === 'away' ? awayText : msg('Customers see that you are available; you get transfers and warnings.', { id: 'chat-window.presence.present-hint' })}
      >
        <input
          type="radio"
          name="presence"
          value=${value}
          .checked=${live(checked)}
          aria-describedby=${value === 'away' ? 'presence-note' : nothing}
          @change=${this.onPresenceChange}
        />
        <span class="dot" data-status=${value} aria-hidden="true"></span>
        <span>${label}</span>
      </label>`;
    };
    return html`<div part="presence" class="presence" role="radiogroup" aria-labelledby="presence-label">
      <span id="presence-label" class="presence-label">${msg('Status', { id: 'chat-window.presence.label' })}</span>
      <span class="segments">
        ${option('present', msg('Present', { id: 'chat-window.presence.present' }))} ${option('away', msg('Away', { id: 'chat-window.presence.away' }))}
      </span>
    </div>`;
  }

  /** Name, load, status and `settings` (the notification menu); nothing before the welcome. */
  render(settings: TemplateResult | typeof nothing) {
    const me = this.host.badges()?.me;
    if (!me) return nothing;
    return html`<div part="agent" class="agent">
      <span part="agent-name" class="agent-name">${me.name}</span>
      ${this.renderLoad()} ${this.renderPresence(this.presence ?? 'present')} ${settings}
    </div>`;
  }

  /** What Away means (shown while Away, else for screen readers only), and why a change failed. */
  renderNotes() {
    const away = this.presence === 'away';
    return html`${this.host.badges()?.me
      ? html`<p id="presence-note" part="presence-note" class=${away ? 'presence-note' : 'visually-hidden'}>
          ${away
            ? msg('You are Away. You can still answer chats, but you get no transfers or warnings.', { id: 'chat-window.presence.away-note' })
            : msg('Away: you can still answer chats, but you get no transfers or warnings.', { id: 'chat-window.presence.away-description' })}
        </p>`
      : nothing}
    ${this.error ? html`<div part="presence-error" class="presence-error">${this.error}</div>` : nothing}`;
  }
}
