/**
 * Where chat-message-list's scroll position goes: it follows the newest message while the user is
 * at the bottom (the virtualizer holds the newest row there, re-measuring when heights were
 * corrected underneath), lets go only when the user scrolls up, keeps the row being read in place
 * when older messages are put on top, and loads the previous page near the top. A chat opens with
 * the opening tail (opening-tail.ts) and hands over to the virtualizer after the first frame or
 * when the user starts to scroll. The element decides per change what should happen (its
 * `willUpdate`); this controller carries it out and follows the user's scrolling.
 */
import { provideResizeObserver } from '@lit-labs/virtualizer/polyfillLoaders/ResizeObserver.js';
import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import { ROW_ESTIMATE_PX } from './chat-flow-layout.js';
import { LoopSafeResizeObserver } from './loop-safe-resize-observer.js';
import { afterFirstFrame, tailRowCount } from './opening-tail.js';
import { isCorrectingScroll, releaseStaleAnchor, walkChildrenOnce } from './virtualizer-internals.js';

/** Whether the virtualizer was given the loop-safe ResizeObserver (once per page, before the first list renders). */
let observerProvided = false;

/** Closer to the bottom than this (px) counts as "at the bottom": new messages scroll into view. */
const BOTTOM_SLACK_PX = 32;
/** Closer to the top than this (px) loads the previous page by itself. */
const TOP_LOAD_PX = 400;
/** A scroll this soon after wheel, touch, a scroll key or the scroll bar is the user's. */
const USER_SCROLL_MS = 400;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);
/** How often in a row the list may re-measure to bring the newest row back into view. */
export const REPIN_BUDGET = 8;
/** Longest wait for the virtualizer to settle after older messages were put on top. */
const SETTLE_TIMEOUT_MS = 400;

/** Where the virtualizer holds a row (its `pin` option): that row's start or end at the edge of the view. */
export interface PinOptions {
  index: number;
  block: 'start' | 'end';
}

export interface TranscriptScrollHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly hasUpdated: boolean;
  readonly sessionId?: string | undefined;
  /** How many rows the list has. */
  rowCount(): number;
  /** A fresh copy of the rows: makes the virtualizer measure the list again. */
  relayoutRows(): void;
  /** The newest message is in view again: no unseen messages. */
  markSeen(): void;
  /** The user is (or is no longer) scrolled away from the newest message. */
  showScrolledUp(up: boolean): void;
  /** The user scrolled near the top: load the previous page if there is one. */
  nearTop(): void;
}

export class TranscriptScroll implements ReactiveController {
  /** Follow the newest message (the user is at the bottom). */
  stick = true;
  /** Where the virtualizer should hold a row on the next render (consumed by `takePin()` in render). */
  pinRequest: PinOptions | null | undefined;
  /** The row being read when older messages were put on top, and its distance from the top. */
  anchor: { key: string; offset: number } | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private lastScrollTop = 0;
  /** Re-measurements allowed to get the newest row back into view (refilled by new content and user actions). */
  repinBudget = REPIN_BUDGET;
  /** The last render asked the virtualizer to hold the newest row at the bottom. */
  private pinnedToEnd = false;
  /** How many rows the last render showed. */
  rowCountShown = 0;
  /** Until when a scroll counts as the user's (after wheel, touch, scroll keys, scroll bar). */
  private userScrollUntil = 0;
  private pointerDown = false;
  /** Opened at the divider: look once the layout is done whether the newest message is in view too. */
  checkBottomAfterOpen = false;
  /** Ignore "scrolled up" while this element moves the list itself. */
  private selfScrollUntil = 0;
  /**
   * While set, the list shows only its newest `rows` rows, held at the bottom by CSS, instead of
   * the virtualizer: a chat opens with its newest message in the first frame (see opening-tail.ts).
   */
  tail: { rows: number } | undefined;
  /** Cancels the scheduled hand-over from the tail to the virtualizer. */
  private cancelHandover: (() => void) | undefined;
  /** The virtualizer takes over from the tail with this update (it needs its scroll height hint). */
  private handingOver = false;
  /** Height of the list when the resize observer last reported it (0: not known yet). */
  private listHeight = 0;
  /** The list was rendered once (observed, its scroll listener added). */
  private listAttached = false;

