/**
 * The right column of the Chats tab when no `contact` slot is given: `<chat-contact-panel>` when
 * the window has a CRM provider (its code loads on first use; the simple panel shows meanwhile),
 * else the simple Customer panel (name, e-mail, phone, channel, when the chat started).
 */
import { html } from 'lit';

import { customerName, formatTime } from '../../i18n/common.js';
import { msg } from '../../i18n/localization.js';
import type { CrmProvider } from '../../crm/types.js';
import type { SelectedView } from '../../state/agent-views.js';
import { CONTACT_PANEL_PARTS, exportParts } from './window-parts.js';

/** What the panel needs from the window. */
export interface CustomerPanelHost {
  crmProvider(): CrmProvider | undefined;
  /** The selected chat (`agentViews(client).selected`). */
  selectedView(): SelectedView | undefined;
  requestUpdate(): void;
}

export class CustomerPanel {
  /** True once the contact panel's module has loaded. */
  private contactPanelReady = false;
  private loading = false;

  constructor(private readonly host: CustomerPanelHost) {}

  /** The contact panel when a CRM provider is set, else the Customer panel. */
  render() {
    const provider = this.host.crmProvider();
    if (!provider) return this.renderCustomer();
    if (!this.contactPanelReady) {
      if (!this.loading) {
        this.loading = true;
        void import('../chat-contact-panel/chat-contact-panel.js').then(() => {
          this.contactPanelReady = true;
          this.host.requestUpdate();
        });
      }
      return this.renderCustomer();
    }
    return html`<chat-contact-panel part="contact-panel" exportparts=${exportParts('contact-panel', CONTACT_PANEL_PARTS)} .provider=${provider}></chat-contact-panel>`;
  }

  private renderCustomer() {
    const selected = this.host.selectedView();
    const session = selected?.session;
    const none = html`<span class="none">${msg('Not given', { id: 'chat-window.customer.none' })}</span>`;
    const channel = selected?.channelName ?? '';
    return html`<div part="customer" class="customer">
      <h2 id="customer-heading">${msg('Customer', { id: 'chat-window.customer.heading' })}</h2>
      ${session
        ? html`<dl>
            <div>
              <dt>${msg('Name', { id: 'chat-window.customer.name' })}</dt>
              <dd>${customerName(session.customer)}</dd>
            </div>
            <div>
              <dt>${msg('E-mail', { id: 'chat-window.customer.email' })}</dt>
              <dd>${session.customer.email?.trim() ? session.customer.email : none}</dd>
            </div>
            <div>
              <dt>${msg('Phone', { id: 'chat-window.customer.phone' })}</dt>
              <dd>${session.customer.phone?.trim() ? session.customer.phone : none}</dd>
            </div>
            <div>
              <dt>${msg('Channel', { id: 'chat-window.customer.channel' })}</dt>
              <dd>${channel}</dd>
            </div>
            <div>
              <dt>${msg('Started', { id: 'chat-window.customer.started' })}</dt>
              <dd>${formatTime(session.createdAt)}</dd>
            </div>
          </dl>`
        : html`<p>${msg('No chat is selected. Pick a chat to see who you are talking to.', { id: 'chat-window.customer.empty' })}</p>`}
    </div>`;
  }
}
