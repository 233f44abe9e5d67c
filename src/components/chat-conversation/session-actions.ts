/**
 * What the agent does to the shown chat from the conversation, apart from writing and the
 * Transfer dialog: End chat (with its confirmation dialog), Take over, Cancel transfer, and the
 * answer to a transfer offered to me (Accept / Reject, also Alt+Shift+A / Alt+Shift+R unless
 * `without-shortcuts`). One action at a time (`busy`); a failure is shown under the header
 * (`error`), announced and fired as `chat-error`. Renders the bar of a transfer waiting for an
 * answer, the offer bar and the End chat dialog.
 */
import type { ReactiveController } from 'lit';
import { html, nothing, svg } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { ChatSessionEndEvent } from '../../events/chat-session-end-event.js';
import { announce } from '../../internal/announcer.js';
import type { AgentMe, ChannelPermissions, SessionSummary } from '../../protocol/index.js';
import { ConversationActions, type ConversationActionsHost } from './conversation-actions.js';
import type { EndOptions } from './wrapup-dialog.js';
import { WrapUpDialog } from './wrapup-dialog.js';

export const actionIcons = {
  transfer: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M2.5 5.5h10M10 3l2.5 2.5L10 8M13.5 10.5h-10M6 8l-2.5 2.5L6 13"/></svg>`,
  hourglass: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M4 2h8M4 14h8M5 2c0 3 6 3.5 6 6s-6 3-6 6M11 2c0 3-6 3.5-6 6s6 3 6 6"/></svg>`,
};

/** Alt+Shift+<key> on the receiver's offer bar (WCAG 2.1.4: can be turned off with `without-shortcuts`). */
const ACCEPT_KEY = 'KeyA';
const REJECT_KEY = 'KeyR';

export type FocusTarget = 'heading' | 'composer' | 'transfer-cancel' | 'transfer-button';

export interface SessionActionsHost extends ConversationActionsHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly mode: 'participant' | 'listen';
  readonly withoutShortcuts: boolean;
  session(): SessionSummary | undefined;
  me(): AgentMe | undefined;
  /** The customer's name. */
  customer(): string;
  permissions(session: SessionSummary | undefined): ChannelPermissions | undefined;
  /** The shown chat is offered to me and I have not answered. */
  offerShown(): boolean;
  /** Focus goes there once the server's answer shows. */
  wishFocus(target: FocusTarget): void;
  /** Closes the shown chat (as the notice's Close does): after marking it unread. */
  closeShown(): void;
  /** The Transfer dialog is open (the shortcuts wait). */
  transferDialogOpen(): boolean;
  checkVisibility?(): boolean;
}

export class SessionActions extends ConversationActions<SessionActionsHost, 'takeover' | 'cancel' | 'accept' | 'reject' | 'unread'> implements ReactiveController {
  /** Ending the chat (after the confirmation). */
  ending = false;
  /** The wrap-up fields of the End chat dialog (issue 18). */
  readonly wrapUp: WrapUpDialog;
  /** What the confirmed dialog ends the chat with. */
  private endOptions: EndOptions = {};

  private readonly onShortcut = (event: KeyboardEvent) => {
    this.handleShortcut(event);
  };

