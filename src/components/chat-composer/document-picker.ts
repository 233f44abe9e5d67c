/**
 * "Select a CRM document" (loaded on first use, only with a `crmProvider`): the documents of the
 * contact the chat is linked to, their company's and everybody's (`listDocuments`), searchable;
 * the chosen one is fetched (`getDocument`) and uploaded to the chat like any other file.
 * A search field (combobox) over a listbox: ↑ ↓ Home End move, Enter attaches, Escape closes.
 */
import type { ReactiveControllerHost } from 'lit';
import { css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import type { CrmDocument, CrmProvider } from '../../crm/types.js';
import { announce } from '../../internal/announcer.js';
import { fileIcon, fileKind, fileNameTemplate, formatSize } from '../../internal/files.js';
import { comboboxMove, ComposerPopover } from '../../internal/composer-popover.js';

export interface DocumentPickerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly sessionId?: string | undefined;
  readonly crmProvider?: CrmProvider | undefined;
  /** Uploads files to the chat (as if picked with the Attach button). */
  addFiles(files: readonly File[]): void;
  focusDocumentButton(): void;
}

const SEARCH_DELAY_MS = 200;

export class DocumentPicker extends ComposerPopover<DocumentPickerHost> {
  query = '';
  active = 0;
  private documents: CrmDocument[] = [];
  private contactId: string | undefined;
  private loading = false;
  private fetching = '';
  private error = '';
  private controller: AbortController | undefined;
  /** The document being fetched (`getDocument`). */
  private fetchController: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Enter was pressed while a search was still pending: attach its first result when it arrives. */
  private attachWhenLoaded = false;

  constructor(host: DocumentPickerHost) {
    super(host, { panelId: 'document-picker', maxWidth: 520, inside: '[part~="document-button"]' });
  }

  protected dismiss(): void {
    this.close(false);
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    this.controller?.abort();
    this.stopFetching();
    clearTimeout(this.timer);
  }

  /** Aborts the fetch of a chosen document, if one is under way. */
  private stopFetching(): void {
    this.fetchController?.abort();
    this.fetchController = undefined;
    this.fetching = '';
  }

  toggle(): void {
    if (this.open) {
      this.close(true);
      return;
    }
    this.closeOthers();
    this.open = true;
    this.query = '';
    this.active = 0;
    this.error = '';
    this.focusNext = 'document-search';
    this.host.requestUpdate();
    void this.load(true);
  }

  close(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.attachWhenLoaded = false;
    this.controller?.abort();
    this.stopFetching();
    clearTimeout(this.timer);
    this.host.requestUpdate();
    if (focusButton) this.host.focusDocumentButton();
  }

