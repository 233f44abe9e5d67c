import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { css } from 'lit';

import { connectionText, restoredText, retryLabel } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { StoreController } from '../../internal/store-controller.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { chatClientContext } from '../../state/context.js';
import type { ConnectionState, ConnectionStatus } from '../../state/types.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';

/** How long a connection may be down before the announcement becomes assertive. */
const LONG_OUTAGE_MS = 15_000;

/**
 * @summary Shows, as text, why the chat is not live (connecting, reconnecting, offline, signed out)
 * with a Retry button, and announces losing and regaining the connection once each.
 * @tag chat-connection-status
 * @status experimental
 * @since 0.1
 *
 * @csspart base - The banner.
 * @csspart retry - The Retry button.
 * @cssproperty [--chat-connection-status-background=#fff4e5] - Background of the banner while it reconnects or is offline.
 * @cssproperty [--chat-connection-status-color=#6a3805] - Text colour of the banner while it reconnects or is offline.
 * @cssproperty [--chat-connection-status-error-background=#fdecea] - Background of the banner when the chat cannot go on (signed out, closed by the server); its text uses `--chat-color-danger`.
 *
 * @cssstate live - The connection is live (the banner is hidden).
 * @cssstate offline - The connection is down (reconnecting, offline, signed out or refused).
 */
export class ChatConnectionStatus extends ChatElement {
  static override styles = [
    hostStyles,
    buttonStyles,
    css`
      .base {
        display: flex;
        align-items: center;
        gap: var(--_space-s);
        padding: var(--_space-xs) var(--_space-m);
        background: var(--chat-connection-status-background, #fff4e5);
        color: var(--chat-connection-status-color, #6a3805);
        border-bottom: 1px solid var(--_border);
        font-size: var(--_font-size-s);
      }
      .base[data-severity='error'] {
        background: var(--chat-connection-status-error-background, #fdecea);
        color: var(--_danger);
      }
      .text {
        flex: 1;
      }
    `,
  ];

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  private readonly connection = new StoreController<ConnectionState>(this);
  private wasLive = false;
  private downSince: number | undefined;
  private lastAnnounced: ConnectionStatus | undefined;
  private outageTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.outageTimer);
  }

  protected override willUpdate(): void {
    this.connection.use(this.client?.$connection);
    const status = this.connection.value?.status ?? 'idle';
    this.setCustomState('live', status === 'live');
    this.setCustomState('offline', status === 'reconnecting' || status === 'offline' || status === 'auth-required' || status === 'fatal');
    this.announceChange(status);
  }

  private announceChange(status: ConnectionStatus): void {
    if (status === this.lastAnnounced) return;
    this.lastAnnounced = status;
    if (status === 'live') {
      clearTimeout(this.outageTimer);
      // Only a loss that was announced gets a "restored".
      if (this.downSince !== undefined) announce(restoredText());
      this.wasLive = true;
      this.downSince = undefined;
      return;
    }
    const down = status === 'reconnecting' || status === 'offline' || status === 'auth-required' || status === 'fatal';
    if (!down || !this.wasLive) return;
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      announce(connectionText(status, this.connection.value?.error));
      // Still down after a while: say it again, assertively.
      clearTimeout(this.outageTimer);
      this.outageTimer = setTimeout(() => {
        const now = this.connection.value?.status;
        if (now && now !== 'live') announce(connectionText(now), { assertive: true });
      }, LONG_OUTAGE_MS);
    } else if (status === 'auth-required' || status === 'fatal') {
      announce(connectionText(status), { assertive: true });
    }
  }

  private retry(): void {
    this.client?.reconnect();
  }

  override render() {
    const status = this.connection.value?.status ?? 'idle';
    const text = connectionText(status, this.connection.value?.error);
    if (!text) return nothing;
    const severe = status === 'auth-required' || status === 'fatal';
    const canRetry = status === 'reconnecting' || status === 'offline' || status === 'fatal';
    return html`<div part="base" class="base" data-severity=${severe ? 'error' : 'warning'}>
      <span class="text">${text}</span>
      ${canRetry ? html`<button part="retry" class="btn" type="button" @click=${this.retry}>${retryLabel()}</button>` : nothing}
    </div>`;
  }
}
