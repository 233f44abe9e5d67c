/**
 * The customer widget's emoji button, as the agent's composer has: it opens the shared emoji
 * picker (src/internal/emoji-picker.ts, loaded on first use) above the widget's composer, and the
 * chosen emoji goes into the message at the caret. Kept apart from chat-visitor.component.ts:
 * the widget renders `renderButton()` and `renderPanel()` and gives the text to `insert`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import { msg } from '../../i18n/localization.js';
import type { EmojiPicker, EmojiPickerHost } from '../../internal/emoji-picker.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';

const emojiIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"><circle cx="8" cy="8" r="6.2"/><path d="M5.4 9.6c.7 1 1.6 1.5 2.6 1.5s1.9-.5 2.6-1.5"/><path d="M6 6.3v.2M10 6.3v.2" stroke-width="1.8"/></svg>`;

export interface VisitorEmojiHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class VisitorEmoji implements ReactiveController {
  private picker: EmojiPicker | undefined;

  /** `input`: the widget's message field; `insert(text, start, end)` replaces that range of the draft. */
  constructor(
    private readonly host: VisitorEmojiHost,
    private readonly input: () => HTMLTextAreaElement | null,
    private readonly insert: (text: string, start: number, end: number) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.picker?.close(false);
  }

  private readonly toggle = async (): Promise<void> => {
    if (!this.picker) {
      const [m, s] = await Promise.all([import('../../internal/emoji-picker.js'), import('../../styles/popover.styles.js')]);
      adoptLazyStyles(this.host, [s.popoverStyles, m.emojiStyles]);
      const host = this.host;
      const adapter: EmojiPickerHost = {
        get renderRoot() {
          return host.renderRoot;
        },
        get updateComplete() {
          return host.updateComplete;
        },
        addController: (c) => {
          host.addController(c);
        },
        removeController: (c) => {
          host.removeController(c);
        },
        requestUpdate: () => {
          host.requestUpdate();
        },
        insertAtCaret: (text) => {
          const el = this.input();
          const start = el?.selectionStart ?? el?.value.length ?? 0;
          this.insert(text, start, el?.selectionEnd ?? start);
        },
        focusEmojiButton: () => {
          host.renderRoot.querySelector<HTMLElement>('[part~="emoji-button"]')?.focus();
        },
      };
      this.picker ??= new m.EmojiPicker(
        adapter,
        '.composer',
      );
    }
    this.picker.toggle();
  };

  renderButton() {
    const label = msg('Insert emoji', { id: 'chat-visitor.emoji' });
    return html`<button part="emoji-button" class="attach" type="button" aria-haspopup="dialog" aria-expanded=${this.picker?.open === true ? 'true' : 'false'} aria-label=${label} title=${label} @click=${this.toggle}>
      ${emojiIcon}
    </button>`;
  }

  renderPanel() {
    return this.picker?.render() ?? nothing;
  }
}