  constructor(private readonly host: TranscriptScrollHost) {
    host.addController(this);
  }

  private get list(): (HTMLElement & VirtualizerHostElement) | null {
    return this.host.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('.list');
  }

  /** For the render: where the virtualizer holds a row now (the tail keeps it for the virtualizer that takes over). */
  takePin(): PinOptions | null | undefined {
    const pin = this.tail ? undefined : this.pinRequest;
    if (!this.tail) this.pinRequest = undefined;
    this.pinnedToEnd = pin?.block === 'end';
    return pin;
  }

  hostConnected(): void {
    if (!observerProvided) {
      // The virtualizer measures rows with this (see loop-safe-resize-observer.ts for why).
      provideResizeObserver(LoopSafeResizeObserver);
      observerProvided = true;
    }
    this.resizeObserver ??= new LoopSafeResizeObserver((entries) => {
      this.listHeight = entries.at(-1)?.contentRect.height ?? this.listHeight;
      // The composer grew or the window changed: stay at the newest message (the tail stays there by itself).
      if (this.stick && this.host.rowCount() > 0 && !this.tail) this.pinToEnd();
    });
    // Moved in the page: observe again (firstUpdated only runs once).
    if (this.host.hasUpdated && this.list) this.resizeObserver.observe(this.list);
    if (this.host.hasUpdated && this.tail) this.scheduleHandover();
  }

  hostDisconnected(): void {
    this.cancelHandover?.();
    this.cancelHandover = undefined;
    this.resizeObserver?.disconnect();
  }

  /** After the first render: the list is observed and its stale anchors released. */
  private firstUpdated(): void {
    const list = this.list;
    if (!list) return;
    if (!this.tail) this.sizeHint(this.host.rowCount());
    this.resizeObserver?.observe(list);
    // Capture: runs before the virtualizer's own scroll handler on the same element.
    list.addEventListener(
      'scroll',
      () => {
        releaseStaleAnchor(list);
      },
      { capture: true, passive: true },
    );
  }

  hostUpdated(): void {
    if (!this.listAttached) {
      this.listAttached = true;
      this.firstUpdated();
    }
    this.rowCountShown = this.host.rowCount();
    if (this.tail) {
      if (!this.cancelHandover) this.scheduleHandover();
      return;
    }
    walkChildrenOnce(this.list);
    if (this.handingOver) {
      // The virtualizer was just created in place of the tail: its scroll height before its first layout.
      this.handingOver = false;
      this.sizeHint(this.host.rowCount());
    }
    if (this.anchor && this.pinRequest === undefined) void this.restoreAnchor();
    if (this.checkBottomAfterOpen) {
      this.checkBottomAfterOpen = false;
      void this.followIfAllShown();
    }
    if (this.pinnedToEnd) {
      this.pinnedToEnd = false;
      void this.settleAtEnd();
    }
  }

  /** Shows the opening tail of the newest `rows` rows, or (without) the virtualizer (see opening-tail.ts). */
  showTail(rows: number | undefined): void {
    this.cancelHandover?.();
    this.cancelHandover = undefined;
    this.tail = rows !== undefined ? { rows } : undefined;
  }

  /**
   * How many of the newest rows fill the list: from its height when it was laid out before (the
   * resize observer reports it), else from one read of its height now (the only layout forced while
   * opening, before any row is rendered), else from the window's height.
   */
  tailSize(): number {
    let height = this.listHeight;
    if (height <= 0 && this.host.isConnected) height = this.host.getBoundingClientRect().height;
    return tailRowCount(height);
  }

  /** Hands over from the tail to the virtualizer once the tail has been shown and the browser is idle. */
  private scheduleHandover(): void {
    this.cancelHandover?.();
    this.cancelHandover = afterFirstFrame(() => {
      this.cancelHandover = undefined;
      this.handOver();
    });
  }

