/**
 * The height of the box an element is scrolled in, as a CSS custom property on the host.
 *
 * A sticky side panel (the dashboard's listen-in panel) must fit the part of its scroller that
 * is visible, or its bottom (the whisper box) is cut off. `100vh` is the page's height, not the
 * scroller's when the element sits inside a console embedded in a taller page, and CSS has no
 * unit for "my scroll container". So while `active()` holds, this controller finds the nearest
 * scrolling ancestor of the host (across shadow roots), watches its size, and writes its client
 * height to `property` on the element `target()` returns (in the host's shadow root, so the host
 * page's DOM is not touched): `--_scrollport-height: 483px`. With no scrolling ancestor (the page
 * scrolls) nothing is written, and the CSS falls back to the viewport.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The nearest ancestor of `el` in the flat tree whose content scrolls vertically. */
export function scrollingAncestor(el: Element): HTMLElement | undefined {
  let node: Node | null = el.assignedSlot ?? el.parentNode;
  while (node) {
    if (node instanceof ShadowRoot) {
      node = node.host;
      continue;
    }
    if (node instanceof HTMLElement) {
      if (node === document.body || node === document.documentElement) return undefined;
      const overflow = getComputedStyle(node).overflowY;
      if (overflow === 'auto' || overflow === 'scroll') return node;
    }
    node = (node as Element).assignedSlot ?? node.parentNode;
  }
  return undefined;
}

export class ScrollportHeight implements ReactiveController {
  private observer: ResizeObserver | undefined;
  private watched: HTMLElement | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly target: () => HTMLElement | null | undefined,
    private readonly property = '--_scrollport-height',
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const el = this.target();
    const scroller = el ? scrollingAncestor(this.host) : undefined;
    if (el && scroller === this.watched) {
      this.write(el);
      return;
    }
    this.stop();
    if (!el || !scroller) return;
    this.watched = scroller;
    this.observer = new ResizeObserver(() => {
      const now = this.target();
      if (now) this.write(now);
    });
    this.observer.observe(scroller);
  }

  private write(el: HTMLElement): void {
    if (this.watched) el.style.setProperty(this.property, `${String(this.watched.clientHeight)}px`);
  }

  hostDisconnected(): void {
    this.stop();
  }

  private stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.watched = undefined;
  }
}
