/**
 * The places where chat-message-list looks inside @lit-labs/virtualizer (pinned to 2.1.1 in
 * package.json). Both read or reset state the virtualizer keeps for itself; if a later version
 * renames it, these functions do nothing and the list still works (with the old glitches).
 */
import type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';

interface Internals {
  _positionChildren?: (positions: unknown) => void;
  _children?: unknown;
  _scrollerController?: { correctingScrollError?: boolean } | null;
  _layout?: { _pin?: unknown; _anchorIdx?: number | null; _anchorPos?: number | null } | null;
}

function internals(host: VirtualizerHostElement | null | undefined): Internals | undefined {
  return host?.[virtualizerRef] as unknown as Internals | undefined;
}

/**
 * True while the virtualizer moves the list itself (correcting estimated row heights). It uses
 * the same flag to tell its own scrolling from the user's.
 */
export function isCorrectingScroll(host: VirtualizerHostElement | null | undefined): boolean {
  return internals(host)?._scrollerController?.correctingScrollError === true;
}

/**
 * The user scrolled: forget the row the layout last anchored on. The flow layout keeps the anchor
 * of a pinned row (e.g. the newest message) after the pin is released, so a long jump (scrollbar,
 * Home, PageUp) would be pulled back to that row; without it, the layout anchors on what is in
 * view, as it does for any other scroll. Call before the virtualizer handles the scroll event.
 */
export function releaseStaleAnchor(host: VirtualizerHostElement | null | undefined): void {
  const v = internals(host);
  const layout = v?._layout;
  if (!layout || isCorrectingScroll(host)) return;
  if ('_anchorIdx' in layout && '_anchorPos' in layout) {
    layout._anchorIdx = null;
    layout._anchorPos = null;
  }
}

const walkedOnce = new WeakSet();

/**
 * Placing its rows, the virtualizer reads its `_children` getter (a walk over the list's
 * children) once per row: 40 walks of 40 children each time it places them, several times a
 * frame under a burst of messages (a tenth of the script time in a 4× profile, issue 15 item 2).
 * While it places them, the children are read once and kept on the instance.
 */
export function walkChildrenOnce(host: VirtualizerHostElement | null | undefined): void {
  const v = internals(host);
  const position = v?._positionChildren;
  if (!v || walkedOnce.has(v) || typeof position !== 'function') return;
  walkedOnce.add(v);
  v._positionChildren = (positions) => {
    // An own property shadows the prototype's getter for this call only.
    Object.defineProperty(v, '_children', { value: v._children, configurable: true });
    try {
      position.call(v, positions);
    } finally {
      delete v._children;
    }
  };
}
