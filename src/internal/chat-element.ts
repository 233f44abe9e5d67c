/**
 * Base class of every chat element: shared host styles, guarded registration, custom states,
 * locale updates, and the page announcer created before anything is announced.
 */
import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement } from 'lit';

import { adoptPageLocale } from '../i18n/localization.js';
import { ensureAnnouncer } from './announcer.js';
import { warn } from './dev.js';
import { VERSION } from './version.js';

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

  private readonly internals: ElementInternals | undefined;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    try {
      this.internals = this.attachInternals();
    } catch {
      this.internals = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    ensureAnnouncer(this.ownerDocument);
    adoptPageLocale(this);
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
