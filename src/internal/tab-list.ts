/**
 * A row of tabs (WAI-ARIA APG tabs, automatic activation) as the composer's pickers use it: the
 * Insert picker's kinds (reply-picker-list.ts) and the emoji picker's groups (emoji-picker.ts).
 * One tab stop (the selected tab); → and ← move in the reading direction and wrap, Home and End go
 * to the first and last tab; a key selects the tab it moves to and focuses it, a click selects.
 */
import type { TemplateResult } from 'lit';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

import { logicalKey } from './keys.js';

export interface TabListOptions<T extends string> {
  tabs: readonly T[];
  selected: T;
  /** Accessible name of the tab list. */
  label: string;
  /** Class of the tab list; each tab gets `<listClass minus "s">`, e.g. `picker-tabs` → `picker-tab`. */
  listClass: string;
  /** Each tab's id is this prefix and the tab, e.g. `picker-tab-` → `picker-tab-faq`. */
  idPrefix: string;
  /** Id of the panel the tabs control. */
  controls: string;
  /** The tab's visible name. */
  labelOf(tab: T): string;
  /** The tab's `part`, if it has one. */
  partOf?(tab: T, selected: boolean): string;
  /** A tab was chosen: `byKey` when by the keyboard (the tab then gets focus). */
  select(tab: T, byKey: boolean): void;
}

/** The tab that a key on a tab list moves to (index), or undefined for other keys. */
export function tabKeyTarget(event: KeyboardEvent, index: number, count: number): number | undefined {
  const key = logicalKey(event);
  if (key === 'ArrowRight') return (index + 1) % count;
  if (key === 'ArrowLeft') return (index - 1 + count) % count;
  if (event.key === 'Home') return 0;
  if (event.key === 'End') return count - 1;
  return undefined;
}

export function renderTabList<T extends string>(o: TabListOptions<T>): TemplateResult {
  const onKeydown = (event: KeyboardEvent): void => {
    const next = o.tabs[tabKeyTarget(event, o.tabs.indexOf(o.selected), o.tabs.length) ?? -1];
    if (next === undefined) return;
    event.preventDefault();
    o.select(next, true);
  };
  const tabClass = o.listClass.replace(/s$/, '');
  return html`<div class=${o.listClass} role="tablist" aria-label=${o.label}>
    ${o.tabs.map((tab) => {
      const selected = tab === o.selected;
      return html`<button
        id=${o.idPrefix + tab}
        class=${tabClass}
        part=${ifDefined(o.partOf?.(tab, selected))}
        role="tab"
        type="button"
        aria-selected=${selected ? 'true' : 'false'}
        aria-controls=${o.controls}
        tabindex=${selected ? '0' : '-1'}
        @click=${() => {
          o.select(tab, false);
        }}
        @keydown=${onKeydown}
      >
        ${o.labelOf(tab)}
      </button>`;
    })}
  </div>`;
}
