/**
 * The linked contact in chat-contact-panel: its card (name, facts, Open in CRM, Change contact)
 * and its sections (requests, sales, activities, earlier chats), each loaded from the CRM on its
 * own with a retry, and an earlier chat's transcript in a dialog. Every load is a `CrmLoad`
 * (`@lit/task`), aborted when the chat or the contact changes; the activities and chats load again
 * when the shown chat ends.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import type { CrmActivity, CrmChatSession, CrmContact, CrmContactSummary, CrmProvider, CrmRequest, CrmSale, CrmTranscript } from '../../crm/types.js';
import { ChatContactOpenEvent } from '../../events/chat-contact-open-event.js';
import { customerName, formatTime } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import type { ContactRef } from './contact-lists.js';
import { renderError, renderSkeleton } from './contact-parts.js';
import type { Load, SectionKey } from './contact-texts.js';
import { activityTypeText, chatStatusText, formatAmount, formatDate, fullName, requestStatusText, saleStageText } from './contact-texts.js';
import { CrmLoad } from './crm-load.js';

export interface ContactCardHost extends ReactiveControllerHost, EventTarget {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly provider?: CrmProvider | undefined;
  shownSessionId(): string | undefined;
  linkedContactId(): string | undefined;
  renderFavourite(ref: ContactRef): unknown;
  refOf(c: CrmContactSummary): ContactRef;
  /** A phone number as written in its country. */
  phone(e164: string): string;
  /** "Change contact": the picker opens. */
  startChange(): void;
}

/** The earlier chats: all but the one shown. */
function earlierChats(chats: Load<CrmChatSession[]>, current: string | undefined): Load<CrmChatSession[]> {
  return chats.state === 'ready' ? { state: 'ready', value: chats.value.filter((x) => x.sessionId !== current) } : chats;
}

export class ContactCard {
  private readonly contactLoad: CrmLoad<[CrmProvider, string], CrmContact>;
  private readonly requests: CrmLoad<[CrmProvider, string], CrmRequest[]>;
  private readonly sales: CrmLoad<[CrmProvider, string], CrmSale[]>;
  private readonly activities: CrmLoad<[CrmProvider, string], CrmActivity[]>;
  private readonly chats: CrmLoad<[CrmProvider, string], CrmChatSession[]>;
  private readonly transcriptLoad: CrmLoad<[CrmProvider, string], CrmTranscript>;
  /** The earlier chat whose transcript the dialog shows. */
  private transcript: CrmChatSession | undefined;
  /** The button that opened the transcript dialog (focus returns there). */
  private transcriptOpener: HTMLElement | undefined;

  constructor(private readonly host: ContactCardHost) {
    this.contactLoad = new CrmLoad(host, ([provider, id], signal) => provider.getContact(id, signal));
    this.requests = new CrmLoad(host, ([provider, id], signal) => provider.listRequests(id, signal));
    this.sales = new CrmLoad(host, ([provider, id], signal) => provider.listSales(id, signal));
    this.activities = new CrmLoad(host, ([provider, id], signal) => provider.listActivities(id, signal));
    this.chats = new CrmLoad(host, ([provider, id], signal) => provider.listChatSessions(id, signal));
    this.transcriptLoad = new CrmLoad(host, ([provider, sessionId], signal) => provider.getChatTranscript(sessionId, signal));
  }

  /** The linked contact: loading, loaded or failed. */
  get contact(): Load<CrmContact> {
    return this.contactLoad.state;
  }

