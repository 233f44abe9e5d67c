import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionEndEvent } from '../../events/chat-session-end-event.js';
import { ChatSessionStartEvent } from '../../events/chat-session-start-event.js';
import { connectionText, formatTime, restoredText, retryLabel } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { warn } from '../../internal/dev.js';
import { StoreController } from '../../internal/store-controller.js';
import { MAX_MESSAGE_TEXT, MAX_TYPING_PREVIEW, TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import type { ChatMessage } from '../../protocol/model.js';
// Types only: the client core (~14 kB) is loaded with import() when a chat starts or is restored.
import type { ChatClient } from '../../state/create-chat-client.js';
import type { OutboxItem, VisitorState } from '../../state/types.js';
import type { VisitorChatView } from '../../state/views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import type { VisitorSession } from '../../state/visitor-http.js';
import { clearSession, loadSession, normalizeServerUrl, saveSession, storageKey, ticketProvider } from '../../state/visitor-http.js';
import type { CrmProvider } from '../../crm/types.js';
import { isBotMessage } from '../../protocol/journey.js';
import type { VisitorChannel } from '../../state/visitor-http.js';
// Types only: the file UI is loaded with import() together with the client core.
import type { VisitorFiles } from './chat-visitor.files.js';
import { failureReason, systemText, t } from './chat-visitor.strings.js';
import { StartForm } from './visitor-start-form.js';
import { VisitorEmoji } from './visitor-emoji.js';
import { quoteStyles, renderQuote } from '../../internal/message-quote.js';
import { visitorStyles } from './chat-visitor.styles.js';

/** The counter under the composer appears this many characters before the limit. */
const COUNTER_FROM = MAX_MESSAGE_TEXT - 200;

type Phase = 'form' | 'connecting' | 'queued' | 'active' | 'ended';

const icons = {
  chat: svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z"/></svg>`,
  down: svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><path d="m6 9 6 6 6-6"/></svg>`,
  send: svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12l-11.61 1.87z"/></svg>`,
  error: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM7.2 4h1.6v5H7.2V4Zm.8 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  clock: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><circle cx="8" cy="8" r="6"/><path d="M8 4.8V8l2 1.4"/></svg>`,
  check: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="m3.5 8.5 3 3 6-7"/></svg>`,
};

function initials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part.charAt(0))
    .join('')
    .toUpperCase();
}

