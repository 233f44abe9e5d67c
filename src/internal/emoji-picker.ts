/**
 * The emoji picker of the agent's composer and of the customer widget (loaded on first use): a compact built-in set of common emoji in
 * groups (no emoji library is downloaded). Groups are tabs; the emoji of a group are an APG grid
 * with one tab stop (emoji of Unicode 9 or older, so older systems have glyphs for them): ← → ↑ ↓ move, Home / End go to the start / end of a row, Ctrl+Home / Ctrl+End
 * to the first / last emoji, Enter or Space inserts at the caret, Escape closes. Screen readers
 * read each emoji by its own name (the characters are the content).
 */
import type { ReactiveControllerHost } from 'lit';
import { css, html } from 'lit';

import { msg } from '../i18n/localization.js';
import { logicalKey } from './keys.js';
import { ComposerPopover } from './composer-popover.js';
import { renderTabList } from './tab-list.js';

export interface EmojiPickerHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Inserts at the caret of the text area and focuses it. */
  insertAtCaret(text: string): void;
  focusEmojiButton(): void;
}

type GroupId = 'smileys' | 'gestures' | 'symbols' | 'objects' | 'outdoors';

/** The built-in set, by group. */
export const EMOJI: Readonly<Record<GroupId, readonly string[]>> = {
  smileys: ['😀', '😃', '😄', '😁', '😆', '😅', '😂', '🙂', '😉', '😊', '😇', '😚', '😍', '😘', '😋', '😎', '🤗', '🤔', '😐', '🙄', '😮', '😴', '😔', '🙁', '😢', '😭', '😤', '😳'],
  gestures: ['👍', '👎', '👌', '✌️', '🤞', '👋', '🙌', '👏', '🙏', '💪', '🤝', '✋', '👀', '🤷', '🙋', '💕'],
  symbols: ['❤️', '💖', '💛', '💚', '💙', '💜', '💔', '✨', '⭐', '🔥', '💯', '✅', '❌', '⚠️', '❓', '❗', '💡', '🎉', '🎁', '💬'],
  objects: ['📦', '🚚', '📧', '📞', '📅', '⏰', '💳', '📋', '📎', '📄', '🔒', '🔑', '🛒', '🏷️', '🔧', '🎟️'],
  outdoors: ['☀️', '🌧️', '❄️', '🌲', '⛰️', '🏕️', '⛺', '🎒', '👢', '👕', '🎿', '🚲', '🛶', '✈️', '🏠', '🌍'],
};

const GROUPS = Object.keys(EMOJI) as GroupId[];
export const EMOJI_COLUMNS = 8;

function groupLabel(group: GroupId): string {
  switch (group) {
    case 'smileys':
      return msg('Smileys', { id: 'chat-composer.emoji.smileys' });
    case 'gestures':
      return msg('Gestures', { id: 'chat-composer.emoji.gestures' });
    case 'symbols':
      return msg('Symbols', { id: 'chat-composer.emoji.symbols' });
    case 'objects':
      return msg('Objects', { id: 'chat-composer.emoji.objects' });
    default:
      return msg('Outdoors', { id: 'chat-composer.emoji.outdoors' });
  }
}

export class EmojiPicker extends ComposerPopover<EmojiPickerHost> {
  group: GroupId = 'smileys';
  /** Index of the emoji with the tab stop in the current group. */
  active = 0;

  /** `anchor`: the element (selector) the panel sits above; `.base` by default. */
  constructor(host: EmojiPickerHost, anchor?: string) {
    super(host, { panelId: 'emoji-picker', maxWidth: 360, inside: '[part~="emoji-button"]', anchor });
  }

  protected dismiss(): void {
    this.close(false);
  }

  toggle(): void {
    if (this.open) {
      this.close(true);
      return;
    }
    this.closeOthers();
    this.open = true;
    this.focusNext = `emoji-${String(this.active)}`;
    this.host.requestUpdate();
  }

  close(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    if (focusButton) this.host.focusEmojiButton();
  }

  private pick(emoji: string): void {
    this.open = false;
    this.host.requestUpdate();
    this.host.insertAtCaret(emoji);
  }

  private move(to: number): void {
    const count = EMOJI[this.group].length;
    this.active = Math.max(0, Math.min(count - 1, to));
    this.focusNext = `emoji-${String(this.active)}`;
    this.host.requestUpdate();
  }