  private sections() {
    return { requests: this.requests, sales: this.sales, activities: this.activities, chats: this.chats };
  }

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('dialog');
  }

  /** Another chat: every load stops, the dialog closes. */
  reset(): void {
    this.unload();
    this.transcriptLoad.stop();
    if (this.transcript) this.dialog?.close();
    this.transcript = undefined;
  }

  /** The link was taken away (Undo): the contact's loads stop. */
  unload(): void {
    this.contactLoad.stop();
    for (const section of Object.values(this.sections())) section.stop();
  }

  /** The shown chat just ended: the CRM has recorded it, so the activities and chats load again. */
  refreshAfterEnd(contactId: string): void {
    this.loadSection('activities', contactId);
    this.loadSection('chats', contactId);
  }

  /** A request was created for the contact (from the chat): its requests load again. */
  refreshRequests(contactId: string): void {
    this.loadSection('requests', contactId);
  }

  /** Loads the linked contact and its sections (what loaded before for another contact is aborted). */
  load(contactId: string): void {
    const provider = this.host.provider;
    if (!provider) return;
    this.contactLoad.run(provider, contactId);
    for (const key of ['requests', 'sales', 'activities', 'chats'] as const) this.loadSection(key, contactId);
  }

  private loadSection(key: SectionKey, contactId: string): void {
    const provider = this.host.provider;
    if (provider) this.sections()[key].run(provider, contactId);
  }

  private retrySection(key: SectionKey): void {
    const contactId = this.host.linkedContactId();
    if (contactId === undefined) return;
    this.loadSection(key, contactId);
  }

  private openInCrm(contactId: string): void {
    // Intent only: the host shows the contact (the panel has no CRM pages of its own).
    this.host.dispatchEvent(new ChatContactOpenEvent({ contactId }));
  }

  private openTranscript(chat: CrmChatSession, opener: HTMLElement): void {
    const provider = this.host.provider;
    if (!provider) return;
    this.transcriptOpener = opener;
    this.transcript = chat;
    this.transcriptLoad.run(provider, chat.sessionId);
    void this.host.updateComplete.then(() => {
      if (this.dialog && !this.dialog.open) this.dialog.showModal();
    });
  }

  private readonly closeTranscript = (): void => {
    this.transcriptLoad.stop();
    if (this.dialog?.open) this.dialog.close();
  };

  private readonly onDialogClose = (): void => {
    this.transcriptLoad.stop();
    this.transcript = undefined;
    this.host.requestUpdate();
    const opener = this.transcriptOpener;
    this.transcriptOpener = undefined;
    if (opener?.isConnected) opener.focus();
  };

  private renderSection<T>(key: SectionKey, title: string, load: Load<T[]>, empty: string, item: (x: T) => unknown) {
    const id = `section-${key}`;
    const count = load.state === 'ready' ? html` <span class="count">(${load.value.length})</span>` : nothing;
    let body: unknown;
    if (load.state === 'loading') body = renderSkeleton(2);
    else if (load.state === 'error') body = renderError(load.message, () => {
      this.retrySection(key);
    });
    else if (load.value.length === 0) body = html`<p part="empty" class="empty">${empty}</p>`;
    else body = html`<ul class="rows" aria-labelledby=${id}>${load.value.map((x) => html`<li class="row">${item(x)}</li>`)}</ul>`;
    return html`<section part=${`section section--${key}`} class="section" aria-labelledby=${id}>
      <h4 id=${id} class="minor">${title}${count}</h4>
      ${body}
    </section>`;
  }

  private renderTranscriptButton(chat: CrmChatSession) {
    const when = `${formatDate(chat.startedAt)} ${formatTime(chat.startedAt)}`;
    return html`<button
      class="btn btn--quiet transcript-button"
      type="button"
      aria-label=${msg(str`Show transcript of the chat on ${when}`, { id: 'chat-contact-panel.chat.show-label' })}
      @click=${(e: Event) => {
        this.openTranscript(chat, e.currentTarget as HTMLElement);
      }}
    >
      ${msg('Show transcript', { id: 'chat-contact-panel.chat.show' })}
    </button>`;
  }

  /** The contact card and its sections. */
  render() {
    const c = this.contactLoad.state;
    if (c.state === 'loading') return renderSkeleton(5, msg('Loading the contact…', { id: 'chat-contact-panel.card.loading' }));
    if (c.state === 'error') {
      return renderError(c.message, () => {
        const id = this.host.linkedContactId();
        if (id !== undefined) this.load(id);
      });
    }
    const contact = c.value;
    const name = fullName(contact);
    const ref = this.host.refOf(contact);
    const address = contact.address;
    const current = this.host.shownSessionId();
    return html`<article part="card" class="card" aria-labelledby="card-heading">
        <div class="card-head">
          <h3 id="card-heading" part="card-name" class="card-name" tabindex="-1">${name}</h3>
          ${this.host.renderFavourite(ref)}
        </div>
        ${contact.title || contact.company
          ? html`<p class="meta">${[contact.title, contact.company?.name].filter(Boolean).join(' · ')}</p>`
          : nothing}
        <dl class="facts">
          ${contact.email
            ? html`<div>
                <dt>${msg('E-mail', { id: 'chat-contact-panel.form.email' })}</dt>
                <dd>${contact.email}</dd>
              </div>`
            : nothing}
          ${contact.phone
            ? html`<div>
                <dt>${msg('Phone', { id: 'chat-contact-panel.form.phone' })}</dt>
                <dd>
                  ${/^\+[1-9]\d{7,14}$/.test(contact.phone)
                    ? html`<a class="phone" dir="ltr" href=${`tel:${contact.phone}`}>${this.host.phone(contact.phone)}</a>`
                    : contact.phone}
                </dd>
              </div>`
            : nothing}
          ${address
            ? html`<div>
                <dt>${msg('Address', { id: 'chat-contact-panel.card.address' })}</dt>
                <dd>
                  <span class="line">${address.street}</span>
                  <span class="line">${[address.postalCode, address.city].filter(Boolean).join(' ')}</span>
                </dd>
              </div>`
            : nothing}
        </dl>
        <div class="card-actions">
          <button part="open-button" class="btn" type="button" @click=${() => {
            this.openInCrm(contact.id);
          }}>${msg('Open in CRM', { id: 'chat-contact-panel.card.open' })}</button>
          <button id="change-button" part="change-button" class="btn btn--quiet" type="button" @click=${this.host.startChange}>
            ${msg('Change contact', { id: 'chat-contact-panel.card.change' })}
          </button>
        </div>
      </article>
      ${this.renderSection('requests', msg('Requests', { id: 'chat-contact-panel.section.requests' }), this.requests.state, msg('No requests.', { id: 'chat-contact-panel.section.requests.empty' }), (r: CrmRequest) =>
        html`<span class="row-title">#${r.number} ${r.title}</span>
          <span class="meta"><span class="tag" data-status=${r.status}>${requestStatusText(r.status)}</span> · ${formatDate(r.createdAt)}</span>`,
      )}
      ${this.renderSection('sales', msg('Sales', { id: 'chat-contact-panel.section.sales' }), this.sales.state, msg('No sales.', { id: 'chat-contact-panel.section.sales.empty' }), (s: CrmSale) =>
        html`<span class="row-title">${s.title}</span>
          <span class="meta">${formatAmount(s.amount, s.currency)} · <span class="tag" data-stage=${s.stage}>${saleStageText(s.stage)}</span> · ${formatDate(s.date)}</span>`,
      )}
      ${this.renderSection('activities', msg('Activities', { id: 'chat-contact-panel.section.activities' }), this.activities.state, msg('No activities.', { id: 'chat-contact-panel.section.activities.empty' }), (a: CrmActivity) => {
        const type = activityTypeText(a.type);
        // "Chat: Chat" says nothing twice: a title that only repeats the type is left out.
        const title = a.title.trim().toLowerCase() === a.type || a.title.trim() === type ? type : `${type}: ${a.title}`;
        // A finished chat refers to its transcript: open it when the agent may read that chat.
        const chats = this.chats.state;
        const chat = a.sessionId !== undefined && chats.state === 'ready' ? chats.value.find((x) => x.sessionId === a.sessionId && x.readable) : undefined;
        return html`<span class="row-title">${title}</span>
          ${a.text ? html`<span class="meta">${a.text}</span>` : nothing}
          <span class="meta">${formatDate(a.at)}${a.ownerName ? html` · ${a.ownerName}` : nothing}</span>
          ${chat ? this.renderTranscriptButton(chat) : nothing}`;
      })}
      ${this.renderSection(
        'chats',
        msg('Earlier chats', { id: 'chat-contact-panel.section.chats' }),
        earlierChats(this.chats.state, current),
        msg('No earlier chats.', { id: 'chat-contact-panel.section.chats.empty' }),
        (x: CrmChatSession) => {
          const when = `${formatDate(x.startedAt)} ${formatTime(x.startedAt)}`;
          return html`<span class="row-title">${when}</span>
            <span class="meta">${[x.channelName, x.agentName].filter(Boolean).join(' · ')}${x.channelName || x.agentName ? ' · ' : ''}${chatStatusText(x.status)}</span>
            ${x.readable
              ? this.renderTranscriptButton(x)
              : html`<span class="meta muted">${msg('You may not read this chat.', { id: 'chat-contact-panel.chat.unreadable' })}</span>`}`;
        },
      )}`;
  }

  /** The transcript dialog (empty until a transcript is opened). */
  renderTranscript() {
    const chat = this.transcript;
    const when = chat ? `${formatDate(chat.startedAt)} ${formatTime(chat.startedAt)}` : '';
    const load = chat ? this.transcriptLoad.state : undefined;
    let body: unknown = nothing;
    if (load?.state === 'loading') body = renderSkeleton(4);
    else if (load?.state === 'error') {
      body = renderError(load.message, () => {
        this.transcriptLoad.retry();
      });
    } else if (load?.state === 'ready') {
      body =
        load.value.messages.length === 0
          ? html`<p part="empty" class="empty">${msg('This chat has no messages.', { id: 'chat-contact-panel.transcript.empty' })}</p>`
          : html`<ol class="transcript-list" aria-label=${msg('Messages', { id: 'chat-contact-panel.transcript.messages' })}>
              ${load.value.messages.map(
                (m) => html`<li class="message" data-kind=${m.kind} data-author=${m.author.kind}>
                  <span class="meta"
                    >${[m.author.name || (m.author.kind === 'customer' ? customerName(undefined) : ''), formatTime(m.at), m.kind === 'note' ? msg('Internal note', { id: 'chat-contact-panel.transcript.note' }) : '']
                      .filter(Boolean)
                      .join(' · ')}</span
                  >
                  <span class="text">${m.text}</span>
                </li>`,
              )}
            </ol>`;
    }
    return html`<dialog part="transcript" class="dialog" aria-labelledby="transcript-heading" @close=${this.onDialogClose}>
      <div class="dialog-head">
        <h2 id="transcript-heading" class="dialog-title">${msg(str`Chat on ${when}`, { id: 'chat-contact-panel.transcript.heading' })}</h2>
        <button class="btn btn--quiet close" type="button" aria-label=${msg('Close', { id: 'chat-contact-panel.transcript.close' })} title=${msg('Close', { id: 'chat-contact-panel.transcript.close' })} @click=${this.closeTranscript}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div class="dialog-body">${body}</div>
    </dialog>`;
  }
}
