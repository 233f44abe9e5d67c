import { provide } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html } from 'lit';
import { property, state } from 'lit/decorators.js';

import { msg } from '../../i18n/localization.js';
import { ChatConnectionStatus } from '../chat-connection-status/chat-connection-status.component.js';
import { ChatDashboard } from '../chat-dashboard/chat-dashboard.component.js';
import { ChatElement } from '../../internal/chat-element.js';
import { loadConversationElements } from '../../internal/lazy-elements.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentInfo, SessionSummary } from '../../protocol/index.js';
import type { CrmProvider } from '../../crm/types.js';
import { chatClientContext } from '../../state/context.js';
import { type ChatClient, createChatClient } from '../../state/create-chat-client.js';
import type { SelectedView, WarningRow, WindowBadges } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { windowStyles } from './chat-window.styles.js';
import type { NotificationSink } from './notifications.js';
import { NotificationMenu } from './notification-menu.js';
import { KeyboardMap, keyboardMapStyles } from './keyboard-map.js';
import { WindowPlace } from './place.js';
import { WaitWarnings } from './wait-warnings.js';
import { AssignmentOffers } from './assignment-offers.js';
import { AgentStatusBar } from './agent-status.js';
import { CustomerPanel } from './customer-panel.js';
import { CONVERSATION_PARTS, DASHBOARD_PARTS, exportParts, SESSION_LIST_PARTS, STATUS_PARTS } from './window-parts.js';
import { WindowRouting } from './window-routing.js';
import { type ChatWindowTab, WindowTabs } from './window-tabs.js';

export type { ChatWindowTab } from './window-tabs.js';

