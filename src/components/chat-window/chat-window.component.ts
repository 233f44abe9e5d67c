import { provide } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import { ChatConnectionStatus } from '../chat-connection-status/chat-connection-status.component.js';
import { ChatConversation } from '../chat-conversation/chat-conversation.component.js';
import { ChatDashboard } from '../chat-dashboard/chat-dashboard.component.js';
import { ChatSessionList } from '../chat-session-list/chat-session-list.component.js';
import { customerName, formatTime } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentInfo, AgentMe, AgentStatus, ChannelInfo, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import { type ChatClient, createChatClient } from '../../state/create-chat-client.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { windowStyles } from './chat-window.styles.js';

export type ChatWindowTab = 'dashboard' | 'chats';

const TABS: readonly ChatWindowTab[] = ['dashboard', 'chats'];

/** `exportparts` value that re-exports a child's parts as `<prefix>__<part>`. */
const exportParts = (prefix: string, parts: readonly string[]) => parts.map((p) => `${p}:${prefix}__${p}`).join(', ');

const STATUS_PARTS = ['base', 'retry'];
const DASHBOARD_PARTS = ['base', 'heading', 'count', 'error', 'error-dismiss', 'empty', 'table', 'row', 'row--answering', 'customer', 'channel', 'waiting', 'preview', 'answer'];
const SESSION_LIST_PARTS = [
  'base',
  'header',
  'queue-count',
  'next-button',
  'next-reason',
  'next-error',
  'list-label',
  'list',
  'item',
  'item--selected',
  'item--unread',
  'name',
  'channel',
  'preview',
  'badge',
  'time',
  'empty',
];
const CONVERSATION_PARTS = [
  'base',
  'header',
  'title',
  'channel',
  'status',
  'end-button',
  'end-error',
  'transcript',
  'messages',
  'message',
  'message--customer',
  'message--agent',
  'message--note',
  'message--system',
  'message--pending',
  'message--failed',
  'bubble',
  'retry',
  'cancel',
  'new-messages',
  'load-older',
  'typing',
  'composer',
  'input',
  'send',
  'counter',
  'reason',
  'dialog',
  'dialog-confirm',
  'dialog-cancel',
  'empty',
];

/**
 * @summary The agent's chat window: a Dashboard tab (chats waiting in my channels) and a Chats tab
 * (my chats, the conversation and the customer), with the agent's name, Present/Away status and
 * the connection state. Builds its own client from `server-url`, `tenant` and `getToken`, or takes a
 * ready `client`, and hands it to every chat element inside it.
 * @tag chat-window
 * @status experimental
 * @since 0.1
 *
 * @dependency chat-dashboard
 * @dependency chat-session-list
 * @dependency chat-conversation
 * @dependency chat-connection-status
 *
 * @slot contact - Replaces the simple Customer panel on the right of the Chats tab (for example with a CRM contact panel).
 *
 * @csspart base - The whole window.
 * @csspart header - The bar with the tabs, the agent and the status.
 * @csspart tablist - The two tabs.
 * @csspart tab - A tab (also `tab--selected`).
 * @csspart tab--selected - The selected tab.
 * @csspart badge - The number on a tab (also `badge--dashboard`, `badge--chats`).
 * @csspart agent - The agent's name and status.
 * @csspart agent-name - The agent's name.
 * @csspart presence - The Present/Away control (label and select).
 * @csspart presence-error - Why the status could not be changed.
 * @csspart connection-status - The connection banner (its own parts are `connection-status__base`, `connection-status__retry`).
 * @csspart panel - A tab panel (also `panel--dashboard`, `panel--chats`).
 * @csspart dashboard - The chat-dashboard element (its parts are re-exported as `dashboard__<part>`).
 * @csspart chats - The three-column area of the Chats tab.
 * @csspart bar - The bar with the fold buttons on narrow windows.
 * @csspart session-list - The chat-session-list element (its parts are re-exported as `session-list__<part>`, e.g. `session-list__item`).
 * @csspart conversation - The chat-conversation element (its parts are re-exported as `conversation__<part>`, e.g. `conversation__message`).
 * @csspart contact - The right column that holds the `contact` slot.
 * @csspart customer - The default Customer panel.
 *
 * @cssproperty [--chat-window-list-width=20rem] - Width of the chat list column.
 * @cssproperty [--chat-window-contact-width=17rem] - Width of the customer column.
 * @cssproperty [--chat-window-min-height=24rem] - Smallest height of the window.
 * @cssproperty [--chat-window-border=1px solid var(--chat-color-border)] - Border around the window.
 * @cssproperty [--chat-window-radius=var(--chat-radius)] - Corner radius of the window.
 * @cssproperty [--chat-window-header-background=var(--chat-color-surface-alt)] - Background of the header.
 * @cssproperty [--chat-window-tab-indicator-color=var(--chat-color-accent)] - Underline of the selected tab.
 * @cssproperty [--chat-window-badge-background=var(--chat-color-accent)] - Background of the tab numbers.
 * @cssproperty [--chat-window-badge-color=var(--chat-color-on-accent)] - Text colour of the tab numbers.
 * @cssproperty [--chat-window-contact-background=var(--chat-color-surface)] - Background of the customer column.
 *
 * @cssstate dashboard - The Dashboard tab is shown.
 * @cssstate chats - The Chats tab is shown.
 * @cssstate queued - At least one chat waits for an answer in my channels.
 * @cssstate away - The agent's status is Away.
 */
