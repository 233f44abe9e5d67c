/**
 * The wrap-up in the End chat dialog (issue 18): what the chat's channel asks of the agent who
 * ends it (`client.getWrapUpSettings`: a closing comment off / optional / required, the tags to
 * choose from or free tags, a tag required), filled in from what the chat already has, checked
 * here before the dialog closes (the error next to the field, focus on it) and by the server
 * again; and "Close without notifying the customer" (spam). Until the channel's settings arrive
 * (or when they cannot be read) the fields are the defaults: an optional comment and free tags.
 * Everything typed is sent as text; nothing here is rendered as markup.
 */
import type { ReactiveControllerHost } from 'lit';
import { css, html, nothing } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import type { WrapUpSettings } from '../../protocol/channel-settings.js';
import { MAX_CHAT_TAGS, MAX_CLOSING_COMMENT, MAX_TAG } from '../../protocol/limits.js';
import type { SessionSummary } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { formStyles } from '../../styles/form.styles.js';

const DEFAULTS: WrapUpSettings = { comment: 'optional', tags: [], tagsRequired: false };

export interface WrapUpHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly client?: ChatClient | undefined;
}

/** What `end` is given: the wrap-up (only what was filled in) and whether to tell the customer. */
export interface EndOptions {
  wrapUp?: { comment?: string; tags?: string[] };
  notify?: boolean;
}

/** Free tags as typed: split at commas, trimmed, without empties or duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

/** What the channel still needs, next to its field. */
interface WrapUpErrors {
  comment?: string;
  tags?: string;
}

export class WrapUpDialog {
  settings: WrapUpSettings = DEFAULTS;
  private comment = '';
  /** Tags chosen from the channel's list. */
  private chosen = new Set<string>();
  /** Free tags as typed (when the channel lists none). */
  private freeTags = '';
  /** What the chat had when the dialog opened (sent only when changed). */
  private before = { comment: '', tags: [] as string[] };
  silent = false;
  private errors: WrapUpErrors = {};
  /** Which opening the settings answer belongs to (a late answer for an earlier one is ignored). */
  private opening = 0;

  constructor(private readonly host: WrapUpHost) {}

  /** The dialog opens for `session`: its stored wrap-up, then the channel's requirements. */
  open(session: SessionSummary | undefined): void {
    adoptLazyStyles(this.host, wrapUpStyles);
    const tags = session?.tags ?? [];
    this.before = { comment: session?.closingComment ?? '', tags };
    this.comment = this.before.comment;
    this.chosen = new Set(tags);
    this.freeTags = tags.join(', ');
    this.silent = false;
    this.errors = {};
    this.settings = DEFAULTS;
    const n = ++this.opening;
    const client = this.host.client;
    if (!client || !session) return;
    client.getWrapUpSettings(session.channelId).then(
      (settings) => {
        if (n !== this.opening) return;
        this.settings = settings;
        this.host.requestUpdate();
      },
      () => undefined, // the defaults stay; the server checks the channel's rules at the end
    );
  }

  private tags(): string[] {
    return this.settings.tags.length > 0 ? this.settings.tags.filter((t) => this.chosen.has(t)) : parseTags(this.freeTags);
  }

  /**
   * Checks what the channel requires. Valid: the options for `end`. Else the errors show next to
   * the fields, the first one is focused, and undefined is returned (the dialog stays open).
   */
  check(): EndOptions | undefined {
    const s = this.settings;
    const comment = s.comment === 'off' ? '' : this.comment.trim();
    const tags = this.tags();
    const errors: WrapUpErrors = {};
    if (s.comment === 'required' && comment === '') errors.comment = msg('Write a closing comment: this channel requires one.', { id: 'chat-conversation.wrapup.need-comment' });
    if (tags.length > MAX_CHAT_TAGS) errors.tags = msg(str`Choose at most ${MAX_CHAT_TAGS} tags.`, { id: 'chat-conversation.wrapup.too-many-tags' });
    else if (tags.some((t) => t.length > MAX_TAG)) errors.tags = msg(str`A tag has at most ${MAX_TAG} characters.`, { id: 'chat-conversation.wrapup.tag-too-long' });
    else if (s.tagsRequired && tags.length === 0) errors.tags = msg('Choose at least one tag: this channel requires one.', { id: 'chat-conversation.wrapup.need-tag' });
    this.errors = errors;
    this.host.requestUpdate();
    if (errors.comment !== undefined || errors.tags !== undefined) {
      void this.host.updateComplete.then(() => {
        this.host.renderRoot.querySelector<HTMLElement>(errors.comment !== undefined ? '#wrapup-comment' : '[data-wrapup-tags]')?.focus();
      });
      return undefined;
    }
    const wrapUp: NonNullable<EndOptions['wrapUp']> = {};
    if (s.comment !== 'off' && comment !== this.before.comment.trim()) wrapUp.comment = comment;
    if (tags.join('\n') !== this.before.tags.join('\n')) wrapUp.tags = tags;
    return { ...(Object.keys(wrapUp).length > 0 ? { wrapUp } : {}), ...(this.silent ? { notify: false } : {}) };
  }