/**
 * @summary The customer's chat widget for a company website: a launcher button and a panel with a
 * pre-chat form, the queue position, the conversation with the agent (with files both ways) and a
 * composer that attaches files (button, drag-and-drop, paste). Survives page reloads
 * (sessionStorage for the session, IndexedDB for unsent messages).
 * @tag chat-visitor
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The fixed-position wrapper of the launcher and the panel.
 * @csspart launcher - The button that opens and closes the panel.
 * @csspart badge - The number of new messages on the launcher while the panel is closed.
 * @csspart panel - The chat panel (a labelled region).
 * @csspart header - The panel's header (title, status, End chat, minimise).
 * @csspart avatar - The round picture at the start of the header: the agent's initials, or the channel's logo, or the chat icon.
 * @csspart logo - The channel's logo inside `avatar` (when the channel has one and no agent's initials are shown).
 * @csspart title - The panel title (the agent's name once an agent joined).
 * @csspart status - The status line under the title (queue position, "Online", "Chat ended").
 * @csspart end - The End chat button in the header.
 * @csspart close - The minimise button in the header.
 * @csspart form - The pre-chat form.
 * @csspart field - A form field (label, control, hint and error).
 * @csspart field-error - The error text of a form field.
 * @csspart form-error - An error of the whole form (for example the server refused).
 * @csspart start - The Start chat button.
 * @csspart connection - The connection banner (reconnecting, offline).
 * @csspart notice - "No agent is online right now" while queued.
 * @csspart wait - The channel's queue text while queued (place in the queue, expected wait).
 * @csspart messages - The conversation (a labelled list).
 * @csspart message - One message (also one of the variants below).
 * @csspart message--customer - A message of the customer (right).
 * @csspart message--agent - A message of the agent (left).
 * @csspart message--bot - A message the channel's bot wrote (chatbot first; in the chat with `message--agent`).
 * @csspart bot - The conversation with the channel's bot before the hand-off (chatbot first).
 * @csspart bot-badge - The "Bot" mark beside the bot's name.
 * @csspart message--system - A centred system line (joined, ended, the welcome text).
 * @csspart message--pending - A customer message not confirmed by the server yet.
 * @csspart message--failed - A customer message the server refused (with Retry and Cancel).
 * @csspart quote - The message a reply quotes (above its bubble): `quote-author` and `quote-text`.
 * @csspart quote-author - Who wrote the quoted message.
 * @csspart quote-text - The excerpt of the quoted message (plain text).
 * @csspart bubble - The text bubble of a message; with `bubble--customer` or `bubble--agent` (and `bubble--bot`).
 * @csspart bubble--customer - The bubble of the customer's own message.
 * @csspart bubble--agent - The bubble of an agent's message (and of a bot message, with `bubble--bot`).
 * @csspart bubble--bot - The bubble of a message the channel's bot wrote (with `bubble--agent`).
 * @csspart link - A link in a message (http, https, mailto and tel only; opens in a new tab).
 * @csspart meta - Time and delivery state under a bubble.
 * @csspart message-actions - Retry and Cancel of a failed message.
 * @csspart typing - The "Erik is typing…" indicator.
 * @csspart confirm - The "End this chat?" confirmation.
 * @csspart attachments - The list of files of a message.
 * @csspart attachment - One file of a message (thumbnail, type icon, name, size, Download).
 * @csspart thumbnail - The thumbnail box of an image file (fixed size; the image is loaded lazily).
 * @csspart download - The Download button of a file.
 * @csspart file-name - A file name (stem and extension; the extension stays visible when cut).
 * @csspart composer - The message form.
 * @csspart attach - The Attach a file button.
 * @csspart emoji-button - Opens the emoji picker (Insert emoji).
 * @csspart emoji-picker - The emoji picker panel (top layer, above the composer).
 * @csspart emoji - One emoji in its grid.
 * @csspart files - The files of the composer: uploads, refusals and the files to send.
 * @csspart upload - A file being uploaded (progress bar and Cancel).
 * @csspart upload-refused - A file the server (or the known limits) refused, with the reason.
 * @csspart chip - An uploaded file that goes out with the next message (with Remove).
 * @csspart drop-zone - The drop zone shown over the panel while files are dragged over it.
 * @csspart input - The message text area.
 * @csspart send - The Send button.
 * @csspart counter - The character counter (shown near the limit).
 * @csspart ended - The block shown after the chat ended.
 * @csspart new-chat - The Start a new chat button.
 *
 * @cssproperty [--chat-visitor-launcher-background=var(--chat-color-accent)] - Launcher background.
 * @cssproperty [--chat-visitor-launcher-color=var(--chat-color-on-accent)] - Launcher text and icon colour.
 * @cssproperty [--chat-visitor-launcher-size=56px] - Launcher height (and width when the panel is open).
 * @cssproperty [--chat-visitor-header-background=var(--chat-color-accent)] - Panel header background.
 * @cssproperty [--chat-visitor-header-color=var(--chat-color-on-accent)] - Panel header text colour.
 * @cssproperty [--chat-visitor-panel-width=380px] - Panel width (capped at the viewport).
 * @cssproperty [--chat-visitor-panel-height=620px] - Panel height (capped at the viewport).
 * @cssproperty [--chat-visitor-offset=20px] - Distance from the right and bottom edges of the viewport.
 * @cssproperty [--chat-visitor-radius=14px] - Corner radius of the panel.
 * @cssproperty [--chat-visitor-z-index=2147483000] - Stacking order of the widget.
 * @cssproperty [--chat-visitor-agent-bubble=var(--chat-color-surface-alt)] - Background of the agent's bubbles.
 * @cssproperty [--chat-visitor-customer-bubble=var(--chat-color-accent)] - Background of the customer's own bubbles.
 * @cssproperty [--chat-visitor-customer-bubble-color=var(--chat-color-on-accent)] - Text colour of the customer's own bubbles.
 * @cssproperty [--chat-visitor-warning-background=#fff4e5] - Background of the connection banner (reconnecting, offline).
 * @cssproperty [--chat-visitor-warning-color=#6a3805] - Text colour of the connection banner.
 *
 * @cssstate open - The panel is open.
 * @cssstate queued - The customer waits for an agent.
 * @cssstate active - An agent is chatting with the customer.
 * @cssstate ended - The chat has ended.
 *
 * @fires {ChatSessionStartEvent} chat-session-start - The customer started a chat (`detail.sessionId`).
 * @fires {ChatSessionEndEvent} chat-session-end - The chat ended, by the agent or the customer (`detail.sessionId`).
 * @fires {ChatErrorEvent} chat-error - Loading the topics, starting or ending a chat, sending a message, uploading a file (refused) or getting a download link failed.
 */
export class ChatVisitor extends ChatElement {
  static override styles = [hostStyles, buttonStyles, visitorStyles, quoteStyles];

  /** The customer's chat: its state, messages, pending messages, typing, the connection (`client.views.visitorChat(id)`). */
  private readonly view = new StoreController<VisitorChatView>(this);

  /** Bumped whenever a client is attached or dropped, so a late import cannot attach a stale one. */
  private generation = 0;
  /** Position of the conversation already seen (announcements are for what comes after it). */
  private seen: { epoch: string | undefined; seq: number } | undefined;
  private lastStatus: VisitorState['status'] | undefined;
  private lastPosition: number | undefined;
  private readonly failedSeen = new Set<string>();
  private connectionWasLive = false;
  private connectionDown = false;
  private pendingEvents: Event[] = [];
  private focusAfterEnd = false;
  private stickToBottom = true;
  private lastTypingAt = 0;
  private typingOn = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The file UI (attach, uploads, files of messages); loaded with the client core. */
  /** The start form (topics, name, e-mail, first message). */
  private readonly form = new StartForm(this);
  private files: VisitorFiles | undefined;
  /** Safe auto-links for message text (src/internal/linkify.ts), loaded with the client core. */
  private linkify: ((text: string) => unknown[]) | undefined;

