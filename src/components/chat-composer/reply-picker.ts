/**
 * The composer's Insert picker (loaded on first use): the reply library in a panel above the
 * composer, in the composer's own shadow root (so the text area can point at the options with
 * `aria-activedescendant` while "/" searches).
 *
 * - Tabs: Quick replies / Reply templates / FAQs (APG tabs, automatic activation).
 * - Filters: folder, All / Favourites / Recently used, language (the UI language first).
 * - A search field (combobox) over a listbox; ↑ ↓ Home End move, Enter inserts, Tab moves on to
 *   the filters. Opened by typing "/" the text area itself is the combobox.
 * - A preview of the highlighted reply as it will be inserted, with the favourite star.
 * - Quick replies: Manage (edit, delete with confirmation) and a form (title never shown to
 *   customers, content, shortcut, folder, "Shared with everyone" for managers), the server's field
 *   errors next to each field.
 *
 * Variables are resolved with `resolveVariables()` as text; the result only ever goes into the
 * text area's value. Replies are rendered with text bindings.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

import { getChatLocale, msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { logicalKey } from '../../internal/keys.js';
import { MAX_QUICK_REPLY_TITLE, MAX_REPLY_FOLDER, MAX_REPLY_SHORTCUT, MAX_REPLY_TEXT } from '../../protocol/limits.js';
import type { Reply, ReplyKind, ReplyLanguage } from '../../protocol/replies.js';
import { replyContext, replyText } from './reply-text.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError, ChatHttpError } from '../../state/types.js';
import { formStyles } from '../../styles/form.styles.js';
import { comboboxMove, ComposerPopover } from '../../internal/composer-popover.js';

/** What the picker needs from the composer. */
export interface ReplyPickerHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  readonly sessionId?: string | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Puts a reply's text into the composer: in place of the "/…" that opened the picker, else at the caret. */
  insertReplyText(text: string, fromSlash: boolean): void;
  /** Moves focus back to the text area. */
  focusInput(): void;
  /** Focuses the Insert button (where focus returns after the picker closes when it was opened from there). */
  focusInsertButton(): void;
}

type View = 'browse' | 'manage' | 'form';
type Show = 'all' | 'favourites' | 'recent';

interface FormState {
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

const KINDS: readonly ReplyKind[] = ['quick-reply', 'template', 'faq'];
const RECENT_COUNT = 10;
const FORM_FIELDS = ['title', 'text', 'shortcut', 'folder', 'language', 'shared'] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** Lower case without accents, for search. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const idPart = (id: string) => id.replace(/[^\w-]/g, '_');

const starIcon = (on: boolean) =>
  html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1.6l1.9 4 4.4.5-3.3 3 .9 4.3L8 11.2l-3.9 2.2.9-4.3-3.3-3 4.4-.5z" fill=${on ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/></svg>`;

/** The label of a reply kind's tab. */
function kindLabel(kind: ReplyKind): string {
  switch (kind) {
    case 'quick-reply':
      return msg('Quick replies', { id: 'chat-composer.picker.tab.quick' });
    case 'template':
      return msg('Reply templates', { id: 'chat-composer.picker.tab.templates' });
    default:
      return msg('FAQs', { id: 'chat-composer.picker.tab.faqs' });
  }
}

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

export class ReplyPicker extends ComposerPopover<ReplyPickerHost> {
  /** Opened by "/" in the text area (which stays focused) or by the Insert button. */
  mode: 'button' | 'slash' = 'button';
  view: View = 'browse';
  kind: ReplyKind = 'quick-reply';
  folder = '';
  showFilter: Show = 'all';
  /** How it was opened: by "/" (inserting replaces the "/…" text) or by the Insert button. */
  opener: 'button' | 'slash' = 'button';
  language: ReplyLanguage = getChatLocale() === 'sv' ? 'sv' : 'en';
  query = '';
  active = 0;
  private replies: Reply[] = [];
  /** The channel (`''`: none) whose replies are in `replies`; undefined before the first answer. */
  private loadedFor: string | undefined;
  private loading = false;
  /** Counts loads: only the answer of the latest one is used. */
  private loadRun = 0;
  private loadError = '';
  private form: FormState | undefined;
  private formErrors: Partial<Record<FormField | 'general', string>> = {};
  private saving = false;
  private confirmDelete: string | undefined;
  private manageNotice = '';
  constructor(host: ReplyPickerHost) {
    // Presses anywhere in the composer leave it open: the text area is its combobox when opened by "/".
    super(host, { panelId: 'picker', maxWidth: 720, inside: '.base' });
  }

  protected dismiss(): void {
    this.close(false);
  }

  protected override whileOpen(): void {
    this.host.renderRoot.querySelector(`#picker-option-${idPart(this.activeReply()?.id ?? '')}`)?.scrollIntoView({ block: 'nearest' });
  }

  // ---- opening and closing --------------------------------------------------------------------