  private readonly onGridKeydown = (event: KeyboardEvent): void => {
    const list = EMOJI[this.group];
    const i = this.active;
    const col = i % EMOJI_COLUMNS;
    switch (logicalKey(event)) {
      case 'ArrowRight':
        this.move(i + 1);
        break;
      case 'ArrowLeft':
        this.move(i - 1);
        break;
      case 'ArrowDown':
        if (i + EMOJI_COLUMNS < list.length) this.move(i + EMOJI_COLUMNS);
        break;
      case 'ArrowUp':
        if (i - EMOJI_COLUMNS >= 0) this.move(i - EMOJI_COLUMNS);
        break;
      case 'Home':
        this.move(event.ctrlKey ? 0 : i - col);
        break;
      case 'End':
        this.move(event.ctrlKey ? list.length - 1 : Math.min(list.length - 1, i - col + EMOJI_COLUMNS - 1));
        break;
      case 'Enter':
      case ' ': {
        const emoji = list[i];
        if (emoji !== undefined) this.pick(emoji);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  private readonly onGridClick = (event: MouseEvent): void => {
    const cell = (event.target as Element).closest<HTMLElement>('[role=gridcell]');
    const emoji = EMOJI[this.group][Number(cell?.dataset.index)];
    if (cell && emoji !== undefined) this.pick(emoji);
  };

  private selectGroup(group: GroupId, focus: string | undefined): void {
    this.group = group;
    this.active = 0;
    this.focusNext = focus;
    this.host.requestUpdate();
  }

  private readonly onPanelKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this.close(true);
  };

  render() {
    if (!this.open) return html`<div id="emoji-picker" class="popover emoji-picker" part="emoji-picker" popover="manual"></div>`;
    const list = EMOJI[this.group];
    const rows: string[][] = [];
    for (let i = 0; i < list.length; i += EMOJI_COLUMNS) rows.push(list.slice(i, i + EMOJI_COLUMNS));
    return html`<div
      id="emoji-picker"
      class="popover emoji-picker"
      part="emoji-picker"
      popover="manual"
      role="dialog"
      aria-label=${msg('Emoji', { id: 'chat-composer.emoji.label' })}
      @keydown=${this.onPanelKeydown}
    >
      ${renderTabList({
        tabs: GROUPS,
        selected: this.group,
        label: msg('Emoji groups', { id: 'chat-composer.emoji.groups' }),
        listClass: 'emoji-tabs',
        idPrefix: 'emoji-tab-',
        controls: 'emoji-grid',
        labelOf: groupLabel,
        select: (g, byKey) => {
          this.selectGroup(g, byKey ? `emoji-tab-${g}` : undefined);
        },
      })}
      <div id="emoji-grid" class="emoji-grid" role="grid" aria-label=${groupLabel(this.group)} @keydown=${this.onGridKeydown} @click=${this.onGridClick}>
        ${rows.map(
          (row, r) =>
            html`<div class="emoji-row" role="row">
              ${row.map((emoji, c) => {
                const i = r * EMOJI_COLUMNS + c;
                return html`<span
                  id="emoji-${String(i)}"
                  class="emoji"
                  part="emoji"
                  role="gridcell"
                  tabindex=${i === this.active ? '0' : '-1'}
                  data-index=${i}
                  @focus=${() => {
                    this.active = i;
                  }}
                  >${emoji}</span
                >`;
              })}
            </div>`,
        )}
      </div>
    </div>`;
  }
}

export const emojiStyles = css`
  .emoji-picker {
    padding: var(--_space-s);
  }
  .emoji-picker:not(:popover-open) {
    display: none;
  }
  .emoji-tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    margin-bottom: var(--_space-s);
    border-bottom: 1px solid var(--_border);
  }
  .emoji-tab {
    min-height: 28px;
    padding: 0 var(--_space-s);
    border: 0;
    border-bottom: 3px solid transparent;
    background: none;
    color: var(--_muted);
    font-size: var(--_font-size-s);
    font-weight: 600;
    cursor: pointer;
  }
  .emoji-tab[aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--_accent);
  }
  .emoji-grid {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .emoji-row {
    display: grid;
    grid-template-columns: repeat(${EMOJI_COLUMNS}, 36px);
    gap: 2px;
  }
  .emoji {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 36px;
    height: 36px;
    border-radius: var(--_radius-s);
    font-size: 22px;
    line-height: 1;
    cursor: pointer;
  }
  .emoji:hover,
  .emoji:focus-visible {
    background: var(--_accent-soft);
  }
`;