  private async load(findContact: boolean): Promise<void> {
    const provider = this.host.crmProvider;
    const sessionId = this.host.sessionId;
    if (!provider) return;
    this.controller?.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    const controller = new AbortController();
    this.controller = controller;
    this.loading = true;
    this.host.requestUpdate();
    try {
      if (findContact) {
        this.contactId = undefined;
        if (sessionId !== undefined) {
          try {
            this.contactId = (await provider.getSessionLink(sessionId, controller.signal))?.contactId;
          } catch (error) {
            if (controller.signal.aborted) throw error;
            this.contactId = undefined;
          }
        }
      }
      this.documents = await provider.listDocuments({ contactId: this.contactId, query: this.query.trim() }, controller.signal);
      this.active = 0;
      this.error = '';
      if (this.attachWhenLoaded) {
        this.attachWhenLoaded = false;
        void this.attach(this.documents[0]);
      }
    } catch {
      if (controller.signal.aborted) return;
      this.attachWhenLoaded = false;
      this.error = msg('The CRM documents could not be loaded. Try again.', { id: 'chat-composer.documents.load-error' });
    } finally {
      if (this.controller === controller) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  private async attach(doc: CrmDocument | undefined): Promise<void> {
    const provider = this.host.crmProvider;
    if (!doc || !provider || this.fetching !== '') return;
    // Aborted when the picker closes or the composer leaves the page: nothing is attached then.
    const controller = new AbortController();
    this.fetchController = controller;
    this.fetching = doc.id;
    this.error = '';
    this.host.requestUpdate();
    try {
      const content = await provider.getDocument(doc.id, controller.signal);
      if (controller.signal.aborted) return;
      const file = new File([content.blob], content.name, { type: content.type });
      this.fetchController = undefined;
      this.fetching = '';
      this.close(false);
      this.host.addFiles([file]);
    } catch {
      if (controller.signal.aborted) return;
      this.error = msg(str`${doc.name} could not be fetched from the CRM. Try again.`, { id: 'chat-composer.documents.fetch-error' });
      announce(this.error, { assertive: true });
    } finally {
      if (this.fetchController === controller) {
        this.fetchController = undefined;
        this.fetching = '';
        this.host.requestUpdate();
      }
    }
  }

  private readonly onListClick = (event: MouseEvent): void => {
    const option = (event.target as Element).closest<HTMLElement>('[role=option]');
    const i = Number(option?.dataset.index);
    if (!option || !Number.isInteger(i)) return;
    this.active = i;
    void this.attach(this.documents[i]);
  };

  private readonly onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.load(false);
    }, SEARCH_DELAY_MS);
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        if (this.timer !== undefined || this.loading) {
          // The list on screen is not the one for the typed text yet: search now, attach its first result.
          this.attachWhenLoaded = true;
          if (this.timer !== undefined) void this.load(false);
          return;
        }
        void this.attach(this.documents[this.active]);
        return;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.close(true);
        return;
      default: {
        const next = comboboxMove(event.key, this.active, this.documents.length);
        if (next === undefined) return;
        event.preventDefault();
        this.active = next;
        this.host.requestUpdate();
      }
    }
  };

  /** Where a document is filed, in words. */
  private where(doc: CrmDocument): string {
    const linked = this.contactId !== undefined;
    if (doc.contactId !== undefined)
      return linked ? msg('On the contact', { id: 'chat-composer.documents.on-contact' }) : msg('On a contact', { id: 'chat-composer.documents.on-a-contact' });
    if (doc.companyId !== undefined)
      return linked ? msg('On the company', { id: 'chat-composer.documents.on-company' }) : msg('On a company', { id: 'chat-composer.documents.on-a-company' });
    return msg('For everybody', { id: 'chat-composer.documents.general' });
  }

  render() {
    if (!this.open) return html`<div id="document-picker" class="popover document-picker" part="document-picker" popover="manual"></div>`;
    const activeDoc = this.documents[this.active];
    const activeId = activeDoc ? `document-option-${activeDoc.id.replace(/[^\w-]/g, '_')}` : undefined;
    let note = '';
    if (this.error !== '') note = this.error;
    else if (this.loading && this.documents.length === 0) note = msg('Loading documents…', { id: 'chat-composer.documents.loading' });
    else if (this.documents.length === 0) note = msg('No documents found.', { id: 'chat-composer.documents.empty' });
    return html`<div
      id="document-picker"
      class="popover document-picker"
      part="document-picker"
      popover="manual"
      role="dialog"
      aria-labelledby="document-heading"
    >
      <h3 id="document-heading" class="document-heading">${msg('Select a CRM document', { id: 'chat-composer.documents.title' })}</h3>
      <p class="document-scope">
        ${this.contactId !== undefined
          ? msg('Documents of the linked contact, their company and everybody.', { id: 'chat-composer.documents.scope-contact' })
          : msg('No contact is linked to this chat: all documents. Check that one fits this customer before you send it.', { id: 'chat-composer.documents.scope-none' })}
      </p>
      <input
        id="document-search"
        class="picker-search"
        type="search"
        role="combobox"
        autocomplete="off"
        aria-label=${msg('Search documents', { id: 'chat-composer.documents.search' })}
        placeholder=${msg('Search by file name', { id: 'chat-composer.documents.search-placeholder' })}
        aria-expanded="true"
        aria-controls="document-list"
        aria-autocomplete="list"
        aria-activedescendant=${ifDefined(activeId)}
        .value=${live(this.query)}
        @input=${this.onInput}
        @keydown=${this.onKeydown}
      />
      <div
        id="document-list"
        class="document-list"
        role="listbox"
        aria-label=${msg('Documents', { id: 'chat-composer.documents.list' })}
        @pointerdown=${(e: PointerEvent) => {
          e.preventDefault();
        }}
        @click=${this.onListClick}
        @keydown=${this.onKeydown}
      >
        ${this.documents.map((doc, i) => {
          const id = `document-option-${doc.id.replace(/[^\w-]/g, '_')}`;
          const selected = i === this.active;
          return html`<div
            id=${id}
            class="document ${selected ? 'document--active' : ''}"
            part="document-option"
            role="option"
            aria-selected=${selected ? 'true' : 'false'}
            data-index=${i}
          >
            <span class="file-icon">${fileIcon(fileKind(doc.type))}</span>
            <span class="file-text"
              >${fileNameTemplate(doc.name, 'document-name')}<span class="file-meta"
                >${formatSize(doc.size)} · ${this.where(doc)}${this.fetching === doc.id ? html` · ${msg('Fetching…', { id: 'chat-composer.documents.fetching' })}` : nothing}</span
              ></span
            >
          </div>`;
        })}
      </div>
      ${note !== '' ? html`<p class="picker-empty ${this.error !== '' ? 'document-error' : ''}">${note}</p>` : nothing}
      <p class="picker-keys">${msg('↑ ↓ choose · Enter attaches · Esc closes', { id: 'chat-composer.documents.keys' })}</p>
    </div>`;
  }
}

export const documentStyles = css`
  .document-picker:not(:popover-open) {
    display: none;
  }
  .document-heading {
    margin: 0 0 2px;
    font-size: var(--_font-size-l);
  }
  .document-scope {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .document-list {
    margin-top: var(--_space-s);
    max-height: 16rem;
    overflow: auto;
  }
  .document {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 40px;
    padding: 4px 8px;
    border-inline-start: 3px solid transparent;
    cursor: pointer;
  }
  .document--active {
    background: var(--_accent-soft);
    border-inline-start-color: var(--_accent);
  }
  .document-error {
    color: var(--_danger);
    font-weight: 600;
  }
`;
