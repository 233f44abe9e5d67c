import type { PropertyValues } from 'lit';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import { ChatSessionStartEvent } from '../../events/chat-session-start-event.js';
import { ChatElement } from '../../internal/chat-element.js';
import { warn } from '../../internal/dev.js';
import { StoreController } from '../../internal/store-controller.js';
// Types only: the client core (~14 kB) is loaded with import() when a chat starts or is restored.
import type { ChatClient } from '../../state/create-chat-client.js';
import type { VisitorChatView } from '../../state/views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { typingDotsStyles } from '../../styles/typing.styles.js';
import type { VisitorSession } from '../../state/visitor-http.js';
import { clearSession, loadSession, normalizeServerUrl, saveSession, storageKey, ticketProvider } from '../../state/visitor-http.js';
import type { CrmProvider } from '../../crm/types.js';
// Types only: the file UI is loaded with import() together with the client core.
import type { VisitorFiles } from './visitor-files.js';
import type { VisitorQuote } from './visitor-quote.js';
import { t } from './visitor-texts.js';
import { StartForm } from './visitor-start-form.js';
import type { Phase } from './visitor-follow.js';
import { VisitorFollow, phaseOf } from './visitor-follow.js';
import { VisitorEnd } from './visitor-end.js';
import { renderHeader, renderLauncher } from './visitor-header.js';
import type { VisitorInvite } from './visitor-invite.js';
import { VisitorLook } from './visitor-look.js';
import { VisitorComposer } from './visitor-composer.js';
import type { ChatContext } from './visitor-messages.js';
import { renderChat } from './visitor-messages.js';
import { quoteStyles } from '../../internal/message-quote.js';
import { visitorStyles } from './chat-visitor.styles.js';
import { visitorChatStyles } from './visitor-chat.styles.js';

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
 * @csspart quote-action - "Quote" in a message's line, while the composer is shown: the next message quotes it (issue 18).
 * @csspart composer-quote - The message the next one quotes, above the text area (with `quote`, `quote-author`, `quote-text`).
 * @csspart quote-remove - Removes that quote.
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
 * @csspart invitation - A proactive invitation's message at the top of the panel (the channel's rule).
 * @csspart invitation-dismiss - Its No thanks button (no invitation again that day).
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
  static override styles = [hostStyles, buttonStyles, visitorStyles, typingDotsStyles, visitorChatStyles, quoteStyles];

  /** The customer's chat: its state, messages, pending messages, typing, the connection (`client.views.visitorChat(id)`). */
  private readonly view = new StoreController<VisitorChatView>(this);

  /** Bumped whenever a client is attached or dropped, so a late import cannot attach a stale one. */
  private generation = 0;
  private pendingEvents: Event[] = [];
  /** Announcements and events as the conversation changes. */
  private readonly follower = new VisitorFollow({
    agentMessage: () => {
      if (!this.open) this.unread += 1;
    },
    ended: () => {
      this.end.dismiss();
      this.files?.reset();
      // Focus was in the composer, which is gone now: move it to "Start a new chat".
      const active = this.shadowRoot?.activeElement;
      if (active?.closest('.composer, .confirm')) this.focusAfterEnd = true;
    },
    fire: (event) => this.pendingEvents.push(event),
  });
  private focusAfterEnd = false;
  private stickToBottom = true;
  /** The start form (topics, name, e-mail, first message). */
  private readonly form = new StartForm(this);
  /**
   * Proactive invitations: the channel's rules for this page. Loaded (visitor-invite.ts) once a
   * channel offered here has rules, so that a site without invitations does not carry them.
   */
  private invite: VisitorInvite | undefined;
  private inviteLoad: Promise<void> | undefined;
  /** The channel's look (theme, colour, font), set by its managers; from before the panel first opens. */
  private readonly look = new VisitorLook(this, () => this.renderRoot.querySelector('.base'), () => this.form.lookChannel()?.look);
  /** The file UI (attach, uploads, files of messages); loaded with the client core. */
  private files: VisitorFiles | undefined;
  /** Quoting a message in the next one (issue 18; loaded with the client core). */
  private quote: VisitorQuote | undefined;
  /** Safe auto-links for message text (src/internal/linkify.ts), loaded with the client core. */
  private linkify: ((text: string) => unknown[]) | undefined;

  @query('.launcher') private launcherButton?: HTMLButtonElement;
  @query('.messages') private messageList?: HTMLElement;

  /** The chat in progress (credentials from the server; also kept in sessionStorage). */
  @state() private session: VisitorSession | undefined;
  @state() private chat: ChatClient | undefined;
  /** The draft, typing, emoji and the messages written while the client loads. */
  private readonly composer = new VisitorComposer(this, {
    sessionId: () => this.session?.sessionId,
    chat: () => this.chat,
    files: () => this.files,
    quote: () => this.quote,
    sent: () => {
      this.stickToBottom = true;
    },
  });
  /** End chat and its confirmation. */
  private readonly end = new VisitorEnd(this, () => {
    const sessionId = this.session?.sessionId;
    return sessionId && this.chat ? { client: this.chat, sessionId } : undefined;
  });
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
    this.follower.follow(this.view.value, this.session?.sessionId, phase);
  }

  protected override updated(): void {
    for (const event of this.pendingEvents.splice(0)) this.dispatchEvent(event);
    this.loadInvitations();
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

  private phase(): Phase {
    return phaseOf(this.session?.sessionId, this.view.value);
  }

  // ---- session lifecycle -----------------------------------------------------------------

  private get server(): string {
    return normalizeServerUrl(this.serverUrl);
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
    this.follower.reset();
    const loaded = await Promise.all([
      import('../../state/create-chat-client.js'),
      import('./visitor-files.js'),
      import('../../internal/linkify.js'),
      import('./visitor-quote.js'),
    ]).catch(
      () => undefined,
    );
    if (!loaded) {
      if (generation === this.generation) this.form.fail('offline', t.startOffline());
      this.composer.restoreEarly();
      return;
    }
    if (generation !== this.generation || !this.isConnected || this.session !== session) return;
    const [core, files, links, quote] = loaded;
    this.quote ??= new quote.VisitorQuote({
      root: this.renderRoot as ShadowRoot,
      update: () => {
        this.requestUpdate();
      },
      focusInput: () => {
        this.focusInside('#input');
      },
      authorOf: (m) => (m.author.kind === 'customer' ? t.you() : m.author.name || t.agent()),
    });
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
    await this.composer.flushEarly(client);
  }

  /** Closes the client (the saved chat stays). */
  private detach(): void {
    this.generation += 1;
    this.composer.detach();
    this.files?.reset();
    this.chat?.destroy();
    this.chat = undefined;
  }

  /** Forgets the chat in this tab and shows the form again. */
  private forget(): void {
    clearSession(this.key);
    this.detach();
    this.session = undefined;
    this.composer.clear();
    this.end.dismiss();
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
    this.invite?.accepted();
    saveSession(this.key, session);
    this.session = session;
    this.dispatchEvent(new ChatSessionStartEvent({ sessionId: session.sessionId }));
    if (firstMessage !== undefined && firstMessage.trim() !== '') this.composer.sendEarly(session.sessionId, firstMessage);
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

  /** Loads the invitations' controller the first time a channel offered here has rules. */
  private loadInvitations(): void {
    if (this.inviteLoad || !this.form.offered().some((c) => (c.invitations?.length ?? 0) > 0)) return;
    this.inviteLoad = import('./visitor-invite.js').then(
      ({ VisitorInvite }) => {
        // addController runs hostConnected at once on a connected host; the update runs hostUpdated.
        this.invite = new VisitorInvite(
          this,
          () => this.form.offered(),
          () => this.session !== undefined,
          (id) => {
            this.form.choose(id);
          },
        );
        this.requestUpdate();
      },
      () => {
        warn('chat-visitor', 'invitations-not-loaded', 'The proactive invitations could not be loaded; the widget works without them.');
      },
    );
  }

  /** Closes the panel and gives focus back to the launcher. An ended chat is forgotten. */
  private async close(): Promise<void> {
    this.invite?.dismiss();
    if (this.phase() === 'ended') this.forget();
    this.end.dismiss();
    this.open = false;
    await this.updateComplete;
    this.launcherButton?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented || !this.open) return;
    event.preventDefault();
    if (this.end.confirming) {
      void this.end.cancel();
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
    this.end.dismiss();
    this.invite?.dismiss();
    this.open = false;
  };

  private readonly onScroll = (): void => {
    const list = this.messageList;
    if (list) this.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  };

  private readonly newChat = (): void => {
    this.forget();
    void this.focusPanel();
  };

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

  private chatContext(phase: Phase): ChatContext {
    const session = this.session;
    return {
      phase,
      view: this.view.value,
      session,
      channel: this.form.selectedChannel(),
      journey: this.journey,
      composer: this.composer,
      end: this.end,
      linkify: this.linkify,
      files: this.files,
      retry: (cmid) => {
        this.follower.retried(cmid);
        this.chat?.retry(cmid);
      },
      cancel: (cmid) => {
        this.chat?.cancel(cmid);
        this.focusInside('#input');
      },
      reconnect: () => this.chat?.reconnect(),
      onScroll: this.onScroll,
      newChat: this.newChat,
    };
  }

  override render() {
    const phase = this.phase();
    // Files can be dropped while the customer can write (queued or active).
    const files = (phase === 'queued' || phase === 'active') && !this.end.confirming ? this.files : undefined;
    const visitor = this.view.value?.visitor;
    return html`<div part="base" class=${this.open ? 'base open' : 'base'} ?data-look-pending=${this.form.lookPending()} @keydown=${this.onKeydown}>
      ${renderLauncher(this.open, this.form.lookChannel(), this.unread, this.onLauncherClick)}
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
        ${renderHeader({
          phase,
          channel: this.form.lookChannel(),
          agentName: phase === 'active' || phase === 'ended' ? visitor?.agentName : undefined,
          connection: this.view.value?.connection.status,
          position: visitor?.position,
          canEnd: (phase === 'queued' || phase === 'active') && !this.end.confirming,
          onEnd: this.end.ask,
          onClose: this.close,
        })}
        ${phase === 'form' ? html`${this.invite?.render(this.close) ?? nothing}${this.form.render()}` : renderChat(this.chatContext(phase))} ${files?.renderDropZone() ?? nothing}
      </section>
    </div>`;
  }
}