/**
 * @summary The agent's chat window: a Dashboard tab (chats waiting in my channels) and a Chats tab
 * (my chats, the conversation and the customer), with the agent's name, load ("2 of 4 chats"),
 * Present/Away status, notification settings, wait warnings and the connection state. Builds its
 * own client from `server-url`, `tenant` and `getToken`, or takes a ready `client`, and hands it to
 * every chat element inside it.
 * @tag chat-window
 * @status experimental
 * @since 0.1
 *
 * @dependency chat-dashboard
 * @dependency chat-session-list
 * @dependency chat-conversation
 * @dependency chat-connection-status
 * @dependency chat-contact-panel - Loaded on demand when `crmProvider` is set.
 *
 * @slot contact - Replaces the simple Customer panel on the right of the Chats tab (for example with a CRM contact panel).
 *
 * @fires {ChatSessionAnswerEvent} chat-session-answer - From the dashboard inside: before a chat is answered. Cancelable.
 * @fires {ChatSessionSelectEvent} chat-session-select - From the session list inside: the agent picks a chat. Cancelable.
 * @fires {ChatSessionEndEvent} chat-session-end - From the conversation inside: the agent ended a chat.
 * @fires {ChatSessionCloseEvent} chat-session-close - From the conversation inside: the agent closed a read-only chat. Cancelable.
 * @fires {ChatMessageSendEvent} chat-message-send - From the composer inside: before a message or note is sent. Cancelable.
 * @fires {ChatMessageActionEvent} chat-message-action - From the transcript inside: "Save as quick reply" on a message. Cancelable.
 * @fires {ChatRequestCreateEvent} chat-request-create - From the conversation inside: a CRM request was created from the chat.
 * @fires {ChatRequestOpenEvent} chat-request-open - From the conversation inside: the agent chose one of the chat's requests. Cancelable.
 * @fires {ChatContactLinkEvent} chat-contact-link - From the contact panel inside: the chat was linked to a contact.
 * @fires {ChatContactOpenEvent} chat-contact-open - From the contact panel inside: the agent clicked "Open in CRM". Cancelable.
 * @fires {ChatErrorEvent} chat-error - From any element inside: an action failed (`detail.code`).
 *
 * @csspart base - The whole window.
 * @csspart header - The bar with the tabs, the agent, the load, the status and the settings.
 * @csspart tablist - The two tabs.
 * @csspart tab - A tab (also `tab--selected`).
 * @csspart tab--selected - The selected tab.
 * @csspart badge - The number on a tab (also `badge--dashboard`, `badge--chats`).
 * @csspart agent - The agent's name, load, status and settings.
 * @csspart agent-name - The agent's name.
 * @csspart load - "2 of 4 chats" (also `load--full` at the limit).
 * @csspart load--full - The load when the agent handles as many chats as allowed.
 * @csspart presence - The Present/Away control (a labelled radio group).
 * @csspart presence-option - One choice of the Present/Away control (also `presence-option--selected`).
 * @csspart presence-note - What Away means (shown while Away).
 * @csspart presence-error - Why the status could not be changed.
 * @csspart settings - The notification settings menu (a `<details>` element).
 * @csspart settings-button - The button that opens the settings menu.
 * @csspart settings-panel - The open settings menu with its checkboxes.
 * @csspart connection-status - The connection banner (its own parts are `connection-status__base`, `connection-status__retry`).
 * @csspart offers - Chats offered to me by automatic assignment, and the auto-away note.
 * @csspart offer - One chat offered to me: customer, channel, time left, Accept and Decline.
 * @csspart offer-time - How long I have to accept the offer.
 * @csspart offer-accept - Accepts the offered chat (it becomes mine and opens).
 * @csspart offer-decline - Declines the offered chat (it goes to a colleague).
 * @csspart offer-error - Why an offer could not be answered.
 * @csspart auto-away - The server set me Away because an offer was not accepted in time.
 * @csspart auto-away-present - Sets me Present again.
 * @csspart warnings - The wait warnings: one warning, or the bar that holds several.
 * @csspart warnings-bar - Several warnings as one bar (a `<details>`) that opens to the list.
 * @csspart warnings-summary - The bar's line: how many chats wait too long, and who has waited longest.
 * @csspart warning - One wait warning (also `warning--managers` for the later, managers' warning).
 * @csspart warning--managers - A managers' wait warning.
 * @csspart warning-answer - The Answer button of a warning.
 * @csspart warning-dismiss - The Dismiss button of a warning.
 * @csspart panel - A tab panel (also `panel--dashboard`, `panel--chats`).
 * @csspart dashboard - The chat-dashboard element (its parts are re-exported as `dashboard__<part>`).
 * @csspart chats - The three-column area of the Chats tab.
 * @csspart bar - The bar with the fold buttons on narrow windows.
 * @csspart session-list - The chat-session-list element (its parts are re-exported as `session-list__<part>`, e.g. `session-list__item`).
 * @csspart conversation - The chat-conversation element (its parts are re-exported as `conversation__<part>`, e.g. `conversation__message`).
 * @csspart contact - The right column that holds the `contact` slot.
 * @csspart customer - The default Customer panel.
 * @csspart contact-panel - The chat-contact-panel element, when `crmProvider` is set (its parts are re-exported as `contact-panel__<part>`).
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
 * @cssproperty [--chat-window-warning-background=#fff4e5] - Background of a wait warning.
 * @cssproperty [--chat-window-warning-border=var(--chat-color-warning)] - Edge colour of a wait warning.
 * @cssproperty [--chat-window-warnings-max-height=40%] - Tallest the warning stack gets before it scrolls.
 *
 * @cssstate dashboard - The Dashboard tab is shown.
 * @cssstate chats - The Chats tab is shown.
 * @cssstate queued - At least one chat waits for an answer in my channels.
 * @cssstate away - The agent's status is Away.
 * @cssstate at-capacity - The agent handles as many chats as allowed (`maxConcurrentChats`).
 * @cssstate warning - At least one wait warning is shown.
 */
export class ChatWindow extends ChatElement {
  static override styles = [hostStyles, buttonStyles, windowStyles, keyboardMapStyles];

  static override dependencies: Record<string, CustomElementConstructor> = {
    'chat-connection-status': ChatConnectionStatus,
    'chat-dashboard': ChatDashboard,
  };