export class ChatWindow extends ChatElement {
  static override styles = [hostStyles, buttonStyles, windowStyles];

  static override dependencies: Record<string, CustomElementConstructor> = {
    'chat-connection-status': ChatConnectionStatus,
    'chat-dashboard': ChatDashboard,
    'chat-session-list': ChatSessionList,
    'chat-conversation': ChatConversation,
  };

  private readonly queued = new StoreController<SessionSummary[]>(this);
  private readonly mine = new StoreController<SessionSummary[]>(this);
  private readonly me = new StoreController<AgentMe | undefined>(this);
  private readonly agents = new StoreController<Record<string, AgentInfo>>(this);
  private readonly channels = new StoreController<ChannelInfo[]>(this);
  private readonly sessions = new StoreController<Record<string, SessionSummary>>(this);
  private readonly selected = new StoreController<string | undefined>(this);
  /** The client this element built from its attributes (it destroys it when replaced). */
  private ownClient: ChatClient | undefined;
  private ownConfig = '';
  private lastSelected: string | undefined;
  /** Focus was in the Dashboard panel when a selection switched to Chats: move it along. */
  private moveFocus = false;

  @query('chat-conversation') private conversationEl?: ChatConversation;

  @state() private presenceOverride: AgentStatus | undefined;
  @state() private presenceError = '';
  @state() private listCollapsed = false;
  @state() private contactCollapsed = true;

  /** Base URL of the chat server (e.g. `https://chat.example.com`); with `tenant` and `getToken` the window builds its own client. */
  @property({ attribute: 'server-url' }) serverUrl = '';

  /** Tenant (CRM installation) id. */
  @property() tenant = '';

  /** Returns a fresh single-use connect ticket from the host's backend; called before every (re)connect. */
  @property({ attribute: false }) getToken?: () => Promise<string>;

  /** The tab shown: `dashboard` or `chats`. Selecting a chat anywhere switches to `chats`. */
  @property({ reflect: true }) tab: ChatWindowTab = 'dashboard';

