/**
 * Every state of an element, audited in the light and the dark theme (WCAG 2.2 AA, issue 17 item 6).
 *
 * Each element has one table of states (test/components/states/<tag>.states.test.ts). A state
 * names the `:state()`s it shows and a setup that brings the element into it. `auditStates` runs
 * every row once per theme and checks, in that row's real DOM:
 *   - the element matches each `:state()` the row claims (the table cannot drift from the element);
 *   - axe finds 0 violations (colour contrast included, against the theme's page background);
 *   - every pointer target is at least 24 × 24 CSS px (2.5.8), except links inside a sentence;
 * and once, that the rows together cover every `:state()` the element documents in
 * custom-elements.json.
 */
import { expect } from '@open-wc/testing';

export interface Shown {
  /** The element under audit. */
  el: HTMLElement;
  /** Frees what the setup made (clients, listeners); fixtures are removed by open-wc. */
  done?: () => unknown;
}

export interface UiState {
  name: string;
  /** The `:state()`s the element has in this state. */
  shows?: string[];
  setup: () => Promise<Shown>;
}

export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];

const THEME_STYLE: Record<Theme, { sheet: string; surface: string; page: string }> = {
  light: { sheet: '/themes/light.css', surface: '#ffffff', page: '#ffffff' },
  dark: { sheet: '/themes/dark.css', surface: '#161b22', page: '#0d1117' },
};

/** Every element in `root`, through shadow roots. */
export function* deepElements(root: ParentNode): Generator<Element> {
  for (const el of root.querySelectorAll('*')) {
    yield el;
    if (el.shadowRoot) yield* deepElements(el.shadowRoot);
  }
}

const INTERACTIVE =
  'button, select, textarea, summary, [role=tab], [role=button], [role=option][tabindex], [role=gridcell][tabindex], input:not([type=hidden]), a[href]';

/**
 * Pointer targets smaller than 24 × 24 CSS px (WCAG 2.2 2.5.8). Exceptions of the criterion:
 * links inside a sentence ("inline"), radio buttons and checkboxes whose label is the target
 * (the label is measured instead), and controls that are not shown.
 */
export function smallTargets(el: Element): string[] {
  const small: string[] = [];
  for (const node of deepElements(el.shadowRoot ?? el)) {
    if (!(node instanceof HTMLElement) || !node.matches(INTERACTIVE)) continue;
    if (node.matches('a[href]') && node.closest('p, [part~=bubble], .bubble, .preview, .hint, .text')) continue;
    let target: HTMLElement = node;
    if (node.matches('input[type=radio], input[type=checkbox]')) {
      const label = node.closest('label') ?? (node.id ? (node.getRootNode() as ParentNode).querySelector<HTMLElement>(`label[for="${node.id}"]`) : null);
      if (label) target = label;
    }
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(node);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.opacity === '0') continue;
    if (box.width < 23.5 || box.height < 23.5) {
      const name = (node.getAttribute('aria-label') ?? node.textContent).trim().slice(0, 30);
      small.push(`${node.localName}[part=${node.getAttribute('part') ?? ''}] ${box.width.toFixed(0)}×${box.height.toFixed(0)} "${name}"`);
    }
  }
  return small;
}

let themeLink: HTMLLinkElement | undefined;

export async function applyTheme(theme: Theme): Promise<void> {
  removeTheme();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = THEME_STYLE[theme].sheet;
  const loaded = new Promise((resolve, reject) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', reject, { once: true });
  });
  document.head.append(link);
  await loaded;
  themeLink = link;
  document.documentElement.classList.add(`chat-theme-${theme}`);
  document.body.style.background = THEME_STYLE[theme].page;
  document.body.style.color = theme === 'dark' ? '#e6e9ee' : '';
}

export function removeTheme(): void {
  themeLink?.remove();
  themeLink = undefined;
  document.documentElement.classList.remove('chat-theme-light', 'chat-theme-dark');
  document.body.style.background = '';
  document.body.style.color = '';
}

interface ManifestDeclaration {
  tagName?: string;
  cssStates?: { name: string }[];
}

async function documentedStates(tag: string): Promise<string[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as { modules: { declarations?: ManifestDeclaration[] }[] };
  const declaration = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === tag);
  if (!declaration) throw new Error(`${tag} is not in custom-elements.json`);
  return (declaration.cssStates ?? []).map((s) => s.name);
}

/** Axe and target sizes on `el` in `theme`. */
export async function auditShown(el: HTMLElement, theme: Theme, what: string): Promise<void> {
  expect(getComputedStyle(el).getPropertyValue('--chat-color-surface').trim(), `${what}: ${theme} theme applied`).to.equal(THEME_STYLE[theme].surface);
  await expect(el, what).to.be.accessible();
  expect(smallTargets(el), `${what}: targets under 24 × 24 px`).to.deep.equal([]);
}

/** Runs every row of `table` in the light and the dark theme. */
export function auditStates(tag: string, table: UiState[]): void {
  describe(`${tag}: every state in the light and the dark theme (axe, targets ≥ 24 px)`, function () {
    this.timeout(60_000);

    it('the table covers every :state() the element documents', async () => {
      const covered = new Set(table.flatMap((s) => s.shows ?? []));
      const documented = await documentedStates(tag);
      expect(documented.filter((s) => !covered.has(s)), 'documented states with no row').to.deep.equal([]);
      expect([...covered].filter((s) => !documented.includes(s)), 'rows claiming undocumented states').to.deep.equal([]);
    });

    for (const theme of THEMES) {
      describe(theme, () => {
        before(() => applyTheme(theme));
        after(() => {
          removeTheme();
        });
        // Each row starts from a fresh console: no remembered tab, filter, favourites or drafts.
        beforeEach(() => {
          sessionStorage.clear();
          localStorage.clear();
        });

        for (const state of table) {
          it(state.name, async () => {
            const { el, done } = await state.setup();
            try {
              for (const s of state.shows ?? []) expect(el.matches(`:state(${s})`), `${state.name}: :state(${s})`).to.equal(true);
              await auditShown(el, theme, `${tag} (${theme}), ${state.name}`);
            } finally {
              await done?.();
            }
          });
        }
      });
    }
  });
}
