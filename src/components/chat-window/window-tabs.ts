/**
 * The window's two tabs, Dashboard and Chats (APG tabs, automatic activation, arrow keys in the
 * reading direction): the tablist with each tab's number (chats waiting in my channels, my active
 * chats) in one accessible name ("Dashboard, 2 unanswered chats"), and moving between them.
 */
import { html } from 'lit';

import { plural } from '../../i18n/format.js';
import { msg, str } from '../../i18n/localization.js';
import { logicalKey } from '../../internal/keys.js';

export type ChatWindowTab = 'dashboard' | 'chats';

const TABS: readonly ChatWindowTab[] = ['dashboard', 'chats'];

/** What the tabs need from the window. */
export interface WindowTabsHost extends HTMLElement {
  tab: ChatWindowTab;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
}

export class WindowTabs {
  constructor(private readonly host: WindowTabsHost) {}

  /** A tab's button. */
  element(tab: ChatWindowTab): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`);
  }

  /** Shows `tab`, and focuses its button after the render when `focus`. */
  select(tab: ChatWindowTab, focus: boolean): void {
    this.host.tab = tab;
    if (focus) void this.host.updateComplete.then(() => this.element(tab)?.focus());
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const index = TABS.indexOf(this.host.tab);
    let next: ChatWindowTab | undefined;
    switch (logicalKey(e, this.host)) {
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
    if (next) this.select(next, true);
  };

  private badgeText(tab: ChatWindowTab, n: number): string {
    if (tab === 'dashboard') {
      return plural(n, { one: msg(', 1 unanswered chat', { id: 'chat-window.unanswered.one' }), other: msg(str`, ${n} unanswered chats`, { id: 'chat-window.unanswered.other' }) });
    }
    return plural(n, { one: msg(', 1 active chat', { id: 'chat-window.active.one' }), other: msg(str`, ${n} active chats`, { id: 'chat-window.active.other' }) });
  }

  private renderTab(tab: ChatWindowTab, label: string, count: number) {
    const selected = this.host.tab === tab;
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
        this.select(tab, false);
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

  /** The tablist: `queued` chats wait in my channels, I have `mine` active chats. */
  render(queued: number, mine: number) {
    return html`<div part="tablist" class="tablist" role="tablist" aria-label=${msg('Chat', { id: 'chat-window.tablist' })} @keydown=${this.onKeydown}>
      ${this.renderTab('dashboard', msg('Dashboard', { id: 'chat-window.tab.dashboard' }), queued)}
      ${this.renderTab('chats', msg('Chats', { id: 'chat-window.tab.chats' }), mine)}
    </div>`;
  }
}