  /** Queue and load counts, who I am, my presence, wait warnings (`agentViews(client).windowBadges`). */
  private readonly badges = new StoreController<WindowBadges>(this);
  /** The selected chat (`agentViews(client).selected`): switches to the Chats tab; the Customer panel. */
  private readonly selected = new StoreController<SelectedView>(this);
  /** Waiting chats offered to me by automatic assignment (`client.$incomingOffers`). */
  private readonly offerList = new StoreController<readonly SessionSummary[]>(this);
  /** The client this element built from its attributes (it destroys it when replaced). */
  private ownClient: ChatClient | undefined;
  private ownConfig = '';
  /** The Dashboard and Chats tabs. */
  private readonly tabs = new WindowTabs(this);
  /** Requests of the shortcuts, notifications, warnings and offers, carried to the elements inside. */
  private readonly routing = new WindowRouting(this, this.tabs);
  /** Sounds, desktop notifications and the title count, and their menu. */
  private readonly notifications = new NotificationMenu(this, {
    select: (id) => {
      this.routing.showChat(id);
    },
    isOpen: (id) => this.tab === 'chats' && this.selected.value?.id === id,
    localized: (fn) => this.localized(fn),
  });
  /** The place (tab and chat) of this browser tab, restored after a reload. */
  private readonly place = new WindowPlace(this);
  /** The agent's name, load and Present/Away. */
  private readonly status = new AgentStatusBar({
    client: () => this.client,
    badges: () => this.badges.value,
    requestUpdate: () => {
      this.requestUpdate();
    },
  });
  /** The right column's default content: the contact panel or the Customer panel. */
  private readonly customer = new CustomerPanel({
    crmProvider: () => this.crmProvider,
    selectedView: () => this.selected.value,
    requestUpdate: () => {
      this.requestUpdate();
    },
  });
  /** The window-wide shortcuts and the `?` list of keys. */
  private readonly keys = new KeyboardMap(this, this.routing);
  /** The wait warnings at the top of the window. */
  private readonly warnings = new WaitWarnings(this);
  /** Chats offered to me by automatic assignment, and the auto-away note. */
  private readonly offers = new AssignmentOffers(this);

  @state() private listCollapsed = false;
  @state() private contactCollapsed = true;

  /** Base URL of the chat server (e.g. `https://chat.example.com`); with `tenant` and `getToken` the window builds its own client. */
  @property({ attribute: 'server-url' }) serverUrl = '';

  /** Tenant (CRM installation) id. */
  @property() tenant = '';

  /** Returns a fresh single-use connect ticket from the host's backend; called before every (re)connect. */
  @property({ attribute: false }) getToken?: () => Promise<string>;

  /**
   * Returns the signed-in agent's access token, for the HTTP parts of the console (file uploads
   * and downloads, the reply library). Only used when the window builds its own client.
   */
  @property({ attribute: false }) getAccessToken?: () => string | Promise<string>;

  /**
   * The host CRM's data (see docs/crm-provider.md). When set, the right column of the Chats tab
   * shows `<chat-contact-panel>` (loaded on demand) instead of the simple Customer panel.
   */
  @property({ attribute: false }) crmProvider?: CrmProvider;

  /**
   * Turns off the Alt+Shift shortcuts (tabs, next and previous chat, composer, Get next in queue,
   * Insert, Transfer, End chat, and the transfer offer's Accept / Reject) for users whose assistive technology needs those keys (WCAG 2.1.4).
   * `?` (outside text fields) still lists the keys.
   */
  @property({ type: Boolean, attribute: 'without-shortcuts' }) withoutShortcuts = false;

  /** The tab shown: `dashboard` or `chats`. Selecting a chat anywhere switches to `chats`. */
  @property({ reflect: true }) tab: ChatWindowTab = 'dashboard';

  /**
   * Where notification sounds and desktop notifications go. Default: a Web Audio tone and the
   * browser's Notification API (`browserSink()`). Set your own to route them elsewhere (or, in
   * tests, to record them).
   */
  @property({ attribute: false }) notificationSink?: NotificationSink;

  /**
   * The chat client shared by every element in the window. Set a ready client, or leave it to the
   * window, which builds one from `server-url`, `tenant` and `getToken` (and then exposes it here).
   */
  @provide({ context: chatClientContext })
  @property({ attribute: false })
  client?: ChatClient;

