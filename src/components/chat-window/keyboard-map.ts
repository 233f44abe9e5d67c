/**
 * The console's keyboard: the window-wide shortcuts (Alt+Shift with a physical key, so they work
 * with any layout and leave single keys to screen readers and the host page) and the `?` dialog
 * that lists every key of the console. docs/keyboard.md lists the same, and the widget's keys.
 * The shortcuts act only while focus is inside the window (WCAG 2.1.4); `without-shortcuts` turns
 * the Alt+Shift ones off.
 */
import { msg } from '../../i18n/localization.js';
import type { TemplateResult } from 'lit';
import { css, html, nothing } from 'lit';

import type { ConversationShortcut } from '../chat-conversation/conversation-keys.js';
import { CONVERSATION_SHORTCUTS } from '../chat-conversation/conversation-keys.js';

export interface KeyboardHost extends HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  withoutShortcuts: boolean;
  requestUpdate(): void;
}

/** What the shortcuts do (window-routing.ts carries them to the elements inside the window). */
export interface WindowCommands {
  /** Shows a tab and focuses it. */
  showTab(tab: 'dashboard' | 'chats'): void;
  /** Selects the next (1) or previous (-1) chat of the list and shows it. */
  showAdjacentChat(step: 1 | -1): void;
  /** Shows the open chat and focuses its composer. */
  focusComposer(): void;
  /** "Get next in queue" of the chat list (or says why not). */
  getNext(): void;
  /** Insert, End chat or Transfer in the open chat (or says why not). */
  conversationShortcut(kind: ConversationShortcut): void;
}

/** Alt+Shift+<physical key> → what it does. */
const SHORTCUTS: Record<string, (commands: WindowCommands) => void> = {
  Digit1: (h) => {
    h.showTab('dashboard');
  },
  Digit2: (h) => {
    h.showTab('chats');
  },
  ArrowDown: (h) => {
    h.showAdjacentChat(1);
  },
  ArrowUp: (h) => {
    h.showAdjacentChat(-1);
  },
  KeyM: (h) => {
    h.focusComposer();
  },
  KeyG: (h) => {
    h.getNext();
  },
  ...Object.fromEntries(
    Object.entries(CONVERSATION_SHORTCUTS).map(([code, kind]) => [
      code,
      (h: WindowCommands) => {
        h.conversationShortcut(kind);
      },
    ]),
  ),
};

/** Typing in a field: `?` is a character there, not a shortcut. */
function typing(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type));
}

export const keyboardMapStyles = css`
  .keys-dialog {
    max-width: min(36rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    padding: var(--_space-l, 16px);
    border: 1px solid var(--_border, #d3d9e1);
    border-radius: var(--_radius, 8px);
    background: var(--_surface, #fff);
    color: var(--_text, #1b2431);
  }
  .keys-dialog h2 {
    margin: 0 0 var(--_space-s, 8px);
    font-size: var(--_font-size-l, 1rem);
  }
  .keys-dialog table {
    width: 100%;
    border-collapse: collapse;
    margin-bottom: var(--_space-m, 12px);
  }
  .keys-dialog th,
  .keys-dialog td {
    padding: 4px 8px 4px 0;
    text-align: start;
    vertical-align: top;
  }
  .keys-dialog caption {
    text-align: start;
    font-weight: 600;
    padding: var(--_space-s, 8px) 0 4px;
  }
  .keys-dialog kbd {
    font: inherit;
    padding: 0 4px;
    border: 1px solid var(--_border, #d3d9e1);
    border-radius: 3px;
    white-space: nowrap;
  }
`;

export class KeyboardMap {
  /** The dialog is open. */
  open = false;
  /** Where focus was before the dialog opened. */
  private returnTo: HTMLElement | null = null;

  constructor(
    private readonly host: KeyboardHost,
    private readonly commands: WindowCommands,
  ) {}

