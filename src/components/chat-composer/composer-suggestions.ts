/**
 * Reply suggestions (issue 18): while the customer writes, the composer offers the replies of the
 * library (quick replies, templates, FAQs) that best match what they wrote since the agent last
 * answered, ranked locally (src/state/reply-ranking.ts), and those of the CRM's optional
 * `suggestReplies` hook after them. A row of buttons above the text area that never takes focus by
 * itself: reached with Shift+Tab from the text area (or Alt+↑), ← → move between them, Enter
 * puts the reply into the message box (focus back there), Escape goes back without one.
 */
import type { ReactiveController } from 'lit';
import { html, nothing } from 'lit';

import type { CrmProvider, CrmReplySuggestion } from '../../crm/types.js';
import { msg } from '../../i18n/localization.js';
import { logicalKey } from '../../internal/keys.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { Reply } from '../../protocol/replies.js';
import { foldText, rankReplies } from '../../state/reply-ranking.js';
import type { ReplyPickerHost } from './reply-picker.js';
import { replyContext, replyText } from './reply-text.js';

/** Wait this long after the customer's last keystroke or message before ranking again. */
const SETTLE_MS = 250;
/** The library's best matches shown, and the CRM's after them; at most this many in all. */
const LOCAL_MAX = 3;
const CRM_MAX = 2;
const TOTAL_MAX = 4;
/** Only what the customer wrote in their newest messages counts (at most this many). */
const RECENT_CUSTOMER_MESSAGES = 3;

export interface ComposerSuggestionsHost extends ReplyPickerHost {
  readonly agentTools: boolean;
  readonly disabledReason: string;
  readonly crmProvider?: CrmProvider | undefined;
  readonly chatLocale: { readonly tag: string };
}

/** The nearest ancestor (across shadow roots) that scrolls, or the page. */
function scrollerOf(el: Element): Element {
  for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    if (n instanceof Element && n.scrollHeight > n.clientHeight && /auto|scroll/.test(getComputedStyle(n).overflowY)) return n;
  }
  return document.scrollingElement ?? document.documentElement;
}

/** One suggestion: from the library (its reply) or the CRM. */
interface Suggestion {
  key: string;
  title: string;
  text: string;
  reply?: Reply;
}

/** What the customer wrote since the agent's last message, and what they type now. */
export function customerContext(items: readonly ChatMessage[], preview: string | undefined): string {
  const recent: string[] = [];
  for (let i = items.length - 1; i >= 0 && recent.length < RECENT_CUSTOMER_MESSAGES; i--) {
    const m = items[i];
    if (!m || m.kind === 'event' || m.kind === 'note') continue;
    if (m.author.kind !== 'customer') break;
    recent.unshift(m.text);
  }
  if (preview !== undefined && preview.trim() !== '') recent.push(preview);
  return recent.join('\n').trim();
}

export class ComposerSuggestions implements ReactiveController {
  private suggestions: Suggestion[] = [];
  private context = '';
  private replies: { channel: string; list: Reply[] } | undefined;
  private loading: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private crmCall: AbortController | undefined;
  private unsubscribe: (() => void)[] = [];
  private subscribedTo: unknown;

  /** @param enabled True while the composer writes a reply the customer sees (not a note or whisper). */
  constructor(
    private readonly host: ComposerSuggestionsHost,
    private readonly enabled: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    // Follow the client's messages and typing (a client may come later, or change).
    const client = this.host.client;
    if (client === this.subscribedTo) return;
    this.stop();
    this.subscribedTo = client;
    if (!client || !this.host.agentTools) return;
    const changed = () => {
      this.schedule();
    };
    this.unsubscribe = [client.$messages.listen(changed), client.$typing.listen(changed)];
    this.schedule();
  }

  hostDisconnected(): void {
    this.stop();
    this.subscribedTo = undefined;
  }

