/**
 * Focus visible and never hidden (WCAG 2.2: 2.4.7 focus visible, 2.4.11 focus not obscured), in
 * real Chromium against the real server, on the demo pages: the agent console (sample CRM page)
 * and the customer widget (company site), each at a desktop size, at 320 px wide and at 200 %
 * zoom of a laptop screen (the CSS viewport halved, as the browser's zoom does).
 *
 * The keyboard walks the page with Tab. At every stop, inside shadow roots:
 * - the focused element's centre is on screen and `elementFromPoint` there (descending into shadow
 *   roots) hits the element itself, something inside it, or its own label: no sticky or fixed part,
 *   pop-up or neighbour lies on top of it;
 * - the focus indicator is visible: the pixels around the element differ between focused and not
 *   focused (the ring, whatever draws it: outline, box-shadow, a sibling's style).
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';

import type { Page } from 'playwright-core';

import { signInAgent, startCustomerChat, useScenario } from './helpers.js';

interface Stop {
  name: string;
  onScreen: boolean;
  coveredBy: string | null;
  /** Covered by the open widget panel (content the user opened). */
  underWidget: boolean;
  clip: { x: number; y: number; width: number; height: number } | null;
}

/** Page side: the deepest focused element, what is on top of its centre, and the area its ring may take. */
const INSPECT = `(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a || a === document.body || a === document.documentElement) return null;
  const describe = (el) => el ? (el.localName + (el.id ? '#' + el.id : '') + (el.getAttribute('part') ? '[part=' + el.getAttribute('part') + ']' : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')) : 'nothing';
  const name = (describe(a) + ' "' + (a.getAttribute('aria-label') || a.textContent || a.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"');
  const labels = a.labels ? [...a.labels] : [];
  let r = a.getBoundingClientRect();
  // A visually hidden input (a styled radio): its label is what is seen and clicked.
  if ((r.width <= 2 || r.height <= 2) && labels[0]) r = labels[0].getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const onScreen = r.width > 0 && r.height > 0 && x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
  const deepHit = (px, py) => {
    let hit = document.elementFromPoint(px, py);
    while (hit && hit.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(px, py);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    return hit;
  };
  const within = (outer, inner) => {
    for (let n = inner; n; n = n.parentNode || n.host) if (n === outer) return true;
    return false;
  };
  const mine = (hit) => hit && (within(a, hit) || within(hit, a) || labels.some((l) => within(l, hit)));
  // The centre and points 2 px inside each corner: the element counts as hidden (2.4.11) only
  // when none of them shows it.
  const points = [[x, y], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
  const hits = points.map(([px, py]) => deepHit(px, py));
  const ok = hits.some(mine);
  const hit = hits[0];
  const pad = 6;
  const clip = { x: Math.max(0, r.left - pad), y: Math.max(0, r.top - pad), width: Math.min(innerWidth, r.right + pad) - Math.max(0, r.left - pad), height: Math.min(innerHeight, r.bottom + pad) - Math.max(0, r.top - pad) };
  window.__focused = a;
  const inWidget = (hit) => hit && hit.closest && (hit.getRootNode().host || hit).closest('chat-visitor') !== null;
  return { name, onScreen, coveredBy: ok ? null : describe(hit), underWidget: !ok && inWidget(hit), clip: clip.width > 0 && clip.height > 0 ? clip : null };
})()`;

/** Page side: takes focus away from the element INSPECT found (without moving it elsewhere visible). */
const BLUR = `(() => { window.__focused.blur(); })()`;
/** Page side: gives it back; after keyboard use Chromium shows the ring for programmatic focus too. */
const REFOCUS = `(() => { window.__focused.focus({ preventScroll: true }); })()`;

/**
 * Tabs through the page from its start (at most `max` stops, until focus comes back to the first
 * stop) and returns the problems found; `scope` limits the checks to stops whose name matches.
 */
async function walk(page: Page, max: number): Promise<{ stops: number; problems: string[] }> {
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur(); window.scrollTo(0, 0)');
  const problems: string[] = [];
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate<Stop | null>(INSPECT);
    if (!stop) continue;
    if (seen.length > 3 && stop.name === seen[0]) break;
    seen.push(stop.name);
    if (!stop.onScreen) {
      problems.push(`${stop.name}: focused but off screen`);
      continue;
    }
    if (stop.coveredBy && stop.underWidget) {
      // Content the user opened may cover focus if the user can reveal it without moving focus
      // (Understanding 2.4.11): Escape minimises the widget's panel and focus stays.
      await page.keyboard.press('Escape');
      const again = await page.evaluate<Stop | null>(INSPECT);
      if (again?.name !== stop.name) problems.push(`${stop.name}: Escape moved focus to ${again?.name ?? 'nothing'}`);
      else if (again.coveredBy) problems.push(`${stop.name}: still covered by ${again.coveredBy} after Escape`);
      else stop.clip = again.clip;
    } else if (stop.coveredBy) problems.push(`${stop.name}: covered by ${stop.coveredBy}`);
    if (stop.clip) {
      const focused = await page.screenshot({ clip: stop.clip, animations: 'disabled', caret: 'hide' });
      await page.evaluate(BLUR);
      const unfocused = await page.screenshot({ clip: stop.clip, animations: 'disabled', caret: 'hide' });
      await page.evaluate(REFOCUS);
      if (focused.equals(unfocused)) problems.push(`${stop.name}: no visible focus indicator`);
    }
  }
  return { stops: seen.length, problems };
}

const SIZES = [
  { label: 'desktop', viewport: { width: 1440, height: 900 } },
  { label: '320 px wide', viewport: { width: 320, height: 800 } },
  { label: '200 % zoom', viewport: { width: 720, height: 450 } },
] as const;

describe('focus is visible and never hidden under sticky parts: console and widget', { timeout: 600_000 }, () => {
  const s = useScenario();

  for (const { label, viewport } of SIZES) {
    let agent: Page;
    let customer: Page;

    s.step(`${label}: a customer is in a chat that the agent has open`, async () => {
      customer = await s.newPage(`customer ${label}`, { viewport });
      agent = await s.newPage(`agent ${label}`, { viewport });
      const name = `Focus ${label.replace(/\W+/g, ' ').trim()}`;
      // The agent first: with nobody Present the channel shows the offline form (issue 16).
      await signInAgent(agent, s.server, 'Erik Johansson');
      await startCustomerChat(customer, s.server, name, 'Where is my order 7781?');
      await agent.getByRole('tab', { name: /^Dashboard/ }).click();
      await agent.getByRole('button', { name: new RegExp(`Answer.*${name}`) }).click();
      await agent.getByRole('textbox', { name: `Message to ${name}` }).waitFor();
      await customer.locator('chat-visitor').getByText(/Erik Johansson/).first().waitFor();
    }, false, 60_000);

    s.step(`${label}: every Tab stop of the console is on screen, uncovered, with a visible ring`, async () => {
      const { stops, problems } = await walk(agent, 120);
      assert.ok(stops >= 20, `only ${String(stops)} tab stops on the console page`);
      assert.deepEqual(problems, [], problems.join('\n'));
    }, false, 180_000);

    s.step(`${label}: every Tab stop of the widget is on screen, uncovered, with a visible ring`, async () => {
      const { stops, problems } = await walk(customer, 80);
      assert.ok(stops >= 8, `only ${String(stops)} tab stops on the customer page`);
      assert.deepEqual(problems, [], problems.join('\n'));
    }, false, 180_000);
  }

  s.noPageErrors();
});
