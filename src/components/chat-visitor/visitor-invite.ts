/**
 * Proactive invitations on the customer's side (issue 18; rules in src/protocol/invitations.ts):
 * the channel's rules come with the channel list only while the channel is open and an agent is
 * Present. A rule whose URL pattern matches this page (and, if it asks, only for a returning
 * visitor) waits its time on the page; then the list is asked again (the server decides whether
 * it still applies) and the widget opens with the rule's message, without moving focus. The
 * customer can dismiss it ("No thanks", or minimising the panel): no invitation again that day
 * (localStorage, the customer's own calendar day). Messages are rendered as text.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import type { LocaleInfo } from '../../i18n/localization.js';
import { msg } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { PublicInvitation } from '../../protocol/invitations.js';
import { matchesUrlPattern } from '../../protocol/invitation-pattern.js';
import type { VisitorChannel } from '../../state/visitor-http.js';
import { fetchChannels } from '../../state/visitor-http.js';

const s = {
  label: () => msg('An invitation to chat', { id: 'chat-visitor.invite.label' }),
  dismiss: () => msg('No thanks', { id: 'chat-visitor.invite.dismiss' }),
  dismissed: () => msg('We will not ask again today.', { id: 'chat-visitor.invite.dismissed' }),
};

export interface InviteHost extends ReactiveControllerHost {
  readonly tenant: string;
  readonly chatLocale: LocaleInfo;
  open: boolean;
  chatServer(): string;
}

interface Stored {
  /** The customer's calendar day (YYYY-MM-DD) an invitation was dismissed. */
  dismissed?: string;
  /** The site was visited before on this browser. */
  seen?: boolean;
}

/** The customer's own calendar day. */
function today(now = new Date()): string {
  return `${String(now.getFullYear())}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export class VisitorInvite implements ReactiveController {
  /** The invitation shown (its message), if any. */
  current: PublicInvitation | undefined;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private returning = false;
  private shownOnce = false;

  constructor(
    private readonly host: InviteHost,
    /** The channels offered here (one with the `channel` attribute); each may have rules. */
    private readonly channels: () => readonly VisitorChannel[],
    /** A chat is under way. */
    private readonly busy: () => boolean,
    /** The invitation opens the panel on its channel. */
    private readonly choose: (channelId: string) => void,
  ) {
    host.addController(this);
  }

  private key(): string {
    return `crm-chat-visitor-invite|${this.host.chatServer()}|${this.host.tenant}`;
  }

  private read(): Stored {
    try {
      return JSON.parse(localStorage.getItem(this.key()) ?? '{}') as Stored;
    } catch {
      return {};
    }
  }

  private write(stored: Stored): void {
    try {
      localStorage.setItem(this.key(), JSON.stringify(stored));
    } catch {
      // Storage off (private mode): invitations are simply not remembered.
    }
  }

  hostConnected(): void {
    if (!this.host.tenant) return;
    // A returning visitor: this browser saw the site in an earlier visit (a visit = a tab session).
    const visit = `${this.key()}|visit`;
    try {
      const known = sessionStorage.getItem(visit);
      if (known === null) {
        this.returning = this.read().seen === true;
        sessionStorage.setItem(visit, this.returning ? 'returning' : 'first');
        this.write({ ...this.read(), seen: true });
      } else {
        this.returning = known === 'returning';
      }
    } catch {
      this.returning = false;
    }
  }

  hostDisconnected(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** After each update: starts the timers of the rules that match this page (once per rule). */
  hostUpdated(): void {
    const rules = this.channels().flatMap((c) => (c.invitations ?? []).map((rule) => ({ channelId: c.id, rule })));
    if (this.shownOnce || rules.length === 0 || this.dismissedToday()) return;
    const page = location.pathname + location.search;
    for (const { channelId, rule } of rules) {
      const key = `${channelId}/${rule.id}`;
      if (this.timers.has(key) || !matchesUrlPattern(rule.urlPattern, page) || (rule.returningOnly && !this.returning)) continue;
      // The time on the page counts from its load (`performance.now()` starts there).
      const wait = Math.max(0, rule.secondsOnPage * 1000 - performance.now());
      this.timers.set(
        key,
        setTimeout(() => {
          void this.fire(channelId, rule.id);
        }, wait),
      );
    }
  }

  /** Shown already, open, a chat under way, or dismissed today: no invitation. */
  private blocked(): boolean {
    return this.shownOnce || this.host.open || this.busy() || this.dismissedToday();
  }

  private dismissedToday(): boolean {
    return this.read().dismissed === today();
  }

  /** The rule's time has come: ask the server again; show it if it still applies and nothing else is going on. */
  private async fire(channelId: string, ruleId: string): Promise<void> {
    if (this.blocked()) return;
    const fresh = await fetchChannels(this.host.chatServer(), this.host.tenant, this.host.chatLocale.locale).catch(() => undefined);
    const rule = fresh?.find((c) => c.id === channelId)?.invitations?.find((r) => r.id === ruleId);
    // Checked again: the customer may have opened the widget or dismissed meanwhile.
    if (!rule || this.blocked()) return;
    this.shownOnce = true;
    this.current = rule;
    this.choose(channelId);
    this.host.open = true;
    announce(rule.message);
    this.host.requestUpdate();
  }

  /** No thanks (or the panel minimised while invited): not again today. */
  dismiss(): void {
    if (!this.current) return;
    this.current = undefined;
    this.write({ ...this.read(), dismissed: today() });
    announce(s.dismissed());
    this.host.requestUpdate();
  }

  /** The customer went on to the chat: the invitation has done its work. */
  accepted(): void {
    this.current = undefined;
  }

  render(onDismiss: () => unknown) {
    const invitation = this.current;
    if (!invitation) return nothing;
    return html`<div part="invitation" class="invitation" role="group" aria-label=${s.label()}>
      <p class="invitation-text" dir="auto">${invitation.message}</p>
      <button part="invitation-dismiss" class="btn small invitation-dismiss" type="button" @click=${onDismiss}>${s.dismiss()}</button>
    </div>`;
  }
}