  /**
   * The chat client shared by every element in the window. Set a ready client, or leave it to the
   * window, which builds one from `server-url`, `tenant` and `getToken` (and then exposes it here).
   */
  @provide({ context: chatClientContext })
  @property({ attribute: false })
  client?: ChatClient;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.ownClient && this.client !== this.ownClient) {
      // The host handed over its own client: ours is no longer needed.
      this.ownClient.destroy();
      this.ownClient = undefined;
      this.ownConfig = '';
    }
    this.buildClient();
    if (changed.has('client')) {
      this.presenceOverride = undefined;
      this.presenceError = '';
      this.lastSelected = undefined;
    }
    const client = this.client;
    this.queued.use(client?.$queued);
    this.mine.use(client?.$mine);
    this.me.use(client?.$agentMe);
    this.agents.use(client?.$agents);
    this.channels.use(client?.$channels);
    this.sessions.use(client?.$sessions);
    this.selected.use(client?.$selectedSessionId);

    const selected = this.selected.value;
    if (selected !== this.lastSelected) {
      this.lastSelected = selected;
      if (selected !== undefined && this.tab !== 'chats') {
        this.moveFocus = this.focusIn('panel-dashboard');
        this.tab = 'chats';
      }
    }
    if (this.presenceOverride !== undefined && this.agentRecord?.status === this.presenceOverride) this.presenceOverride = undefined;

    this.setCustomState('dashboard', this.tab === 'dashboard');
    this.setCustomState('chats', this.tab === 'chats');
    this.setCustomState('queued', (this.queued.value?.length ?? 0) > 0);
    this.setCustomState('away', this.presence === 'away');
  }

  protected override updated(): void {
    if (!this.moveFocus) return;
    this.moveFocus = false;
    // Answered on the dashboard: focus was in the panel that is now hidden. Continue in the
    // composer when it takes focus, else on the Chats tab, so focus is never lost.
    const conversation = this.conversationEl;
    this.tabElement('chats')?.focus();
    if (conversation instanceof ChatConversation) {
      void conversation.updateComplete.then(() => {
        if (this.tab === 'chats' && this.shadowRoot?.activeElement === this.tabElement('chats')) conversation.focusComposer();
      });
    }
  }

  private buildClient(): void {
    if (this.client && this.client !== this.ownClient) return; // a given client wins
    if (!this.serverUrl || !this.tenant || !this.getToken) return;
    const config = `${this.serverUrl}|${this.tenant}`;
    if (this.ownClient && this.ownConfig === config) return;
    this.ownClient?.destroy();
    this.ownConfig = config;
    this.ownClient = createChatClient({
      url: this.serverUrl,
      tenant: this.tenant,
      getToken: () => {
        const getToken = this.getToken;
        return getToken ? getToken() : Promise.reject(new Error('chat-window: getToken is not set'));
      },
    });
    this.client = this.ownClient;
  }

  private get agentRecord(): AgentInfo | undefined {
    const me = this.me.value;
    return me ? this.agents.value?.[me.id] : undefined;
  }

  private get presence(): AgentStatus | undefined {
    return this.presenceOverride ?? this.agentRecord?.status ?? this.me.value?.status;
  }

  private focusIn(id: string): boolean {
    const active = this.shadowRoot?.activeElement;
    return active != null && active.closest(`#${id}`) !== null;
  }

  private tabElement(tab: ChatWindowTab): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`);
  }

  private selectTab(tab: ChatWindowTab, focus: boolean): void {
    this.tab = tab;
    if (focus) void this.updateComplete.then(() => this.tabElement(tab)?.focus());
  }

  private onTabKeydown(e: KeyboardEvent): void {
    const index = TABS.indexOf(this.tab);
    let next: ChatWindowTab | undefined;
    switch (e.key) {
      case 'ArrowRight':
        next = TABS[(index + 1) % TABS.length];
        break;
      case 'ArrowLeft':
        next = TABS[(index - 1 + TABS.length) % TABS.length];
        break;
      case 'Home':
        next = TABS[0];
        break;
      case 'End':
        next = TABS[TABS.length - 1];
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next) this.selectTab(next, true);
  }

  private async onPresenceChange(e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    const status: AgentStatus = select.value === 'away' ? 'away' : 'present';
    const client = this.client;
    if (!client) return;
    const before = this.presence;
    this.presenceOverride = status;
    this.presenceError = '';
    try {
      await client.setPresence(status);
    } catch {
      if (this.client !== client) return;
      this.presenceOverride = before;
      const text = msg('Your status could not be changed. Check the connection and try again.', { id: 'chat-window.presence.error' });
      this.presenceError = text;
      announce(text, { assertive: true });
    }
  }

  private badgeText(tab: ChatWindowTab, n: number): string {
    if (tab === 'dashboard') {
      return n === 1
        ? msg(', 1 unanswered chat', { id: 'chat-window.unanswered.one' })
        : msg(str`, ${n} unanswered chats`, { id: 'chat-window.unanswered.other' });
    }
    return n === 1 ? msg(', 1 active chat', { id: 'chat-window.active.one' }) : msg(str`, ${n} active chats`, { id: 'chat-window.active.other' });
  }

  private renderTab(tab: ChatWindowTab, label: string, count: number) {
    const selected = this.tab === tab;
    return html`<button
      id=${`tab-${tab}`}
      part=${selected ? 'tab tab--selected' : 'tab'}
      class="tab"
      type="button"
      role="tab"
      aria-selected=${selected ? 'true' : 'false'}
      aria-controls=${`panel-${tab}`}
      tabindex=${selected ? '0' : '-1'}
      @click=${() => {
        this.selectTab(tab, false);
      }}
    >
      ${count > 0
        ? // One text node carries the whole name ("Dashboard, 2 unanswered chats"); the visible
          // label and number are hidden from the accessibility tree so nothing is read twice.
          html`<span aria-hidden="true">${label}</span><span part=${`badge badge--${tab}`} class="badge" aria-hidden="true">${count}</span
            ><span class="visually-hidden">${label}${this.badgeText(tab, count)}</span>`
        : html`<span>${label}</span>`}
    </button>`;
  }

  private renderAgent() {
    const me = this.me.value;
    if (!me) return nothing;
    const presence = this.presence ?? 'present';
    return html`<div part="agent" class="agent">
      <span part="agent-name" class="agent-name">${me.name}</span>
      <span part="presence" class="presence">
        <span class="dot" data-status=${presence} aria-hidden="true"></span>
        <label for="presence">${msg('Status', { id: 'chat-window.presence.label' })}</label>
        <select id="presence" .value=${presence} @change=${this.onPresenceChange}>
          <option value="present" ?selected=${presence === 'present'}>${msg('Present', { id: 'chat-window.presence.present' })}</option>
          <option value="away" ?selected=${presence === 'away'}>${msg('Away', { id: 'chat-window.presence.away' })}</option>
        </select>
      </span>
    </div>`;
  }

  private renderCustomer() {
    const id = this.selected.value;
    const session = id ? this.sessions.value?.[id] : undefined;
    const none = html`<span class="none">${msg('Not given', { id: 'chat-window.customer.none' })}</span>`;
    const channel = session ? (this.channels.value?.find((c) => c.id === session.channelId)?.name ?? session.channelId) : '';
    return html`<div part="customer" class="customer">
      <h2 id="customer-heading">${msg('Customer', { id: 'chat-window.customer.heading' })}</h2>
      ${session
        ? html`<dl>
            <div>
              <dt>${msg('Name', { id: 'chat-window.customer.name' })}</dt>
              <dd>${customerName(session.customer)}</dd>
            </div>
            <div>
              <dt>${msg('E-mail', { id: 'chat-window.customer.email' })}</dt>
              <dd>${session.customer.email?.trim() ? session.customer.email : none}</dd>
            </div>
            <div>
              <dt>${msg('Phone', { id: 'chat-window.customer.phone' })}</dt>
              <dd>${session.customer.phone?.trim() ? session.customer.phone : none}</dd>
            </div>
            <div>
              <dt>${msg('Channel', { id: 'chat-window.customer.channel' })}</dt>
              <dd>${channel}</dd>
            </div>
            <div>
              <dt>${msg('Started', { id: 'chat-window.customer.started' })}</dt>
              <dd>${formatTime(session.createdAt)}</dd>
            </div>
          </dl>`
        : html`<p>${msg('No chat is selected. Pick a chat to see who you are talking to.', { id: 'chat-window.customer.empty' })}</p>`}
    </div>`;
  }

  override render() {
    const queued = this.queued.value?.length ?? 0;
    const mine = this.mine.value?.length ?? 0;
    const dashboard = this.tab === 'dashboard';
    const customerLabel = msg('Customer', { id: 'chat-window.customer.heading' });
    return html`<div part="base" class="base">
      <div part="header" class="header">
        <div part="tablist" class="tablist" role="tablist" aria-label=${msg('Chat', { id: 'chat-window.tablist' })} @keydown=${this.onTabKeydown}>
          ${this.renderTab('dashboard', msg('Dashboard', { id: 'chat-window.tab.dashboard' }), queued)}
          ${this.renderTab('chats', msg('Chats', { id: 'chat-window.tab.chats' }), mine)}
        </div>
        ${this.renderAgent()}
        ${this.presenceError ? html`<div part="presence-error" class="presence-error">${this.presenceError}</div>` : nothing}
      </div>
      <chat-connection-status part="connection-status" exportparts=${exportParts('connection-status', STATUS_PARTS)}></chat-connection-status>
      <div
        id="panel-dashboard"
        part="panel panel--dashboard"
        class="panel"
        role="tabpanel"
        aria-labelledby="tab-dashboard"
        tabindex="0"
        ?hidden=${!dashboard}
      >
        <chat-dashboard part="dashboard" exportparts=${exportParts('dashboard', DASHBOARD_PARTS)}></chat-dashboard>
      </div>
      <div id="panel-chats" part="panel panel--chats" class="panel panel--chats" role="tabpanel" aria-labelledby="tab-chats" ?hidden=${dashboard}>
        <div part="chats" class="chats">
          <div part="bar" class="bar">
            <button
              class="btn btn--quiet toggle toggle--list"
              type="button"
              aria-expanded=${this.listCollapsed ? 'false' : 'true'}
              aria-controls="list-column"
              @click=${() => {
                this.listCollapsed = !this.listCollapsed;
              }}
            >
              ${msg('Chat list', { id: 'chat-window.toggle.list' })}
            </button>
            <button
              class="btn btn--quiet toggle toggle--contact"
              type="button"
              aria-expanded=${this.contactCollapsed ? 'false' : 'true'}
              aria-controls="contact-column"
              @click=${() => {
                this.contactCollapsed = !this.contactCollapsed;
              }}
            >
              ${msg('Customer details', { id: 'chat-window.toggle.contact' })}
            </button>
          </div>
          <div id="list-column" class="column list" ?data-collapsed=${this.listCollapsed}>
            <chat-session-list part="session-list" exportparts=${exportParts('session-list', SESSION_LIST_PARTS)}></chat-session-list>
          </div>
          <div class="column conversation">
            <chat-conversation part="conversation" exportparts=${exportParts('conversation', CONVERSATION_PARTS)}></chat-conversation>
          </div>
          <section id="contact-column" part="contact" class="column contact" aria-label=${customerLabel} ?data-collapsed=${this.contactCollapsed}>
            <slot name="contact">${this.renderCustomer()}</slot>
          </section>
        </div>
      </div>
    </div>`;
  }
}
