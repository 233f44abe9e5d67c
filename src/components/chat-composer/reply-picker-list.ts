/**
 * The Insert picker's list and search: which replies are offered (kind, language, folder,
 * favourites / recently used, then the search, best matches first) and the browse view that shows
 * them: the kind tabs, the filters, the search field (a combobox) over the listbox, the preview
 * beside it, and pointer use of the options (they are not focusable: the combobox keeps focus).
 */
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import { renderTabList } from '../../internal/tab-list.js';
import type { Reply, ReplyKind, ReplyLanguage } from '../../protocol/replies.js';
import type { ReplyPicker } from './reply-picker.js';
import { renderReplyPreview, starIcon } from './reply-picker-preview.js';

export type Show = 'all' | 'favourites' | 'recent';

export const KINDS: readonly ReplyKind[] = ['quick-reply', 'template', 'faq'];
const RECENT_COUNT = 10;

/** What narrows the list: the picker's tab, filters and search. */
export interface ReplyCriteria {
  kind: ReplyKind;
  language: ReplyLanguage;
  /** `''`: every folder. */
  folder: string;
  showFilter: Show;
  query: string;
}

/** Lower case without accents, for search. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** A reply id as a part of an element id. */
export const idPart = (id: string) => id.replace(/[^\w-]/g, '_');

/** The id of a reply's option in the listbox (what `aria-activedescendant` points at). */
export const optionId = (r: Reply) => `picker-option-${idPart(r.id)}`;

/** The label of a reply kind's tab. */
export function kindLabel(kind: ReplyKind): string {
  switch (kind) {
    case 'quick-reply':
      return msg('Quick replies', { id: 'chat-composer.picker.tab.quick' });
    case 'template':
      return msg('Reply templates', { id: 'chat-composer.picker.tab.templates' });
    default:
      return msg('FAQs', { id: 'chat-composer.picker.tab.faqs' });
  }
}

/** Folders of a kind and language, sorted. */
export function folderNames(replies: readonly Reply[], kind: ReplyKind, language: ReplyLanguage): string[] {
  return [...new Set(replies.filter((r) => r.kind === kind && r.language === language && r.folder !== '').map((r) => r.folder))].sort((a, b) => a.localeCompare(b));
}

