/**
 * The page-wide announcer: one visually hidden live region in the light DOM of the document
 * (live regions inside shadow roots are unreliable in screen readers), shared by every chat
 * element on the page. Polite for new messages and status; assertive only for failures.
 *
 * Announcements made within a short window are coalesced into one (the newest few, joined), so a
 * burst of messages does not flood the screen reader.
 */
const WINDOW_MS = 400;
const MAX_PARTS = 3;

interface Region {
  node: HTMLElement;
  queue: string[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

const regions = new WeakMap<Document, { polite: Region; assertive: Region }>();

function createRegion(doc: Document, politeness: 'polite' | 'assertive'): Region {
  const node = doc.createElement('div');
  node.id = `chat-announcer-${politeness}`;
  node.setAttribute('aria-live', politeness);
  node.setAttribute('aria-atomic', 'true');
  node.setAttribute('role', politeness === 'assertive' ? 'alert' : 'status');
  node.dataset.chatAnnouncer = politeness;
  // Visually hidden, still read (the usual "sr-only" recipe, set as properties so no style
  // attribute string is parsed).
  Object.assign(node.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
    border: '0',
  });
  doc.body.append(node);
  return { node, queue: [], timer: undefined };
}

/** Creates the live regions if they do not exist yet (before anything is announced). */
export function ensureAnnouncer(doc: Document = document): void {
  if (regions.has(doc) && doc.body.contains(regions.get(doc)?.polite.node ?? null)) return;
  regions.set(doc, { polite: createRegion(doc, 'polite'), assertive: createRegion(doc, 'assertive') });
}

/** Speaks `text` once through the page's live region. */
export function announce(text: string, options: { assertive?: boolean; doc?: Document } = {}): void {
  const doc = options.doc ?? document;
  ensureAnnouncer(doc);
  const pair = regions.get(doc);
  if (!pair || text.trim() === '') return;
  const region = options.assertive ? pair.assertive : pair.polite;
  region.queue.push(text);
  if (region.timer !== undefined) return;
  region.timer = setTimeout(() => {
    region.timer = undefined;
    const parts = region.queue.splice(0);
    const shown = parts.slice(-MAX_PARTS);
    // Clearing first makes a repeat of the same text speak again.
    region.node.textContent = '';
    // Sentences that end with punctuation are joined with a space, others with ". ".
    region.node.textContent = shown.reduce((all, part) => (all === '' ? part : `${all}${/[.!?…:]$/.test(all) ? ' ' : '. '}${part}`), '');
  }, WINDOW_MS);
}

/** Text currently in the live regions (for tests). */
export function announcerText(doc: Document = document): { polite: string; assertive: string } {
  const pair = regions.get(doc);
  return { polite: pair?.polite.node.textContent ?? '', assertive: pair?.assertive.node.textContent ?? '' };
}
