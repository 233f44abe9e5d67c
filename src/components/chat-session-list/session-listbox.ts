/**
 * The listbox of chat-session-list: rows grouped (long groups rendered as a window of the rows in
 * view, row-window.ts), the active row (aria-activedescendant) moved by arrow keys, PageUp/PageDown,
 * Home/End and type-ahead, and kept in view inside the list (never scrolling the page). Picking a
 * row (Enter, Space, click) is the host's: the listbox only says which.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

import { customerName } from '../../i18n/common.js';
import type { SessionSummary } from '../../protocol/model.js';
import type { ListView, SessionGroup } from './list-view.js';
import { RowWindows } from './row-window.js';
import type { RowContext } from './session-row.js';
import { groupLabel, renderRow, rowShape } from './session-row.js';

/** Type-ahead: keys typed within this window form one search string. */
const TYPEAHEAD_MS = 500;
/** A group with more rows than this is rendered as a window of the rows in view. */
const VIRTUALIZE_AFTER = 50;
/** A group's heading and a row, as estimated for a group not laid out yet. */
const HEADING_PX = 32;
const ROW_PX = 64;
/** Rows moved by PageUp / PageDown. */
const PAGE_ROWS = 10;
/** Renders made to bring a row of a long group into view before it is aligned (its place may move meanwhile). */
const MAX_SCROLL_TRIES = 12;

/** What the listbox reads from and tells its element. */
export interface SessionListboxOptions {
  /** The rows as shown now. */
  view(): ListView;
  /** The selected session. */
  selectedId(): string | undefined;
  /** The user picked a row (Enter, Space, click). */
  pick(id: string | undefined): void;
  /** Runs a render in the element's language. */
  localized<T>(fn: () => T): T;
}

export interface SessionListboxHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class SessionListbox implements ReactiveController {
  /** Row that has keyboard focus inside the listbox (aria-activedescendant). */
  private active: string | undefined;
  private typeahead = '';
  private typeaheadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bring the active row into view after the next render (keyboard moves, focus). */
  private scrollPending = false;
  /** A pointer is pressing the list: the click decides the active row, not the focus. */
  private pointerDown = false;
  /** A row of a long group being scrolled to; aligned once it is rendered. */
  private scrollTarget: { id: string; tries: number } | undefined;
  /** The long groups' windows of rows. */
  private readonly windows: RowWindows;
  /** My id, for the rows' shapes (set by each render). */
  private meId: string | undefined;

  constructor(
    private readonly host: SessionListboxHost,
    private readonly options: SessionListboxOptions,
  ) {
    host.addController(this);
    this.windows = new RowWindows(host, () => this.listbox, (s) => rowShape(s, this.meId));
  }

  get activeId(): string | undefined {
    return this.active;
  }

  private set activeId(id: string | undefined) {
    if (id === this.active) return;
    this.active = id;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    clearTimeout(this.typeaheadTimer);
  }

  /** Before a render (after the host computed its view): drop a vanished active row. */
  hostUpdate(): void {
    const view = this.options.view();
    if (this.active !== undefined && !view.has(this.active)) this.active = undefined;
  }

  hostUpdated(): void {
    if (this.scrollTarget) {
      this.followScrollTarget();
    } else if (this.scrollPending) {
      this.scrollPending = false;
      this.scrollActiveIntoView();
    }
    this.syncActiveDescendant();
  }

  private get listbox(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.list');
  }

  focus(): void {
    this.listbox?.focus();
  }

  private optionNode(id: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(`[role="option"][data-id="${CSS.escape(id)}"]`);
  }

  /** aria-activedescendant names the active row only while that row is in the DOM. */
  private syncActiveDescendant(): void {
    const listbox = this.listbox;
    if (!listbox) return;
    const node = this.active !== undefined ? this.optionNode(this.active) : null;
    if (node) {
      if (listbox.getAttribute('aria-activedescendant') !== node.id) listbox.setAttribute('aria-activedescendant', node.id);
    } else if (listbox.hasAttribute('aria-activedescendant')) {
      listbox.removeAttribute('aria-activedescendant');
    }
  }