  override connectedCallback(): void {
    super.connectedCallback();
    // The Chats tab's elements come in their own chunk, fetched right away (not awaited).
    void loadConversationElements();
    this.addEventListener('keydown', this.keys.onKeydown);
    if (this.client) this.notifications.follow(this.client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.keys.onKeydown);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.ownClient && this.client !== this.ownClient) {
      // The host handed over its own client: ours is no longer needed.
      this.ownClient.destroy();
      this.ownClient = undefined;
      this.ownConfig = '';
    }
    this.buildClient();
    if (changed.has('client')) {
      this.status.reset();
      this.place.reset();
      this.warnings.reset();
      this.offers.reset();
    }
    const client = this.client;
    const views = client && agentViews(client);
    this.badges.use(views?.windowBadges);
    this.selected.use(views?.selected);
    this.offerList.use(client?.$incomingOffers);
    if (this.isConnected) this.notifications.follow(client);
    const settingsFor = this.notifications.load(this.badges.value?.me?.id, client);
    const selected = this.selected.value?.id;
    if (this.place.follow(settingsFor, client, selected)) this.routing.switchedToChats();
    this.status.follow();

    const warnings = this.shownWarnings();
    this.warnings.follow(warnings);
    this.offers.follow(this.incomingOffers(), this.channelName);

    this.place.save(selected);

    this.setCustomState('dashboard', this.tab === 'dashboard');
    this.setCustomState('chats', this.tab === 'chats');
    this.setCustomState('queued', (this.badges.value?.queued ?? 0) > 0);
    this.setCustomState('away', this.status.presence === 'away');
    this.setCustomState('at-capacity', this.atCapacity());
    this.setCustomState('warning', warnings.length > 0);
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
      getAccessToken: () => {
        const getAccessToken = this.getAccessToken;
        return getAccessToken ? getAccessToken() : Promise.reject(new Error('chat-window: getAccessToken is not set'));
      },
    });
    this.client = this.ownClient;
  }

  /** Waiting chats offered to me by automatic assignment. */
  private incomingOffers(): readonly SessionSummary[] {
    return this.offerList.value ?? [];
  }

  private readonly channelName = (id: string): string => this.client?.$channels.get().find((c) => c.id === id)?.name ?? id;

  // ---- for the warnings and the offers (wait-warnings.ts, assignment-offers.ts) ---------------

  /** My agent record on the board. @internal */
  get agentRecord(): AgentInfo | undefined {
    return this.status.agentRecord;
  }

  /** For the auto-away note: back to Present. @internal */
  setPresent(): void {
    void this.status.change('present');
  }

  /** Whether I handle as many chats as I may. @internal */
  atCapacity(): boolean {
    return this.status.atCapacity();
  }

  /** For the warnings: how many chats I may handle. @internal */
  chatLimit(): number | undefined {
    return this.status.maxChats;
  }

  /** For the warnings: the clock offset to the server. @internal */
  clockOffset(): number {
    return this.badges.value?.clockOffset ?? 0;
  }

  /** For the warnings and offers: a chat was answered, continue there. @internal */
  continueInChat(sessionId: string): void {
    this.routing.continueInChat(sessionId);
  }

  /** For the warnings: focus on the selected tab. @internal */
  focusSelectedTab(): void {
    this.tabs.element(this.tab)?.focus();
  }

  /** Warnings to show: none while Away (Away agents get no warnings). @internal */
  shownWarnings(): readonly WarningRow[] {
    if (this.status.presence === 'away') return [];
    return this.badges.value?.warnings ?? [];
  }

  override render() {
    const dashboard = this.tab === 'dashboard';
    const customerLabel = msg('Customer', { id: 'chat-window.customer.heading' });
    return html`<div part="base" class="base">
      <div part="header" class="header">
        ${this.tabs.render(this.badges.value?.queued ?? 0, this.badges.value?.mine ?? 0)} ${this.status.render(this.notifications.render())}
        ${this.status.renderNotes()}
      </div>
      <chat-connection-status part="connection-status" exportparts=${exportParts('connection-status', STATUS_PARTS)}></chat-connection-status>
      ${this.offers.render(this.incomingOffers(), this.channelName)} ${this.warnings.render(this.shownWarnings())}
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
            <chat-conversation
              part="conversation"
              exportparts=${exportParts('conversation', CONVERSATION_PARTS)}
              .crmProvider=${this.crmProvider}
              .withoutShortcuts=${this.withoutShortcuts}
            ></chat-conversation>
          </div>
          <section id="contact-column" part="contact" class="column contact" aria-label=${customerLabel} ?data-collapsed=${this.contactCollapsed}>
            <slot name="contact">${this.customer.render()}</slot>
          </section>
        </div>
      </div>
      ${this.keys.render()}
    </div>`;
  }
}
