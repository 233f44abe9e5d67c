/**
 * Keeps keyboard focus in the conversation while its controls come and go with the chat's state
 * (End chat once ended, Transfer while a transfer waits, Accept / Reject once answered). After an
 * action, focus moves to where it leads once that exists (`wish`: Cancel transfer, the composer,
 * the heading; for up to 10 seconds, while the server answers); when the focused control went away
 * otherwise, to the heading: never to the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import type { FocusTarget } from './session-actions.js';

/** How long a wish waits for its target to appear. */
const WISH_MS = 10_000;

export interface FocusKeeperHost extends ReactiveControllerHost {
  readonly shadowRoot: ShadowRoot | null;
  /** The composer is shown and the chat can be written in. */
  canWrite(): boolean;
  focusComposer(): void;
}

export class FocusKeeper implements ReactiveController {
  private wished: { target: FocusTarget; until: number } | undefined;
  /** The focused element before this update, to notice when it went away. */
  private hadFocus: Element | null = null;

  constructor(private readonly host: FocusKeeperHost) {
    host.addController(this);
  }

  /** After an action: focus goes to `target` once the server's answer shows it. */
  wish(target: FocusTarget): void {
    this.wished = { target, until: performance.now() + WISH_MS };
  }

  /** Another chat is shown: wishes about the previous one are dropped. */
  reset(): void {
    this.wished = undefined;
  }

  /** The element of a target, 'composer' for the composer (focused its own way), or null while it is not there. */
  private target(target: FocusTarget): HTMLElement | 'composer' | null | undefined {
    const root = this.host.shadowRoot;
    switch (target) {
      case 'composer':
        return this.host.canWrite() ? 'composer' : null;
      case 'transfer-cancel':
        return root?.querySelector<HTMLElement>('[part~="transfer-cancel"]');
      case 'transfer-button':
        return root?.querySelector<HTMLElement>('[part~="transfer-button"]');
      default:
        return root?.querySelector<HTMLElement>('.name');
    }
  }

  hostUpdate(): void {
    this.hadFocus = this.host.shadowRoot?.activeElement ?? null;
  }

  hostUpdated(): void {
    const had = this.hadFocus;
    this.hadFocus = null;
    const lost = had !== null && !had.isConnected;
    const inside = this.host.shadowRoot?.activeElement != null;
    const onPage = document.activeElement === null || document.activeElement === document.body;
    const wish = this.wished;
    if (wish && performance.now() > wish.until) this.wished = undefined;
    else if (wish && (lost || inside || onPage)) {
      const target = this.target(wish.target);
      if (target) {
        this.wished = undefined;
        if (target === 'composer') this.host.focusComposer();
        else target.focus();
        return;
      }
    }
    if (lost) {
      const heading = this.target('heading');
      if (heading && heading !== 'composer') heading.focus();
    }
  }
}