  private stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    clearTimeout(this.timer);
    this.crmCall?.abort();
  }

  /** The shown chat changed: its own suggestions follow. */
  reset(): void {
    this.suggestions = [];
    this.context = '';
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.refresh();
    }, SETTLE_MS);
  }

  private currentContext(): string {
    const client = this.host.client;
    const id = this.host.sessionId;
    if (!client || id === undefined) return '';
    const items = client.$messages.get()[id]?.items ?? [];
    const typing = client.$typing.get()[id];
    return customerContext(items, typing?.who.kind === 'customer' ? typing.preview : undefined);
  }

  private async refresh(): Promise<void> {
    const client = this.host.client;
    const id = this.host.sessionId;
    const context = this.currentContext();
    if (context === this.context) return;
    this.context = context;
    this.crmCall?.abort();
    if (!client || id === undefined || context === '' || !this.host.agentTools) {
      this.show([]);
      return;
    }
    const session = client.$session(id).get();
    const channel = session?.channelId ?? '';
    const locale = this.host.chatLocale.tag;
    const library = await this.library(channel);
    if (this.context !== context || this.host.sessionId !== id) return;
    const typing = client.$typing.get()[id]?.preview !== undefined;
    const ctx = replyContext(client, id);
    const local: Suggestion[] = rankReplies(context, library, { locale, partial: typing, limit: LOCAL_MAX }).map(({ reply }) => ({
      key: `r:${reply.id}`,
      title: reply.title,
      text: replyText(reply, ctx),
      reply,
    }));
    this.show(local);
    const provider = this.host.crmProvider;
    if (!provider?.suggestReplies) return;
    const call = new AbortController();
    this.crmCall = call;
    try {
      const found = await provider.suggestReplies({ sessionId: id, channelId: session?.channelId, text: context, locale }, call.signal);
      if (call.signal.aborted || this.context !== context) return;
      this.show([...local, ...fromCrm(found)]);
    } catch {
      // The CRM's suggestions are a bonus: without them the library's stay.
    }
  }

  /** The replies of a channel, loaded once (a failure leaves none: the CRM's may still come). */
  private async library(channel: string): Promise<Reply[]> {
    const client = this.host.client;
    if (this.replies?.channel === channel) return this.replies.list;
    if (!client || this.loading === channel) return [];
    this.loading = channel;
    try {
      const list = await client.listReplies(channel === '' ? {} : { channelId: channel });
      this.replies = { channel, list };
      return list;
    } catch {
      return [];
    } finally {
      this.loading = undefined;
    }
  }

  private show(list: Suggestion[]): void {
    const seen = new Set<string>();
    const unique: Suggestion[] = [];
    for (const s of list) {
      const key = foldText(s.text.replace(/\s+/g, ' ').trim());
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(s);
    }
    const next = unique.slice(0, TOTAL_MAX);
    if (next.map((s) => s.key).join() === this.suggestions.map((s) => s.key).join()) return;
    this.suggestions = next;
    this.keepFocusInPlace();
    this.host.requestUpdate();
  }

  /**
   * The row comes, grows or goes above the text area while focus is in the composer (the agent
   * types, or is on Send). Where the console is not of a fixed height (a narrow screen, where the
   * page scrolls) that pushed the focused control down under the agent's eyes, even off screen
   * (and a keyboard user's focus ring with it); the list around it scrolls by as much instead, so
   * it stays where it was. The layout around the composer follows a frame later, so this watches
   * a few frames.
   */
  private keepFocusInPlace(): void {
    const root = this.host.renderRoot;
    const focused = root instanceof ShadowRoot ? root.activeElement : null;
    if (!focused) return;
    const before = focused.getBoundingClientRect().top;
    const keep = (frames: number) => {
      if (!focused.isConnected) return;
      const shift = Math.round(focused.getBoundingClientRect().top - before);
      if (shift !== 0) scrollerOf(focused).scrollBy(0, shift);
      if (frames > 0) requestAnimationFrame(() => {
        keep(frames - 1);
      });
    };
    void this.host.updateComplete.then(() => {
      keep(3);
    });
  }

  /** Alt+↑ in the text area: to the first suggestion. True when there is one. */
  focusFirst(): boolean {
    const first = this.host.renderRoot.querySelector<HTMLElement>('[part~="suggestion"]');
    first?.focus();
    return first !== null;
  }

  private use(s: Suggestion): void {
    this.host.insertReplyText(s.text, false);
    this.suggestions = this.suggestions.filter((x) => x.key !== s.key);
    this.host.requestUpdate();
    const client = this.host.client;
    if (s.reply && client) client.markReplyUsed(s.reply.id).catch(() => undefined);
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const buttons = [...this.host.renderRoot.querySelectorAll<HTMLElement>('[part~="suggestion"]')];
    const index = buttons.indexOf(event.target as HTMLElement);
    const key = logicalKey(event);
    let next: number | undefined;
    if (key === 'ArrowRight') next = (index + 1) % buttons.length;
    else if (key === 'ArrowLeft') next = (index - 1 + buttons.length) % buttons.length;
    else if (key === 'Home') next = 0;
    else if (key === 'End') next = buttons.length - 1;
    else if (key === 'Escape' || key === 'ArrowDown') {
      event.preventDefault();
      this.host.focusInput();
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    for (const [i, b] of buttons.entries()) b.tabIndex = i === next ? 0 : -1;
    buttons[next]?.focus();
  };

  render() {
    if (this.suggestions.length === 0 || !this.enabled() || this.host.disabledReason !== '' || !this.host.agentTools) return nothing;
    const label = msg('Suggested replies', { id: 'chat-composer.suggestions' });
    return html`<div class="suggestions" part="suggestions" role="group" aria-label=${label} @keydown=${this.onKeydown}>
      <span class="suggestions-label" aria-hidden="true">${label}</span>
      ${this.suggestions.map(
        (s, i) => html`<button
          class="btn btn--quiet suggestion"
          part="suggestion"
          type="button"
          tabindex=${i === 0 ? 0 : -1}
          title=${s.text}
          @click=${() => {
            this.use(s);
          }}
        >
          ${s.title}
        </button>`,
      )}
    </div>`;
  }
}

/** A CRM's suggestions as plain text, checked and cut to size (a CRM is not trusted to send well-formed data). */
function fromCrm(found: unknown): Suggestion[] {
  if (!Array.isArray(found)) return [];
  const out: Suggestion[] = [];
  for (const item of found.slice(0, 5) as Partial<CrmReplySuggestion>[]) {
    if (typeof item.id !== 'string' || typeof item.title !== 'string' || typeof item.text !== 'string') continue;
    if (item.title.trim() === '' || item.text.trim() === '') continue;
    out.push({ key: `c:${item.id}`, title: item.title.slice(0, 100), text: item.text.slice(0, 4000) });
    if (out.length === CRM_MAX) break;
  }
  return out;
}
