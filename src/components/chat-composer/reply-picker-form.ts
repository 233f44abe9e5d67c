/**
 * The Insert picker's quick-reply form: a new quick reply (from the picker, the composer's text or
 * a sent message) or an edited one: title (never shown to customers), content, shortcut, folder,
 * language and, for managers, "Shared with everyone"; the server's field errors in the interface's
 * language next to each field, focus on the first of them.
 */
import type { TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { MAX_QUICK_REPLY_TITLE, MAX_REPLY_FOLDER, MAX_REPLY_SHORTCUT, MAX_REPLY_TEXT } from '../../protocol/limits.js';
import type { Reply, ReplyLanguage } from '../../protocol/replies.js';
import { ChatError, ChatHttpError } from '../../state/types.js';
import type { ReplyPicker } from './reply-picker.js';

export interface FormState {
  /** Editing this reply; undefined for a new one. */
  id?: string | undefined;
  title: string;
  text: string;
  shortcut: string;
  folder: string;
  language: ReplyLanguage;
  shared: boolean;
  /** Where to go after saving or cancelling. */
  back: 'browse' | 'manage' | 'close';
}

const FORM_FIELDS = ['title', 'text', 'shortcut', 'folder', 'language', 'shared'] as const;
type FormField = (typeof FORM_FIELDS)[number];

/**
 * A server's field message in the interface's language when it is one of the known ones
 * (server/core/replies.ts words them), else as the server sent it.
 */
export function replyFieldMessage(field: string, message: string): string {
  const max = /^Use at most (\d+) characters\.$/.exec(message);
  if (max) {
    const n = Number(max[1]);
    return msg(str`Use at most ${n} characters.`, { id: 'chat-composer.form.error.max' });
  }
  switch (message) {
    case 'Enter a title.':
      return msg('Enter a title.', { id: 'chat-composer.form.error.title' });
    case 'Enter the text.':
      return msg('Enter the text.', { id: 'chat-composer.form.error.text' });
    case 'Use a single line without control characters.':
      return msg('Use a single line without control characters.', { id: 'chat-composer.form.error.one-line' });
    case 'Remove control characters (line breaks and tabs are fine).':
      return msg('Remove control characters (line breaks and tabs are fine).', { id: 'chat-composer.form.error.control' });
    case 'Another reply already uses this shortcut.':
      return msg('Another reply already uses this shortcut.', { id: 'chat-composer.form.error.shortcut-taken' });
    default:
      if (field === 'shortcut' && message.startsWith('Use 1–')) {
        return msg(str`Use 1–${MAX_REPLY_SHORTCUT} lower-case letters, digits or hyphens.`, { id: 'chat-composer.form.error.shortcut' });
      }
      return message;
  }
}

/** The form's state, its saving and its view. */
export class ReplyForm {
  /** The form being filled in; undefined while none is open. */
  state: FormState | undefined;
  private errors: Partial<Record<FormField | 'general', string>> = {};
  private saving = false;

  constructor(private readonly picker: ReplyPicker) {}

  /** Forgets the form (the picker closed). */
  reset(): void {
    this.state = undefined;
    this.errors = {};
  }

  /** Opens the form on `r` (undefined: a new quick reply, with `preset` text); `back` says where Save and Cancel lead. */
  open(r: Reply | undefined, preset: { text?: string } = {}, back: FormState['back'] = 'browse'): void {
    this.state = r
      ? { id: r.id, title: r.title, text: r.text, shortcut: r.shortcut ?? '', folder: r.folder, language: r.language, shared: r.ownerId === null, back }
      : { title: '', text: preset.text ?? '', shortcut: '', folder: this.picker.folder, language: this.picker.language, shared: false, back };
    this.errors = {};
    this.picker.view = 'form';
    this.picker.moveFocus('reply-form-title');
  }

  /** Leaves the form (saved or cancelled) for the view it was opened from, or closes the picker. */
  leave(saved: boolean): void {
    const back = this.state?.back ?? 'browse';
    this.state = undefined;
    this.errors = {};
    if (back === 'close') {
      this.picker.close('input');
      return;
    }
    this.picker.view = back;
    if (saved) this.picker.mode = 'button';
    this.picker.moveFocus(back === 'manage' ? 'picker-manage-heading' : 'picker-search');
  }

  private async save(): Promise<void> {
    const client = this.picker.client;
    const form = this.state;
    if (!client || !form || this.saving) return;
    const me = this.picker.me();
    const input = {
      kind: 'quick-reply' as const,
      title: form.title,
      text: form.text,
      shortcut: form.shortcut.trim() === '' ? null : form.shortcut.trim(),
      folder: form.folder,
      language: form.language,
      ...(me?.manageQuickReplies ? { shared: form.shared } : {}),
    };
    this.saving = true;
    this.errors = {};
    this.picker.update();
    try {
      const saved = form.id !== undefined ? await client.updateReply(form.id, input) : await client.createReply(input);
      this.picker.putReply(saved);
      announce(msg(str`Quick reply “${saved.title}” saved.`, { id: 'chat-composer.form.saved' }));
      this.leave(true);
    } catch (error) {
      const errors: Partial<Record<FormField | 'general', string>> = {};
      if (error instanceof ChatHttpError && error.fields) {
        for (const [field, message] of Object.entries(error.fields)) {
          if ((FORM_FIELDS as readonly string[]).includes(field)) errors[field as FormField] = replyFieldMessage(field, message);
          else errors.general = replyFieldMessage(field, message);
        }
      }
      if (Object.keys(errors).length === 0 || errors.general !== undefined) {
        const code = error instanceof ChatError ? error.code : 'internal';
        errors.general ??=
          code === 'forbidden'
            ? msg('You may not change shared quick replies.', { id: 'chat-composer.form.error.forbidden' })
            : code === 'offline'
              ? msg('The server could not be reached. Try again.', { id: 'chat-composer.form.error.offline' })
              : msg('The quick reply could not be saved. Try again.', { id: 'chat-composer.form.error.other' });
      }
      this.errors = errors;
      const first = FORM_FIELDS.find((f) => errors[f] !== undefined);
      this.picker.moveFocus(first ? `reply-form-${first}` : 'reply-form-error');
      announce(msg('The quick reply was not saved: check the marked fields.', { id: 'chat-composer.form.not-saved' }), { assertive: true });
    } finally {
      this.saving = false;
      this.picker.update();
    }
  }

  private field(
    field: FormField,
    label: string,
    control: (describedBy: string | undefined, invalid: boolean) => TemplateResult,
    hint?: string,
  ): TemplateResult {
    const error = this.errors[field];
    const ids = [hint !== undefined ? `reply-form-${field}-hint` : '', error !== undefined ? `reply-form-${field}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for="reply-form-${field}">${label}</label>
      ${control(ids === '' ? undefined : ids, error !== undefined)}
      ${hint !== undefined ? html`<p id="reply-form-${field}-hint" class="field-hint">${hint}</p>` : nothing}
      ${error !== undefined ? html`<p id="reply-form-${field}-error" class="field-error" part="picker-field-error">${error}</p>` : nothing}
    </div>`;
  }

  /** The form (nothing while none is open). */
  render() {
    const form = this.state;
    if (!form) return nothing;
    const set = (patch: Partial<FormState>) => {
      Object.assign(form, patch);
    };
    const folders = [...new Set(this.picker.replies.filter((r) => r.kind === 'quick-reply' && r.folder !== '').map((r) => r.folder))].sort((a, b) => a.localeCompare(b));
    const manages = this.picker.me()?.manageQuickReplies === true;
    return html`<form
      class="reply-form"
      part="picker-form"
      aria-labelledby="reply-form-heading"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.save();
      }}
    >
      <h3 id="reply-form-heading" class="manage-title">
        ${form.id !== undefined ? msg('Edit quick reply', { id: 'chat-composer.form.edit-title' }) : msg('New quick reply', { id: 'chat-composer.picker.new' })}
      </h3>
      ${this.errors.general !== undefined
        ? html`<p id="reply-form-error" class="field-error field-error--general" part="picker-form-error" tabindex="-1">${this.errors.general}</p>`
        : nothing}
      ${this.field(
        'title',
        msg('Title', { id: 'chat-composer.form.title' }),
        (d, invalid) =>
          html`<input
            id="reply-form-title"
            type="text"
            maxlength=${MAX_QUICK_REPLY_TITLE}
            aria-describedby=${ifDefined(d)}
            aria-invalid=${invalid ? 'true' : 'false'}
            .value=${live(form.title)}
            @input=${(e: Event) => {
              set({ title: (e.target as HTMLInputElement).value });
            }}
          />`,
        msg('Only agents see the title; customers never do.', { id: 'chat-composer.form.title-hint' }),
      )}
      ${this.field(
        'text',
        msg('Content', { id: 'chat-composer.form.text' }),
        (d, invalid) =>
          html`<textarea
            id="reply-form-text"
            rows="4"
            maxlength=${MAX_REPLY_TEXT}
            aria-describedby=${ifDefined(d)}
            aria-invalid=${invalid ? 'true' : 'false'}
            .value=${live(form.text)}
            @input=${(e: Event) => {
              set({ text: (e.target as HTMLTextAreaElement).value });
            }}
          ></textarea>`,
        msg('Variables: {{customer.name}}, {{agent.name}}, {{channel.name}}', { id: 'chat-composer.form.text-hint' }),
      )}
      <div class="field-row">
        ${this.field(
          'shortcut',
          msg('Shortcut (optional)', { id: 'chat-composer.form.shortcut' }),
          (d, invalid) =>
            html`<input
              id="reply-form-shortcut"
              type="text"
              autocomplete="off"
              spellcheck="false"
              aria-describedby=${ifDefined(d)}
              aria-invalid=${invalid ? 'true' : 'false'}
              .value=${live(form.shortcut)}
              @input=${(e: Event) => {
                set({ shortcut: (e.target as HTMLInputElement).value });
              }}
            />`,
          msg('Type / and the shortcut in the message box.', { id: 'chat-composer.form.shortcut-hint' }),
        )}
        ${this.field('folder', msg('Folder (optional)', { id: 'chat-composer.form.folder' }), (d, invalid) =>
          html`<input
              id="reply-form-folder"
              type="text"
              list="reply-form-folders"
              maxlength=${MAX_REPLY_FOLDER}
              aria-describedby=${ifDefined(d)}
              aria-invalid=${invalid ? 'true' : 'false'}
              .value=${live(form.folder)}
              @input=${(e: Event) => {
                set({ folder: (e.target as HTMLInputElement).value });
              }}
            /><datalist id="reply-form-folders">${folders.map((f) => html`<option value=${f}></option>`)}</datalist>`,
        )}
      </div>
      <div class="field-row">
        ${this.field(
          'language',
          msg('Language of the text', { id: 'chat-composer.form.language' }),
          (d, invalid) =>
            html`<select
              id="reply-form-language"
              aria-describedby=${ifDefined(d)}
              aria-invalid=${invalid ? 'true' : 'false'}
              .value=${live(form.language)}
              @change=${(e: Event) => {
                set({ language: (e.target as HTMLSelectElement).value === 'sv' ? 'sv' : 'en' });
              }}
            >
              <option value="en" ?selected=${form.language === 'en'}>English</option>
              <option value="sv" ?selected=${form.language === 'sv'} lang="sv">Svenska</option>
            </select>`,
        )}
      </div>
      ${manages
        ? html`<div class="field field--check">
            <input
              id="reply-form-shared"
              type="checkbox"
              aria-describedby=${this.errors.shared !== undefined ? 'reply-form-shared-hint reply-form-shared-error' : 'reply-form-shared-hint'}
              .checked=${live(form.shared)}
              @change=${(e: Event) => {
                set({ shared: (e.target as HTMLInputElement).checked });
              }}
            /><label for="reply-form-shared">${msg('Shared with everyone', { id: 'chat-composer.form.shared' })}</label>
            <p id="reply-form-shared-hint" class="field-hint">${msg('Every agent can use it; only managers can change it.', { id: 'chat-composer.form.shared-hint' })}</p>
            ${this.errors.shared !== undefined ? html`<p id="reply-form-shared-error" class="field-error">${this.errors.shared}</p>` : nothing}
          </div>`
        : nothing}
      <div class="form-actions">
        <button class="btn" part="picker-form-cancel" type="button" @click=${() => {
          this.leave(false);
        }}>${msg('Cancel', { id: 'chat-composer.manage.cancel' })}</button>
        <button class="btn btn--primary" part="picker-form-save" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.saving ? msg('Saving…', { id: 'chat-composer.form.saving' }) : msg('Save', { id: 'chat-composer.form.save' })}
        </button>
      </div>
    </form>`;
  }
}
