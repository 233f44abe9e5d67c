/**
 * What the composers' panels (Insert, emoji, CRM documents of the agent's composer; emoji of the
 * customer widget; each loaded on first use) share: a
 * top-layer popover shown after each render while `open`, placed above the composer by
 * `anchorPanel` (@floating-ui/dom: flipped below when there is no room above, inside the viewport
 * and never above the conversation, so it never covers the console's top bar, and following
 * scroll and resize), closed by a pointer press outside it, and focus moved after a render to the element
 * named in `focusNext`. One panel at a time: a panel that opens (by mouse, keyboard or "/") closes the
 * others of its composer (`closeOthers()`). Each panel renders its own content and keyboard model.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import { anchorPanel, composedClosest } from './floating.js';

export interface PopoverHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** A composer's panels never go above the conversation around it (so never over the console's top bar). */
const CEILING = 'chat-conversation';

export interface PopoverOptions {
  /** Id of the panel element in the host's shadow root. */
  panelId: string;
  /** Widest the panel gets (it is as wide as the composer otherwise). */
  maxWidth: number;
  /** Presses on this element (besides the panel) leave the panel open: the button that toggles it. */
  inside: string;
  /** The element (selector in the host's shadow root) the panel sits above: `.base` by default. */
  anchor?: string;
}

/** The panels of each composer, so that opening one closes the others. */
const panelsOf = new WeakMap<PopoverHost, Set<ComposerPopover<PopoverHost>>>();

/**
 * Where the active option of a panel's list goes for a key of the combobox keyboard model:
 * ↑ ↓ move and wrap around, Home and End go to the first and last option; undefined for any
 * other key. `count` is the number of options (0: stays at 0).
 */
export function comboboxMove(key: string, active: number, count: number): number | undefined {
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return count === 0 ? 0 : (Math.min(active, last) + 1) % count;
    case 'ArrowUp':
      return count === 0 ? 0 : (Math.min(active, last) - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return Math.max(0, last);
    default:
      return undefined;
  }
}

export abstract class ComposerPopover<H extends PopoverHost> implements ReactiveController {
  open = false;
  /** Id (in the host's shadow root) of the element to focus after the next render. */
  protected focusNext: string | undefined;

  private readonly onPointerDown = (event: PointerEvent): void => {
    if (!this.open) return;
    const path = event.composedPath();
    const panel = this.panel();
    const inside = this.host.renderRoot.querySelector(this.options.inside);
    if ((panel && path.includes(panel)) || (inside && path.includes(inside))) return;
    this.dismiss();
  };

  /** The panel being kept in place, and how to stop. */
  private placed: { panel: HTMLElement; stop: () => void } | undefined;

  constructor(
    protected readonly host: H,
    private readonly options: PopoverOptions,
  ) {
    host.addController(this);
    let panels = panelsOf.get(host);
    if (!panels) {
      panels = new Set();
      panelsOf.set(host, panels);
    }
    panels.add(this);
  }

  /** Closes the composer's other open panels (focus stays where it is): call it when this one opens. */
  protected closeOthers(): void {
    for (const panel of panelsOf.get(this.host) ?? []) {
      if (panel !== this && panel.open) panel.dismiss();
    }
  }

  /** Closes the panel after a press outside it (focus stays where the press put it). */
  protected abstract dismiss(): void;

  /** Runs after the panel has been placed and shown (e.g. to scroll the active option into view). */
  protected whileOpen(): void {
    // Nothing by default.
  }

  hostConnected(): void {
    document.addEventListener('pointerdown', this.onPointerDown, true);
  }

  hostDisconnected(): void {
    document.removeEventListener('pointerdown', this.onPointerDown, true);
    this.unplace();
  }

  private unplace(): void {
    this.placed?.stop();
    this.placed = undefined;
  }

  hostUpdated(): void {
    const panel = this.panel();
    // An answer may arrive after the composer left the page: a disconnected popover cannot be shown.
    if (!panel?.isConnected) return;
    if (this.open) {
      if (!panel.matches(':popover-open')) panel.showPopover();
      const base = this.host.renderRoot.querySelector(this.options.anchor ?? '.base');
      if (base && this.placed?.panel !== panel) {
        this.unplace();
        const ceiling = composedClosest(base, CEILING);
        this.placed = { panel, stop: anchorPanel(panel, base, { placement: 'top-start', matchWidth: this.options.maxWidth, ceiling }) };
      }
      this.whileOpen();
    } else {
      this.unplace();
      if (panel.matches(':popover-open')) panel.hidePopover();
    }
    const target = this.focusNext;
    if (target !== undefined) {
      this.focusNext = undefined;
      this.host.renderRoot.querySelector<HTMLElement>(`#${target}`)?.focus();
    }
  }

  protected panel(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(`#${this.options.panelId}`);
  }
}
