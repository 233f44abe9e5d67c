import { provide } from '@lit/context';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { ChatConnectionStatus } from '../chat-connection-status/chat-connection-status.component.js';
import type { ChatConversation } from '../chat-conversation/chat-conversation.component.js';
import type { ChatSessionList } from '../chat-session-list/chat-session-list.component.js';
import { ChatDashboard } from '../chat-dashboard/chat-dashboard.component.js';
import { customerName, formatTime } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { loadConversationElements } from '../../internal/lazy-elements.js';
import { StoreController } from '../../internal/store-controller.js';
import { logicalKey } from '../../internal/keys.js';
import type { AgentInfo, AgentStatus, SessionSummary } from '../../protocol/index.js';
import type { CrmProvider } from '../../crm/types.js';
import { chatClientContext } from '../../state/context.js';
import { type ChatClient, createChatClient } from '../../state/create-chat-client.js';
import type { SelectedView, WarningRow, WindowBadges } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { windowStyles } from './chat-window.styles.js';
import type { NotificationSink } from './notifications.js';
import { NotificationMenu } from './notification-menu.js';
import type { ConversationShortcut } from '../chat-conversation/conversation-keys.js';
import { KeyboardMap, keyboardMapStyles } from './keyboard-map.js';
import { PlaceKeeper } from './place.js';
import { WaitWarnings } from './wait-warnings.js';
import { AssignmentOffers } from './assignment-offers.js';

export type ChatWindowTab = 'dashboard' | 'chats';

const TABS: readonly ChatWindowTab[] = ['dashboard', 'chats'];

/** `exportparts` value that re-exports a child's parts as `<prefix>__<part>`. */
const exportParts = (prefix: string, parts: readonly string[]) => parts.map((p) => `${p}:${prefix}__${p}`).join(', ');

const STATUS_PARTS = [
  'base', 'retry',
];
const CONTACT_PANEL_PARTS = [
  'base', 'heading', 'customer', 'identity', 'identity--verified', 'identity--unverified', 'claimed', 'company', 'consent', 'matches', 'item', 'reason', 'auto-link', 'auto-link-undo', 'link-button', 'favourite-button', 'search',
  'search-input', 'create-button', 'form', 'field-error', 'duplicate-warning', 'card', 'card-name',
  'open-button', 'change-button', 'section', 'transcript', 'skeleton', 'empty', 'error', 'retry',
];
const DASHBOARD_PARTS = [
  'base', 'main', 'filter', 'filter-option', 'stats', 'stats-heading', 'stats-meta', 'cards', 'card',
  // help requested (issue 18)
  'help', 'help-heading', 'help-count', 'help-table', 'help-row', 'help-note', 'help-listen', 'help-whisper', 'help-takeover', 'help-handled', 'help-error', 'returned',
  'card-label', 'card-value', 'card-note', 'chart-section', 'chart', 'chart-bar', 'chart-toggle',
  'chart-table', 'heading', 'count', 'capacity', 'hidden-waiting', 'error', 'error-dismiss', 'empty', 'table',
  'row', 'row--answering', 'customer', 'channel', 'waiting', 'preview', 'answer', 'ongoing-heading',
  'ongoing-count', 'ongoing-empty', 'ongoing-table', 'ongoing-row', 'agent', 'duration', 'listen-button',
  'listen', 'listen-heading', 'listen-notice', 'listen-stop', 'listen-conversation', 'listen-ended',
  'ratings', 'ratings-table',
];
const SESSION_LIST_PARTS = [
  'base', 'header', 'queue-count', 'next-button', 'next-reason', 'next-error', 'search', 'search-input',
  'search-clear', 'search-status', 'no-match', 'list-label', 'list', 'group', 'group-label', 'group-count',
  'item', 'item--selected', 'item--unread', 'item--transfer', 'item--completed', 'name', 'identity',
  'identity--verified', 'identity--unverified', 'channel', 'transfer', 'flag',
  'preview', 'badge', 'time', 'empty',
];
const CONVERSATION_PARTS = [
  'base', 'header', 'title', 'identity', 'identity--verified', 'identity--unverified', 'channel', 'status', 'listening', 'actions', 'takeover-button', 'transfer-button',
  // hold, help and return to queue (issue 18)
  'help-button', 'hold-button', 'requeue-button', 'hold-bar', 'help-bar', 'help-note', 'returned-bar', 'returned-reason', 'hold-error',
  'requeue-dialog', 'requeue-reason', 'requeue-error', 'requeue-confirm', 'requeue-cancel',
  'end-button', 'unread-button', 'whisper', 'end-error', 'transfer-pending', 'transfer-cancel', 'transfer-offer', 'transfer-note',
  'transfer-accept', 'transfer-reject', 'notice', 'notice-close', 'transcript', 'messages', 'scroller', 'message',
  'message--customer', 'message--agent', 'message--note', 'message--whisper', 'message--bot', 'bot-badge', 'message--system', 'message--internal',
  'message--pending', 'message--failed', 'bubble', 'bubble--customer', 'bubble--agent', 'bubble--bot', 'bubble--note', 'bubble--whisper', 'link', 'note-label', 'divider', 'seen', 'retry', 'cancel',
  'new-messages', 'jump', 'jump-count', 'load-older', 'no-messages', 'meta', 'message-state', 'typing', 'preview',
  'composer', 'whisper', 'modes', 'mode', 'mode--reply', 'mode--note', 'mode--selected', 'input', 'send', 'hint', 'counter', 'reason',
  'composer-error', 'dialog', 'dialog-confirm', 'dialog-cancel', 'transfer-dialog', 'transfer-option',
  'transfer-option--disabled', 'transfer-note-input', 'transfer-error', 'transfer-confirm', 'transfer-dismiss', 'empty',
  // agent tools (requests, files, Insert / emoji / CRM document pickers, message actions)
  'request-button', 'requests', 'request-link', 'request-dialog', 'request-confirm', 'request-cancel', 'request-contact',
  'request-field-error', 'drop-zone', 'tools', 'insert-button', 'emoji-button', 'attach-button', 'document-button',
  'save-reply-button', 'uploads', 'upload', 'upload--uploading', 'upload--done', 'upload--failed', 'upload-progress',
  'upload-error', 'upload-remove', 'file-name', 'picker', 'picker-tab', 'picker-tab--selected', 'picker-search',
  'picker-list', 'picker-option', 'picker-option--active', 'picker-empty', 'picker-preview', 'picker-preview-text',
  'picker-favourite', 'picker-manage', 'picker-new', 'picker-manage-list', 'picker-notice', 'picker-edit', 'picker-delete',
  'picker-delete-confirm', 'picker-form', 'picker-form-error', 'picker-field-error', 'picker-form-save',
  'picker-form-cancel', 'emoji-picker', 'emoji', 'document-picker', 'document-option', 'document-name', 'files', 'file',
  'thumbnail', 'file-download', 'message-actions', 'message-menu', 'message-menu-item', 'quote', 'quote-author', 'quote-text',
  'composer-quote', 'composer-quote-author', 'composer-quote-text', 'quote-remove', 'suggestions', 'suggestion',
];