  /**
   * Scrolls the listbox (never the page) so the active row is in view. A row of a long group that
   * is not rendered is scrolled to by its place in its group's window (row-window.ts), and aligned
   * exactly once the render that follows the scroll has it.
   */
  private scrollActiveIntoView(): void {
    const id = this.active;
    const listbox = this.listbox;
    const previous = this.scrollTarget;
    const tries = previous !== undefined && previous.id === id ? previous.tries : 0;
    this.scrollTarget = undefined;
    if (id === undefined || !listbox) return;
    const view = this.options.view();
    const place = view.places.get(id);
    const node = this.optionNode(id);
    if (node) {
      // The first row of a group brings its heading along.
      const top = place?.index === 0 ? node.closest('[role=group]') : node;
      this.scrollIntoList(listbox, top ?? node, node);
      return;
    }
    const items = place ? view.groups.find((g) => g.key === place.group)?.items : undefined;
    const box = place && items ? this.windows.rowBox(place.group, items, place.index) : undefined;
    if (!box || tries >= MAX_SCROLL_TRIES) return;
    listbox.scrollTop = box.top < listbox.scrollTop ? box.top : box.top + box.height - listbox.clientHeight;
    this.scrollTarget = { id, tries: tries + 1 };
    this.host.requestUpdate();
  }

  /** Aligns the row being scrolled to once rendered, or scrolls towards it again. */
  private followScrollTarget(): void {
    const target = this.scrollTarget;
    if (!target) return;
    if (target.id !== this.active) {
      this.scrollTarget = undefined;
      return;
    }
    this.scrollActiveIntoView();
  }

  /** Scrolls the listbox by the least amount that shows `first` … `last`. */
  private scrollIntoList(listbox: HTMLElement, first: Element, last: Element): void {
    const box = listbox.getBoundingClientRect();
    const top = box.top + listbox.clientTop;
    const bottom = top + listbox.clientHeight;
    const from = first.getBoundingClientRect().top;
    const to = last.getBoundingClientRect().bottom;
    if (from < top) listbox.scrollTop -= top - from;
    else if (to > bottom) listbox.scrollTop += Math.min(to - bottom, from - top);
  }

  private readonly onListScroll = (): void => {
    // Rows come into view: render the window that shows them.
    this.host.requestUpdate();
  };

  private readonly onListWheel = (): void => {
    // The user scrolls: stop steering the list towards the active row.
    this.scrollTarget = undefined;
  };

  private readonly onListPointerDown = (): void => {
    // Focus follows in this task (mousedown's default action); the flag only covers that focus.
    this.pointerDown = true;
    setTimeout(() => {
      this.pointerDown = false;
    }, 0);
  };

  private readonly onListFocus = (): void => {
    if (this.pointerDown) return; // the click picks the row
    if (this.active !== undefined) {
      this.scrollPending = true;
      this.host.requestUpdate();
      return;
    }
    const { flat, places } = this.options.view();
    const selectedId = this.options.selectedId();
    this.activeId = selectedId !== undefined && places.has(selectedId) ? selectedId : flat[0]?.id;
    this.scrollPending = true;
  };

  private readonly onListClick = (event: MouseEvent): void => {
    const row = (event.target as Element).closest<HTMLElement>('[role="option"]');
    const id = row?.dataset.id;
    if (id === undefined) return;
    this.activeId = id;
    this.listbox?.focus({ preventScroll: true });
    this.options.pick(id);
  };