  /** keydown anywhere inside the window (composed events from the elements inside bubble here). */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (event.altKey && event.shiftKey) {
      const action = this.host.withoutShortcuts ? undefined : SHORTCUTS[event.code];
      if (!action) return;
      event.preventDefault();
      if (!event.repeat) action(this.commands);
      return;
    }
    if (event.key === '?' && !event.altKey && !typing(event)) {
      event.preventDefault();
      this.show();
    }
  };

  /** Opens the list of keys. */
  show(): void {
    if (this.open) return;
    const active = this.host.shadowRoot?.activeElement ?? document.activeElement;
    this.returnTo = active instanceof HTMLElement ? active : null;
    this.open = true;
    this.host.requestUpdate();
    void Promise.resolve().then(() => {
      const dialog = this.host.renderRoot.querySelector<HTMLDialogElement>('#keys-dialog');
      if (dialog && !dialog.open) dialog.showModal();
      dialog?.querySelector<HTMLElement>('.keys-close')?.focus();
    });
  }

  private close = (): void => {
    if (!this.open) return;
    this.open = false;
    this.host.renderRoot.querySelector<HTMLDialogElement>('#keys-dialog')?.close();
    this.host.requestUpdate();
    this.returnTo?.focus();
    this.returnTo = null;
  };

  private row(keys: TemplateResult, what: string) {
    return html`<tr>
      <th scope="row">${keys}</th>
      <td>${what}</td>
    </tr>`;
  }

  render() {
    if (!this.open) return nothing;
    const alt = (key: string) => html`<kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>${key}</kbd>`;
    const k = (key: string) => html`<kbd>${key}</kbd>`;
    const shortcuts = !this.host.withoutShortcuts;
    return html`<dialog id="keys-dialog" class="keys-dialog" part="keys-dialog" aria-labelledby="keys-title" @close=${this.close} @cancel=${this.close}>
      <h2 id="keys-title">${msg('Keyboard shortcuts', { id: 'chat-window.keys.title' })}</h2>
      <table>
        <caption>${msg('Anywhere in the console', { id: 'chat-window.keys.console' })}</caption>
        ${this.row(k('?'), msg('Show this list (not while writing)', { id: 'chat-window.keys.help' }))}
        ${shortcuts
          ? html`${this.row(alt('1'), msg('Dashboard tab', { id: 'chat-window.keys.dashboard' }))}
            ${this.row(alt('2'), msg('Chats tab', { id: 'chat-window.keys.chats' }))}
            ${this.row(alt('↓'), msg('Next chat', { id: 'chat-window.keys.next-chat' }))}
            ${this.row(alt('↑'), msg('Previous chat', { id: 'chat-window.keys.previous-chat' }))}
            ${this.row(alt('M'), msg('Write in the open chat', { id: 'chat-window.keys.composer' }))}
            ${this.row(alt('G'), msg('Get next in queue', { id: 'chat-window.keys.get-next' }))}
            ${this.row(alt('Q'), msg('Insert a quick reply, template or FAQ', { id: 'chat-window.keys.insert-picker' }))}
            ${this.row(alt('X'), msg('Transfer the open chat', { id: 'chat-window.keys.transfer-chat' }))}
            ${this.row(alt('U'), msg('Mark the open chat unread', { id: 'chat-window.keys.unread' }))}
            ${this.row(alt('E'), msg('End the open chat', { id: 'chat-window.keys.end-chat' }))}
            ${this.row(html`${alt('A')} / ${alt('R')}`, msg('Accept or reject a transfer offered to you', { id: 'chat-window.keys.transfer' }))}`
          : nothing}
        ${this.row(html`${k('Esc')}`, msg('Close a menu, picker or dialog', { id: 'chat-window.keys.escape' }))}
      </table>
      <table>
        <caption>${msg('Tabs and the chat list', { id: 'chat-window.keys.lists' })}</caption>
        ${this.row(html`${k('←')} ${k('→')} ${k('Home')} ${k('End')}`, msg('Switch tabs (on a tab)', { id: 'chat-window.keys.tabs' }))}
        ${this.row(html`${k('↑')} ${k('↓')} ${k('Page Up')} ${k('Page Down')} ${k('Home')} ${k('End')}`, msg('Move in the chat list; the chat opens', { id: 'chat-window.keys.list' }))}
        ${this.row(k('A–Z'), msg('Jump to a customer by name (in the chat list)', { id: 'chat-window.keys.typeahead' }))}
      </table>
      <table>
        <caption>${msg('Writing', { id: 'chat-window.keys.writing' })}</caption>
        ${this.row(k('Enter'), msg('Send', { id: 'chat-window.keys.send' }))}
        ${this.row(html`${k('Shift')}+${k('Enter')}`, msg('New line', { id: 'chat-window.keys.new-line' }))}
        ${this.row(k('/'), msg('Insert a reply (at the start or after a space)', { id: 'chat-window.keys.insert' }))}
      </table>
      <button class="btn keys-close" type="button" @click=${this.close}>${msg('Close', { id: 'chat-window.keys.close' })}</button>
    </dialog>`;
  }
}