const icons = {
  full: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM4.5 7.2h7v1.6h-7V7.2Z"/></svg>`,
};


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
  private lastSelected: string | undefined;
  /** Focus was in the Dashboard panel when a selection switched to Chats: move it along. */
  private moveFocus = false;
  /** Sounds, desktop notifications and the title count, and their menu. */
  private readonly notifications = new NotificationMenu(this, {
    select: (id) => {
      this.showChat(id);
    },
    isOpen: (id) => this.tab === 'chats' && this.selected.value?.id === id,
    localized: (fn) => this.localized(fn),
  });
  /** The place (tab and chat) of this browser tab, restored after a reload. */
  private readonly place = new PlaceKeeper();
  /** The window-wide shortcuts and the `?` list of keys. */
  private readonly keys = new KeyboardMap(this);
  /** The wait warnings at the top of the window. */
  private readonly warnings = new WaitWarnings(this);
  /** Chats offered to me by automatic assignment, and the auto-away note. */
  private readonly offers = new AssignmentOffers(this);

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

  /** True once the contact panel's module has loaded. */
  @state() private contactPanelReady = false;

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
      this.presenceOverride = undefined;
      this.presenceError = '';
      this.lastSelected = undefined;
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
    const restored = this.place.restore(settingsFor, client);
    if (restored) this.tab = restored.tab;

    const selected = this.selected.value?.id;
    if (selected !== this.lastSelected) {
      this.lastSelected = selected;
      // A chat selected anywhere opens Chats; the chat of a restored place keeps its tab.
      const restoredChat = this.place.arrived(selected);
      if (selected !== undefined && this.tab !== 'chats' && !restoredChat) {
        this.moveFocus = this.moveFocus || this.focusIn('panel-dashboard');
        this.tab = 'chats';
      }
    }
    if (this.presenceOverride !== undefined && this.agentRecord?.status === this.presenceOverride) this.presenceOverride = undefined;

    const warnings = this.shownWarnings();
    this.warnings.follow(warnings);
    this.offers.follow(this.incomingOffers(), this.channelName);

    this.place.save(this.tab, selected);

    this.setCustomState('dashboard', this.tab === 'dashboard');
    this.setCustomState('chats', this.tab === 'chats');
    this.setCustomState('queued', (this.badges.value?.queued ?? 0) > 0);
    this.setCustomState('away', this.presence === 'away');
    this.setCustomState('at-capacity', this.atCapacity());
    this.setCustomState('warning', warnings.length > 0);
  }

  protected override updated(): void {
    if (!this.moveFocus) return;
    this.moveFocus = false;
    // Answered on the dashboard: focus was in the panel that is now hidden. Continue in the
    // composer when it takes focus, else on the Chats tab, so focus is never lost.
    const conversation = this.conversationEl;
    this.tabElement('chats')?.focus();
    if (conversation) {
      void customElements
        .whenDefined('chat-conversation')
        .then(() => conversation.updateComplete)
        .then(() => {
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
      getAccessToken: () => {
        const getAccessToken = this.getAccessToken;
        return getAccessToken ? getAccessToken() : Promise.reject(new Error('chat-window: getAccessToken is not set'));
      },
    });
    this.client = this.ownClient;
  }

  /** My agent record on the board. @internal */
  get agentRecord(): AgentInfo | undefined {
    return this.badges.value?.myAgent;
  }

  /** Waiting chats offered to me by automatic assignment. */
  private incomingOffers(): readonly SessionSummary[] {
    return this.offerList.value ?? [];
  }

  private readonly channelName = (id: string): string => this.client?.$channels.get().find((c) => c.id === id)?.name ?? id;

  /** For the auto-away note: back to Present. @internal */
  setPresent(): void {
    void this.changePresence('present');
  }

  private get presence(): AgentStatus | undefined {
    return this.presenceOverride ?? this.agentRecord?.status ?? this.badges.value?.me?.status;
  }

  /** My chat limit, or undefined before the welcome. */
  private get maxChats(): number | undefined {
    return this.agentRecord?.maxConcurrentChats ?? this.badges.value?.me?.maxConcurrentChats;
  }

  /** Whether I handle as many chats as I may. @internal */
  atCapacity(): boolean {
    const max = this.maxChats;
    return max !== undefined && (this.badges.value?.mine ?? 0) >= max;
  }

  /** For the warnings: how many chats I may handle. @internal */
  chatLimit(): number | undefined {
    return this.maxChats;
  }

  /** For the warnings: the clock offset to the server. @internal */
  clockOffset(): number {
    return this.badges.value?.clockOffset ?? 0;
  }

  /** For the warnings: a warning's chat was answered, continue there. @internal */
  continueInChat(sessionId: string): void {
    this.moveFocus = true;
    this.client?.selectSession(sessionId);
  }

  /** For the warnings: focus on the selected tab. @internal */
  focusSelectedTab(): void {
    this.tabElement(this.tab)?.focus();
  }

  /** Warnings to show: none while Away (Away agents get no warnings). @internal */
  shownWarnings(): readonly WarningRow[] {
    if (this.presence === 'away') return [];
    return this.badges.value?.warnings ?? [];
  }

  private focusIn(id: string): boolean {
    const active = this.shadowRoot?.activeElement;
    return active != null && active.closest(`#${id}`) !== null;
  }

  /** For the keys: shows a tab and focuses it. @internal */
  showTab(tab: ChatWindowTab): void {
    this.selectTab(tab, true);
  }

  /** For the keys: the next (1) or previous (-1) chat of the list. @internal */
  showAdjacentChat(step: 1 | -1): void {
    const list = this.renderRoot.querySelector<ChatSessionList>('chat-session-list');
    if (!list) return;
    this.tab = 'chats';
    list.selectAdjacent(step);
  }

  /** For the keys: shows the open chat and focuses its composer. @internal */
  focusComposer(): void {
    this.tab = 'chats';
    void this.updateComplete.then(() => this.conversationEl?.focusComposer());
  }

  /** For the keys: "Get next in queue" of the chat list. @internal */
  getNext(): void {
    this.tab = 'chats';
    void this.updateComplete.then(() => this.renderRoot.querySelector<ChatSessionList>('chat-session-list')?.getNext());
  }

  /** For the keys: Insert, End chat or Transfer in the open chat. @internal */
  conversationShortcut(kind: ConversationShortcut): void {
    this.tab = 'chats';
    void this.updateComplete.then(() => {
      const conversation = this.conversationEl;
      if (!conversation) return;
      void conversation.updateComplete.then(() => {
        conversation.runShortcut(kind);
      });
    });
  }

  private tabElement(tab: ChatWindowTab): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`);
  }

  private selectTab(tab: ChatWindowTab, focus: boolean): void {
    this.tab = tab;
    if (focus) void this.updateComplete.then(() => this.tabElement(tab)?.focus());
  }

  /** Shows a chat (a desktop notification was clicked): select it and continue in the conversation. */
  /** Shows a chat (a desktop notification was clicked). @internal */
  showChat(sessionId: string): void {
    const client = this.client;
    if (!client) return;
    this.moveFocus = true;
    client.selectSession(sessionId);
    this.tab = 'chats';
    this.requestUpdate();
    this.scrollIntoView({ block: 'nearest' });
  }

  private onTabKeydown(e: KeyboardEvent): void {
    const index = TABS.indexOf(this.tab);
    let next: ChatWindowTab | undefined;
    switch (logicalKey(e, this)) {
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
    const input = e.target as HTMLInputElement;
    if (!input.checked) return;
    await this.changePresence(input.value === 'away' ? 'away' : 'present');
  }

  private async changePresence(status: AgentStatus): Promise<void> {
    const client = this.client;
    if (!client) return;
    const before = this.presence;
    if (before === status) return;
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

  // ---- settings menu ----------------------------------------------------------------------------

  // ---- rendering --------------------------------------------------------------------------------

  private badgeText(tab: ChatWindowTab, n: number): string {
    if (tab === 'dashboard') {
      return plural(n, { one: msg(', 1 unanswered chat', { id: 'chat-window.unanswered.one' }), other: msg(str`, ${n} unanswered chats`, { id: 'chat-window.unanswered.other' }) });
    }
    return plural(n, { one: msg(', 1 active chat', { id: 'chat-window.active.one' }), other: msg(str`, ${n} active chats`, { id: 'chat-window.active.other' }) });
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

  private renderLoad() {
    const max = this.maxChats;
    if (max === undefined) return nothing;
    const n = this.badges.value?.mine ?? 0;
    const full = this.atCapacity();
    const load = msg(str`${n} of ${max} chats`, { id: 'chat-window.load' });
    return html`<span part=${full ? 'load load--full' : 'load'} class="load" ?data-full=${full}>
      ${full ? icons.full : nothing}<span>${load}</span>
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

  private renderAgent() {
    const me = this.badges.value?.me;
    if (!me) return nothing;
    return html`<div part="agent" class="agent">
      <span part="agent-name" class="agent-name">${me.name}</span>
      ${this.renderLoad()} ${this.renderPresence(this.presence ?? 'present')} ${this.notifications.render()}
    </div>`;
  }

  /** The contact panel when a CRM provider is set (its code loads on first use), else the Customer panel. */
  private renderContact() {
    if (!this.crmProvider) return this.renderCustomer();
    if (!this.contactPanelReady) {
      void import('../chat-contact-panel/chat-contact-panel.js').then(() => {
        this.contactPanelReady = true;
      });
      return this.renderCustomer();
    }
    return html`<chat-contact-panel
      part="contact-panel"
      exportparts=${exportParts('contact-panel', CONTACT_PANEL_PARTS)}
      .provider=${this.crmProvider}
    ></chat-contact-panel>`;
  }

  private renderCustomer() {
    const session = this.selected.value?.session;
    const none = html`<span class="none">${msg('Not given', { id: 'chat-window.customer.none' })}</span>`;
    const channel = this.selected.value?.channelName ?? '';
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
    const queued = this.badges.value?.queued ?? 0;
    const mine = this.badges.value?.mine ?? 0;
    const dashboard = this.tab === 'dashboard';
    const customerLabel = msg('Customer', { id: 'chat-window.customer.heading' });
    const away = this.presence === 'away';
    return html`<div part="base" class="base">
      <div part="header" class="header">
        <div part="tablist" class="tablist" role="tablist" aria-label=${msg('Chat', { id: 'chat-window.tablist' })} @keydown=${this.onTabKeydown}>
          ${this.renderTab('dashboard', msg('Dashboard', { id: 'chat-window.tab.dashboard' }), queued)}
          ${this.renderTab('chats', msg('Chats', { id: 'chat-window.tab.chats' }), mine)}
        </div>
        ${this.renderAgent()}
        ${this.badges.value?.me
          ? html`<p id="presence-note" part="presence-note" class=${away ? 'presence-note' : 'visually-hidden'}>
              ${away
                ? msg('You are Away. You can still answer chats, but you get no transfers or warnings.', { id: 'chat-window.presence.away-note' })
                : msg('Away: you can still answer chats, but you get no transfers or warnings.', { id: 'chat-window.presence.away-description' })}
            </p>`
          : nothing}
        ${this.presenceError ? html`<div part="presence-error" class="presence-error">${this.presenceError}</div>` : nothing}
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
            <slot name="contact">${this.renderContact()}</slot>
          </section>
        </div>
      </div>
      ${this.keys.render()}
    </div>`;
  }
}
