/**
 * Base class of every chat element: shared host styles, guarded registration, custom states,
 * locale updates, and the page announcer created before anything is announced.
 */
import type { PropertyValues } from 'lit';
import { LitElement } from 'lit';

import type { LocaleInfo } from '../i18n/localization.js';
import {
  elementLocale,
  hasMark,
  isLocaleLoaded,
  loadLocale,
  mark,
  onLocaleChange,
  pageLocale,
  relocalizeAll,
  trackElementLocale,
  textDirection,
  unmark,
  watchPageLang,
  withLocale,
} from '../i18n/localization.js';
import { ensureAnnouncer } from './announcer.js';
import { warn } from './dev.js';
import { VERSION } from './version.js';

/** An update requested this soon after the previous render ended counts as part of a burst. */
const BURST_MS = 50;

/** The next animation frame, or 50 ms in a hidden tab (where frames stop). */
function nextFrame(): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 50);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * @summary The base class of every chat element: guarded registration (`define`), custom states
 * and locale updates. The global design tokens below are read by every element (each uses those
 * it needs) and set by the theme files; see docs/theming.md.
 *
 * @cssproperty [--chat-font-family=system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif] - Font of all text.
 * @cssproperty [--chat-font-size=0.875rem] - Body text.
 * @cssproperty [--chat-font-size-small=0.8125rem] - Meta text: times, hints, counters.
 * @cssproperty [--chat-font-size-large=1rem] - Headings.
 * @cssproperty [--chat-color-text=#1b2431] - Text.
 * @cssproperty [--chat-color-text-muted=#556070] - Secondary text (4.5:1 on white).
 * @cssproperty [--chat-color-surface=#ffffff] - Backgrounds.
 * @cssproperty [--chat-color-surface-alt=#f3f5f8] - Headers, hovered rows, secondary backgrounds.
 * @cssproperty [--chat-color-border=#d3d9e1] - Borders and dividers.
 * @cssproperty [--chat-color-border-strong=#8a94a3] - Borders of form fields (3:1 against the surface).
 * @cssproperty [--chat-color-accent=#1d5fbf] - Primary actions, agent bubbles, selection.
 * @cssproperty [--chat-color-on-accent=#ffffff] - Text on the accent colour.
 * @cssproperty [--chat-color-accent-soft=#e6eefa] - Selected rows, highlights.
 * @cssproperty [--chat-color-danger=#b42318] - Failures and destructive actions.
 * @cssproperty [--chat-color-danger-soft=#fdecea] - Background of error messages.
 * @cssproperty [--chat-color-success=#067647] - Confirmations.
 * @cssproperty [--chat-color-warning=#9a4505] - Warnings.
 * @cssproperty [--chat-color-note=#fff6d6] - Internal notes.
 * @cssproperty [--chat-radius=8px] - Corners of bubbles and panels.
 * @cssproperty [--chat-radius-small=4px] - Corners of controls.
 * @cssproperty [--chat-space-xs=4px] - Smallest spacing.
 * @cssproperty [--chat-space-s=8px] - Small spacing.
 * @cssproperty [--chat-space-m=12px] - Medium spacing.
 * @cssproperty [--chat-space-l=16px] - Large spacing.
 * @cssproperty [--chat-focus-ring-color=#1d5fbf] - Focus outline.
 *
 * @attr lang - The element's language (BCP 47: `sv`, `sv-FI`, `en-GB`); else the nearest `lang` around it, else `setChatLocale()`'s, else `<html lang>`'s. The region sets date, time, number and currency formats. Without one, the element sets it to the language it shows (docs/localisation.md).
 * @attr dir - The element's direction. Without one, the element sets it to its language's (`ltr` for every language it has, also on a right-to-left page); `rtl` mirrors its layout, and the elements inside follow (docs/localisation.md).
 */
export class ChatElement extends LitElement {
  /** Library version of this class. */
  static readonly version: string = VERSION;

  /** Elements this one renders in its shadow root; registered with it by `define()`. */
  static dependencies: Record<string, CustomElementConstructor> = {};

  /**
   * Registers the element under `tag` (and its dependencies under theirs) unless the tag is
   * taken. Never throws: a tag taken by another class or version only warns in development.
   */
  static define(tag: string, registry: CustomElementRegistry = customElements): void {
    for (const [depTag, dep] of Object.entries(this.dependencies)) {
      const defineDep = (dep as unknown as { define?: (t: string, r: CustomElementRegistry) => void }).define;
      if (defineDep) defineDep.call(dep, depTag, registry);
      else if (!registry.get(depTag)) registry.define(depTag, dep);
    }
    const existing = registry.get(tag);
    if (existing) {
      if (existing !== this) {
        const theirs = (existing as unknown as { version?: string }).version ?? 'unknown';
        warn(tag, 'tag-taken', `the tag is already registered by another class (version ${theirs}; this is ${VERSION}); keeping the first one`);
      }
      return;
    }
    registry.define(tag, this);
  }

  /**
   * Set by elements that events re-render many times a second (the session list): an update requested within 50 ms of the end of the previous render waits for
   * the next animation frame, so a burst of events costs one render per frame, and the page keeps
   * time to paint; a single change after a quiet moment still renders at once.
   */
  protected static renderOncePerFrame = false;

  private readonly internals: ElementInternals | undefined;
  /** When the last render ended (see renderOncePerFrame). */
  private renderEndedAt = -Infinity;

  constructor() {
    super();
    try {
      this.internals = this.attachInternals();
    } catch {
      this.internals = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    ensureAnnouncer(this.ownerDocument);
    watchPageLang(this.ownerDocument);
    this.stopLocale ??= onLocaleChange(() => {
      this.relocalize();
    });
    this.relocalize();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopLocale?.();
    this.stopLocale = undefined;
    trackElementLocale(this, undefined);
  }
  // ---- language (src/i18n/localization.ts) ------------------------------------------------

  /** This element's language: its `lang`, the nearest one around it, or the page's. */
  private chatLocaleInfo: LocaleInfo = pageLocale();
  /** The tag of the strings last rendered (`en` while a catalog loads). */
  private shownLocale = '';
  private stopLocale: (() => void) | undefined;
  /** True while the element sets its own `lang`/`dir` marks (not an author's change). */
  private marking = false;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if ((name !== 'lang' && name !== 'dir') || this.marking) return;
    // The author set or removed it: it is theirs now (or ours again); the elements inside follow.
    unmark(this, name);
    if (this.isConnected) relocalizeAll();
  }

  /** The language this element renders in: its catalog and its `Intl` tag (with the region). */
  get chatLocale(): LocaleInfo {
    return this.chatLocaleInfo;
  }

  /** Runs `fn` in this element's language: for strings made outside rendering (handlers, timers). */
  protected localized<T>(fn: () => T): T {
    return withLocale(this.chatLocaleInfo, fn);
  }

  /** Re-reads the language; re-renders when it, or what is shown of it, changed. */
  private relocalize(): void {
    const info = elementLocale(this);
    const shown = isLocaleLoaded(info.locale) ? info.tag : 'en';
    if (info !== this.chatLocaleInfo || shown !== this.shownLocale) {
      this.chatLocaleInfo = info;
      this.shownLocale = shown;
      this.requestUpdate();
    }
    trackElementLocale(this, info);
    if (!isLocaleLoaded(info.locale)) void loadLocale(info.locale).catch(() => undefined);
    // The language shown, for assistive technology (a Swedish element on an English page is read
    // with a Swedish voice), and its direction: English texts on a right-to-left page stay
    // left-to-right (the layout mirrors only for a right-to-left language, or an author's
    // dir="rtl"). An author's `lang` or `dir` is left alone.
    this.marking = true;
    try {
      if (!this.hasAttribute('lang') || hasMark(this, 'lang')) mark(this, 'lang', shown);
      if (!this.hasAttribute('dir') || hasMark(this, 'dir')) {
        // Inside a chat element whose author set `dir`, follow that one.
        if (this.chosenDirAround()) {
          if (hasMark(this, 'dir')) this.removeAttribute('dir');
          unmark(this, 'dir');
        } else {
          mark(this, 'dir', textDirection(shown));
        }
      }
    } finally {
      this.marking = false;
    }
  }

  /** True when a chat element around this one (across shadow roots) has a `dir` set by its author. */
  private chosenDirAround(): boolean {
    let node: Node | null = this.parentNode;
    while (node) {
      if (node instanceof ShadowRoot) node = node.host;
      if (node instanceof ChatElement && node.hasAttribute('dir') && !hasMark(node, 'dir')) return true;
      node = node.parentNode;
    }
    return false;
  }

  protected override performUpdate(): void {
    withLocale(this.chatLocaleInfo, () => {
      super.performUpdate();
    });
  }

  // ReactiveElement's own signature: a promise only when the update waits.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (!(this.constructor as typeof ChatElement).renderOncePerFrame || performance.now() - this.renderEndedAt >= BURST_MS) return super.scheduleUpdate();
    return nextFrame().then(() => super.scheduleUpdate());
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    this.renderEndedAt = performance.now();
  }

  /** Sets or clears a custom state, styleable by hosts as `:state(name)`. */
  protected setCustomState(name: string, on: boolean): void {
    const states = this.internals?.states;
    if (!states) return;
    try {
      if (on) states.add(name);
      else states.delete(name);
    } catch {
      // Very old engines only accepted `--name`; the state is cosmetic, so skip it there.
    }
  }

  /** True when the custom state is set (for tests and subclasses). */
  hasCustomState(name: string): boolean {
    return this.internals?.states.has(name) ?? false;
  }
}