  /** Opens the picker: from the Insert button (focus moves to the search field) or by "/" (the text area keeps it). */
  openPicker(mode: 'button' | 'slash', query = ''): void {
    const wasOpen = this.open;
    this.open = true;
    this.mode = mode;
    this.opener = mode;
    this.view = 'browse';
    this.query = query;
    this.active = 0;
    if (!wasOpen) {
      this.folder = '';
      this.showFilter = 'all';
      this.kind = 'quick-reply';
    }
    if (mode === 'button') this.focusNext = 'picker-search';
    if (!wasOpen) this.closeOthers();
    // What is cached shows at once; opening also asks again, so replies changed elsewhere show up.
    void this.load(!wasOpen);
    this.host.requestUpdate();
  }

  /** Opens the form for a new quick reply with `text` (from the composer or a sent message). */
  saveAsQuickReply(text: string): void {
    this.closeOthers();
    this.open = true;
    this.mode = 'button';
    this.opener = 'button';
    this.kind = 'quick-reply';
    this.openForm(undefined, { text }, 'close');
    void this.load();
  }

  /** Closes the picker; focus returns (`true`) to where it was opened from: the text area or the Insert button. */
  close(focus: boolean | 'input' | 'button' = true): void {
    if (!this.open) return;
    const to = focus === true ? (this.opener === 'slash' ? 'input' : 'button') : focus;
    this.open = false;
    this.view = 'browse';
    this.form = undefined;
    this.confirmDelete = undefined;
    this.host.requestUpdate();
    if (to === 'input') this.host.focusInput();
    else if (to === 'button') this.host.focusInsertButton();
  }

  /** The text after "/" changed (slash mode). */
  setQuery(query: string): void {
    if (this.query === query) return;
    this.query = query;
    this.active = 0;
    this.host.requestUpdate();
  }

  /** Attributes for the text area while "/" searches (the text area is then the combobox). */
  inputAria(): { controls?: string; activedescendant?: string } {
    if (!this.open || this.mode !== 'slash' || this.view !== 'browse') return {};
    const r = this.activeReply();
    return { controls: 'picker-list', ...(r ? { activedescendant: `picker-option-${idPart(r.id)}` } : {}) };
  }

  /**
   * Keys in the text area while "/" searches: ↑ ↓ Home End move, Enter inserts, Tab moves into the
   * picker (its tabs), Escape closes and keeps the text. Returns true when the key was used.
   */
  handleInputKey(event: KeyboardEvent): boolean {
    if (!this.open || this.mode !== 'slash' || this.view !== 'browse') return false;
    if (event.key === 'Tab' && !event.shiftKey) {
      event.preventDefault();
      this.mode = 'button';
      this.focusNext = `picker-tab-${this.kind}`;
      this.host.requestUpdate();
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close('input');
      return true;
    }
    return this.listKey(event);
  }

  // ---- data -------------------------------------------------------------------------------------

  private channelId(): string | undefined {
    const id = this.host.sessionId;
    return id === undefined ? undefined : this.host.client?.$session(id).get()?.channelId;
  }

  /**
   * Loads the replies of the shown chat's channel once; `force` asks again (in the background
   * when they are cached: the cached ones stay on screen until the answer replaces them, and the
   * highlighted reply stays highlighted if it is still there).
   */
  private async load(force = false): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    const channelId = this.channelId();
    const key = channelId ?? '';
    const cached = this.loadedFor === key && this.loadError === '';
    if (!force && cached) return;
    this.loadRun += 1;
    const run = this.loadRun;
    if (!cached) {
      // Another channel's replies may be restricted to it: never offer them for this chat.
      if (this.loadedFor !== key) {
        this.replies = [];
        this.loadedFor = undefined;
        this.active = 0;
      }
      this.loading = true;
      this.loadError = '';
      this.host.requestUpdate();
    }
    try {
      const replies = await client.listReplies({ channelId });
      // A later load (another chat, another opening) answers for itself.
      if (run !== this.loadRun) return;
      const activeId = this.activeReply()?.id;
      this.replies = replies;
      this.loadedFor = key;
      this.loadError = '';
      if (activeId !== undefined) {
        const index = this.filtered().findIndex((r) => r.id === activeId);
        if (index >= 0) this.active = index;
      }
    } catch {
      if (run !== this.loadRun) return;
      // A failed refresh keeps the replies on screen; with nothing loaded for this channel, say so.
      if (!cached) this.loadError = msg('The replies could not be loaded.', { id: 'chat-composer.picker.load-error' });
    } finally {
      if (run === this.loadRun) {
        this.loading = false;
        this.host.requestUpdate();
      }
    }
  }

  private me() {
    return this.host.client?.$agentMe.get();
  }

  /** Folders of the current kind and language, sorted. */
  private folders(): string[] {
    return [...new Set(this.replies.filter((r) => r.kind === this.kind && r.language === this.language && r.folder !== '').map((r) => r.folder))].sort((a, b) =>
      a.localeCompare(b),
    );
  }

