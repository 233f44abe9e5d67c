/**
 * The agent's tools of the composer (`agent-tools`): the row of tool buttons (Insert, emoji,
 * Attach, CRM document, Save as quick reply) and the panels they open, each loaded on first use
 * (reply-picker.ts, emoji-picker.ts, document-picker.ts); and the "/" search: typing "/" at the
 * start or after a space opens the reply picker with what follows as its search.
 */
import { html, nothing, svg } from 'lit';

import { msg } from '../../i18n/localization.js';
import type { EmojiPicker, EmojiPickerHost } from '../../internal/emoji-picker.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import { ATTACHMENT_ACCEPT } from '../../protocol/attachments.js';
import type { DocumentPicker, DocumentPickerHost } from './document-picker.js';
import type { ReplyPicker, ReplyPickerHost } from './reply-picker.js';

const icons = {
  insert: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M3 2.5h7l3 3v8H3z"/><path d="M5.5 7.5h5M5.5 10h3"/></svg>`,
  emoji: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"><circle cx="8" cy="8" r="6.2"/><path d="M5.4 9.6c.7 1 1.6 1.5 2.6 1.5s1.9-.5 2.6-1.5"/><path d="M6 6.3v.2M10 6.3v.2" stroke-width="1.8"/></svg>`,
  attach: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><path d="m13 7.5-5.3 5.3a3.2 3.2 0 0 1-4.5-4.5L8.8 2.7a2.1 2.1 0 0 1 3 3L6.2 11.3a1 1 0 0 1-1.5-1.5L9.8 4.7"/></svg>`,
  document: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"><path d="M2 4.5h4l1.5 1.5H14v7.5H2z"/><path d="M2 4.5V3h4l1 1.5"/></svg>`,
  save: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M4 2h8v12l-4-3-4 3z"/><path d="M8 5v4M6 7h4" stroke-linecap="round"/></svg>`,
};

/** "/" at the start or after white space, then the search up to the caret (no white space). */
const SLASH = /(^|\s)\/([^\s/]*)$/;

/** The composer, as its panels and this controller see it. */
export interface ComposerToolsHost extends ReplyPickerHost, EmojiPickerHost, DocumentPickerHost {
  readonly agentTools: boolean;
  readonly disabledReason: string;
}

/** What of the composer's own state the tools read and change. */
export interface ComposerTextAccess {
  /** The text in the box. */
  text(): string;
  /** The text area (to read the caret). */
  input(): HTMLTextAreaElement | null | undefined;
  /** Replaces `start`..`end` of the text with `text`, caret after it, focus in the text area. */
  replaceRange(start: number, end: number, text: string): void;
}

export class ComposerTools {
  private picker: ReplyPicker | undefined;
  private emoji: EmojiPicker | undefined;
  private documents: DocumentPicker | undefined;
  private pickerLoading: Promise<ReplyPicker> | undefined;
  /** The "/…" token the picker was dismissed for (it does not reopen until the text there changes). */
  private slashDismissed: { start: number; text: string } | undefined;

  constructor(
    private readonly host: ComposerToolsHost,
    private readonly access: ComposerTextAccess,
  ) {}

  /** Another chat is shown: every panel closes, focus stays where it is. */
  reset(): void {
    this.picker?.close(false);
    this.emoji?.close(false);
    this.documents?.close(false);
    this.slashDismissed = undefined;
  }

  /** The text area's combobox attributes while the picker lists replies for a "/…" search. */
  inputAria(): { controls?: string; activedescendant?: string } {
    return this.picker?.inputAria() ?? {};
  }

  /** A key in the text area the open "/" picker handles (↑ ↓ Enter Escape …); true when it did. */
  handleInputKey(event: KeyboardEvent): boolean {
    if (!this.picker?.handleInputKey(event)) return false;
    if (event.key === 'Escape') {
      const token = this.slashToken();
      const text = this.access.text();
      if (token) this.slashDismissed = { start: token.start, text: text.slice(token.start, token.start + token.query.length + 1) };
    }
    return true;
  }

  /** The "/…" before the caret: where it starts and the search after it, or undefined. */
  private slashToken(): { start: number; query: string } | undefined {
    const el = this.access.input();
    if (!el) return undefined;
    const caret = el.selectionStart;
    const match = SLASH.exec(this.access.text().slice(0, caret));
    if (!match) return undefined;
    const query = match[2] ?? '';
    return { start: caret - query.length - 1, query };
  }

  /** After input: typing "/" at the start or after a space opens the picker with what follows as the search. */
  checkSlash(): void {
    if (!this.host.agentTools || this.host.disabledReason) return;
    const token = this.slashToken();
    if (!token) {
      this.slashDismissed = undefined;
      if (this.picker?.open && this.picker.opener === 'slash') this.picker.close(false);
      return;
    }
    const dismissed = this.slashDismissed;
    if (dismissed?.start === token.start && this.access.text().startsWith(dismissed.text, token.start)) return;
    this.slashDismissed = undefined;
    if (this.picker?.open && this.picker.opener === 'slash') {
      this.picker.setQuery(token.query);
      return;
    }
    // Also when the picker is open from its button: "/…" typed in the text area searches it.
    void this.loadPicker().then((picker) => {
      const now = this.slashToken();
      if (now) picker.openPicker('slash', now.query);
    });
  }

  /** The text is nothing but a "/shortcut": it is a search for a reply, never a message. */
  isShortcut(): boolean {
    return this.host.agentTools && /^\s*\/[^\s/]*\s*$/.test(this.access.text());
  }

  /**
   * Send with a "/shortcut" as the text: the picker opens on that search (with no match it stays
   * open and says so) instead; the text never reaches the customer.
   */
  searchShortcut(): void {
    const query = this.access.text().trim().slice(1);
    void this.loadPicker().then((picker) => {
      if (!picker.open || picker.mode !== 'slash') picker.openPicker('slash', query);
    });
  }