  private readonly onListKeydown = (event: KeyboardEvent): void => {
    const view = this.options.view();
    const flat = view.flat;
    if (flat.length === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const current = this.active ?? this.options.selectedId();
    const index = current !== undefined ? (view.places.get(current)?.flatIndex ?? -1) : -1;
    const last = flat.length - 1;
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = index < 0 ? 0 : Math.min(last, index + 1);
        break;
      case 'ArrowUp':
        target = index < 0 ? 0 : Math.max(0, index - 1);
        break;
      case 'PageDown':
        target = Math.min(last, Math.max(0, index) + PAGE_ROWS);
        break;
      case 'PageUp':
        target = Math.max(0, index - PAGE_ROWS);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = last;
        break;
      case 'Enter':
        event.preventDefault();
        if (index >= 0) this.options.pick(flat[index]?.id);
        return;
      case ' ':
        event.preventDefault();
        if (this.typeahead !== '') this.typeAhead(' ', index);
        else if (index >= 0) this.options.pick(flat[index]?.id);
        return;
      default:
        if (event.key.length === 1 && event.key.trim() !== '') this.typeAhead(event.key, index);
        return;
    }
    event.preventDefault();
    const id = flat[target]?.id;
    if (id === undefined) return;
    this.moveTo(id);
  };

  /**
   * Makes a row active and brings it into view. It does not open the chat: arrowing through the
   * list must not open every chat on the way (nor take the composer's draft away); Enter, Space
   * or a click does.
   */
  moveTo(id: string): void {
    this.activeId = id;
    this.scrollPending = true;
    this.host.requestUpdate();
  }

  /** Type-ahead: the next row whose customer name starts with the letters typed within 500 ms. */
  private typeAhead(key: string, index: number): void {
    clearTimeout(this.typeaheadTimer);
    this.typeahead += key.toLocaleLowerCase();
    this.typeaheadTimer = setTimeout(() => {
      this.typeahead = '';
    }, TYPEAHEAD_MS);
    const flat = this.options.view().flat;
    // A single letter moves on from the active row; more letters refine from it.
    const start = this.typeahead.length === 1 ? index + 1 : Math.max(0, index);
    for (let i = 0; i < flat.length; i += 1) {
      const s = flat[(start + i) % flat.length];
      if (s && customerName(s.customer).toLocaleLowerCase().startsWith(this.typeahead)) {
        this.moveTo(s.id);
        return;
      }
    }
  }

  private renderGroup(group: SessionGroup, ctx: RowContext, before: number): TemplateResult {
    const labelId = `group-label-${group.key}`;
    const size = group.items.length;
    // Rows are also rendered outside this element's update (by the window's own renders): in its language.
    const row = (s: SessionSummary, i: number, place?: string) => this.options.localized(() => renderRow(s, i, size, ctx, place));
    const rows =
      size > VIRTUALIZE_AFTER
        ? this.windows.render(group.key, group.items, row, before)
        : html`<div class="rows">${repeat(group.items, (s) => s.id, (s, i) => row(s, i))}</div>`;
    return html`<div role="group" class="group group--${group.key}" part="group group--${group.key}" aria-labelledby=${labelId}>
      <div role="presentation" id=${labelId} class="group-label" part="group-label">
        <span>${groupLabel(group.key)}</span> <span class="group-count" part="group-count">${size}</span>
      </div>
      ${rows}
    </div>`;
  }

  /** The listbox with its groups; `ctx.activeId` is filled in here. */
  render(ctx: Omit<RowContext, 'activeId'>): TemplateResult {
    const rowCtx: RowContext = { ...ctx, activeId: this.active };
    if (ctx.meId !== this.meId) {
      this.meId = ctx.meId;
      this.windows.forgetShapes();
    }
    // Where each group is expected to start, for a long group not laid out yet.
    let before = 0;
    const groups = this.options.view().groups.map((g) => {
      const group = this.renderGroup(g, rowCtx, before);
      before += HEADING_PX + (g.items.length > VIRTUALIZE_AFTER ? this.windows.heightOfGroup(g.key, g.items) : g.items.length * ROW_PX);
      return group;
    });
    return html`<div
      class="list"
      part="list"
      role="listbox"
      tabindex="0"
      aria-labelledby="list-label"
      @pointerdown=${this.onListPointerDown}
      @wheel=${this.onListWheel}
      @scroll=${this.onListScroll}
      @focus=${this.onListFocus}
      @click=${this.onListClick}
      @keydown=${this.onListKeydown}
    >
      ${groups}
    </div>`;
  }
}