  /** The options shown: kind, language, folder, favourites / recent, then the search. */
  filtered(): Reply[] {
    let list = this.replies.filter((r) => r.kind === this.kind && r.language === this.language);
    if (this.folder !== '') list = list.filter((r) => r.folder === this.folder);
    if (this.showFilter === 'favourites') list = list.filter((r) => r.favourite);
    if (this.showFilter === 'recent') {
      list = list
        .filter((r) => r.lastUsedAt !== null)
        .sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0))
        .slice(0, RECENT_COUNT);
    }
    // "/hello" in the search field finds the shortcut "hello", as typing "/hello" in the text area does.
    const q = fold(this.query.trim().replace(/^\//, ''));
    if (q === '') return list;
    const words = q.split(/\s+/);
    const score = (r: Reply): number => {
      const shortcut = fold(r.shortcut ?? '');
      const title = fold(r.title);
      if (shortcut !== '' && shortcut === q) return 0;
      if (shortcut.startsWith(q)) return 1;
      if (title.startsWith(q)) return 2;
      if (words.every((w) => title.includes(w))) return 3;
      return words.every((w) => fold(`${r.title} ${r.text} ${r.shortcut ?? ''} ${r.folder}`).includes(w)) ? 4 : -1;
    };
    return list
      .map((r, i) => ({ r, i, s: score(r) }))
      .filter((x) => x.s >= 0)
      .sort((a, b) => a.s - b.s || a.i - b.i)
      .map((x) => x.r);
  }

  private activeReply(): Reply | undefined {
    const list = this.filtered();
    if (list.length === 0) return undefined;
    return list[Math.min(this.active, list.length - 1)];
  }

  /** What a reply puts into the composer: its text with variables resolved, or an FAQ's title and link. */
  textOf(r: Reply): string {
    return replyText(r, replyContext(this.host.client, this.host.sessionId));
  }

  // ---- actions ----------------------------------------------------------------------------------

  private insert(r: Reply | undefined): void {
    if (!r) return;
    const fromSlash = this.opener === 'slash';
    const text = this.textOf(r);
    this.open = false;
    this.view = 'browse';
    this.host.requestUpdate();
    this.host.insertReplyText(text, fromSlash);
    this.replies = this.replies.map((x) => (x.id === r.id ? { ...x, lastUsedAt: Date.now(), useCount: x.useCount + 1 } : x));
    const client = this.host.client;
    if (client) {
      client.markReplyUsed(r.id).then(
        (updated) => {
          this.replies = this.replies.map((x) => (x.id === updated.id ? updated : x));
        },
        () => undefined,
      );
    }
  }

  private async toggleFavourite(r: Reply): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    const on = !r.favourite;
    this.replies = this.replies.map((x) => (x.id === r.id ? { ...x, favourite: on } : x));
    this.host.requestUpdate();
    try {
      const updated = await client.favouriteReply(r.id, on);
      this.replies = this.replies.map((x) => (x.id === updated.id ? updated : x));
      announce(
        on
          ? msg(str`${r.title} added to favourites.`, { id: 'chat-composer.picker.favourite-on' })
          : msg(str`${r.title} removed from favourites.`, { id: 'chat-composer.picker.favourite-off' }),
      );
    } catch {
      this.replies = this.replies.map((x) => (x.id === r.id ? { ...x, favourite: !on } : x));
      announce(msg('The favourite could not be saved. Try again.', { id: 'chat-composer.picker.favourite-error' }), { assertive: true });
    } finally {
      this.host.requestUpdate();
    }
  }

  /** May I change or delete this reply? My personal ones; shared ones with manageQuickReplies. */
  private mayEdit(r: Reply): boolean {
    const me = this.me();
    if (!me) return false;
    return r.ownerId === me.id || (r.ownerId === null && me.manageQuickReplies);
  }

  private openForm(r: Reply | undefined, preset: { text?: string } = {}, back: FormState['back'] = 'browse'): void {
    this.form = r
      ? { id: r.id, title: r.title, text: r.text, shortcut: r.shortcut ?? '', folder: r.folder, language: r.language, shared: r.ownerId === null, back }
      : { title: '', text: preset.text ?? '', shortcut: '', folder: this.folder, language: this.language, shared: false, back };
    this.formErrors = {};
    this.view = 'form';
    this.focusNext = 'reply-form-title';
    this.host.requestUpdate();
  }

  private leaveForm(saved: boolean): void {
    const back = this.form?.back ?? 'browse';
    this.form = undefined;
    this.formErrors = {};
    if (back === 'close') {
      this.close('input');
      return;
    }
    this.view = back;
    this.focusNext = back === 'manage' ? 'picker-manage-heading' : 'picker-search';
    if (saved) this.mode = 'button';
    this.host.requestUpdate();
  }

  private async saveForm(): Promise<void> {
    const client = this.host.client;
    const form = this.form;
    if (!client || !form || this.saving) return;
    const me = this.me();
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
    this.formErrors = {};
    this.host.requestUpdate();
    try {
      const saved = form.id !== undefined ? await client.updateReply(form.id, input) : await client.createReply(input);
      const exists = this.replies.some((r) => r.id === saved.id);
      this.replies = exists ? this.replies.map((r) => (r.id === saved.id ? saved : r)) : [...this.replies, saved];
      announce(msg(str`Quick reply “${saved.title}” saved.`, { id: 'chat-composer.form.saved' }));
      this.leaveForm(true);
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
      this.formErrors = errors;
      const first = FORM_FIELDS.find((f) => errors[f] !== undefined);
      this.focusNext = first ? `reply-form-${first}` : 'reply-form-error';
      announce(msg('The quick reply was not saved: check the marked fields.', { id: 'chat-composer.form.not-saved' }), { assertive: true });
    } finally {
      this.saving = false;
      this.host.requestUpdate();
    }
  }

  private async deleteReply(r: Reply): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    try {
      await client.deleteReply(r.id);
      this.replies = this.replies.filter((x) => x.id !== r.id);
      this.confirmDelete = undefined;
      this.manageNotice = msg(str`Quick reply “${r.title}” deleted.`, { id: 'chat-composer.manage.deleted' });
      announce(this.manageNotice);
      this.focusNext = 'picker-manage-heading';
    } catch {
      this.manageNotice = msg('The quick reply could not be deleted. Try again.', { id: 'chat-composer.manage.delete-error' });
      announce(this.manageNotice, { assertive: true });
    } finally {
      this.host.requestUpdate();
    }
  }

  // ---- keyboard --------------------------------------------------------------------------------

  /** ↑ ↓ Home End Enter on the combobox (search field or, for "/", the text area). */
  private listKey(event: KeyboardEvent): boolean {
    if (event.key === 'Enter') {
      if (event.shiftKey || event.isComposing) return false;
      event.preventDefault();
      this.insert(this.activeReply());
      return true;
    }
    const next = comboboxMove(event.key, this.active, this.filtered().length);
    if (next === undefined) return false;
    event.preventDefault();
    this.active = next;
    this.host.requestUpdate();
    return true;
  }

  /** The option under the pointer (options are not focusable: the combobox keeps focus). */
  private optionIndex(event: Event): number | undefined {
    const option = (event.target as Element).closest<HTMLElement>('[role=option]');
    const index = Number(option?.dataset.index);
    return option && Number.isInteger(index) ? index : undefined;
  }

  private readonly onListClick = (event: MouseEvent): void => {
    const i = this.optionIndex(event);
    if (i === undefined) return;
    this.active = i;
    this.insert(this.filtered()[i]);
  };

  private readonly onListHover = (event: PointerEvent): void => {
    const i = this.optionIndex(event);
    if (i === undefined || i === this.active) return;
    this.active = i;
    this.host.requestUpdate();
  };

  private readonly onSearchKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
      return;
    }
    this.listKey(event);
  };

  private readonly onSearchInput = (event: Event): void => {
    this.setQuery((event.target as HTMLInputElement).value);
  };

  /** Escape anywhere in the panel: out of the form or the manage view, else close. */
  private readonly onPanelKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    if (this.view === 'form') this.leaveForm(false);
    else if (this.view === 'manage') {
      if (this.confirmDelete !== undefined) {
        const id = this.confirmDelete;
        this.confirmDelete = undefined;
        this.focusNext = `manage-delete-${idPart(id)}`;
        this.host.requestUpdate();
      } else this.backToBrowse();
    } else this.close(true);
  };

  private readonly onTabKeydown = (event: KeyboardEvent): void => {
    const index = KINDS.indexOf(this.kind);
    let next: number | undefined;
    const key = logicalKey(event);
    if (key === 'ArrowRight') next = (index + 1) % KINDS.length;
    else if (key === 'ArrowLeft') next = (index - 1 + KINDS.length) % KINDS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = KINDS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    this.selectKind(KINDS[next] ?? 'quick-reply', true);
  };

  private selectKind(kind: ReplyKind, focusTab: boolean): void {
    this.kind = kind;
    this.folder = '';
    this.active = 0;
    if (focusTab) this.focusNext = `picker-tab-${kind}`;
    this.host.requestUpdate();
  }

  private readonly backToBrowse = (): void => {
    this.view = 'browse';
    this.confirmDelete = undefined;
    this.manageNotice = '';
    this.focusNext = 'picker-search';
    this.host.requestUpdate();
  };

  // ---- rendering --------------------------------------------------------------------------------

  private renderTabs() {
    return html`<div class="picker-tabs" role="tablist" aria-label=${msg('Kind of reply', { id: 'chat-composer.picker.tabs' })}>
      ${KINDS.map((kind) => {
        const selected = kind === this.kind;
        return html`<button
          id="picker-tab-${kind}"
          class="picker-tab"
          part="picker-tab${selected ? ' picker-tab--selected' : ''}"
          role="tab"
          type="button"
          aria-selected=${selected ? 'true' : 'false'}
          aria-controls="picker-tabpanel"
          tabindex=${selected ? '0' : '-1'}
          @click=${() => {
            this.selectKind(kind, false);
          }}
          @keydown=${this.onTabKeydown}
        >
          ${kindLabel(kind)}
        </button>`;
      })}
    </div>`;
  }

  private renderFilters() {
    const folders = this.folders();
    const choice = (value: Show, label: string) =>
      html`<label class="seg ${this.showFilter === value ? 'seg--on' : ''}"
        ><input
          type="radio"
          name="picker-show"
          value=${value}
          .checked=${live(this.showFilter === value)}
          @change=${() => {
            this.showFilter = value;
            this.active = 0;
            this.host.requestUpdate();
          }}
        />${label}</label
      >`;
    return html`<div class="picker-filters">
      <label class="picker-field">
        <span>${msg('Folder', { id: 'chat-composer.picker.folder' })}</span>
        <select
          id="picker-folder"
          .value=${live(this.folder)}
          @change=${(e: Event) => {
            this.folder = (e.target as HTMLSelectElement).value;
            this.active = 0;
            this.host.requestUpdate();
          }}
        >
          <option value="" ?selected=${this.folder === ''}>${msg('All folders', { id: 'chat-composer.picker.all-folders' })}</option>
          ${folders.map((f) => html`<option value=${f} ?selected=${this.folder === f}>${f}</option>`)}
        </select>
      </label>
      <div class="segs" role="radiogroup" aria-label=${msg('Show', { id: 'chat-composer.picker.show' })}>
        ${choice('all', msg('All', { id: 'chat-composer.picker.show.all' }))}
        ${choice('favourites', msg('Favourites', { id: 'chat-composer.picker.show.favourites' }))}
        ${choice('recent', msg('Recently used', { id: 'chat-composer.picker.show.recent' }))}
      </div>
      <label class="picker-field">
        <span>${msg('Language', { id: 'chat-composer.picker.language' })}</span>
        <select
          .value=${live(this.language)}
          @change=${(e: Event) => {
            this.language = (e.target as HTMLSelectElement).value === 'sv' ? 'sv' : 'en';
            this.folder = '';
            this.active = 0;
            this.host.requestUpdate();
          }}
        >
          <option value="en" ?selected=${this.language === 'en'}>English</option>
          <option value="sv" ?selected=${this.language === 'sv'} lang="sv">Svenska</option>
        </select>
      </label>
    </div>`;
  }

  private renderOption(r: Reply, i: number, activeId: string | undefined) {
    const id = `picker-option-${idPart(r.id)}`;
    const selected = id === activeId;
    return html`<div
      id=${id}
      class="option ${selected ? 'option--active' : ''}"
      part="picker-option${selected ? ' picker-option--active' : ''}"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      data-index=${i}
    >
      <span class="option-title">${r.title}</span>
      ${r.favourite ? html`<span class="option-star">${starIcon(true)}<span class="visually-hidden">${msg('Favourite', { id: 'chat-composer.picker.favourite' })}</span></span>` : nothing}
      <span class="option-meta"
        >${r.shortcut !== null ? html`<span class="option-shortcut">/${r.shortcut}</span>` : nothing}${r.folder !== '' && this.folder === ''
          ? html`<span class="option-folder">${r.folder}</span>`
          : nothing}</span
      >
    </div>`;
  }

  private renderPreview(r: Reply | undefined) {
    if (!r) return html`<div class="preview preview--empty" id="picker-preview"></div>`;
    const text = this.textOf(r);
    const mine = this.me()?.id === r.ownerId;
    return html`<div class="preview" id="picker-preview" part="picker-preview" role="region" aria-label=${msg('Preview', { id: 'chat-composer.picker.preview' })}>
      <div class="preview-head">
        <h3 class="preview-title">${r.title}</h3>
        <button
          class="btn btn--quiet star ${r.favourite ? 'star--on' : ''}"
          part="picker-favourite"
          type="button"
          aria-pressed=${r.favourite ? 'true' : 'false'}
          title=${msg('Favourite', { id: 'chat-composer.picker.favourite' })}
          @click=${() => void this.toggleFavourite(r)}
        >
          ${starIcon(r.favourite)}<span>${msg('Favourite', { id: 'chat-composer.picker.favourite' })}</span>
        </button>
      </div>
      <p class="preview-facts">
        ${r.kind === 'quick-reply'
          ? mine
            ? msg('Personal', { id: 'chat-composer.picker.personal' })
            : r.ownerId === null
              ? msg('Shared', { id: 'chat-composer.picker.shared' })
              : nothing
          : nothing}
        ${r.shortcut !== null ? html`<span>/${r.shortcut}</span>` : nothing} ${r.folder !== '' ? html`<span>${r.folder}</span>` : nothing}
      </p>
      <p class="preview-text" part="picker-preview-text">${text}</p>
      ${r.kind === 'faq' && r.text.trim() !== '' ? html`<p class="preview-note">${r.text}</p>` : nothing}
      ${r.kind === 'quick-reply' && this.mayEdit(r)
        ? html`<button
            class="btn"
            part="picker-edit"
            type="button"
            @click=${() => {
              this.openForm(r, {}, 'browse');
            }}
          >
            ${msg('Edit', { id: 'chat-composer.picker.edit' })}
          </button>`
        : nothing}
    </div>`;
  }

  private renderBrowse() {
    const list = this.filtered();
    const active = this.activeReply();
    const activeId = active ? `picker-option-${idPart(active.id)}` : undefined;
    const slash = this.mode === 'slash';
    let empty = '';
    if (this.loading && this.replies.length === 0) empty = msg('Loading replies…', { id: 'chat-composer.picker.loading' });
    else if (this.loadError !== '') empty = this.loadError;
    else if (list.length === 0)
      empty =
        this.query.trim() !== ''
          ? msg(str`Nothing matches “${this.query.trim()}”.`, { id: 'chat-composer.picker.no-match' })
          : this.showFilter === 'favourites'
            ? msg('No favourites here yet: mark a reply with the star.', { id: 'chat-composer.picker.no-favourites' })
            : this.showFilter === 'recent'
              ? msg('Nothing used recently.', { id: 'chat-composer.picker.no-recent' })
              : msg('No replies here.', { id: 'chat-composer.picker.empty' });
    return html`${this.renderTabs()}
      <div id="picker-tabpanel" class="picker-tabpanel" role="tabpanel" aria-labelledby="picker-tab-${this.kind}">
        <div class="picker-search-row">
          <input
            id="picker-search"
            class="picker-search"
            part="picker-search"
            type="search"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            aria-label=${msg('Search replies', { id: 'chat-composer.picker.search' })}
            aria-expanded="true"
            aria-controls="picker-list"
            aria-autocomplete="list"
            aria-activedescendant=${ifDefined(slash ? undefined : activeId)}
            placeholder=${msg('Search title, text or /shortcut', { id: 'chat-composer.picker.search-placeholder' })}
            .value=${live(this.query)}
            @input=${this.onSearchInput}
            @keydown=${this.onSearchKeydown}
          />
        </div>
        ${this.renderFilters()}
        <div class="picker-body">
          <div
            id="picker-list"
            class="picker-list"
            part="picker-list"
            role="listbox"
            aria-label=${kindLabel(this.kind)}
            @pointerdown=${(e: PointerEvent) => {
              // Keep focus where it is (the search field or, for "/", the text area).
              e.preventDefault();
            }}
            @click=${this.onListClick}
            @keydown=${this.onSearchKeydown}
            @pointermove=${this.onListHover}
          >
            ${list.map((r, i) => this.renderOption(r, i, activeId))}
          </div>
          ${this.renderPreview(active)}
        </div>
        ${empty !== '' ? html`<p class="picker-empty" part="picker-empty">${empty}</p>` : nothing}
        <p class="picker-keys">${msg('↑ ↓ choose · Enter inserts · Esc closes', { id: 'chat-composer.picker.keys' })}</p>
      </div>
      ${this.kind === 'quick-reply'
        ? html`<div class="picker-footer">
            <button
              class="btn"
              part="picker-manage"
              type="button"
              @click=${() => {
                this.view = 'manage';
                this.manageNotice = '';
                this.focusNext = 'picker-manage-heading';
                this.host.requestUpdate();
              }}
            >
              ${msg('Edit quick replies', { id: 'chat-composer.picker.manage' })}
            </button>
            <button
              class="btn"
              part="picker-new"
              type="button"
              @click=${() => {
                this.openForm(undefined, {}, 'browse');
              }}
            >
              ${msg('New quick reply', { id: 'chat-composer.picker.new' })}
            </button>
          </div>`
        : nothing}`;
  }

  private renderManage() {
    const mine = this.replies.filter((r) => r.kind === 'quick-reply' && this.mayEdit(r)).sort((a, b) => a.folder.localeCompare(b.folder) || a.title.localeCompare(b.title));
    // Managers may change the shared quick replies too: they are listed here with their own.
    const withShared = this.me()?.manageQuickReplies === true;
    return html`<div class="manage">
      <div class="manage-head">
        <h3 id="picker-manage-heading" class="manage-title" tabindex="-1">
          ${withShared
            ? msg('Your quick replies and the shared ones', { id: 'chat-composer.manage.title-shared' })
            : msg('Your quick replies', { id: 'chat-composer.manage.title' })}
        </h3>
        <button class="btn" type="button" @click=${this.backToBrowse}>${msg('Back', { id: 'chat-composer.manage.back' })}</button>
      </div>
      <p class="manage-hint">${msg('Titles are only for you and other agents; customers see the text.', { id: 'chat-composer.manage.hint' })}</p>
      ${this.manageNotice !== '' ? html`<p class="manage-notice" part="picker-notice">${this.manageNotice}</p>` : nothing}
      ${mine.length === 0
        ? html`<p class="picker-empty" part="picker-empty">
            ${withShared
              ? msg('There are no shared quick replies and none of your own yet.', { id: 'chat-composer.manage.empty-shared' })
              : msg('You have no quick replies of your own yet.', { id: 'chat-composer.manage.empty' })}
          </p>`
        : html`<ul class="manage-list" part="picker-manage-list">
            ${mine.map((r) => {
              const confirming = this.confirmDelete === r.id;
              return html`<li class="manage-row">
                <span class="manage-name"
                  ><span class="option-title">${r.title}</span
                  ><span class="option-meta"
                    >${r.shortcut !== null ? html`<span>/${r.shortcut}</span>` : nothing}${r.folder !== '' ? html`<span>${r.folder}</span>` : nothing}${r.ownerId === null
                      ? html`<span>${msg('Shared', { id: 'chat-composer.picker.shared' })}</span>`
                      : nothing}</span
                  ></span
                >
                ${confirming
                  ? html`<span class="confirm" role="group" aria-labelledby="confirm-text-${idPart(r.id)}">
                      <span id="confirm-text-${idPart(r.id)}" class="confirm-text">${msg(str`Delete “${r.title}”?`, { id: 'chat-composer.manage.confirm' })}</span>
                      <button id="manage-confirm-${idPart(r.id)}" class="btn btn--danger" part="picker-delete-confirm" type="button" @click=${() => void this.deleteReply(r)}>
                        ${msg('Delete', { id: 'chat-composer.manage.delete' })}
                      </button>
                      <button
                        class="btn"
                        type="button"
                        @click=${() => {
                          this.confirmDelete = undefined;
                          this.focusNext = `manage-delete-${idPart(r.id)}`;
                          this.host.requestUpdate();
                        }}
                      >
                        ${msg('Cancel', { id: 'chat-composer.manage.cancel' })}
                      </button>
                    </span>`
                  : html`<button
                        class="btn"
                        part="picker-edit"
                        type="button"
                        aria-label=${msg(str`Edit ${r.title}`, { id: 'chat-composer.manage.edit-label' })}
                        @click=${() => {
                          this.openForm(r, {}, 'manage');
                        }}
                      >
                        ${msg('Edit', { id: 'chat-composer.picker.edit' })}</button
                      ><button
                        id="manage-delete-${idPart(r.id)}"
                        class="btn btn--danger"
                        part="picker-delete"
                        type="button"
                        aria-label=${msg(str`Delete ${r.title}`, { id: 'chat-composer.manage.delete-label' })}
                        @click=${() => {
                          this.confirmDelete = r.id;
                          this.manageNotice = '';
                          this.focusNext = `manage-confirm-${idPart(r.id)}`;
                          this.host.requestUpdate();
                        }}
                      >
                        ${msg('Delete', { id: 'chat-composer.manage.delete' })}
                      </button>`}
              </li>`;
            })}
          </ul>`}
      <div class="picker-footer">
        <button
          class="btn"
          part="picker-new"
          type="button"
          @click=${() => {
            this.openForm(undefined, {}, 'manage');
          }}
        >
          ${msg('New quick reply', { id: 'chat-composer.picker.new' })}
        </button>
      </div>
    </div>`;
  }

  private formField(
    field: FormField,
    label: string,
    control: (describedBy: string | undefined, invalid: boolean) => TemplateResult,
    hint?: string,
  ): TemplateResult {
    const error = this.formErrors[field];
    const ids = [hint !== undefined ? `reply-form-${field}-hint` : '', error !== undefined ? `reply-form-${field}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for="reply-form-${field}">${label}</label>
      ${control(ids === '' ? undefined : ids, error !== undefined)}
      ${hint !== undefined ? html`<p id="reply-form-${field}-hint" class="field-hint">${hint}</p>` : nothing}
      ${error !== undefined ? html`<p id="reply-form-${field}-error" class="field-error" part="picker-field-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderForm() {
    const form = this.form;
    if (!form) return nothing;
    const set = (patch: Partial<FormState>) => {
      Object.assign(form, patch);
    };
    const folders = [...new Set(this.replies.filter((r) => r.kind === 'quick-reply' && r.folder !== '').map((r) => r.folder))].sort((a, b) => a.localeCompare(b));
    const manages = this.me()?.manageQuickReplies === true;
    return html`<form
      class="reply-form"
      part="picker-form"
      aria-labelledby="reply-form-heading"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.saveForm();
      }}
    >
      <h3 id="reply-form-heading" class="manage-title">
        ${form.id !== undefined ? msg('Edit quick reply', { id: 'chat-composer.form.edit-title' }) : msg('New quick reply', { id: 'chat-composer.picker.new' })}
      </h3>
      ${this.formErrors.general !== undefined
        ? html`<p id="reply-form-error" class="field-error field-error--general" part="picker-form-error" tabindex="-1">${this.formErrors.general}</p>`
        : nothing}
      ${this.formField(
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
      ${this.formField(
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
        ${this.formField(
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
        ${this.formField('folder', msg('Folder (optional)', { id: 'chat-composer.form.folder' }), (d, invalid) =>
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
        ${this.formField(
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
              aria-describedby=${this.formErrors.shared !== undefined ? 'reply-form-shared-hint reply-form-shared-error' : 'reply-form-shared-hint'}
              .checked=${live(form.shared)}
              @change=${(e: Event) => {
                set({ shared: (e.target as HTMLInputElement).checked });
              }}
            /><label for="reply-form-shared">${msg('Shared with everyone', { id: 'chat-composer.form.shared' })}</label>
            <p id="reply-form-shared-hint" class="field-hint">${msg('Every agent can use it; only managers can change it.', { id: 'chat-composer.form.shared-hint' })}</p>
            ${this.formErrors.shared !== undefined ? html`<p id="reply-form-shared-error" class="field-error">${this.formErrors.shared}</p>` : nothing}
          </div>`
        : nothing}
      <div class="form-actions">
        <button class="btn" part="picker-form-cancel" type="button" @click=${() => {
          this.leaveForm(false);
        }}>${msg('Cancel', { id: 'chat-composer.manage.cancel' })}</button>
        <button class="btn btn--primary" part="picker-form-save" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.saving ? msg('Saving…', { id: 'chat-composer.form.saving' }) : msg('Save', { id: 'chat-composer.form.save' })}
        </button>
      </div>
    </form>`;
  }

  render() {
    if (!this.open) return html`<div id="picker" class="popover picker" part="picker" popover="manual"></div>`;
    const label = this.view === 'form' ? msg('Quick reply', { id: 'chat-composer.picker.form-label' }) : msg('Insert a reply', { id: 'chat-composer.picker.label' });
    return html`<div id="picker" class="popover picker" part="picker" popover="manual" role="dialog" aria-label=${label} @keydown=${this.onPanelKeydown}>
      ${this.view === 'browse' ? this.renderBrowse() : this.view === 'manage' ? this.renderManage() : this.renderForm()}
    </div>`;
  }
}

/** The picker's styles (with the shared form styles), added to the composer's shadow root on first use. */
export const pickerStyles = [
  formStyles,
  css`
  .picker:not(:popover-open) {
    display: none;
  }
  .picker-tabs {
    display: flex;
    gap: 2px;
    border-bottom: 1px solid var(--_border);
    margin-bottom: var(--_space-s);
  }
  .picker-tab {
    min-height: 32px;
    padding: 0 var(--_space-m);
    border: 0;
    border-bottom: 3px solid transparent;
    background: none;
    color: var(--_muted);
    font-weight: 600;
    cursor: pointer;
  }
  .picker-tab[aria-selected='true'] {
    color: var(--_text);
    border-bottom-color: var(--_accent);
  }
  .picker-filters {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s) var(--_space-m);
    margin: var(--_space-s) 0;
    font-size: var(--_font-size-s);
  }
  .picker-field {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-xs);
  }
  .picker-field select {
    min-height: 28px;
    font: inherit;
    max-width: 12rem;
  }
  .segs {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    overflow: hidden;
  }
  .seg {
    position: relative;
    display: inline-flex;
    align-items: center;
    min-height: 28px;
    padding: 0 var(--_space-s);
    cursor: pointer;
  }
  .seg + .seg {
    border-inline-start: 1px solid var(--_border);
  }
  .seg input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }
  .seg--on {
    background: var(--_accent-soft);
    font-weight: 600;
  }
  .seg:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .picker-body {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
    gap: var(--_space-m);
    min-height: 8rem;
  }
  .picker-list {
    max-height: 16rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
  }
  .picker-list:empty {
    display: none;
  }
  .option {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0 var(--_space-s);
    min-height: 32px;
    padding: 4px 8px;
    cursor: pointer;
    border-inline-start: 3px solid transparent;
  }
  .option--active {
    background: var(--_accent-soft);
    border-inline-start-color: var(--_accent);
  }
  .option-title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .option-star {
    color: var(--_warning);
  }
  .option-star svg,
  .star svg {
    width: 14px;
    height: 14px;
  }
  .option-meta {
    grid-column: 1 / -1;
    display: flex;
    gap: var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .option-shortcut {
    font-family: ui-monospace, monospace;
  }
  .preview {
    padding: var(--_space-s);
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
    min-width: 0;
  }
  .preview--empty {
    visibility: hidden;
  }
  .preview-head {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
  }
  .preview-title {
    flex: 1 1 auto;
    margin: 0;
    font-size: var(--_font-size);
  }
  .star {
    min-height: 28px;
    padding: 0 var(--_space-s);
    color: var(--_muted);
  }
  .star--on {
    color: var(--_warning);
  }
  .preview-facts {
    display: flex;
    gap: var(--_space-s);
    margin: 2px 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .preview-text {
    margin: 0 0 var(--_space-s);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .preview-note {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .picker-footer,
  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_space-s);
    margin-top: var(--_space-s);
    padding-top: var(--_space-s);
    border-top: 1px solid var(--_border);
  }
  .manage-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .manage-title {
    margin: 0 0 var(--_space-s);
    font-size: var(--_font-size-l);
  }
  .manage-hint {
    margin: 2px 0 0;
    font-size: var(--_font-size-s);
    color: var(--_muted);
  }
  .manage-notice {
    margin: var(--_space-s) 0;
    font-weight: 600;
  }
  .manage-list {
    list-style: none;
    margin: var(--_space-s) 0 0;
    padding: 0;
  }
  .manage-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-xs) 0;
    border-bottom: 1px solid var(--_border);
  }
  .manage-name {
    display: flex;
    flex-direction: column;
    flex: 1 1 12rem;
    min-width: 0;
  }
  .confirm {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-s);
  }
  .confirm-text {
    font-weight: 600;
  }
  .reply-form {
    display: flex;
    flex-direction: column;
    gap: var(--_space-s);
  }
  @media (max-width: 560px) {
    .picker-body {
      grid-template-columns: 1fr;
    }
  }
`,
];