  @query('.launcher') private launcherButton?: HTMLButtonElement;
  @query('.messages') private messageList?: HTMLElement;

  /** The chat in progress (credentials from the server; also kept in sessionStorage). */
  @state() private session: VisitorSession | undefined;
  @state() private chat: ChatClient | undefined;
  @state() private draft = '';
  /** The emoji button and picker of the composer. */
  private readonly emoji = new VisitorEmoji(
    this,
    () => this.renderRoot.querySelector<HTMLTextAreaElement>('#input'),
    (text, start, end) => {
      this.draft = this.draft.slice(0, start) + text + this.draft.slice(end);
      this.typingChanged();
      const caret = start + text.length;
      void this.updateComplete.then(() => {
        const input = this.renderRoot.querySelector<HTMLTextAreaElement>('#input');
        input?.focus();
        input?.setSelectionRange(caret, caret);
      });
    },
  );
  /**
   * Messages written while the chat's client was still loading (at once after "Start chat"): shown
   * as waiting and handed to the client's outbox, in order, as soon as it exists.
   */
  @state() private early: OutboxItem[] = [];
  @state() private confirmingEnd = false;
  @state() private ending = false;
  @state() private endError = '';
  @state() private unread = 0;

  /** Base URL of the chat server; default: the page's origin. */
  @property({ attribute: 'server-url' }) serverUrl = '';

  /** Tenant (CRM installation) id. Required. */
  @property() tenant = '';

  /** Offer only this channel (topic) id; without it the customer picks one when there are several. */
  @property() channel = '';

  /** Whether the panel is open (reflected; set it to open or close the panel). */
  @property({ type: Boolean, reflect: true }) open = false;

  /**
   * A token the website signed for its signed-in customer (a JWT, HS256, with the tenant's
   * customer identity secret; docs/integration.md). Sent when a chat starts: the server checks it
   * and the agents see the customer as verified. Leave it empty for anonymous visitors.
   */
  @property({ attribute: 'identity-token' }) identityToken = '';

