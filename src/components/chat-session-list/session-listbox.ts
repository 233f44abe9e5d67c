/**
 * The listbox of chat-session-list: rows grouped (long groups virtualized, the virtualizer loaded
 * on demand), the active row (aria-activedescendant) moved by arrow keys, PageUp/PageDown,
 * Home/End and type-ahead, and kept in view inside the list (never scrolling the page). Picking a
 * row (Enter, Space, click) is the host's: the listbox only says which.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

import { customerName } from '../../i18n/common.js';
import type { SessionSummary } from '../../protocol/model.js';
import type { ListView, SessionGroup } from './list-view.js';
import type * as VirtualizerModule from './session-virtualizer.js';
import type { RowContext } from './session-row.js';
import { groupLabel, renderRow } from './session-row.js';

/** Type-ahead: keys typed within this window form one search string. */
const TYPEAHEAD_MS = 500;
/** A group with more rows than this is virtualized (the virtualizer is loaded on demand). */
const VIRTUALIZE_AFTER = 50;
/** Rows moved by PageUp / PageDown. */
const PAGE_ROWS = 10;
/** Estimates made to reach a virtualized row that is not rendered (each one frame apart). */
const MAX_SCROLL_TRIES = 12;

type Virtualizer = typeof VirtualizerModule;
/** The virtualizer chunk once loaded; `false` when loading failed (then long groups render plainly). */
let virtualizer: Virtualizer | false | undefined;
let virtualizerLoading: Promise<unknown> | undefined;

/** Loads the virtualizer chunk once per page. */
function loadVirtualizer(): Promise<unknown> {
  virtualizerLoading ??= import('./session-virtualizer.js').then(
    (m) => {
      virtualizer = m;
    },
    () => {
      virtualizer = false;
    },
  );
  return virtualizerLoading;
}

/** What the listbox reads from and tells its element. */
export interface SessionListboxOptions {
  /** The rows as shown now. */
  view(): ListView;
  /** The selected session. */
  selectedId(): string | undefined;
  /** The user picked a row (Enter, Space, click). */
  pick(id: string | undefined): void;
  /** Runs a render in the element's language (the virtualizer renders rows outside its update). */
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
  /** A virtualized row being scrolled to; aligned once the virtualizer renders it. */
  private scrollTarget: { id: string; tries: number } | undefined;
  private followFrame = 0;
  /** Virtualized row containers whose virtualizer has measured the real DOM. */
  private readonly attachedHosts = new WeakSet<Element>();

  constructor(
    private readonly host: SessionListboxHost,
    private readonly options: SessionListboxOptions,
  ) {
    host.addController(this);
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
    cancelAnimationFrame(this.followFrame);
  }

  /** Before a render (after the host computed its view): drop a vanished active row, load the virtualizer when needed. */
  hostUpdate(): void {
    const view = this.options.view();
    if (this.active !== undefined && !view.has(this.active)) this.active = undefined;
    if (virtualizer === undefined && view.groups.some((g) => g.items.length > VIRTUALIZE_AFTER)) {
      void loadVirtualizer().then(() => {
        this.host.requestUpdate();
      });
    }
  }

  hostUpdated(): void {
    this.attachVirtualizers();
    if (this.scrollPending) {
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
   * Scrolls the listbox (never the page) so the active row is in view. A virtualized row that is
   * not rendered is scrolled to by estimate (from a rendered row and the virtualizer's average row
   * height); once the virtualizer renders it (`rangeChanged`) it is aligned exactly. The
   * virtualizer's own `element(i).scrollIntoView()` misplaces rows when the scroller is an
   * ancestor of its container, as here.
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
    const host = place ? this.host.renderRoot.querySelector<HTMLElement>(`.group--${place.group} .rows--virtual`) : null;
    const size = place ? view.groups.find((g) => g.key === place.group)?.items.length : undefined;
    if (!place || !host || !size || tries >= MAX_SCROLL_TRIES) return;
    const origin = listbox.getBoundingClientRect().top - listbox.scrollTop;
    const anchor = host.querySelector<HTMLElement>('[role=option]');
    const anchorIndex = anchor ? Number(anchor.getAttribute('aria-posinset')) - 1 : 0;
    const anchorBox = (anchor ?? host).getBoundingClientRect();
    const rowSize = anchor ? anchorBox.height : anchorBox.height / size;
    const rowTop = anchorBox.top - origin + (place.index - anchorIndex) * rowSize;
    listbox.scrollTop = rowTop < listbox.scrollTop ? rowTop : rowTop + rowSize - listbox.clientHeight;
    this.scrollTarget = { id, tries: tries + 1 };
    // Follow up when the virtualizer renders the range (rangeChanged) or, failing that, next frame.
    cancelAnimationFrame(this.followFrame);
    this.followFrame = requestAnimationFrame(() => {
      this.followScrollTarget();
    });
  }

  /** Aligns the row being scrolled to once rendered, or estimates again. */
  private followScrollTarget(): void {
    const target = this.scrollTarget;
    if (!target) return;
    if (target.id !== this.active) {
      this.scrollTarget = undefined;
      return;
    }
    this.scrollActiveIntoView();
    this.syncActiveDescendant();
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

  /** Hands new virtualized row containers, now in the document, to the virtualizer chunk. */
  private attachVirtualizers(): void {
    if (!virtualizer) return;
    for (const host of this.host.renderRoot.querySelectorAll<VirtualizerModule.VirtualizerHostElement>('.rows--virtual')) {
      if (this.attachedHosts.has(host) || !host.isConnected) continue;
      if (virtualizer.attach(host)) this.attachedHosts.add(host);
    }
  }

  private readonly onRangeChanged = (): void => {
    // The virtualizer's directive renders the new range in its own listener of this event.
    queueMicrotask(() => {
      this.followScrollTarget();
      this.syncActiveDescendant();
    });
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

  private renderGroup(group: SessionGroup, ctx: RowContext): TemplateResult {
    const labelId = `group-label-${group.key}`;
    const size = group.items.length;
    const long = size > VIRTUALIZE_AFTER;
    const v = long ? virtualizer : undefined;
    // The virtualizer also renders rows on scroll, outside this element's update: in its language.
    const row = (s: SessionSummary, i: number) => this.options.localized(() => renderRow(s, i, size, ctx));
    let rows;
    if (v) {
      rows = html`<div class="rows rows--virtual" @rangeChanged=${this.onRangeChanged}>
        ${v.virtualize<SessionSummary>({ items: group.items as SessionSummary[], keyFunction: (s) => s.id, renderItem: row, layout: v.layout })}
      </div>`;
    } else {
      // A long group waits for the virtualizer (its heading shows meanwhile); if the chunk cannot
      // be loaded, it renders every row.
      rows = long && virtualizer === undefined ? nothing : html`<div class="rows">${repeat(group.items, (s) => s.id, row)}</div>`;
    }
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
    return html`<div
      class="list"
      part="list"
      role="listbox"
      tabindex="0"
      aria-labelledby="list-label"
      @pointerdown=${this.onListPointerDown}
      @wheel=${this.onListWheel}
      @focus=${this.onListFocus}
      @click=${this.onListClick}
      @keydown=${this.onListKeydown}
    >
      ${this.options.view().groups.map((g) => this.renderGroup(g, rowCtx))}
    </div>`;
  }
}
