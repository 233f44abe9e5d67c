/**
 * The per-message actions of the transcript (agent console only): a small "More actions" button
 * beside an agent's message, shown on hover and on focus, that opens a menu (APG menu button:
 * Enter, Space or ArrowDown open it on the first item; arrows, Home and End move; Escape closes it
 * and returns to the button). Two actions, each reported as a `chat-message-action` event: "Quote
 * in reply" (with `quote-messages`: the conversation's composer takes the quote) on any message or
 * note, and "Save as quick reply" (with `save-quick-reply`: the conversation opens the quick-reply
 * form with the text) on an agent's message. The conversation sets both while its composer can
 * take them.
 *
 * Kept apart from chat-message-list.component.ts: the list renders
 * `renderMessageActions(host, sessionId, message, key)` and adds `messageActionStyles`.
 */
import { css, html, nothing } from 'lit';

import { msg } from '../../i18n/localization.js';
import { ChatMessageActionEvent } from '../../events/chat-message-action-event.js';
import { anchorPanel } from '../../internal/floating.js';
import type { ChatMessage } from '../../protocol/model.js';

const moreIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><circle cx="3.5" cy="8" r="1.4"/><circle cx="8" cy="8" r="1.4"/><circle cx="12.5" cy="8" r="1.4"/></svg>`;

/** Whether a message can be saved as a quick reply: text messages of agents with text. */
export function canSaveAsReply(m: ChatMessage): boolean {
  return m.kind === 'text' && m.author.kind === 'agent' && m.text.trim() !== '';
}

/** Whether a message can be quoted: a message or note with text or files (the server checks who may see it). */
export function canQuote(m: ChatMessage): boolean {
  return (m.kind === 'text' || m.kind === 'note') && (m.text.trim() !== '' || (m.attachments?.length ?? 0) > 0);
}

/** Which actions the list offers. */
export interface MessageActionOffer {
  save: boolean;
  quote: boolean;
}

const menuOf = (button: Element): HTMLElement | null => button.parentElement?.querySelector<HTMLElement>('[role=menu]') ?? null;
const itemsOf = (menu: Element): HTMLElement[] => [...menu.querySelectorAll<HTMLElement>('[role=menuitem]')];

/** Open menus, and how to stop keeping each at its button. */
const placed = new WeakMap<HTMLElement, () => void>();

/** Opens a menu below its button (above when there is no room) and focuses an item; it follows scrolling. */
function openMenu(button: HTMLElement, focus: 'first' | 'last'): void {
  const menu = menuOf(button);
  if (!menu) return;
  if (!menu.matches(':popover-open')) menu.showPopover();
  if (!placed.has(menu)) placed.set(menu, anchorPanel(menu, button, { placement: 'bottom-start' }));
  button.setAttribute('aria-expanded', 'true');
  const items = itemsOf(menu);
  (focus === 'first' ? items[0] : items.at(-1))?.focus();
}

function closeMenu(menu: HTMLElement, returnFocus: boolean): void {
  const button = menu.parentElement?.querySelector<HTMLElement>('.msg-actions-button');
  if (menu.matches(':popover-open')) menu.hidePopover();
  button?.setAttribute('aria-expanded', 'false');
  if (returnFocus) button?.focus();
}

function onButtonKeydown(event: KeyboardEvent): void {
  const button = event.currentTarget as HTMLElement;
  if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openMenu(button, 'first');
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    openMenu(button, 'last');
  }
}

function onButtonClick(event: MouseEvent): void {
  const button = event.currentTarget as HTMLElement;
  const menu = menuOf(button);
  if (menu?.matches(':popover-open')) closeMenu(menu, false);
  else openMenu(button, 'first');
}

function onMenuKeydown(event: KeyboardEvent): void {
  const menu = event.currentTarget as HTMLElement;
  const items = itemsOf(menu);
  const index = items.indexOf(event.target as HTMLElement);
  let next: number | undefined;
  switch (event.key) {
    case 'ArrowDown':
      next = (index + 1) % items.length;
      break;
    case 'ArrowUp':
      next = (index - 1 + items.length) % items.length;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = items.length - 1;
      break;
    case 'Escape':
      event.preventDefault();
      event.stopPropagation();
      closeMenu(menu, true);
      return;
    case 'Tab':
      closeMenu(menu, false);
      return;
    default:
      return;
  }
  event.preventDefault();
  items[next]?.focus();
}

function onMenuToggle(event: Event): void {
  const menu = event.currentTarget as HTMLElement;
  if ((event as ToggleEvent).newState !== 'closed') return;
  placed.get(menu)?.();
  placed.delete(menu);
  menu.parentElement?.querySelector('.msg-actions-button')?.setAttribute('aria-expanded', 'false');
}

/**
 * The actions button and its menu for one message (nothing for messages without actions).
 * `host` dispatches the `chat-message-action` event.
 */
export function renderMessageActions(host: HTMLElement, sessionId: string | undefined, m: ChatMessage, key: string, offer: MessageActionOffer) {
  const save = offer.save && canSaveAsReply(m);
  const quote = offer.quote && canQuote(m);
  if (sessionId === undefined || (!save && !quote)) return nothing;
  const menuId = `actions-${key.replace(/[^\w-]/g, '_')}`;
  const act = (action: 'save-quick-reply' | 'quote') => (event: Event) => {
    const menu = (event.currentTarget as HTMLElement).closest<HTMLElement>('[role=menu]');
    // Quoting moves focus to the composer: the menu closes without taking focus back.
    if (menu) closeMenu(menu, action !== 'quote');
    host.dispatchEvent(new ChatMessageActionEvent({ action, sessionId, messageId: m.id, text: m.text, message: m }));
  };
  return html`<div class="msg-actions">
    <button
      class="btn btn--quiet msg-actions-button"
      part="message-actions"
      type="button"
      aria-haspopup="menu"
      aria-expanded="false"
      aria-controls=${menuId}
      aria-label=${msg('More actions for this message', { id: 'chat-message-list.actions.label' })}
      title=${msg('More actions', { id: 'chat-message-list.actions.title' })}
      @click=${onButtonClick}
      @keydown=${onButtonKeydown}
    >
      ${moreIcon}
    </button>
    <div id=${menuId} class="msg-actions-menu" part="message-menu" role="menu" popover="auto" aria-label=${msg('Message actions', { id: 'chat-message-list.actions.menu' })} @keydown=${onMenuKeydown} @toggle=${onMenuToggle}>
      ${quote
        ? html`<button class="menu-item" part="message-menu-item" role="menuitem" type="button" tabindex="-1" @click=${act('quote')}>
            ${msg('Quote in reply', { id: 'chat-message-list.actions.quote' })}
          </button>`
        : nothing}
      ${save
        ? html`<button class="menu-item" part="message-menu-item" role="menuitem" type="button" tabindex="-1" @click=${act('save-quick-reply')}>
            ${msg('Save as quick reply', { id: 'chat-message-list.actions.save-quick-reply' })}
          </button>`
        : nothing}
    </div>
  </div>`;
}

export const messageActionStyles = css`
  .row {
    anchor-scope: --bubble;
  }
  .msg > .bubble {
    anchor-name: --bubble;
  }
  .msg-actions {
    position: absolute;
    top: 0;
    inset-inline-end: var(--_space-m);
    opacity: 0;
  }
  @supports (anchor-name: --x) {
    .msg-actions {
      position-anchor: --bubble;
      top: anchor(top);
      /* Beside the bubble, on the side of the middle of the list (mirrored on right-to-left pages). */
      inset-inline-end: anchor(start);
      margin-inline-end: 2px;
    }
    .msg--customer .msg-actions {
      inset-inline-end: auto;
      inset-inline-start: anchor(end);
      margin-inline-start: 2px;
    }
  }
  .msg:hover .msg-actions,
  .msg-actions:focus-within,
  .msg-actions:has([aria-expanded='true']) {
    opacity: 1;
  }
  @media (hover: none) {
    .msg-actions {
      opacity: 1;
    }
  }
  .msg-actions-button {
    min-width: 28px;
    min-height: 28px;
    padding: 0;
    color: var(--_muted);
  }
  .msg-actions-button svg {
    width: 16px;
    height: 16px;
  }
  .msg-actions-menu {
    position: fixed;
    inset: auto;
    left: var(--_pop-left, 0);
    top: var(--_pop-top, 0);
    max-height: var(--_pop-max-height, none);
    overflow: auto;
    margin: 0;
    min-width: 12rem;
    padding: var(--_space-xs);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.18);
    font: inherit;
  }
  .menu-item {
    display: block;
    width: 100%;
    min-height: 32px;
    padding: 0 var(--_space-m);
    border: 0;
    border-radius: var(--_radius-s);
    background: transparent;
    color: inherit;
    text-align: start;
    cursor: pointer;
  }
  .menu-item:hover,
  .menu-item:focus-visible {
    background: var(--_accent-soft);
  }
`;
