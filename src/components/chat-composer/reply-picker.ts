/**
 * The composer's Insert picker (loaded on first use): the reply library in a panel above the
 * composer, in the composer's own shadow root (so the text area can point at the options with
 * `aria-activedescendant` while "/" searches).
 *
 * `ReplyPicker` is the panel's controller: opening and closing, the view and filters shown, the
 * replies of the chat's channel (loaded, cached, refreshed on opening) and what is done with them
 * (insert, favourite, mark used). Its parts, each in a module named by what it does:
 *
 * - reply-picker-list.ts: which replies are offered (filters and search) and the browse view
 *   (tabs: Quick replies / Reply templates / FAQs; filters: folder, All / Favourites / Recently
 *   used, language; the search field over the listbox); pointer use of the options.
 * - reply-picker-preview.ts: the highlighted reply as it will be inserted, with the favourite star.
 * - reply-picker-form.ts: the form for a new or edited quick reply and the server's field errors.
 * - reply-picker-manage.ts: Manage (edit, delete with confirmation).
 * - reply-picker-keys.ts: the keyboard (combobox, "/" in the text area, tabs, Escape).
 * - reply-picker.styles.ts: the styles, adopted by the composer when the picker loads.
 *
 * Variables are resolved with `resolveVariables()` as text; the result only ever goes into the
 * text area's value. Replies are rendered with text bindings.
 */
import type { ReactiveControllerHost } from 'lit';
import { html } from 'lit';

