/**
 * The conversation's own Alt+Shift shortcuts: Alt+Shift+Q opens the Insert picker, Alt+Shift+E
 * asks to end the chat, Alt+Shift+X opens the Transfer dialog. They act while focus is inside
 * the conversation (Alt+Shift+U marks the chat unread) (alone or in `chat-window`, whose keyboard map sends the same keys here when
 * focus is elsewhere in the console) and are off with `without-shortcuts` (WCAG 2.1.4). What is
 * not possible in the shown chat now (no End chat button, for example) is said, not silently
 * ignored. Alt+Shift+A / R (answer a transfer offer) stay with `SessionActions`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';

export type ConversationShortcut = 'insert' | 'end' | 'transfer' | 'unread';

/** Alt+Shift+<physical key> → the conversation's action. Shared with `chat-window`'s keyboard map. */
export const CONVERSATION_SHORTCUTS: Readonly<Record<string, ConversationShortcut>> = {
  KeyQ: 'insert',
  KeyE: 'end',
  KeyX: 'transfer',
  KeyU: 'unread',
};

export interface ConversationKeysHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly withoutShortcuts: boolean;
  /** Opens the shown chat's Insert picker; false when writing is not possible. */
  openInsertPicker(): boolean;
}

export class ConversationKeys implements ReactiveController {
  constructor(private readonly host: ConversationKeysHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeydown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeydown);
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (this.host.withoutShortcuts || event.defaultPrevented || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    const kind = CONVERSATION_SHORTCUTS[event.code];
    if (!kind) return;
    event.preventDefault();
    if (!event.repeat) this.run(kind);
  };

  /** Runs a shortcut as its button would; says so when it is not possible now. */
  run(kind: ConversationShortcut): void {
    if (this.host.renderRoot.querySelector('dialog[open]')) return;
    if (kind === 'insert') {
      if (!this.host.openInsertPicker()) this.unavailable();
      return;
    }
    const part = kind === 'end' ? 'end-button' : kind === 'unread' ? 'unread-button' : 'transfer-button';
    const button = this.host.renderRoot.querySelector<HTMLElement>(`[part~="${part}"]`);
    if (!button || button.getAttribute('aria-disabled') === 'true') {
      this.unavailable();
      return;
    }
    button.click();
  }

  private unavailable(): void {
    announce(msg('Not possible in this chat now.', { id: 'chat-conversation.shortcut.unavailable' }));
  }
}