  private set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  private error(kind: 'comment' | 'tags') {
    const text = this.errors[kind];
    return text !== undefined ? html`<p id="wrapup-${kind}-error" class="field-error" part="wrapup-error">${text}</p>` : nothing;
  }

  private renderTags() {
    const s = this.settings;
    const invalid = this.errors.tags !== undefined ? 'true' : 'false';
    const described = this.errors.tags !== undefined ? 'wrapup-tags-error' : nothing;
    if (s.tags.length === 0) {
      return html`<div class="field">
        <label for="wrapup-tags">${s.tagsRequired
          ? msg('Tags, separated by commas (at least one)', { id: 'chat-conversation.wrapup.free-tags-required' })
          : msg('Tags, separated by commas', { id: 'chat-conversation.wrapup.free-tags' })}</label>
        <input
          id="wrapup-tags"
          data-wrapup-tags
          part="wrapup-tags"
          type="text"
          autocomplete="off"
          aria-invalid=${invalid}
          aria-describedby=${described}
          .value=${this.freeTags}
          @input=${(e: Event) => {
            this.set(() => {
              this.freeTags = (e.target as HTMLInputElement).value;
            });
          }}
        />
        ${this.error('tags')}
      </div>`;
    }
    return html`<fieldset class="wrapup-tags" part="wrapup-tags" data-wrapup-tags tabindex="-1" aria-invalid=${invalid} aria-describedby=${described}>
      <legend>${s.tagsRequired ? msg('Tags (at least one)', { id: 'chat-conversation.wrapup.tags-required' }) : msg('Tags', { id: 'chat-conversation.wrapup.tags' })}</legend>
      <div class="wrapup-tag-list">
        ${s.tags.map(
          (tag, i) => html`<span class="field--check wrapup-tag" part="wrapup-tag">
            <input
              id=${`wrapup-tag-${String(i)}`}
              type="checkbox"
              .checked=${this.chosen.has(tag)}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                this.set(() => {
                  this.chosen = new Set(on ? [...this.chosen, tag] : [...this.chosen].filter((t) => t !== tag));
                });
              }}
            /><label for=${`wrapup-tag-${String(i)}`}>${tag}</label>
          </span>`,
        )}
      </div>
      ${this.error('tags')}
    </fieldset>`;
  }

  /** The fields inside the End chat dialog: comment, tags, close without notifying. */
  render() {
    const s = this.settings;
    return html`<div class="wrapup" part="wrapup">
      ${s.comment === 'off'
        ? nothing
        : html`<div class="field">
            <label for="wrapup-comment"
              >${s.comment === 'required'
                ? msg('Closing comment (required)', { id: 'chat-conversation.wrapup.comment-required' })
                : msg('Closing comment (optional)', { id: 'chat-conversation.wrapup.comment' })}</label
            >
            <textarea
              id="wrapup-comment"
              part="wrapup-comment"
              rows="2"
              maxlength=${MAX_CLOSING_COMMENT}
              aria-invalid=${this.errors.comment !== undefined ? 'true' : 'false'}
              aria-describedby=${this.errors.comment !== undefined ? 'wrapup-comment-error' : nothing}
              .value=${this.comment}
              @input=${(e: Event) => {
                this.set(() => {
                  this.comment = (e.target as HTMLTextAreaElement).value;
                });
              }}
            ></textarea>
            ${this.error('comment')}
          </div>`}
      ${this.renderTags()}
      <div class="field--check wrapup-silent">
        <input
          id="wrapup-silent"
          part="wrapup-silent"
          type="checkbox"
          aria-describedby="wrapup-silent-hint"
          .checked=${this.silent}
          @change=${(e: Event) => {
            this.set(() => {
              this.silent = (e.target as HTMLInputElement).checked;
            });
          }}
        /><label for="wrapup-silent">${msg('Close without notifying the customer (spam)', { id: 'chat-conversation.wrapup.silent' })}</label>
        <p id="wrapup-silent-hint" class="field-hint">${msg('The customer is not told that the chat has ended.', { id: 'chat-conversation.wrapup.silent-hint' })}</p>
      </div>
    </div>`;
  }
}

/** Added to the conversation's shadow root when the dialog first opens. */
export const wrapUpStyles = [
  formStyles,
  css`
    .end-dialog {
      width: min(32rem, calc(100vw - 32px));
    }
    .wrapup {
      display: flex;
      flex-direction: column;
      gap: var(--_space-m);
      margin: 0 0 var(--_space-l);
    }
    .wrapup textarea {
      resize: vertical;
    }
    .wrapup-tags {
      margin: 0;
      padding: 0;
      border: 0;
      min-width: 0;
    }
    .wrapup-tags legend {
      padding: 0;
      margin: 0 0 2px;
      font-weight: 600;
    }
    .wrapup-tags[aria-invalid='true'] .wrapup-tag-list {
      outline: 2px solid var(--_danger);
      outline-offset: 2px;
      border-radius: var(--_radius-s);
    }
    .wrapup-tag-list {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--_space-m);
    }
  `,
];
