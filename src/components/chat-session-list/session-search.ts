/**
 * The search of chat-session-list: the field filters the rows at once by name, e-mail and last
 * message (in the client), and after a short pause also by message text on the server
 * (`client.searchSessions`); Enter searches at once, Escape clears. A late answer to an earlier
 * search is ignored. The number of matches is shown and announced when the server's answer is in.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';
import { live } from 'lit/directives/live.js';

import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { MAX_SEARCH_QUERY } from '../../protocol/limits.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ListView } from './list-view.js';

/** Searching by message text waits for a pause in typing this long. */
const SEARCH_DEBOUNCE_MS = 250;

type SearchState = 'idle' | 'searching' | 'done' | 'failed';

export interface SessionSearchHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly client?: ChatClient | undefined;
  /** ArrowDown in the field: focus the list. */
  focusList(): void;
  /** How many rows are shown now. */
  rowCount(): number;
}

const icons = {
  search: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><circle cx="7" cy="7" r="4.5"/><path d="m10.5 10.5 3.5 3.5"/></svg>`,
  clear: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><path d="m4 4 8 8M12 4l-8 8"/></svg>`,
};

export function matchText(count: number): string {
  if (count === 0) return msg('No chats match', { id: 'chat-session-list.search.none' });
  return plural(count, { one: msg('One chat matches', { id: 'chat-session-list.search.one' }), other: msg(str`${count} chats match`, { id: 'chat-session-list.search.count' }) });
}

export class SessionSearch implements ReactiveController {
  /** The field's text, as typed. */
  private text = '';
  /** The search applied to the rows (trimmed; after the pause). */
  appliedQuery = '';
  /** Sessions the server found by message text for `appliedQuery`. */
  serverIds: ReadonlySet<string> | undefined;
  state: SearchState = 'idle';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Increases with every search, so a late answer to an older one is ignored. */
  private seq = 0;
  /** Announce the number of matches after the next render. */
  private announceMatches = false;

  constructor(private readonly host: SessionSearchHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  private input(): HTMLInputElement | null {
    return this.host.renderRoot.querySelector<HTMLInputElement>('.search-input');
  }

  /** After a render: says how many chats match once the server answered. */
  announce(view: ListView): void {
    if (!this.announceMatches) return;
    this.announceMatches = false;
    if (this.appliedQuery !== '') announce(matchText(view.count));
  }

  private readonly onInput = (event: InputEvent): void => {
    this.text = (event.target as HTMLInputElement).value;
    this.host.requestUpdate();
    clearTimeout(this.timer);
    if (this.text.trim() === '') {
      this.apply();
      return;
    }
    this.timer = setTimeout(() => {
      this.apply();
    }, SEARCH_DEBOUNCE_MS);
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.text !== '') {
      event.preventDefault();
      event.stopPropagation();
      this.clear();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(this.timer);
      this.apply();
    } else if (event.key === 'ArrowDown' && this.host.rowCount() > 0) {
      event.preventDefault();
      this.host.focusList();
    }
  };

  private readonly onClearClick = (): void => {
    this.clear();
    this.input()?.focus();
  };

  /** Filters by the field's text now: locally at once, by message text on the server. */
  private apply(): void {
    const q = this.text.trim().slice(0, MAX_SEARCH_QUERY);
    this.seq += 1;
    const seq = this.seq;
    this.appliedQuery = q;
    this.serverIds = undefined;
    this.host.requestUpdate();
    if (q === '') {
      this.state = 'idle';
      return;
    }
    const client = this.host.client;
    if (!client) {
      this.state = 'failed';
      this.announceMatches = true;
      return;
    }
    this.state = 'searching';
    client.searchSessions(q).then(
      (ids) => {
        if (seq !== this.seq) return;
        this.serverIds = new Set(ids);
        this.state = 'done';
        this.announceMatches = true;
        this.host.requestUpdate();
      },
      () => {
        if (seq !== this.seq) return;
        this.state = 'failed';
        this.announceMatches = true;
        this.host.requestUpdate();
      },
    );
  }

  /** Empties the field and shows every row. */
  clear(): void {
    clearTimeout(this.timer);
    this.text = '';
    this.apply();
  }

  /** The search field (`search-input`) with its Clear button. */
  render() {
    const label = msg('Search chats', { id: 'chat-session-list.search.label' });
    const clear = msg('Clear search', { id: 'chat-session-list.search.clear' });
    return html`<div class="search" part="search">
      ${icons.search}
      <input
        class="search-input"
        part="search-input"
        type="search"
        autocomplete="off"
        spellcheck="false"
        maxlength=${MAX_SEARCH_QUERY}
        aria-label=${label}
        placeholder=${msg('Name, e-mail or message', { id: 'chat-session-list.search.placeholder' })}
        .value=${live(this.text)}
        @input=${this.onInput}
        @keydown=${this.onKeydown}
      />
      ${this.text !== ''
        ? html`<button class="btn btn--quiet search-clear" part="search-clear" type="button" aria-label=${clear} title=${clear} @click=${this.onClearClick}>
            ${icons.clear}
          </button>`
        : nothing}
    </div>`;
  }

  /** How many chats match, and whether message text is being searched or could not be. */
  renderStatus(view: ListView) {
    if (this.appliedQuery === '' || view.total === 0) return nothing;
    const count = view.count;
    const lines: string[] = [];
    if (this.state === 'searching') lines.push(msg('Searching message text…', { id: 'chat-session-list.search.searching' }));
    else if (count > 0) lines.push(matchText(count));
    if (this.state === 'failed') {
      lines.push(msg('Message text could not be searched; these are matches by name, e-mail and last message.', { id: 'chat-session-list.search.failed' }));
    }
    if (lines.length === 0) return nothing;
    return html`<p class="search-status" part="search-status">${lines.join(' ')}</p>`;
  }
}