  /** A reply's text in place of the "/…" that opened the reply picker, else at the caret. */
  insertReplyText(text: string, fromSlash: boolean): void {
    const el = this.access.input();
    let start = el?.selectionStart ?? this.access.text().length;
    let end = el?.selectionEnd ?? start;
    if (fromSlash) {
      const token = this.slashToken();
      if (token) {
        start = token.start;
        end = token.start + token.query.length + 1;
      }
    }
    this.slashDismissed = undefined;
    this.access.replaceRange(start, end, text);
  }

  private async loadPicker(): Promise<ReplyPicker> {
    if (this.picker) return this.picker;
    this.pickerLoading ??= import('./reply-picker.js').then((m) => {
      adoptLazyStyles(this.host, m.pickerStyles);
      this.picker = new m.ReplyPicker(this.host);
      return this.picker;
    });
    return this.pickerLoading;
  }

  /** Opens the Insert picker (unless open already). */
  openInsertPicker(): void {
    void this.loadPicker().then((picker) => {
      if (!picker.open) picker.openPicker('button');
    });
  }

  /** Opens the quick-reply form with `text`. */
  openQuickReplyForm(text: string): void {
    void this.loadPicker().then((picker) => {
      picker.saveAsQuickReply(text);
    });
  }

  private readonly onInsertClick = async (): Promise<void> => {
    const picker = await this.loadPicker();
    if (picker.open) picker.close(true);
    else picker.openPicker('button');
  };

  private readonly onEmojiClick = async (): Promise<void> => {
    if (!this.emoji) {
      const m = await import('../../internal/emoji-picker.js');
      adoptLazyStyles(this.host, [m.emojiStyles]);
      this.emoji ??= new m.EmojiPicker(this.host);
    }
    this.emoji.toggle();
  };

  private readonly onDocumentClick = async (): Promise<void> => {
    if (!this.documents) {
      const m = await import('./document-picker.js');
      adoptLazyStyles(this.host, [m.documentStyles]);
      this.documents ??= new m.DocumentPicker(this.host);
    }
    this.documents.toggle();
  };

  private readonly onAttachClick = (): void => {
    this.host.renderRoot.querySelector<HTMLInputElement>('#file-input')?.click();
  };

  private readonly onFilesChosen = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.host.addFiles(files);
  };

  /** The row of tool buttons (nothing without `agent-tools`). */
  render() {
    if (!this.host.agentTools) return nothing;
    const disabled = this.host.disabledReason !== '';
    const pickerOpen = this.picker?.open === true;
    const text = this.access.text();
    const canSave = text.trim() !== '' && !disabled;
    return html`<div class="tools" part="tools" role="group" aria-label=${msg('Insert and attach', { id: 'chat-composer.tools' })}>
      <button
        class="btn btn--quiet tool"
        part="insert-button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${pickerOpen ? 'true' : 'false'}
        title=${msg('Quick replies, templates and FAQs (or type /)', { id: 'chat-composer.insert-title' })}
        ?disabled=${disabled}
        @click=${this.onInsertClick}
      >
        ${icons.insert}<span>${msg('Insert', { id: 'chat-composer.insert' })}</span>
      </button>
      <button
        class="btn btn--quiet tool tool--icon"
        part="emoji-button"
        type="button"
        aria-haspopup="dialog"
        aria-expanded=${this.emoji?.open === true ? 'true' : 'false'}
        aria-label=${msg('Insert emoji', { id: 'chat-composer.emoji-button' })}
        title=${msg('Insert emoji', { id: 'chat-composer.emoji-button' })}
        ?disabled=${disabled}
        @click=${this.onEmojiClick}
      >
        ${icons.emoji}
      </button>
      <button
        class="btn btn--quiet tool tool--icon"
        part="attach-button"
        type="button"
        aria-label=${msg('Attach files', { id: 'chat-composer.attach' })}
        title=${msg('Attach files (or drop them on the conversation, or paste)', { id: 'chat-composer.attach-title' })}
        ?disabled=${disabled}
        @click=${this.onAttachClick}
      >
        ${icons.attach}
      </button>
      ${this.host.crmProvider
        ? html`<button
            class="btn btn--quiet tool tool--icon"
            part="document-button"
            type="button"
            aria-haspopup="dialog"
            aria-expanded=${this.documents?.open === true ? 'true' : 'false'}
            aria-label=${msg('Select a CRM document', { id: 'chat-composer.documents.title' })}
            title=${msg('Select a CRM document', { id: 'chat-composer.documents.title' })}
            ?disabled=${disabled}
            @click=${this.onDocumentClick}
          >
            ${icons.document}
          </button>`
        : nothing}
      <button
        class="btn btn--quiet tool tool--icon"
        part="save-reply-button"
        type="button"
        aria-label=${msg('Save as quick reply', { id: 'chat-composer.save-reply' })}
        title=${msg('Save as quick reply', { id: 'chat-composer.save-reply' })}
        aria-disabled=${canSave ? 'false' : 'true'}
        ?disabled=${disabled}
        @click=${() => {
          if (canSave) this.openQuickReplyForm(this.access.text());
        }}
      >
        ${icons.save}
      </button>
      <input id="file-input" type="file" multiple accept=${ATTACHMENT_ACCEPT} hidden tabindex="-1" @change=${this.onFilesChosen} />
    </div>`;
  }

  /** The open panels (top layer). */
  renderPanels() {
    return html`${this.picker?.render() ?? nothing}${this.emoji?.render() ?? nothing}${this.documents?.render() ?? nothing}`;
  }
}