/** The options shown: kind, language, folder, favourites / recent, then the search. */
export function filterReplies(replies: readonly Reply[], c: ReplyCriteria): Reply[] {
  let list = replies.filter((r) => r.kind === c.kind && r.language === c.language);
  if (c.folder !== '') list = list.filter((r) => r.folder === c.folder);
  if (c.showFilter === 'favourites') list = list.filter((r) => r.favourite);
  if (c.showFilter === 'recent') {
    list = list
      .filter((r) => r.lastUsedAt !== null)
      .sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0))
      .slice(0, RECENT_COUNT);
  }
  // "/hello" in the search field finds the shortcut "hello", as typing "/hello" in the text area does.
  const q = fold(c.query.trim().replace(/^\//, ''));
  if (q === '') return list;
  const words = q.split(/\s+/);
  const score = (r: Reply): number => {
    const shortcut = fold(r.shortcut ?? '');
    const title = fold(r.title);
    if (shortcut !== '' && shortcut === q) return 0;
    if (shortcut.startsWith(q)) return 1;
    if (title.startsWith(q)) return 2;
    if (words.every((w) => title.includes(w))) return 3;
    return words.every((w) => fold(`${r.title} ${r.text} ${r.shortcut ?? ''} ${r.folder}`).includes(w)) ? 4 : -1;
  };
  return list
    .map((r, i) => ({ r, i, s: score(r) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.r);
}

/** The browse view of the picker and the pointer on its options. */
export class ReplyList {
  constructor(private readonly picker: ReplyPicker) {}

  /** The option under the pointer. */
  private optionIndex(event: Event): number | undefined {
    const option = (event.target as Element).closest<HTMLElement>('[role=option]');
    const index = Number(option?.dataset.index);
    return option && Number.isInteger(index) ? index : undefined;
  }

  private readonly onListClick = (event: MouseEvent): void => {
    const i = this.optionIndex(event);
    if (i === undefined) return;
    this.picker.active = i;
    this.picker.insert(this.picker.filtered()[i]);
  };

  private readonly onListHover = (event: PointerEvent): void => {
    const i = this.optionIndex(event);
    if (i === undefined || i === this.picker.active) return;
    this.picker.active = i;
    this.picker.update();
  };

  private readonly onSearchInput = (event: Event): void => {
    this.picker.setQuery((event.target as HTMLInputElement).value);
  };

  private renderTabs() {
    const p = this.picker;
    return renderTabList({
      tabs: KINDS,
      selected: p.kind,
      label: msg('Kind of reply', { id: 'chat-composer.picker.tabs' }),
      listClass: 'picker-tabs',
      idPrefix: 'picker-tab-',
      controls: 'picker-tabpanel',
      labelOf: kindLabel,
      partOf: (_kind, selected) => `picker-tab${selected ? ' picker-tab--selected' : ''}`,
      select: (kind, byKey) => {
        p.selectKind(kind, byKey);
      },
    });
  }

  private renderFilters() {
    const p = this.picker;
    const folders = folderNames(p.replies, p.kind, p.language);
    const choice = (value: Show, label: string) =>
      html`<label class="seg ${p.showFilter === value ? 'seg--on' : ''}"
        ><input
          type="radio"
          name="picker-show"
          value=${value}
          .checked=${live(p.showFilter === value)}
          @change=${() => {
            p.showFilter = value;
            p.active = 0;
            p.update();
          }}
        />${label}</label
      >`;
    return html`<div class="picker-filters">
      <label class="picker-field">
        <span>${msg('Folder', { id: 'chat-composer.picker.folder' })}</span>
        <select
          id="picker-folder"
          .value=${live(p.folder)}
          @change=${(e: Event) => {
            p.folder = (e.target as HTMLSelectElement).value;
            p.active = 0;
            p.update();
          }}
        >
          <option value="" ?selected=${p.folder === ''}>${msg('All folders', { id: 'chat-composer.picker.all-folders' })}</option>
          ${folders.map((f) => html`<option value=${f} ?selected=${p.folder === f}>${f}</option>`)}
        </select>
      </label>
      <div class="segs" role="radiogroup" aria-label=${msg('Show', { id: 'chat-composer.picker.show' })}>
        ${choice('all', msg('All', { id: 'chat-composer.picker.show.all' }))}
        ${choice('favourites', msg('Favourites', { id: 'chat-composer.picker.show.favourites' }))}
        ${choice('recent', msg('Recently used', { id: 'chat-composer.picker.show.recent' }))}
      </div>
      <label class="picker-field">
        <span>${msg('Language', { id: 'chat-composer.picker.language' })}</span>
        <select
          .value=${live(p.language)}
          @change=${(e: Event) => {
            p.language = (e.target as HTMLSelectElement).value === 'sv' ? 'sv' : 'en';
            p.folder = '';
            p.active = 0;
            p.update();
          }}
        >
          <option value="en" ?selected=${p.language === 'en'}>English</option>
          <option value="sv" ?selected=${p.language === 'sv'} lang="sv">Svenska</option>
        </select>
      </label>
    </div>`;
  }

  private renderOption(r: Reply, i: number, activeId: string | undefined) {
    const id = optionId(r);
    const selected = id === activeId;
    return html`<div
      id=${id}
      class="option ${selected ? 'option--active' : ''}"
      part="picker-option${selected ? ' picker-option--active' : ''}"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      data-index=${i}
    >
      <span class="option-title">${r.title}</span>
      ${r.favourite ? html`<span class="option-star">${starIcon(true)}<span class="visually-hidden">${msg('Favourite', { id: 'chat-composer.picker.favourite' })}</span></span>` : nothing}
      <span class="option-meta"
        >${r.shortcut !== null ? html`<span class="option-shortcut">/${r.shortcut}</span>` : nothing}${r.folder !== '' && this.picker.folder === ''
          ? html`<span class="option-folder">${r.folder}</span>`
          : nothing}</span
      >
    </div>`;
  }

  /** What the list says when it shows no option ('' when it shows some). */
  private emptyText(list: readonly Reply[]): string {
    const p = this.picker;
    if (p.loading && p.replies.length === 0) return msg('Loading replies…', { id: 'chat-composer.picker.loading' });
    if (p.loadError !== '') return p.loadError;
    if (list.length > 0) return '';
    return p.query.trim() !== ''
      ? msg(str`Nothing matches “${p.query.trim()}”.`, { id: 'chat-composer.picker.no-match' })
      : p.showFilter === 'favourites'
        ? msg('No favourites here yet: mark a reply with the star.', { id: 'chat-composer.picker.no-favourites' })
        : p.showFilter === 'recent'
          ? msg('Nothing used recently.', { id: 'chat-composer.picker.no-recent' })
          : msg('No replies here.', { id: 'chat-composer.picker.empty' });
  }

  /** Tabs, filters, search, the list with the preview, and (quick replies) Edit and New. */
  render() {
    const p = this.picker;
    const list = p.filtered();
    const active = p.activeReply();
    const activeId = active ? optionId(active) : undefined;
    const slash = p.mode === 'slash';
    const empty = this.emptyText(list);
    return html`${this.renderTabs()}
      <div id="picker-tabpanel" class="picker-tabpanel" role="tabpanel" aria-labelledby="picker-tab-${p.kind}">
        <div class="picker-search-row">
          <input
            id="picker-search"
            class="picker-search"
            part="picker-search"
            type="search"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            aria-label=${msg('Search replies', { id: 'chat-composer.picker.search' })}
            aria-expanded="true"
            aria-controls="picker-list"
            aria-autocomplete="list"
            aria-activedescendant=${ifDefined(slash ? undefined : activeId)}
            placeholder=${msg('Search title, text or /shortcut', { id: 'chat-composer.picker.search-placeholder' })}
            .value=${live(p.query)}
            @input=${this.onSearchInput}
            @keydown=${p.keys.onSearchKeydown}
          />
        </div>
        ${this.renderFilters()}
        <div class="picker-body">
          <div
            id="picker-list"
            class="picker-list"
            part="picker-list"
            role="listbox"
            aria-label=${kindLabel(p.kind)}
            @pointerdown=${(e: PointerEvent) => {
              // Keep focus where it is (the search field or, for "/", the text area).
              e.preventDefault();
            }}
            @click=${this.onListClick}
            @keydown=${p.keys.onSearchKeydown}
            @pointermove=${this.onListHover}
          >
            ${list.map((r, i) => this.renderOption(r, i, activeId))}
          </div>
          ${renderReplyPreview(p, active)}
        </div>
        ${empty !== '' ? html`<p class="picker-empty" part="picker-empty">${empty}</p>` : nothing}
        <p class="picker-keys">${msg('↑ ↓ choose · Enter inserts · Esc closes', { id: 'chat-composer.picker.keys' })}</p>
      </div>
      ${p.kind === 'quick-reply'
        ? html`<div class="picker-footer">
            <button
              class="btn"
              part="picker-manage"
              type="button"
              @click=${() => {
                p.manage.show();
              }}
            >
              ${msg('Edit quick replies', { id: 'chat-composer.picker.manage' })}
            </button>
            <button
              class="btn"
              part="picker-new"
              type="button"
              @click=${() => {
                p.form.open(undefined, {}, 'browse');
              }}
            >
              ${msg('New quick reply', { id: 'chat-composer.picker.new' })}
            </button>
          </div>`
        : nothing}`;
  }
}
