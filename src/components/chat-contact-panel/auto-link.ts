/**
 * Automatic linking: when a chat is not linked and the customer's e-mail matches exactly one
 * contact, and that contact was already linked to an earlier chat of this customer (the `email`
 * and `linked` reasons of the CRM's matches), the chat is linked to it without a click. The agent
 * is told so in a bar above the card ("Linked automatically: …", announced politely, focus stays
 * where it is) with Undo, which takes the link away (`CrmProvider.unlinkSession`; without it
 * there is no Undo) and shows the matches again; a chat undone once is not linked by itself again.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { css, html, nothing } from 'lit';

import type { CrmMatch, CrmProvider } from '../../crm/types.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import type { ContactRef } from './contact-lists.js';
import { errorText } from './contact-texts.js';

export interface AutoLinkHost extends ReactiveControllerHost {
  readonly provider?: CrmProvider | undefined;
  /** The chat was linked to `contact` by itself (show the card; no focus move). */
  autoLinked(sessionId: string, contact: ContactRef): void;
  /** Undo: the chat has no link now (show the matches). */
  unlinked(sessionId: string): void;
}

export const autoLinkStyles = css`
  .auto-link {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    margin: 0 0 var(--_space-s);
    padding: var(--_space-s);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-s);
    background: var(--_surface-alt);
  }
  .auto-link-text {
    flex: 1 1 12rem;
    margin: 0;
  }
`;

export class AutoLink implements ReactiveController {
  /** The chat linked by itself, shown with Undo. */
  private shown: { sessionId: string; contact: ContactRef } | undefined;
  /** Chats whose automatic link was undone: they are left to the agent. */
  private readonly undone = new Set<string>();
  private busy = false;
  private error = '';

  constructor(private readonly host: AutoLinkHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.busy = false;
  }

  /** Another chat is shown. */
  reset(): void {
    this.shown = undefined;
    this.error = '';
  }

  /** The one contact to link an unlinked chat to by itself, if there is one. */
  pick(sessionId: string, email: string | undefined, matches: readonly CrmMatch[]): CrmMatch | undefined {
    if (this.undone.has(sessionId) || !email?.trim()) return undefined;
    const byEmail = matches.filter((m) => m.reasons.includes('email'));
    const only = byEmail.length === 1 ? byEmail[0] : undefined;
    return only?.reasons.includes('linked') === true ? only : undefined;
  }

  /** Links `sessionId` to `contact` and says so; false when the CRM refused (the matches stay). */
  async link(sessionId: string, contact: ContactRef, signal: AbortSignal): Promise<boolean> {
    const provider = this.host.provider;
    if (!provider) return false;
    try {
      await provider.linkSession(sessionId, contact.id, signal);
    } catch {
      return false;
    }
    if (signal.aborted) return false;
    this.shown = { sessionId, contact };
    this.error = '';
    this.host.autoLinked(sessionId, contact);
    announce(msg(str`Linked automatically to ${contact.name}: the same e-mail as in an earlier chat.`, { id: 'chat-contact-panel.auto-link.done' }));
    return true;
  }

  private readonly onUndo = async (): Promise<void> => {
    const shown = this.shown;
    const provider = this.host.provider;
    if (!shown || !provider?.unlinkSession || this.busy) return;
    this.busy = true;
    this.host.requestUpdate();
    try {
      await provider.unlinkSession(shown.sessionId);
      this.undone.add(shown.sessionId);
      this.shown = undefined;
      this.host.unlinked(shown.sessionId);
      announce(msg(str`${shown.contact.name} is no longer linked to this chat.`, { id: 'chat-contact-panel.auto-link.undone' }));
    } catch (error) {
      this.error = msg(str`The link could not be undone: ${errorText(error)}`, { id: 'chat-contact-panel.auto-link.undo-error' });
      announce(this.error, { assertive: true });
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  };

  /** The bar above the card of a chat linked by itself. */
  render(sessionId: string | undefined) {
    const shown = this.shown;
    if (!shown || shown.sessionId !== sessionId) return nothing;
    const canUndo = this.host.provider?.unlinkSession !== undefined;
    return html`<div part="auto-link" class="auto-link">
      <p class="auto-link-text">${msg(str`Linked automatically to ${shown.contact.name}: the same e-mail as in an earlier chat.`, { id: 'chat-contact-panel.auto-link.done' })}</p>
      ${canUndo
        ? html`<button part="auto-link-undo" class="btn" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.onUndo}>${msg('Undo', { id: 'chat-contact-panel.auto-link.undo' })}</button>`
        : nothing}
      ${this.error ? html`<p part="error" class="error" role="alert"><span class="error-text">${this.error}</span></p>` : nothing}
    </div>`;
  }
}
