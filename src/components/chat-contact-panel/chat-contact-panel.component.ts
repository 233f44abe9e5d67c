import { consume } from '@lit/context';
import type { PropertyValues, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';

import { msg, str } from '../../i18n/localization.js';
import type { CrmContact, CrmContactSummary, CrmCustomer, CrmMatch, CrmMatchReason, CrmProvider, CrmSessionLink } from '../../crm/types.js';
import { formatPhone as formatE164, loadPhoneFormatting, phoneFormattingLoaded } from '../../crm/phone.js';
import { ChatContactLinkEvent } from '../../events/chat-contact-link-event.js';
import type { ChatRequestCreateDetail } from '../../events/chat-request-create-event.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { identityBadgeStyles } from '../../internal/identity-badge.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { SelectedView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { contactPanelStyles } from './chat-contact-panel.styles.js';
import { AutoLink, autoLinkStyles } from './auto-link.js';
import { ContactCard } from './contact-card.js';
import { ContactForm } from './contact-form.js';
import { renderChatCustomer, renderError, renderSkeleton } from './contact-parts.js';
import { ContactSearch } from './contact-search.js';
import type { Load } from './contact-texts.js';
import { aborted, errorText, fullName, identifyingName, isAbort, reasonText } from './contact-texts.js';
import { CrmLoad } from './crm-load.js';
import type { ContactLists, ContactRef } from './contact-lists.js';
import { listsKey, loadLists, saveLists, toggleFavourite, withRecent } from './contact-lists.js';

export { clearContactPanelStorage } from './contact-lists.js';

/**
 * @summary The CRM side panel of a chat: who the customer could be ("This contact could be…", with the
 * reason for each match), one-click linking, search with recent contacts and favourites, a form that
 * creates a contact (and a company), and, once linked, the contact card with requests, sales,
 * activities and earlier chats. Talks to the CRM only through its `provider` (a `CrmProvider`).
 * @tag chat-contact-panel
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The whole panel.
 * @csspart heading - The panel heading.
 * @csspart customer - What the chat knows about the customer (name, e-mail, phone, and the pre-chat form's company and consent).
 * @csspart company - The company the customer gave in the channel's pre-chat form.
 * @csspart consent - When the customer accepted the channel's consent text.
 * @csspart identity - The customer's Verified or Unverified badge.
 * @csspart identity--verified - The badge of a verified customer.
 * @csspart identity--unverified - The badge of a customer whose identity token did not verify.
 * @csspart claimed - What an identity token that did not verify claimed (shown as text, never matched).
 * @csspart matches - The list of possible contacts.
 * @csspart item - A contact in a list (matches, search results, recent, favourites).
 * @csspart reason - Why a contact matches ("Same e-mail").
 * @csspart auto-link - The bar saying the chat was linked by itself (a returning customer's e-mail), with Undo.
 * @csspart auto-link-undo - Undo in that bar (takes the link away; needs `provider.unlinkSession`).
 * @csspart link-button - The Link button of a contact.
 * @csspart favourite-button - The star that adds a contact to the favourites (also `favourite-button--on`).
 * @csspart search - The search field and its results.
 * @csspart search-input - The search field.
 * @csspart create-button - The "Create new contact" button.
 * @csspart form - The new-contact form.
 * @csspart field-error - The error text under a form field.
 * @csspart duplicate-warning - The "possible duplicate" notice of the form.
 * @csspart card - The linked contact.
 * @csspart card-name - The contact's name on the card.
 * @csspart open-button - The "Open in CRM" button.
 * @csspart change-button - The "Change contact" button.
 * @csspart section - A list of requests, sales, activities or chats (also `section--requests`, `section--sales`, `section--activities`, `section--chats`).
 * @csspart transcript - The dialog with an earlier chat's transcript.
 * @csspart skeleton - The placeholder shown while something loads.
 * @csspart empty - Text shown when a list is empty or no chat is selected.
 * @csspart error - An error message (with Retry).
 * @csspart retry - A Retry button.
 *
 * @cssproperty [--chat-contact-panel-padding=12px] - Space around the panel's content.
 * @cssproperty [--chat-contact-panel-reason-background=var(--chat-color-accent-soft)] - Background of the match reasons.
 * @cssproperty [--chat-contact-panel-warning-background=#fff4e5] - Background of the possible-duplicate notice.
 * @cssproperty [--chat-contact-panel-skeleton-color=var(--chat-color-surface-alt)] - Colour of the loading placeholders.
 * @cssproperty [--chat-identity-verified-background=#e3f4ea] - Background of the customer's Verified badge.
 * @cssproperty [--chat-identity-verified-color=#14532d] - Text of the Verified badge.
 * @cssproperty [--chat-identity-unverified-background=#fff4e5] - Background of the Unverified badge.
 * @cssproperty [--chat-identity-unverified-color=#7a3e00] - Text of the Unverified badge.
 *
 * @cssstate empty - No chat is selected (or no provider is set).
 * @cssstate loading - The chat's link or the contact is loading.
 * @cssstate matches - The chat is not linked: matches, search and the create button are shown.
 * @cssstate create - The new-contact form is shown.
 * @cssstate linked - The chat is linked: the contact card is shown.
 * @cssstate error - The link, the matches or the contact could not be loaded.
 *
 * @fires {ChatContactLinkEvent} chat-contact-link - The chat was linked to a contact (existing or new).
 * @fires {ChatContactOpenEvent} chat-contact-open - The agent clicked "Open in CRM"; the host shows the contact. Cancelable.
 */
export class ChatContactPanel extends ChatElement {
  static override styles = [hostStyles, buttonStyles, contactPanelStyles, identityBadgeStyles, autoLinkStyles];

  /** The chat shown: the selected one (`agentViews(client).selected`), or the `session-id` one's state (`agentViews(client).sessionState(id)`). */
  private readonly selected = new StoreController<SelectedView>(this);
  private readonly shown = new StoreController<SessionSummary | undefined>(this);
  private readonly me = new StoreController<AgentMe | undefined>(this);
  /** Aborts what belongs to the current chat (and provider) outside the loads: linking, creating. */
  private abort = new AbortController();
  /** Chat and provider the state below belongs to. */
  private loadedFor: { sessionId: string | undefined; provider: CrmProvider | undefined } = { sessionId: undefined, provider: undefined };
  private storageKey = '';
  /** CSS selector of the element to focus after the next update. */
  private focusNext: string | undefined;

  /** The "Create contact" form. */
  private readonly form = new ContactForm(this);
  /** Links a returning customer's chat by itself (same e-mail, linked before) and offers Undo. */
  private readonly autoLink = new AutoLink(this);
  /** The linked contact's card, sections and transcripts. */
  private readonly card = new ContactCard(this);
  /** "Search another contact", with the favourites and recent contacts. */
  private readonly search = new ContactSearch(this);
  /** The chat's link in the CRM: then the card, or the matches when there is none. */
  private readonly linkLoad = new CrmLoad<[CrmProvider, string], CrmSessionLink | null>(
    this,
    ([provider, sessionId], signal) => provider.getSessionLink(sessionId, signal),
    (link) => {
      if (link) this.card.load(link.contactId);
      else this.loadMatches();
    },
  );
  /** Who the customer could be (`findMatches`); none for a chat the client does not know. */
  private readonly matchLoad = new CrmLoad<[CrmProvider, CrmCustomer | undefined, string | undefined, string | undefined], CrmMatch[]>(
    this,
    ([provider, customer], signal) => (customer ? provider.findMatches(customer, signal) : Promise.resolve([])),
    (matches, [, , sessionId, email]) => {
      // Only a chat with no link at all (not one whose contact the agent is changing).
      const unlinked = this.link.state === 'ready' && this.link.value === null && !this.changing;
      const only = unlinked && sessionId !== undefined ? this.autoLink.pick(sessionId, email, matches) : undefined;
      if (only && sessionId !== undefined) void this.autoLink.link(sessionId, this.refOf(only.contact), this.abort.signal);
    },
  );
  /** The link as changed here since it loaded (linked, undone); undefined: as loaded. */
  @state() private linkSet: { contactId: string } | null | undefined;
  /** The shown chat's status at the last update (to see it end). */
  private statusSeen: { sessionId: string | undefined; status: string | undefined } = { sessionId: undefined, status: undefined };
  /** Picking another contact for a linked chat. */
  @state() private changing = false;
  @state() private linking: string | undefined;
  @state() private linkError = '';
  @state() private lists: ContactLists = { recent: [], favourites: [] };

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** The CRM behind the panel (for example `createRestCrmProvider(…)`). Without it the panel shows a notice. */
  @property({ attribute: false }) provider?: CrmProvider;

  /** The chat to show; when unset, the panel follows the client's selected chat (`$selectedSessionId`). */
  @property({ attribute: 'session-id' }) sessionId?: string;

  /** Where the panel hears `chat-request-create` from the conversation beside it (its own root: chat-window's, or the page). */
  private requestsFrom?: Node;

  /** A request was created from a chat (the conversation's "Create request"): the linked contact's requests load again. */
  private readonly onRequestCreate = (event: Event): void => {
    const contactId = (event as Event & { detail?: Partial<ChatRequestCreateDetail> }).detail?.contactId;
    if (contactId !== undefined && contactId === this.linkedContactId()) this.card.refreshRequests(contactId);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestsFrom = this.getRootNode();
    this.requestsFrom.addEventListener('chat-request-create', this.onRequestCreate);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.requestsFrom?.removeEventListener('chat-request-create', this.onRequestCreate);
    this.reset();
    // Reconnecting starts over.
    this.loadedFor = { sessionId: undefined, provider: undefined };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const views = this.client && agentViews(this.client);
    this.selected.use(this.sessionId === undefined ? views?.selected : undefined);
    this.shown.use(this.sessionId === undefined ? undefined : views?.sessionState(this.sessionId));
    this.me.use(this.client?.$agentMe);
    const me = this.me.value;
    const key = listsKey(me?.tenantId ?? this.client?.options.tenant ?? '', me?.id ?? 'anonymous');
    if (key !== this.storageKey) {
      this.storageKey = key;
      this.lists = loadLists(key);
    }
    const sessionId = this.currentSessionId;
    if (changed.has('provider') || sessionId !== this.loadedFor.sessionId || this.provider !== this.loadedFor.provider) {
      if (sessionId !== this.loadedFor.sessionId || this.provider !== this.loadedFor.provider) {
        this.loadedFor = { sessionId, provider: this.provider };
        this.reset();
        if (sessionId !== undefined && this.provider) this.loadLink();
      }
    }
    this.refreshAfterEnd(sessionId);
    const linked = this.link.state === 'ready' && this.link.value !== null;
    const failed = this.link.state === 'error' || (!linked && this.matchLoad.state.state === 'error') || (linked && this.card.contact.state === 'error');
    this.setCustomState('empty', sessionId === undefined || !this.provider);
    this.setCustomState('loading', this.link.state === 'loading' || (linked && this.card.contact.state === 'loading'));
    this.setCustomState('linked', linked && !this.changing);
    this.setCustomState('create', this.form.isOpen);
    this.setCustomState('matches', this.link.state === 'ready' && (!linked || this.changing) && !this.form.isOpen);
    this.setCustomState('error', failed);
  }

  protected override updated(): void {
    if (this.focusNext) {
      // The target may appear only after a load (the card after the contact): keep waiting for it.
      const target = this.renderRoot.querySelector<HTMLElement>(this.focusNext);
      if (target) {
        this.focusNext = undefined;
        target.focus();
      }
    }
  }

  /** The chat's link: loading, none (null), the contact, or why it could not be loaded. */
  private get link(): Load<{ contactId: string } | null> {
    if (this.linkSet !== undefined) return { state: 'ready', value: this.linkSet };
    const load = this.linkLoad.state;
    return load.state === 'ready' ? { state: 'ready', value: load.value ? { contactId: load.value.contactId } : null } : load;
  }

  private get currentSessionId(): string | undefined {
    return this.sessionId ?? this.selected.value?.id;
  }

  private get session(): SessionSummary | undefined {
    return this.sessionId === undefined ? this.selected.value?.session : this.shown.value;
  }

  /** Stops every load and forgets the state of the previous chat. */
  private reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.card.reset();
    this.search.reset();
    this.linkLoad.stop();
    this.matchLoad.stop();
    this.linkSet = undefined;
    this.changing = false;
    this.form.reset();
    this.linking = undefined;
    this.linkError = '';
    this.autoLink.reset();
    this.focusNext = undefined;
  }

  // ---- loading ------------------------------------------------------------------------------

  private loadLink(): void {
    const provider = this.provider;
    const sessionId = this.currentSessionId;
    if (!provider || sessionId === undefined) return;
    this.linkSet = undefined;
    this.linkLoad.run(provider, sessionId);
  }

  private loadMatches(): void {
    const provider = this.provider;
    if (!provider) return;
    // A chat the client does not know: nothing to match on; search and create still work.
    const session = this.session;
    // Only an identity the server verified is matched on first; unverified claims never are.
    const identity = session?.identity?.verified === true && session.identity.externalId !== undefined ? session.identity : undefined;
    const customer: CrmCustomer | undefined = session && {
      name: session.customer.name,
      email: session.customer.email,
      phone: session.customer.phone,
      ...(identity?.externalId !== undefined ? { verified: { externalId: identity.externalId, ...(identity.email !== undefined ? { email: identity.email } : {}) } } : {}),
    };
    this.matchLoad.run(provider, customer, session ? this.currentSessionId : undefined, session?.customer.email);
  }

  /**
   * The shown chat just ended: the CRM has recorded it (an activity, the chat in the contact's
   * history), so the linked contact's activities and chats are loaded again.
   */
  private refreshAfterEnd(sessionId: string | undefined): void {
    const status = this.session?.status;
    const seen = this.statusSeen;
    this.statusSeen = { sessionId, status };
    if (seen.sessionId !== sessionId || status === seen.status) return;
    if (status !== 'ended' && status !== 'missed') return;
    if (seen.status !== 'active' && seen.status !== 'queued') return;
    const contactId = this.linkedContactId();
    if (contactId !== undefined) this.card.refreshAfterEnd(contactId);
  }

  /** For the card: the contact the chat is linked to. @internal */
  linkedContactId(): string | undefined {
    return this.link.state === 'ready' ? this.link.value?.contactId : undefined;
  }

  // ---- linking --------------------------------------------------------------------------------

  private async linkTo(contact: { id: string; name: string; company?: string | undefined }): Promise<void> {
    const provider = this.provider;
    const sessionId = this.currentSessionId;
    if (!provider || sessionId === undefined || this.linking !== undefined) return;
    const signal = this.abort.signal;
    this.linking = contact.id;
    this.linkError = '';
    try {
      await provider.linkSession(sessionId, contact.id, signal);
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      this.linking = undefined;
      this.linkError = msg(str`${contact.name} could not be linked: ${errorText(error)}`, { id: 'chat-contact-panel.link.error' });
      announce(this.linkError, { assertive: true });
      return;
    }
    if (aborted(signal)) return;
    this.linking = undefined;
    this.linked(sessionId, contact);
  }

  /** The chat is linked now: show the card, remember the contact, tell the host (by itself: no focus move, AutoLink says so). */
  private linked(sessionId: string, contact: ContactRef, auto = false): void {
    this.changing = false;
    this.form.isOpen = false;
    this.linkSet = { contactId: contact.id };
    this.updateLists(withRecent(this.lists, contact));
    this.card.load(contact.id);
    if (!auto) {
      this.focusNext = '#card-heading';
      announce(msg(str`${contact.name} is linked to this chat.`, { id: 'chat-contact-panel.link.done' }));
    }
    this.dispatchEvent(new ChatContactLinkEvent({ sessionId, contactId: contact.id }));
  }

  /** For AutoLink: the chat was linked by itself. @internal */
  autoLinked(sessionId: string, contact: ContactRef): void {
    if (sessionId === this.currentSessionId) this.linked(sessionId, contact, true);
  }

  /** For AutoLink: Undo took the link away; the matches show again. @internal */
  unlinked(sessionId: string): void {
    if (sessionId !== this.currentSessionId) return;
    this.card.unload();
    this.linkSet = null;
    this.focusNext = '#matches-heading';
  }

  private updateLists(lists: ContactLists): void {
    this.lists = lists;
    saveLists(this.storageKey, lists);
  }

  /** A contact as kept in the lists. @internal */
  refOf(c: CrmContactSummary): ContactRef {
    return { id: c.id, name: fullName(c), company: c.company?.name };
  }

  /** For the search: the favourites and recent contacts. @internal */
  contactLists(): ContactLists {
    return this.lists;
  }

  // ---- create form --------------------------------------------------------------------------

  private onCreateClick(): void {
    this.form.open(this.session?.customer);
  }

  /** For the form: the chat shown. @internal */
  shownSessionId(): string | undefined {
    return this.currentSessionId;
  }

  /** For the form: aborts when the chat changes. @internal */
  signal(): AbortSignal {
    return this.abort.signal;
  }

  /** For the form: focus goes there after the next render. @internal */
  focusAfterRender(selector: string): void {
    this.focusNext = selector;
  }

  /** For the form: a contact was created (and linked, unless `linkError`). @internal */
  contactCreated(sessionId: string, contact: CrmContact, linkError: unknown): void {
    const ref = this.refOf(contact);
    if (linkError === undefined) {
      this.linked(sessionId, ref);
      return;
    }
    // The contact exists now; linking can be retried from the search.
    this.updateLists(withRecent(this.lists, ref));
    this.linkError = msg(str`${ref.name} was created but could not be linked: ${errorText(linkError)}`, { id: 'chat-contact-panel.form.error.link' });
    announce(this.linkError, { assertive: true });
  }

  // ---- card, transcript -------------------------------------------------------------------------

  /** For the card: "Change contact" opens the picker. @internal */
  startChange(): void {
    this.changing = true;
    if (!this.matchLoad.ready) this.loadMatches();
    this.focusNext = '#matches-heading';
  }

  private cancelChange(): void {
    this.changing = false;
    this.linkError = '';
    this.focusNext = '#change-button';
  }

  // ---- rendering ------------------------------------------------------------------------------

  /**
   * A phone number grouped as written in its country (libphonenumber-js, a chunk of its own loaded
   * the first time a number is shown; the panel re-renders when it has arrived, E.164 until then).
   * For the card too. @internal
   */
  phone(e164: string): string {
    if (!phoneFormattingLoaded()) void loadPhoneFormatting().then(() => {
      this.requestUpdate();
    });
    return formatE164(e164);
  }

  /** The star of a contact. @internal */
  renderFavourite(ref: ContactRef) {
    const on = this.lists.favourites.some((f) => f.id === ref.id);
    const who = identifyingName(ref);
    const label = on
      ? msg(str`Remove ${who} from favourites`, { id: 'chat-contact-panel.favourite.remove' })
      : msg(str`Add ${who} to favourites`, { id: 'chat-contact-panel.favourite.add' });
    return html`<button
      part=${on ? 'favourite-button favourite-button--on' : 'favourite-button'}
      class="btn btn--quiet star"
      type="button"
      aria-pressed=${on ? 'true' : 'false'}
      aria-label=${label}
      title=${label}
      @click=${() => {
        this.updateLists(toggleFavourite(this.lists, ref));
      }}
    >
      <span aria-hidden="true">${on ? '★' : '☆'}</span>
    </button>`;
  }

  /** One contact in a list: name, title and company, e-mail and phone, reasons, Link and star. @internal */
  renderItem(c: CrmContactSummary | ContactRef, reasons: readonly CrmMatchReason[] = []) {
    const summary = 'firstName' in c ? c : undefined;
    const ref = summary ? this.refOf(summary) : (c as ContactRef);
    const busy = this.linking === ref.id;
    const current = this.linkedContactId() === ref.id;
    const role = summary ? [summary.title, summary.company?.name].filter(Boolean).join(' · ') : (ref.company ?? '');
    return html`<li part="item" class="item">
      <span class="name">${ref.name}</span>
      <div class="actions">
        ${current
          ? html`<span class="current">${msg('Linked', { id: 'chat-contact-panel.item.current' })}</span>`
          : html`<button
              part="link-button"
              class="btn btn--primary link"
              type="button"
              aria-disabled=${this.linking !== undefined ? 'true' : 'false'}
              @click=${() => void this.linkTo(ref)}
            >
              ${busy ? msg('Linking…', { id: 'chat-contact-panel.item.linking' }) : msg('Link', { id: 'chat-contact-panel.item.link' })}<span class="visually-hidden">
                ${identifyingName(ref)}</span
              >
            </button>`}
        ${this.renderFavourite(ref)}
      </div>
      <div class="details">
        ${role ? html`<span class="meta">${role}</span>` : nothing}
        ${summary?.email ? html`<span class="meta">${summary.email}</span>` : nothing}
        ${summary?.phone ? html`<span class="meta" dir="ltr">${this.phone(summary.phone)}</span>` : nothing}
        ${reasons.length > 0
          ? html`<span class="reasons">${reasons.map((r) => html`<span part="reason" class="reason" data-reason=${r}>${reasonText(r)}</span>`)}</span>`
          : nothing}
      </div>
    </li>`;
  }

  private renderMatches() {
    const m = this.matchLoad.state;
    let body: TemplateResult;
    if (m.state === 'loading') body = renderSkeleton(3, msg('Looking for the customer in the CRM…', { id: 'chat-contact-panel.matches.loading' }));
    else if (m.state === 'error') body = renderError(m.message, () => {
      this.loadMatches();
    });
    else if (m.value.length === 0) body = html`<p part="empty" class="empty">${msg('No contact in the CRM matches this customer.', { id: 'chat-contact-panel.matches.none' })}</p>`;
    else body = html`<ul part="matches" class="list" aria-labelledby="matches-heading">${m.value.map((x) => this.renderItem(x.contact, x.reasons))}</ul>`;
    return html`<section class="group" aria-labelledby="matches-heading">
      <h3 id="matches-heading" class="subheading" tabindex="-1">${msg('This contact could be…', { id: 'chat-contact-panel.matches.heading' })}</h3>
      ${body}
    </section>`;
  }

  private renderPicker() {
    return html`${renderChatCustomer(this.session, (e164) => this.phone(e164))}
      ${this.linkError ? html`<p part="error" class="error" role="alert"><span class="error-text">${this.linkError}</span></p>` : nothing}
      ${this.renderMatches()} ${this.search.render()}
      <div class="footer">
        <button id="create-button" part="create-button" class="btn" type="button" @click=${this.onCreateClick}>
          ${msg('Create new contact', { id: 'chat-contact-panel.create' })}
        </button>
        ${this.changing
          ? html`<button class="btn btn--quiet" type="button" @click=${this.cancelChange}>${msg('Cancel', { id: 'chat-contact-panel.change.cancel' })}</button>`
          : nothing}
      </div>`;
  }

  override render() {
    const sessionId = this.currentSessionId;
    let content: unknown;
    if (!this.provider) {
      content = html`<p part="empty" class="empty">${msg('No CRM is connected.', { id: 'chat-contact-panel.no-provider' })}</p>`;
    } else if (sessionId === undefined) {
      content = html`<p part="empty" class="empty">${msg('No chat is selected. Pick a chat to see the customer in the CRM.', { id: 'chat-contact-panel.no-chat' })}</p>`;
    } else if (this.link.state === 'loading') {
      content = renderSkeleton(4);
    } else if (this.link.state === 'error') {
      content = renderError(this.link.message, () => {
        this.loadLink();
      });
    } else if (this.form.isOpen) {
      content = this.form.render();
    } else if (this.link.value === null || this.changing) {
      content = this.renderPicker();
    } else {
      content = html`${this.autoLink.render(sessionId)}${this.card.render()}`;
    }
    return html`<section part="base" class="base" aria-labelledby="panel-heading">
      <h2 id="panel-heading" part="heading" class="heading">${msg('Contact', { id: 'chat-contact-panel.heading' })}</h2>
      ${content} ${this.card.renderTranscript()}
    </section>`;
  }
}
