/**
 * Styles of lazily loaded parts of an element (the composer's Insert and emoji pickers, the
 * conversation's request and transfer dialogs, the customer widget's files): their code and CSS
 * arrive on first use and are rendered inside the element's own shadow root, so their ARIA
 * relationships stay within one root. This adds their CSS to that root once, after the element's
 * static styles.
 */
import type { CSSResult } from 'lit';
import { supportsAdoptingStyleSheets } from 'lit';

const adopted = new WeakMap<ShadowRoot, Set<CSSResult>>();

/** Adds `styles` to the element's shadow root (once per root). */
export function adoptLazyStyles(host: { readonly renderRoot: Element | DocumentFragment }, styles: readonly CSSResult[]): void {
  const root = host.renderRoot;
  if (!(root instanceof ShadowRoot)) return;
  let done = adopted.get(root);
  if (!done) {
    done = new Set();
    adopted.set(root, done);
  }
  const missing = styles.filter((s) => !done.has(s));
  if (missing.length === 0) return;
  for (const s of missing) done.add(s);
  if (supportsAdoptingStyleSheets) {
    const sheets = missing.map((s) => s.styleSheet).filter((s): s is CSSStyleSheet => s !== undefined);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
    return;
  }
  const nonce = (globalThis as { litNonce?: string }).litNonce;
  for (const s of missing) {
    const el = document.createElement('style');
    if (nonce !== undefined) el.setAttribute('nonce', nonce);
    el.textContent = s.cssText;
    root.append(el);
  }
}
