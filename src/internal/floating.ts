/**
 * Places a panel shown in the top layer (a `popover`, `position: fixed`) at the element it
 * belongs to, with `@floating-ui/dom`: on the preferred side, flipped to the other when it does
 * not fit, shifted and sized to stay inside the viewport, and kept there while the page or any
 * scroll container scrolls, the window resizes or the anchor moves, until the returned function
 * is called. `ceiling` keeps it below the top of an element (for the agent's composer the
 * conversation, so that a picker never covers the console's top bar). Geometry goes through
 * custom properties on the panel (no style attribute strings; see docs/security.md):
 * `--_pop-left`, `--_pop-top`, `--_pop-width`, `--_pop-max-height`; the side it ended up on is
 * `data-placement`.
 */
import type { Placement, Rect } from '@floating-ui/dom';
import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';

export interface AnchorOptions {
  /** Preferred side (flipped when it does not fit). */
  placement: Placement;
  /** Gap between the anchor and the panel, px. */
  gap?: number;
  /** As wide as the anchor, at most this (px); without it the panel keeps its own width. */
  matchWidth?: number;
  /** The panel never goes above the top of this element (nor outside the viewport). */
  ceiling?: Element | undefined;
}

/** Room kept free at the edges of the viewport, px. */
const EDGE = 8;

const px = (n: number) => `${String(Math.round(n))}px`;

export function anchorPanel(panel: HTMLElement, anchor: Element, options: AnchorOptions): () => void {
  /** The viewport below the ceiling, as it is now (it moves when the page scrolls). */
  const area = (): Rect | 'clippingAncestors' => {
    if (!options.ceiling) return 'clippingAncestors';
    const root = document.documentElement;
    const y = Math.max(0, options.ceiling.getBoundingClientRect().top);
    return { x: 0, y, width: root.clientWidth, height: Math.max(0, root.clientHeight - y) };
  };
  const update = () => {
    const boundary = area();
    void computePosition(anchor, panel, {
      strategy: 'fixed',
      placement: options.placement,
      middleware: [
        offset(options.gap ?? 4),
        flip({ boundary, padding: EDGE }),
        shift({ boundary, padding: EDGE }),
        size({
          boundary,
          padding: EDGE,
          apply({ availableHeight, availableWidth, rects }) {
            panel.style.setProperty('--_pop-max-height', px(Math.max(120, availableHeight)));
            if (options.matchWidth !== undefined) panel.style.setProperty('--_pop-width', px(Math.min(rects.reference.width, options.matchWidth, availableWidth)));
          },
        }),
      ],
    }).then(({ x, y, placement }) => {
      panel.style.setProperty('--_pop-left', px(x));
      panel.style.setProperty('--_pop-top', px(y));
      panel.dataset.placement = placement;
    });
  };
  return autoUpdate(anchor, panel, update);
}

/** The nearest ancestor of `node` matching `selector`, looking through shadow roots to their hosts. */
export function composedClosest(node: Element, selector: string): Element | undefined {
  let current: Element | null = node;
  while (current) {
    const found: Element | null = current.closest(selector);
    if (found) return found;
    const root = current.getRootNode();
    current = root instanceof ShadowRoot ? root.host : null;
  }
  return undefined;
}
