/**
 * The tag filter of chat-session-list (issue 18): a select of the wrap-up tags on my rows ("All
 * tags" and each tag, sorted), shown while some row has a tag or a tag is chosen. A chosen tag
 * keeps only the rows with it (with the search, both apply); the number of matches is announced.
 */
import type { ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { SessionListRows } from '../../state/agent-views.js';
import { GROUP_KEYS } from '../../state/session-groups.js';
import type { ListView } from './list-view.js';
import { matchText } from './session-search.js';

/** Every tag on the rows, sorted in the console's language (cached per rows value). */
const tagLists = new WeakMap<SessionListRows, string[]>();
export function rowTags(rows: SessionListRows | undefined): string[] {
  if (!rows) return [];
  let list = tagLists.get(rows);
  if (!list) {
    const set = new Set<string>();
    for (const key of GROUP_KEYS) for (const s of rows[key]) for (const t of s.tags ?? []) set.add(t);
    list = [...set].sort((a, b) => a.localeCompare(b));
    tagLists.set(rows, list);
  }
  return list;
}

export class SessionTagFilter {
  /** The chosen tag ('' for all). */
  tag = '';
  private announceMatches = false;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** After a render: says how many chats have the chosen tag. */
  announce(view: ListView): void {
    if (!this.announceMatches) return;
    this.announceMatches = false;
    announce(this.tag === '' ? msg('Showing chats with any tag or none.', { id: 'chat-session-list.tag-filter.all-announce' }) : matchText(view.count));
  }

  private readonly onChange = (event: Event): void => {
    this.tag = (event.target as HTMLSelectElement).value;
    this.announceMatches = true;
    this.host.requestUpdate();
  };

  /** The select, while some row has a tag (or one is chosen). */
  render(rows: SessionListRows | undefined) {
    const tags = rowTags(rows);
    if (tags.length === 0 && this.tag === '') return nothing;
    const options = this.tag !== '' && !tags.includes(this.tag) ? [...tags, this.tag] : tags;
    return html`<div class="tag-filter" part="tag-filter">
      <label for="tag-filter">${msg('Tag', { id: 'chat-session-list.tag-filter.label' })}</label>
      <select id="tag-filter" part="tag-filter-select" @change=${this.onChange}>
        <option value="" ?selected=${this.tag === ''}>${msg('All tags', { id: 'chat-session-list.tag-filter.all' })}</option>
        ${options.map((t) => html`<option value=${t} ?selected=${this.tag === t}>${t}</option>`)}
      </select>
    </div>`;
  }
}
