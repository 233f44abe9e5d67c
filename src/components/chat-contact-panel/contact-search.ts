/**
 * "Search another contact" in chat-contact-panel: the field, the favourites and recent contacts
 * while it is empty, and the CRM's results (`provider.search`, on `@lit/task` through `CrmLoad`)
 * after a pause in typing; the number found is announced. A new search aborts the one in
 * progress, and the chat changing aborts it too.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import type { CrmContactSummary, CrmProvider } from '../../crm/types.js';
import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { ContactLists, ContactRef } from './contact-lists.js';
import { renderError, renderSkeleton } from './contact-parts.js';
import { CrmLoad } from './crm-load.js';

/** The search waits for a pause in typing this long. */
const SEARCH_DELAY_MS = 250;

/** What the search needs from the panel. */
export interface ContactSearchHost extends ReactiveControllerHost {
  readonly provider?: CrmProvider | undefined;
  /** The favourites and recent contacts. */
  contactLists(): ContactLists;
  /** One contact in a list (with Link and the star). */
  renderItem(c: CrmContactSummary | ContactRef): unknown;
}

export class ContactSearch {
  private query = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly results: CrmLoad<[CrmProvider, string], CrmContactSummary[]>;

  constructor(private readonly host: ContactSearchHost) {
    this.results = new CrmLoad(
      host,
      ([provider, query], signal) => provider.search(query, signal),
      (found) => {
        const n = found.length;
        announce(
          n === 0
            ? msg('No contacts found.', { id: 'chat-contact-panel.search.none' })
            : plural(n, { one: msg('1 contact found.', { id: 'chat-contact-panel.search.one' }), other: msg(str`${n} contacts found.`, { id: 'chat-contact-panel.search.many' }) }),
        );
      },
    );
  }

  /** Another chat: the search starts empty. */
  reset(): void {
    clearTimeout(this.timer);
    this.results.stop();
    this.query = '';
  }

  private readonly onInput = (e: Event): void => {
    const value = (e.target as HTMLInputElement).value;
    this.query = value;
    clearTimeout(this.timer);
    // Loading (or nothing, for an empty field) from now on: an earlier search's answer is not shown.
    this.results.stop();
    this.host.requestUpdate();
    if (value.trim() === '') return;
    this.timer = setTimeout(() => {
      this.search(value);
    }, SEARCH_DELAY_MS);
  };

  private search(value: string): void {
    const provider = this.host.provider;
    if (provider) this.results.run(provider, value.trim());
  }

  private renderRefList(id: string, title: string, refs: readonly ContactRef[]) {
    if (refs.length === 0) return nothing;
    return html`<h4 id=${id} class="minor">${title}</h4>
      <ul class="list" aria-labelledby=${id}>${refs.map((r) => this.host.renderItem(r))}</ul>`;
  }

  render() {
    let body: unknown = nothing;
    if (this.query.trim() === '') {
      const lists = this.host.contactLists();
      body = html`${this.renderRefList('favourites-heading', msg('Favourites', { id: 'chat-contact-panel.search.favourites' }), lists.favourites)}
      ${this.renderRefList('recent-heading', msg('Recent contacts', { id: 'chat-contact-panel.search.recent' }), lists.recent)}`;
    } else {
      const results = this.results.state;
      if (results.state === 'loading') {
        body = renderSkeleton(2, msg('Searching…', { id: 'chat-contact-panel.search.searching' }));
      } else if (results.state === 'error') {
        body = renderError(results.message, () => {
          this.results.retry();
        });
      } else {
        body =
          results.value.length === 0
            ? html`<p part="empty" class="empty">${msg('No contacts found.', { id: 'chat-contact-panel.search.none' })}</p>`
            : html`<ul class="list" aria-label=${msg('Search results', { id: 'chat-contact-panel.search.results' })}>${results.value.map((c) => this.host.renderItem(c))}</ul>`;
      }
    }
    return html`<section part="search" class="group search" aria-labelledby="search-heading">
      <h3 id="search-heading" class="subheading">${msg('Search another contact', { id: 'chat-contact-panel.search.heading' })}</h3>
      <label class="visually-hidden" for="search">${msg('Search contacts', { id: 'chat-contact-panel.search.label' })}</label>
      <input
        id="search"
        part="search-input"
        class="input"
        type="search"
        autocomplete="off"
        maxlength="100"
        placeholder=${msg('Name, e-mail or phone', { id: 'chat-contact-panel.search.placeholder' })}
        .value=${this.query}
        @input=${this.onInput}
      />
      ${body}
    </section>`;
  }
}