  constructor(host: SessionActionsHost) {
    super(host);
    host.addController(this);
    this.wrapUp = new WrapUpDialog(host);
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.onShortcut);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onShortcut);
  }

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('.end-dialog');
  }

  private control(part: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(`[part~="${part}"]`);
  }

  /** Another chat is shown: errors about the previous one no longer apply. */
  reset(): void {
    this.error = '';
  }

  // ---- end chat -----------------------------------------------------------------------------

  readonly onEndClick = (): void => {
    const dialog = this.dialog;
    if (this.ending || !dialog) return;
    this.set(() => {
      this.error = '';
      this.wrapUp.open(this.host.session());
    });
    dialog.returnValue = '';
    dialog.showModal();
  };

  private readonly onDialogClose = (): void => {
    if (this.dialog?.returnValue !== 'confirm') {
      this.control('end-button')?.focus();
      return;
    }
    void this.endChat();
  };

  private async endChat(): Promise<void> {
    const client = this.host.client;
    const id = this.host.shownId();
    const dialog = this.dialog;
    if (dialog) dialog.returnValue = '';
    if (!client || id === undefined) return;
    this.set(() => {
      this.ending = true;
    });
    this.control('end-button')?.focus();
    try {
      await client.end(id, this.endOptions);
      this.host.dispatchEvent(new ChatSessionEndEvent({ sessionId: id }));
    } catch (error) {
      this.fail(error, (code) =>
        code === 'offline' || code === 'timeout'
          ? msg('The chat could not be ended: the server could not be reached. Try again.', { id: 'chat-conversation.end-error.offline' })
          : code === 'invalid'
            ? msg('The chat was not ended: its channel asks for a closing comment or a tag. Choose End chat again and add them.', { id: 'chat-conversation.end-error.wrapup' })
            : msg('The chat could not be ended. Try again.', { id: 'chat-conversation.end-error.other' }),
      );
    } finally {
      this.set(() => {
        this.ending = false;
      });
    }
  }

  // ---- mark unread ---------------------------------------------------------------------------

  /**
   * Marks the shown chat (mine) unread and closes it, so that it is not read again at once:
   * the session list shows it unread until it is opened again.
   */
  readonly onMarkUnread = (): Promise<boolean> =>
    this.act(
      'unread',
      async (client, id) => {
        await client.markUnread(id);
        announce(msg(str`The chat with ${this.host.customer()} is marked unread.`, { id: 'chat-conversation.unread.done' }));
        this.host.closeShown();
      },
      (error) => {
        this.fail(error, (code) =>
          code === 'invalid'
            ? msg('The customer has written nothing yet: there is nothing to mark unread.', { id: 'chat-conversation.unread.nothing' })
            : msg('The chat could not be marked unread. Try again.', { id: 'chat-conversation.unread.error' }),
        );
      },
    );

  // ---- take over, cancel a transfer, answer an offer ---------------------------------------

  readonly onTakeover = (): Promise<boolean> =>
    this.act(
      'takeover',
      async (client, id) => {
        await client.takeover(id);
        announce(msg(str`You took over the chat with ${this.host.customer()}.`, { id: 'chat-conversation.takeover.done' }));
        this.host.wishFocus('composer');
      },
      (error) => {
        this.fail(error, (code) =>
          code === 'at_capacity'
            ? msg('You cannot take over: you already handle as many chats as you can.', { id: 'chat-conversation.takeover.at-capacity' })
            : msg('The chat could not be taken over. Try again.', { id: 'chat-conversation.takeover.error' }),
        );
      },
    );

  private readonly onCancelTransfer = (): Promise<boolean> =>
    this.act(
      'cancel',
      async (client, id) => {
        await client.cancelTransfer(id);
        announce(msg('The transfer was cancelled. The chat stays with you.', { id: 'chat-conversation.transfer.cancelled' }));
        this.host.wishFocus('transfer-button');
      },
      (error) => {
        this.fail(error, (code) =>
          code === 'conflict'
            ? msg('The transfer is no longer waiting: it was answered, cancelled or it expired.', { id: 'chat-conversation.transfer.cancel-conflict' })
            : msg('The transfer could not be cancelled. Try again.', { id: 'chat-conversation.transfer.cancel-error' }),
        );
      },
    );

  private answer(accept: boolean): Promise<boolean> {
    if (!this.host.offerShown()) return Promise.resolve(false);
    return this.act(
      accept ? 'accept' : 'reject',
      async (client, id) => {
        await client.answerTransfer(id, accept);
        if (accept) {
          announce(msg(str`You accepted the transfer. The chat with ${this.host.customer()} is yours now.`, { id: 'chat-conversation.offer.accepted' }));
          this.host.wishFocus('composer');
        } else {
          announce(msg('You rejected the transfer.', { id: 'chat-conversation.offer.rejected' }));
          this.host.wishFocus('heading');
        }
      },
      (error) => {
        this.fail(error, (code) => {
          if (code === 'at_capacity') return msg('You already handle as many chats as you can. End one first, or reject the transfer.', { id: 'chat-conversation.offer.at-capacity' });
          if (code === 'conflict') return msg('The transfer is no longer waiting: it was cancelled or it expired.', { id: 'chat-conversation.offer.conflict' });
          return msg('The transfer could not be answered. Try again.', { id: 'chat-conversation.offer.error' });
        });
      },
    );
  }

  /** Alt+Shift+A / Alt+Shift+R accept or reject the transfer offered in the shown chat. */
  private handleShortcut(event: KeyboardEvent): void {
    const host = this.host;
    if (host.withoutShortcuts || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (event.code !== ACCEPT_KEY && event.code !== REJECT_KEY) return;
    if (!host.offerShown()) return;
    if (typeof host.checkVisibility === 'function' && !host.checkVisibility()) return;
    if (this.dialog?.open || host.transferDialogOpen()) return;
    event.preventDefault();
    void this.answer(event.code === ACCEPT_KEY);
  }

  // ---- rendering ------------------------------------------------------------------------------

  /** While a transfer waits for an answer: who it waits for, and Cancel for whoever may cancel it. */
  renderPending(session: SessionSummary | undefined) {
    const t = session?.transfer;
    const me = this.host.me();
    if (!t || !me || t.toAgentId === me.id || this.host.mode === 'listen' || session.status !== 'active') return nothing;
    const mineOffer = t.fromAgentId === me.id;
    const canCancel = mineOffer || this.host.permissions(session)?.manager === true;
    return html`<div class="bar bar--pending" part="transfer-pending">
      ${actionIcons.hourglass}
      <p class="bar-text">
        ${mineOffer
          ? msg(str`Waiting for ${t.toAgentName} to accept…`, { id: 'chat-conversation.pending.mine' })
          : msg(str`${t.fromAgentName} offered this chat to ${t.toAgentName}. Waiting for an answer…`, { id: 'chat-conversation.pending.other' })}
      </p>
      ${canCancel
        ? html`<button class="btn" part="transfer-cancel" type="button" aria-disabled=${this.busy !== '' ? 'true' : 'false'} @click=${this.onCancelTransfer}>
            ${this.busy === 'cancel' ? msg('Cancelling…', { id: 'chat-conversation.pending.cancelling' }) : msg('Cancel transfer', { id: 'chat-conversation.pending.cancel' })}
          </button>`
        : nothing}
    </div>`;
  }

  /** The offer to me, below the conversation: who, the note, Accept / Reject (with shortcuts). */
  renderOffer(session: SessionSummary | undefined) {
    const t = session?.transfer;
    if (!t || !this.host.offerShown()) return nothing;
    const keys = !this.host.withoutShortcuts;
    const note = (t.note ?? '').trim();
    const acceptTitle = keys ? msg('Accept transfer (Alt+Shift+A)', { id: 'chat-conversation.offer.accept-title' }) : undefined;
    const rejectTitle = keys ? msg('Reject transfer (Alt+Shift+R)', { id: 'chat-conversation.offer.reject-title' }) : undefined;
    return html`<div class="bar bar--offer" part="transfer-offer" role="group" aria-labelledby="offer-text">
      ${actionIcons.transfer}
      <div class="bar-text">
        <p id="offer-text">${msg(str`${t.fromAgentName} wants to transfer this chat to you`, { id: 'chat-conversation.offer.text' })}${note !== '' ? ':' : ''}</p>
        ${note !== '' ? html`<p class="offer-note" part="transfer-note">${note}</p>` : nothing}
      </div>
      <div class="bar-actions">
        <button
          class="btn btn--primary"
          part="transfer-accept"
          type="button"
          title=${acceptTitle ?? nothing}
          aria-keyshortcuts=${keys ? 'Alt+Shift+A' : nothing}
          aria-disabled=${this.busy !== '' ? 'true' : 'false'}
          @click=${() => void this.answer(true)}
        >${msg('Accept transfer', { id: 'chat-conversation.offer.accept' })}</button>
        <button
          class="btn"
          part="transfer-reject"
          type="button"
          title=${rejectTitle ?? nothing}
          aria-keyshortcuts=${keys ? 'Alt+Shift+R' : nothing}
          aria-disabled=${this.busy !== '' ? 'true' : 'false'}
          @click=${() => void this.answer(false)}
        >${msg('Reject transfer', { id: 'chat-conversation.offer.reject' })}</button>
      </div>
    </div>`;
  }

  /** The dialog's End chat: the wrap-up is checked first (an error keeps the dialog open). */
  private readonly onConfirm = (): void => {
    const options = this.wrapUp.check();
    if (!options) return;
    this.endOptions = options;
    this.dialog?.close('confirm');
  };

  /** The End chat confirmation, with the wrap-up its channel asks for. */
  renderEndDialog(name: string) {
    return html`<dialog class="end-dialog" part="dialog" aria-labelledby="end-title" aria-describedby="end-text" @close=${this.onDialogClose}>
      <h2 id="end-title" class="dialog-title">${msg(str`End the chat with ${name}?`, { id: 'chat-conversation.dialog.title' })}</h2>
      <p id="end-text" class="dialog-text">
        ${this.wrapUp.silent
          ? msg('The customer is not told. Nobody can write in the chat afterwards.', { id: 'chat-conversation.dialog.text-silent' })
          : msg('The customer is told that the chat has ended. Nobody can write in it afterwards.', { id: 'chat-conversation.dialog.text' })}
      </p>
      ${this.wrapUp.render()}
      <div class="actions">
        <button class="btn" part="dialog-cancel" type="button" @click=${() => this.dialog?.close('cancel')}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
        <button class="btn btn--danger-solid" part="dialog-confirm" type="button" @click=${this.onConfirm}>
          ${msg('End chat', { id: 'chat-conversation.dialog.confirm' })}
        </button>
      </div>
    </dialog>`;
  }
}