  /**
   * Leaves the opening tail for the virtualizer (after the first frame, or when the user starts to
   * scroll). The virtualizer renders with its estimated heights in this task and measures its rows
   * in the next frame's resize observations, before that frame is painted; holding the newest row
   * at the bottom, it shows every row where the tail showed it.
   */
  private handOver(): void {
    if (!this.tail) return;
    this.showTail(undefined);
    this.handingOver = true;
    const n = this.host.rowCount();
    if (this.stick && n > 0) this.pinRequest = { index: n - 1, block: 'end' };
    this.host.requestUpdate();
  }

  /**
   * Gives the list its estimated scroll height before the virtualizer's first layout of a chat
   * (through the virtualizer's own sizer element, which it then keeps up to date). Without it the
   * first layout clamps "hold the newest row at the bottom" to the old height and shows the top,
   * and the newest message appears a few frames later.
   */
  sizeHint(rows: number): void {
    const list = this.list;
    if (!list) return;
    let sizer = list.querySelector<HTMLElement>(':scope > [virtualizer-sizer]');
    if (!sizer) {
      sizer = document.createElement('div');
      sizer.setAttribute('virtualizer-sizer', '');
      Object.assign(sizer.style, { position: 'absolute', margin: '-2px 0 0 0', padding: '0', visibility: 'hidden', fontSize: '2px' });
      sizer.textContent = '\u00a0';
      list.append(sizer);
    }
    // More than the layout's first estimate is harmless (the virtualizer replaces it at once).
    sizer.style.transform = `translate(0px, ${String(Math.min(8_200_000, rows * ROW_ESTIMATE_PX * 2))}px)`;
  }

  /** A row being read (near the top of the visible area), and how far its top is from the top of the list. */
  readingAnchor(): { key: string; offset: number } | undefined {
    const list = this.list;
    if (!list) return undefined;
    const top = list.getBoundingClientRect().top;
    const bottom = list.getBoundingClientRect().bottom;
    // The visible row whose top is nearest the top edge: it moves least while the page settles.
    let best: { key: string; offset: number } | undefined;
    for (const child of list.children) {
      const key = (child as HTMLElement).dataset.key;
      if (key === undefined) continue;
      const box = child.getBoundingClientRect();
      if (box.bottom <= top + 1 || box.top >= bottom) continue;
      if (!best || Math.abs(box.top - top) < Math.abs(best.offset)) best = { key, offset: box.top - top };
    }
    return best;
  }

  /** After older messages were put on top and laid out: the anchor row goes back where it was. */
  private async restoreAnchor(): Promise<void> {
    const anchor = this.anchor;
    const list = this.list;
    if (!anchor || !list) return;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (this.anchor !== anchor) return;
    this.anchor = undefined;
    const row = [...list.children].find((c) => (c as HTMLElement).dataset.key === anchor.key);
    if (!row) return;
    const delta = row.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
    if (Math.abs(delta) >= 1) {
      this.selfScrollUntil = performance.now() + 100;
      list.scrollTop += delta;
    }
    this.lastScrollTop = list.scrollTop;
  }

  /**
   * Opened at the "new messages" divider: when the newest message is in view as well (everything
   * fits, or the divider is near the end) there is nothing to jump to, so the list follows the
   * newest message as if opened at the end (no "Jump to latest" button).
   */
  private async followIfAllShown(): Promise<void> {
    const list = this.list;
    if (!list) return;
    const sessionId = this.host.sessionId;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (this.stick || !list.isConnected || this.host.sessionId !== sessionId || this.userScrolling()) return;
    if (list.scrollHeight - list.scrollTop - list.clientHeight >= BOTTOM_SLACK_PX) return;
    this.stick = true;
    this.host.markSeen();
    this.host.showScrolledUp(false);
  }