  /**
   * Where the offline form's request goes: a CRM provider of the website (its `createRequest`
   * answers with the request's number). Without one, the chat server creates it in its CRM.
   */
  @property({ attribute: false }) crmProvider: Pick<CrmProvider, 'createRequest'> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.tenant) warn('chat-visitor', 'tenant-missing', 'the tenant attribute is required (for example tenant="demo")');
    this.restore();
    document.addEventListener('keydown', this.onPageKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onPageKeydown);
    // The chat stays saved in sessionStorage; connecting again resumes it.
    this.detach();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const chat = this.chat;
    const sessionId = this.session?.sessionId;
    this.view.use(sessionId === undefined ? undefined : chat?.views.visitorChat(sessionId));

    if (changed.has('open') && this.open) {
      this.unread = 0;
      this.form.loadChannels(true);
    } else if (!this.open) {
      // Closed: the list (for the launcher's badge text) follows the widget's language.
      this.form.loadChannels(false, true);
    }
    const phase = this.phase();
    this.setCustomState('open', this.open);
    this.setCustomState('queued', phase === 'queued');
    this.setCustomState('active', phase === 'active');
    this.setCustomState('ended', phase === 'ended');
    this.follow(phase);
  }

  protected override updated(): void {
    for (const event of this.pendingEvents.splice(0)) this.dispatchEvent(event);
    // The channel's look (theme, colour, font), set by its managers: applied by the journey's part.
    this.journey?.applyLook(this.renderRoot.querySelector('.base'), this.form.lookChannel()?.look);
    const list = this.messageList;
    if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
    if (this.focusAfterEnd) {
      this.focusAfterEnd = false;
      this.focusInside('.new-chat');
    }
    const sessionId = this.session?.sessionId;
    if (this.open && sessionId && this.view.value?.messages?.ready) this.chat?.markRead(sessionId);
    if (this.view.value?.connection.status === 'auth-required' && this.session) {
      // The server no longer accepts this chat's token (expired or revoked): start over.
      queueMicrotask(() => {
        this.expire();
      });
    }
  }

  // ---- conversation bookkeeping ------------------------------------------------------------

  /** The customer's own name, as the server knows it. */
  private myName(): string {
    const me = this.view.value?.me;
    return me?.kind === 'customer' ? me.name : '';
  }

  private phase(): Phase {
    const session = this.session;
    if (!session) return 'form';
    const visitor = this.view.value?.visitor;
    if (!this.view.value?.messages?.ready || visitor?.sessionId !== session.sessionId) return 'connecting';
    if (visitor.status === 'queued') return 'queued';
    if (visitor.status === 'active') return 'active';
    return 'ended';
  }

  /** Announces what is new since the last update and turns store changes into events. */
  private follow(phase: Phase): void {
    const session = this.session;
    const m = session ? this.view.value?.messages : undefined;
    if (!session || !m?.ready) {
      this.followConnection();
      return;
    }
    const myName = this.myName();
    const seen = this.seen;
    if (seen === undefined || seen.epoch !== m.epoch) {
      // First snapshot (or a fresh one): this is history, not news.
      this.seen = { epoch: m.epoch, seq: m.seq };
    } else if (m.seq > seen.seq) {
      for (const item of m.items) {
        if (item.seq <= seen.seq) continue;
        if (item.kind === 'text' && item.author.kind === 'agent') {
          const names = (item.attachments ?? []).map((a) => a.name).join(', ');
          const said = names === '' ? item.text : `${item.text} ${t.filesSent(names)}`.trim();
          announce(t.messageFrom(item.author.name || t.agent(), said));
          if (!this.open) this.unread += 1;
        } else if (item.kind === 'event' && item.event !== 'queued') {
          announce(systemText(item, myName));
        }
      }
      this.seen = { epoch: m.epoch, seq: m.seq };
    }

    const status = this.view.value?.visitor?.status;
    if (phase !== 'connecting') {
      if ((this.lastStatus === 'queued' || this.lastStatus === 'active') && (status === 'ended' || status === 'missed')) {
        this.pendingEvents.push(new ChatSessionEndEvent({ sessionId: session.sessionId }));
        this.confirmingEnd = false;
        this.files?.reset();
        // Focus was in the composer, which is gone now: move it to "Start a new chat".
        const active = this.shadowRoot?.activeElement;
        if (active?.closest('.composer, .confirm')) this.focusAfterEnd = true;
      }
      this.lastStatus = status;
    }
    const position = phase === 'queued' ? this.view.value?.visitor?.position : undefined;
    if (position !== undefined && position !== this.lastPosition) announce(t.queue(position));
    this.lastPosition = position;

    for (const item of this.view.value?.pending ?? []) {
      if (item.sessionId !== session.sessionId || item.state !== 'failed' || this.failedSeen.has(item.cmid)) continue;
      this.failedSeen.add(item.cmid);
      announce(`${t.failedAnnouncement()} ${failureReason(item.error?.code)}`, { assertive: true });
      this.pendingEvents.push(new ChatErrorEvent({ code: item.error?.code ?? 'internal', message: failureReason(item.error?.code), recoverable: false }));
    }
    this.followConnection();
  }

  /** Says once that the connection was lost, and that it is back. */
  private followConnection(): void {
    const status = this.view.value?.connection.status;
    if (status === 'live') {
      if (this.connectionDown) announce(restoredText());
      this.connectionWasLive = true;
      this.connectionDown = false;
    } else if ((status === 'reconnecting' || status === 'offline') && this.connectionWasLive && !this.connectionDown) {
      this.connectionDown = true;
      announce(connectionText(status));
    }
  }

  // ---- session lifecycle -----------------------------------------------------------------

  private get server(): string {
    return normalizeServerUrl(this.serverUrl);
  }

  /** The channel of the chat (the one chosen in the start form), as the server described it. */
  private selectedChannel(): VisitorChannel | undefined {
    return this.form.selectedChannel();
  }

  /** The journey's parts (after the chat, the queue's wait), loaded with the start form. */
  private get journey() {
    return this.form.journey;
  }

  private get key(): string {
    return storageKey(this.server, this.tenant);
  }

  /** Resumes the chat saved in this tab, if any (the panel opens again). */
  private restore(): void {
    if (this.chat) return;
    const saved = this.session ?? (this.tenant ? loadSession(this.key) : undefined);
    if (!saved) return;
    this.session = saved;
    this.open = true;
    void this.attach(saved);
  }

  /** Loads the client core and connects it to the chat. */
  private async attach(session: VisitorSession): Promise<void> {
    const generation = ++this.generation;
    this.seen = undefined;
    this.lastStatus = undefined;
    this.lastPosition = undefined;
    this.failedSeen.clear();
    this.connectionWasLive = false;
    this.connectionDown = false;
    const loaded = await Promise.all([import('../../state/create-chat-client.js'), import('./chat-visitor.files.js'), import('../../internal/linkify.js')]).catch(
      () => undefined,
    );
    if (!loaded) {
      if (generation === this.generation) this.form.fail('offline', t.startOffline());
      if (this.draft === '') this.draft = this.early.map((m) => m.text).join('\n');
      this.early = [];
      return;
    }
    if (generation !== this.generation || !this.isConnected || this.session !== session) return;
    const [core, files, links] = loaded;
    this.linkify ??= links.linkify;
    const client = core.createChatClient({
      url: this.server,
      tenant: this.tenant,
      getToken: ticketProvider(this.server, session.token),
      // Uploads and download links use the customer's access token (Authorization: Bearer).
      getAccessToken: () => session.token,
      outboxKey: `customer:${session.sessionId}`,
      autoConnect: false,
    });
    this.files ??= new files.VisitorFiles({
      client: () => this.chat,
      sessionId: () => this.session?.sessionId,
      update: () => {
        this.requestUpdate();
      },
      rendered: () => this.updateComplete,
      dispatch: (event) => this.dispatchEvent(event),
      focus: (selector) => {
        this.focusInside(selector);
      },
      root: this.renderRoot as ShadowRoot,
    });
    client.openSession(session.sessionId);
    this.chat = client;
    client.connect();
    // Each is in the outbox (stored, shown by the client) before it leaves this list.
    while (this.early.length > 0 && this.chat === client) {
      const [item] = this.early;
      if (item) await client.send(item.sessionId, item.text).catch(() => undefined);
      this.early = this.early.slice(1);
    }
  }

  /** Keeps a message written before the chat's client exists (see `early`). */
  private sendEarly(sessionId: string, text: string): void {
    const at = Date.now();
    this.early = [...this.early, { cmid: `early-${String(at)}-${String(this.early.length)}`, sessionId, kind: 'text', text, createdAt: at, order: at, owner: '', state: 'queued' }];
  }

  /** Closes the client (the saved chat stays). */
  private detach(): void {
    this.generation += 1;
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    this.typingOn = false;
    this.files?.reset();
    this.chat?.destroy();
    this.chat = undefined;
  }

  /** Forgets the chat in this tab and shows the form again. */
  private forget(): void {
    clearSession(this.key);
    this.detach();
    this.session = undefined;
    this.draft = '';
    this.early = [];
    this.confirmingEnd = false;
    this.endError = '';
    this.form.error = '';
    this.form.reset();
    if (this.open) this.form.loadChannels(true);
  }

  private expire(): void {
    if (this.view.value?.connection.status !== 'auth-required' || !this.session) return;
    this.forget();
    this.form.error = t.expired();
    this.requestUpdate();
  }

  // ---- focus -------------------------------------------------------------------------------

  /** For the start form: the server's URL. @internal */
  chatServer(): string {
    return this.server;
  }

  /** For the start form: a chat started. @internal */
  async started(session: VisitorSession, firstMessage: string | undefined): Promise<void> {
    saveSession(this.key, session);
    this.session = session;
    this.dispatchEvent(new ChatSessionStartEvent({ sessionId: session.sessionId }));
    if (firstMessage !== undefined && firstMessage.trim() !== '') this.sendEarly(session.sessionId, firstMessage);
    void this.attach(session);
    await this.focusPanel();
  }

  /** Focuses the first element in the shadow root matching `selector`. @internal */
  focusInside(selector: string): void {
    const target = this.renderRoot.querySelector<HTMLElement>(selector);
    target?.focus();
  }

  /** Where focus goes when the panel opens or changes view. */
  private async focusPanel(): Promise<void> {
    await this.updateComplete;
    const phase = this.phase();
    if (phase === 'form') {
      const first = this.renderRoot.querySelector<HTMLElement>('.topic input:checked, #name');
      first?.focus();
    } else if (phase === 'ended') {
      this.focusInside('.new-chat');
    } else {
      this.focusInside('#input');
    }
  }

  // ---- handlers ------------------------------------------------------------------------------

  private onLauncherClick(): void {
    if (this.open) void this.close();
    else {
      this.open = true;
      void this.focusPanel();
    }
  }

  /** Closes the panel and gives focus back to the launcher. An ended chat is forgotten. */
  private async close(): Promise<void> {
    if (this.phase() === 'ended') this.forget();
    this.confirmingEnd = false;
    this.open = false;
    await this.updateComplete;
    this.launcherButton?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented || !this.open) return;
    event.preventDefault();
    if (this.confirmingEnd) {
      void this.cancelEnd();
      return;
    }
    void this.close();
  }

  /**
   * Escape on the host page, with focus outside the widget, minimises the open panel and leaves
   * focus where it is: what the panel covered (the focused link or button) shows again without
   * moving focus (WCAG 2.4.11, content opened by the user).
   */
  private readonly onPageKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented || !this.open || event.composedPath().includes(this)) return;
    this.confirmingEnd = false;
    this.open = false;
  };

  private onDraft(event: Event): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.typingChanged();
  }

  /** Tells the agent that the customer is typing, at most every TYPING_THROTTLE_MS, with the draft. */
  private typingChanged(): void {
    const sessionId = this.session?.sessionId;
    if (!sessionId || !this.chat) return;
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
    const sessionId = this.session?.sessionId;
    if (!sessionId || this.draft.trim() === '') return;
    this.lastTypingAt = Date.now();
    this.typingOn = true;
    this.chat?.typing(sessionId, true, this.draft.slice(0, MAX_TYPING_PREVIEW));
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    const sessionId = this.session?.sessionId;
    if (this.typingOn && sessionId) this.chat?.typing(sessionId, false);
    this.typingOn = false;
  }

  private onComposerKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    this.sendDraft();
  }

  private onComposerSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.sendDraft();
  }

  private sendDraft(): void {
    const sessionId = this.session?.sessionId;
    const chat = this.chat;
    const text = this.draft;
    const files = this.files;
    if (!sessionId || text.length > MAX_MESSAGE_TEXT) return;
    if (!chat) {
      // The chat is still starting (its client loads): the message waits for it, never lost.
      if (text.trim() === '') return;
      this.sendEarly(sessionId, text);
      this.draft = '';
      this.stickToBottom = true;
      return;
    }
    if (files?.busy) {
      // Files go out with the text: wait for their uploads (or a Cancel).
      announce(t.waitForUpload());
      return;
    }
    if (text.trim() === '' && !files?.readyCount) return;
    const attachments = files?.take() ?? [];
    this.draft = '';
    this.stickToBottom = true;
    this.stopTyping();
    chat
      .send(
        sessionId,
        text.trim() === '' ? '' : text,
        'text',
        attachments.map((a) => a.id),
      )
      .catch(() => {
        // Not stored (never happens once the client exists): give the text and files back.
        if (this.draft === '') this.draft = text;
        files?.restore(attachments);
      });
  }

  private onScroll(): void {
    const list = this.messageList;
    if (list) this.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  }

  private async askEnd(): Promise<void> {
    this.confirmingEnd = true;
    this.endError = '';
    await this.updateComplete;
    this.focusInside('.confirm-no');
  }

  /** Keep chatting (or Escape): the confirmation goes and focus returns to End chat, which opened it. */
  private async cancelEnd(): Promise<void> {
    this.confirmingEnd = false;
    this.endError = '';
    await this.updateComplete;
    this.focusInside('.end');
  }

  private async confirmEnd(): Promise<void> {
    const sessionId = this.session?.sessionId;
    if (!sessionId || !this.chat || this.ending) return;
    this.ending = true;
    this.endError = '';
    try {
      await this.chat.end(sessionId);
      this.confirmingEnd = false;
    } catch (error) {
      this.endError = t.endFailed();
      announce(this.endError, { assertive: true });
      const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'internal';
      this.dispatchEvent(new ChatErrorEvent({ code, message: this.endError, recoverable: true }));
    } finally {
      this.ending = false;
    }
  }

  private newChat(): void {
    this.forget();
    void this.focusPanel();
  }

  private retryMessage(cmid: string): void {
    this.failedSeen.delete(cmid);
    this.chat?.retry(cmid);
  }

  private cancelMessage(cmid: string): void {
    this.chat?.cancel(cmid);
    this.focusInside('#input');
  }

  private reconnect(): void {
    this.chat?.reconnect();
  }

  // ---- public --------------------------------------------------------------------------------

  /** The chat client of the conversation in progress (read-only; undefined before a chat starts). */
  get client(): ChatClient | undefined {
    return this.chat;
  }

  /** Opens the panel and moves focus into it (for a "Chat with us" link elsewhere on the page). */
  async show(): Promise<void> {
    this.open = true;
    await this.focusPanel();
  }

  /** Closes the panel; focus goes to the launcher. */
  async hide(): Promise<void> {
    await this.close();
  }

  // ---- rendering -----------------------------------------------------------------------------

  private renderLauncher() {
    const label = this.form.lookChannel()?.badge ?? t.launcher();
    return html`<button
      part="launcher"
      class="launcher"
      type="button"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-controls="panel"
      title=${this.open ? t.minimize() : nothing}
      @click=${this.onLauncherClick}
    >
      ${this.open ? icons.down : icons.chat}
      <span class=${this.open ? 'visually-hidden' : 'launcher-text'}>${label}</span>
      ${this.unread > 0 && !this.open
        ? html`<span part="badge" class="badge"><span class="visually-hidden">${t.newMessages()}</span> ${this.unread}</span>`
        : nothing}
    </button>`;
  }

  private renderHeader(phase: Phase) {
    const agentName = phase === 'active' || phase === 'ended' ? this.view.value?.visitor?.agentName : undefined;
    const channel = this.form.lookChannel();
    const look = channel?.look;
    const title = agentName ?? channel?.texts?.header ?? t.panelTitle();
    // The agent's initials once one joined (unless the channel hides them), else the channel's logo.
    const avatar = agentName && look?.agentPhoto !== false ? initials(agentName) : look?.logoUrl ? html`<img part="logo" class="logo" src=${look.logoUrl} alt="" referrerpolicy="no-referrer" />` : icons.chat;
    let status: string;
    switch (phase) {
      case 'form':
        status = t.subtitleForm();
        break;
      case 'connecting':
        status = connectionText(this.view.value?.connection.status ?? 'connecting') || t.connecting();
        break;
      case 'queued':
        status = t.queue(this.view.value?.visitor?.position);
        break;
      case 'active':
        status = t.subtitleActive();
        break;
      default:
        status = t.subtitleEnded();
    }
    const canEnd = (phase === 'queued' || phase === 'active') && !this.confirmingEnd;
    return html`<header part="header" class="header">
      <span part="avatar" class="avatar" aria-hidden="true">${avatar}</span>
      <div class="heading">
        <h2 id="title" part="title" class="title">${title}</h2>
        <p part="status" class="status" data-phase=${phase}>${status}</p>
      </div>
      ${canEnd ? html`<button part="end" class="btn header-btn end" type="button" @click=${this.askEnd}>${phase === 'queued' ? t.leaveQueue() : t.end()}</button>` : nothing}
      <button
        part="close"
        class="icon-btn close"
        type="button"
        aria-label=${phase === 'ended' ? t.close() : t.minimize()}
        title=${phase === 'ended' ? t.close() : t.minimize()}
        @click=${this.close}
      >
        ${icons.down}
      </button>
    </header>`;
  }

  private renderMessage(message: ChatMessage, previous: ChatMessage | undefined, last: boolean, myName: string) {
    const time = html`<time datetime=${new Date(message.at).toISOString()}>${formatTime(message.at)}</time>`;
    if (message.kind === 'event') {
      return html`<li part="message message--system" class="system">
        <span>${systemText(message, myName)}</span> <span class="system-time">${time}</span>
      </li>`;
    }
    const mine = message.author.kind === 'customer';
    // The channel's bot answered before the hand-off: its messages are marked as the bot's.
    const bot = isBotMessage(message);
    const author = mine ? t.you() : message.author.name || (bot ? t.bot() : t.agent());
    const sameRun = previous?.kind === message.kind && previous.author.kind === message.author.kind && previous.author.name === message.author.name;
    return html`<li part=${mine ? 'message message--customer' : bot ? 'message message--agent message--bot' : 'message message--agent'} class=${`msg ${mine ? 'msg--customer' : 'msg--agent'}${sameRun ? '' : ' msg--first'}`}>
      <span class=${mine || sameRun ? 'visually-hidden' : 'author'}>${author}${bot ? html` <span part="bot-badge" class="bot-badge">${t.bot()}</span>` : nothing}</span>
      ${renderQuote(message.quote, t.inReplyTo())}
      ${message.text !== '' || !message.attachments?.length ? html`<p part=${mine ? 'bubble bubble--customer' : bot ? 'bubble bubble--agent bubble--bot' : 'bubble bubble--agent'} class="bubble" dir="auto">${this.linkify ? this.linkify(message.text) : message.text}</p>` : nothing}
      ${this.files?.renderFiles(message.attachments) ?? nothing}
      <span part="meta" class="meta">${time}${mine && last ? html` · <span class="state">${icons.check} ${t.sent()}</span>` : nothing}</span>
    </li>`;
  }

  private renderPending(item: OutboxItem) {
    const failed = item.state === 'failed';
    const live = this.view.value?.connection.status === 'live';
    const stateText = failed ? t.notSent() : item.state === 'sent' ? t.sent() : live ? t.sending() : t.waiting();
    const time = html`<time datetime=${new Date(item.createdAt).toISOString()}>${formatTime(item.createdAt)}</time>`;
    return html`<li
      part=${failed ? 'message message--customer message--failed' : 'message message--customer message--pending'}
      class=${`msg msg--customer ${failed ? 'msg--failed' : 'msg--pending'}`}
    >
      <span class="visually-hidden">${t.you()}</span>
      ${item.text !== '' || !item.attachmentIds?.length ? html`<p part="bubble bubble--customer" class="bubble" dir="auto">${item.text}</p>` : nothing}
      ${this.files?.renderPendingFiles(item.attachmentIds) ?? nothing}
      <span part="meta" class="meta">
        ${time} ·
        <span class="state">${failed ? icons.error : item.state === 'sent' ? icons.check : icons.clock} ${stateText}</span>
        ${failed ? html`<span class="reason">${failureReason(item.error?.code)}</span>` : nothing}
      </span>
      ${failed
        ? html`<span part="message-actions" class="actions">
            <button class="btn small" type="button" @click=${() => { this.retryMessage(item.cmid); }}>${t.retry()}</button>
            <button class="btn small" type="button" @click=${() => { this.cancelMessage(item.cmid); }}>${t.cancel()}</button>
          </span>`
        : nothing}
    </li>`;
  }

  private renderConnection() {
    const status = this.view.value?.connection.status;
    if (status !== 'reconnecting' && status !== 'offline' && status !== 'fatal') return nothing;
    return html`<div part="connection" class="connection">
      <span>${connectionText(status, this.view.value?.connection.error)}</span>
      <button class="btn small" type="button" @click=${this.reconnect}>${retryLabel()}</button>
    </div>`;
  }

  private renderComposer() {
    const length = this.draft.length;
    const over = length - MAX_MESSAGE_TEXT;
    const showCounter = length >= COUNTER_FROM;
    const files = this.files;
    const empty = this.draft.trim() === '' && !files?.readyCount;
    return html`<form part="composer" class="composer" @submit=${this.onComposerSubmit}>
      ${files?.renderTray() ?? nothing} ${files?.renderAttach() ?? nothing} ${this.emoji.renderButton()} ${this.emoji.renderPanel()}
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
        @keydown=${this.onComposerKeydown}
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

  private renderChat(phase: Phase) {
    const sessionId = this.session?.sessionId ?? '';
    // Agent-only events never reach a customer socket; skip them should one appear anyway.
    const items = (this.view.value?.messages?.items ?? []).filter((m) => m.internal !== true);
    const myName = this.myName();
    const inStream = new Set(items.map((m) => m.cmid).filter((c) => c !== undefined));
    const pending = (this.view.value?.pending ?? []).filter((i) => i.sessionId === sessionId && !inStream.has(i.cmid));
    let lastMine = -1;
    items.forEach((m, i) => {
      if (m.kind === 'text' && m.author.kind === 'customer') lastMine = i;
    });
    const typing = this.view.value?.typing;
    const agentTyping = typing?.who.kind === 'agent' && phase === 'active' ? typing.who.name || t.agent() : undefined;
    const visitor = this.view.value?.visitor;
    const noAgent = phase === 'queued' && visitor?.available === false;
    const channel = this.selectedChannel();
    const wait = phase === 'queued' ? this.journey?.queueText(channel, visitor?.position, visitor?.expectedWaitMs) : undefined;
    return html`<div class="chat">
      ${this.renderConnection()}
      ${wait ? html`<p part="wait" class="notice wait">${wait}</p>` : nothing}
      ${noAgent ? html`<p part="notice" class="notice">${t.noAgent()}</p>` : nothing}
      <ol part="messages" class="messages" aria-label=${t.conversation()} tabindex="0" @scroll=${this.onScroll}>
        ${items.map((m, i) => this.renderMessage(m, items[i - 1], i === lastMine && pending.length === 0, myName))}
        ${[...pending, ...this.early.filter((i) => i.sessionId === sessionId)].map((item) => this.renderPending(item))}
      </ol>
      ${agentTyping
        ? html`<p part="typing" class="typing"><span class="dots" aria-hidden="true"><span></span><span></span><span></span></span>${t.typing(agentTyping)}</p>`
        : nothing}
      ${this.confirmingEnd && phase !== 'ended'
        ? html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-title" aria-describedby="confirm-hint">
            <p id="confirm-title" class="confirm-title">${t.confirmEnd()}</p>
            <p id="confirm-hint" class="confirm-hint">${t.confirmEndHint()}</p>
            ${this.endError ? html`<p class="form-error">${icons.error} <span>${this.endError}</span></p>` : nothing}
            <div class="confirm-actions">
              <button class="btn btn--primary confirm-yes" type="button" aria-disabled=${this.ending ? 'true' : 'false'} @click=${this.confirmEnd}>${t.confirmEndYes()}</button>
              <button class="btn confirm-no" type="button" @click=${this.cancelEnd}>${t.keepChatting()}</button>
            </div>
          </div>`
        : nothing}
      ${phase === 'ended'
        ? html`<div part="ended" class="ended">
            <p class="ended-title">${channel?.texts?.postChatHeader ?? t.ended()}</p>
            <p class="ended-hint">${channel?.texts?.postChatMessage ?? t.endedHint()}</p>
            ${this.session && this.journey
              ? this.journey.renderAfter(
                  channel,
                  this.session,
                  [...items].reverse().find((m) => m.kind === 'event' && (m.event === 'ended' || m.event === 'left'))?.at,
                  items.some((m) => m.kind === 'event' && m.event === 'joined'),
                  Date.now(),
                )
              : nothing}
            <button part="new-chat" class="btn btn--primary new-chat" type="button" @click=${this.newChat}>${t.newChat()}</button>
          </div>`
        : this.confirmingEnd
          ? nothing
          : this.renderComposer()}
    </div>`;
  }

  override render() {
    const phase = this.phase();
    // Files can be dropped while the customer can write (queued or active).
    const files = (phase === 'queued' || phase === 'active') && !this.confirmingEnd ? this.files : undefined;
    return html`<div part="base" class=${this.open ? 'base open' : 'base'} @keydown=${this.onKeydown}>
      ${this.renderLauncher()}
      <section
        id="panel"
        part="panel"
        class="panel"
        aria-labelledby="title"
        ?hidden=${!this.open}
        @dragenter=${files?.drop.onDragEnter}
        @dragover=${files?.drop.onDragOver}
        @dragleave=${files?.drop.onDragLeave}
        @drop=${files?.drop.onDrop}
      >
        ${this.renderHeader(phase)} ${phase === 'form' ? this.form.render() : this.renderChat(phase)} ${files?.renderDropZone() ?? nothing}
      </section>
    </div>`;
  }
}