import { getChatLocale, msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { ComposerPopover } from '../../internal/composer-popover.js';
import type { Reply, ReplyKind, ReplyLanguage } from '../../protocol/replies.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ReplyForm } from './reply-picker-form.js';
import { PickerKeys } from './reply-picker-keys.js';
import { filterReplies, optionId, ReplyList, type Show } from './reply-picker-list.js';
import { ReplyManage } from './reply-picker-manage.js';
import { replyContext, replyText } from './reply-text.js';

export { pickerStyles } from './reply-picker.styles.js';

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

/**
 * The Insert picker. Its parts (list, form, manage view, keyboard) read and change the state
 * below; none of it is the composer's API: the composer calls `openPicker`, `saveAsQuickReply`,
 * `close`, `setQuery`, `inputAria`, `handleInputKey` and `render`.
 */
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
  /** Loading the channel's replies (the first time: a refresh keeps the cached ones on screen). */
  loading = false;
  /** Why nothing could be loaded for this channel ('' when it could). */
  loadError = '';
  private library: Reply[] = [];
  /** The channel (`''`: none) whose replies are in `library`; undefined before the first answer. */
  private loadedFor: string | undefined;
  /** Counts loads: only the answer of the latest one is used. */
  private loadRun = 0;

  readonly list = new ReplyList(this);
  readonly form = new ReplyForm(this);
  readonly manage = new ReplyManage(this);
  readonly keys = new PickerKeys(this);

  constructor(host: ReplyPickerHost) {
    // Presses anywhere in the composer leave it open: the text area is its combobox when opened by "/".
    super(host, { panelId: 'picker', maxWidth: 720, inside: '.base' });
  }

  protected dismiss(): void {
    this.close(false);
  }

  protected override whileOpen(): void {
    const active = this.activeReply();
    if (active) this.host.renderRoot.querySelector(`#${optionId(active)}`)?.scrollIntoView({ block: 'nearest' });
  }

  /** The composer's client. */
  get client(): ChatClient | undefined {
    return this.host.client;
  }

  /** The replies of the shown chat's channel, as loaded. */
  get replies(): readonly Reply[] {
    return this.library;
  }

  /** Renders the picker again. */
  update(): void {
    this.host.requestUpdate();
  }

  /** Moves focus to the element with this id after the next render (and asks for one). */
  moveFocus(id: string): void {
    this.focusNext = id;
    this.host.requestUpdate();
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
    this.form.open(undefined, { text }, 'close');
    void this.load();
  }

  /** Closes the picker; focus returns (`true`) to where it was opened from: the text area or the Insert button. */
  close(focus: boolean | 'input' | 'button' = true): void {
    if (!this.open) return;
    const to = focus === true ? (this.opener === 'slash' ? 'input' : 'button') : focus;
    this.open = false;
    this.view = 'browse';
    this.form.reset();
    this.manage.reset();
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
    return { controls: 'picker-list', ...(r ? { activedescendant: optionId(r) } : {}) };
  }

  /**
   * Keys in the text area while "/" searches: ↑ ↓ Home End move, Enter inserts, Tab moves into the
   * picker (its tabs), Escape closes and keeps the text. Returns true when the key was used.
   */
  handleInputKey(event: KeyboardEvent): boolean {
    return this.keys.inputKey(event);
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
        this.library = [];
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
      this.library = replies;
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

  /** The signed-in agent. */
  me() {
    return this.host.client?.$agentMe.get();
  }

  /** The options shown: kind, language, folder, favourites / recent, then the search. */
  filtered(): Reply[] {
    return filterReplies(this.library, this);
  }

  /** The highlighted option. */
  activeReply(): Reply | undefined {
    const list = this.filtered();
    if (list.length === 0) return undefined;
    return list[Math.min(this.active, list.length - 1)];
  }

  /** What a reply puts into the composer: its text with variables resolved, or an FAQ's title and link. */
  textOf(r: Reply): string {
    return replyText(r, replyContext(this.host.client, this.host.sessionId));
  }

  // ---- actions ----------------------------------------------------------------------------------

  /** Inserts `r` into the composer and closes; it counts as used. */
  insert(r: Reply | undefined): void {
    if (!r) return;
    const fromSlash = this.opener === 'slash';
    const text = this.textOf(r);
    this.open = false;
    this.view = 'browse';
    this.host.requestUpdate();
    this.host.insertReplyText(text, fromSlash);
    this.library = this.library.map((x) => (x.id === r.id ? { ...x, lastUsedAt: Date.now(), useCount: x.useCount + 1 } : x));
    const client = this.host.client;
    if (client) {
      client.markReplyUsed(r.id).then(
        (updated) => {
          this.replaceReply(updated);
        },
        () => undefined,
      );
    }
  }

  /** Marks `r` a favourite or not (at once on screen; undone when the server refuses). */
  async toggleFavourite(r: Reply): Promise<void> {
    const client = this.host.client;
    if (!client) return;
    const on = !r.favourite;
    this.library = this.library.map((x) => (x.id === r.id ? { ...x, favourite: on } : x));
    this.host.requestUpdate();
    try {
      const updated = await client.favouriteReply(r.id, on);
      this.replaceReply(updated);
      announce(
        on
          ? msg(str`${r.title} added to favourites.`, { id: 'chat-composer.picker.favourite-on' })
          : msg(str`${r.title} removed from favourites.`, { id: 'chat-composer.picker.favourite-off' }),
      );
    } catch {
      this.library = this.library.map((x) => (x.id === r.id ? { ...x, favourite: !on } : x));
      announce(msg('The favourite could not be saved. Try again.', { id: 'chat-composer.picker.favourite-error' }), { assertive: true });
    } finally {
      this.host.requestUpdate();
    }
  }

  /** May I change or delete this reply? My personal ones; shared ones with manageQuickReplies. */
  mayEdit(r: Reply): boolean {
    const me = this.me();
    if (!me) return false;
    return r.ownerId === me.id || (r.ownerId === null && me.manageQuickReplies);
  }

  /** Puts a saved or updated reply in place of its old version, or adds it. */
  putReply(reply: Reply): void {
    const exists = this.library.some((r) => r.id === reply.id);
    this.library = exists ? this.library.map((r) => (r.id === reply.id ? reply : r)) : [...this.library, reply];
  }

  /** Puts a reply's newer version in place of the loaded one (if it is still loaded). */
  private replaceReply(reply: Reply): void {
    this.library = this.library.map((r) => (r.id === reply.id ? reply : r));
  }

  /** Forgets a deleted reply. */
  dropReply(id: string): void {
    this.library = this.library.filter((r) => r.id !== id);
  }

  /** Shows another kind's tab (focusing it when moved there by keys). */
  selectKind(kind: ReplyKind, focusTab: boolean): void {
    this.kind = kind;
    this.folder = '';
    this.active = 0;
    if (focusTab) this.focusNext = `picker-tab-${kind}`;
    this.host.requestUpdate();
  }

  render() {
    if (!this.open) return html`<div id="picker" class="popover picker" part="picker" popover="manual"></div>`;
    const label = this.view === 'form' ? msg('Quick reply', { id: 'chat-composer.picker.form-label' }) : msg('Insert a reply', { id: 'chat-composer.picker.label' });
    return html`<div id="picker" class="popover picker" part="picker" popover="manual" role="dialog" aria-label=${label} @keydown=${this.keys.onPanelKeydown}>
      ${this.view === 'browse' ? this.list.render() : this.view === 'manage' ? this.manage.render() : this.form.render()}
    </div>`;
  }
}