  /**
   * Once the virtualizer has laid out after "hold the newest row at the bottom": if the list is
   * still not at the very bottom (its hold is limited by a scroll height measured a moment too
   * early), go there.
   */
  private async settleAtEnd(): Promise<void> {
    const list = this.list;
    if (!list) return;
    const virtualizer = list[virtualizerRef];
    await Promise.race([virtualizer?.layoutComplete.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_TIMEOUT_MS))]);
    if (!this.stick || !list.isConnected || this.pinRequest !== undefined || this.userScrolling() || this.tail) return;
    const gap = list.scrollHeight - list.scrollTop - list.clientHeight;
    // Under 2 px is the rounding of fractional row positions to whole scroll offsets: moving
    // everything by a pixel for it would only be a visible twitch.
    if (gap < 2) return;
    this.selfScrollUntil = performance.now() + 100;
    list.scrollTop = list.scrollHeight;
    this.lastScrollTop = list.scrollTop;
  }

  /**
   * Holds the newest row at the bottom. `relayout` also hands the virtualizer a fresh copy of the
   * rows, which makes it measure the list again: its "hold at the bottom" is limited by the scroll
   * height it measured last, which can be out of date right after row heights were corrected.
   */
  private pinToEnd(relayout = false): void {
    const n = this.host.rowCount();
    if (n === 0) return;
    if (relayout) {
      if (this.repinBudget <= 0) return;
      this.repinBudget -= 1;
      this.host.relayoutRows();
    }
    this.pinRequest = { index: n - 1, block: 'end' };
    this.host.requestUpdate();
  }

  readonly onScroll = (): void => {
    const s = this.list;
    if (!s) return;
    const top = s.scrollTop;
    const atBottom = s.scrollHeight - top - s.clientHeight < BOTTOM_SLACK_PX;
    // Only the user scrolling up lets go of the bottom; content growing underneath does not.
    if (atBottom) {
      this.stick = true;
      this.host.markSeen();
    } else if (top < this.lastScrollTop - 1 && (this.userScrolling() || (performance.now() > this.selfScrollUntil && !isCorrectingScroll(this.list)))) {
      this.stick = false;
      // The user's own scroll: the virtualizer must not pull the list back to the held row.
      if (this.userScrolling()) this.pinRequest = null;
      this.host.requestUpdate();
    }
    this.lastScrollTop = top;
    // Following the newest message but not at the bottom (heights were corrected underneath, or
    // the browser clamped the position): hold the newest row at the bottom again.
    if (this.stick && !atBottom && this.pinRequest === undefined && !this.userScrolling()) this.pinToEnd(true);
    this.host.showScrolledUp(!this.stick);
    // Near the top: the previous page comes by itself.
    if (!this.stick && top < TOP_LOAD_PX && this.anchor === undefined) this.host.nearTop();
  };

  /** The user is scrolling (wheel, touch, scroll keys, the scroll bar) or just did. */
  private userScrolling(): boolean {
    return this.pointerDown || performance.now() < this.userScrollUntil;
  }

  readonly onUserScrollIntent = (event: Event): void => {
    if (event instanceof KeyboardEvent && !SCROLL_KEYS.has(event.key)) return;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
    // The tail cannot scroll: the virtualizer takes over at once (not for keys meant for a button in a row).
    if (this.tail && (!(event instanceof KeyboardEvent) || event.target === this.list)) this.handOver();
  };

  readonly onPointerDown = (): void => {
    this.pointerDown = true;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
  };

  readonly onPointerUp = (): void => {
    this.pointerDown = false;
    this.userScrollUntil = performance.now() + USER_SCROLL_MS;
  };

  /** The rows in view changed: while following the newest message, it must stay in view. */
  readonly onVisibilityChanged = (event: Event): void => {
    const last = (event as Event & { last?: number }).last;
    const n = this.host.rowCount();
    if (this.stick && n > 0 && typeof last === 'number' && last < n - 1 && this.pinRequest === undefined && !this.userScrolling()) this.pinToEnd(true);
  };

  /** "Jump to latest": to the newest message, following new ones again. */
  jump(): void {
    this.repinBudget = REPIN_BUDGET;
    this.stick = true;
    this.host.markSeen();
    this.host.showScrolledUp(false);
    this.selfScrollUntil = performance.now() + 200;
    this.pinToEnd();
    this.list?.focus({ preventScroll: true });
  }
}
