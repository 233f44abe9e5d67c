/**
 * Hold, return to queue and ask for help (issue 18), from the conversation's toolbar: the
 * buttons "Put on hold" / "Resume", "Ask for help…" / "Cancel help request" ("Ask for help…"
 * opens a small dialog for an optional note, what the agent needs, which the supervisors read on
 * their Dashboard) and "Return to queue…" (with its small dialog asking for the reason the next
 * agent sees), and the bars under
 * the header that say the chat is on hold, that help was asked for, or why the chat came back
 * from the queue. One action at a time (`busy`); a failure is shown in the bar area, announced
 * and fired as `chat-error`. The server's rules are in docs/protocol.md § 8.7 and § 8.8.
 */
import { html, nothing, svg } from 'lit';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { formatTime } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { MAX_HELP_NOTE, MAX_REQUEUE_REASON } from '../../protocol/limits.js';
import type { AgentMe, ChannelPermissions, SessionSummary } from '../../protocol/index.js';
import { ChatError } from '../../state/types.js';
import { ConversationActions, type ConversationActionsHost } from './conversation-actions.js';
import { toolLabel } from './conversation-parts.js';

const icons = {
  pause: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"><path d="M5.5 3.5v9M10.5 3.5v9"/></svg>`,
  help: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><path d="M3.5 14V2.5M3.5 3h8l-1.8 3 1.8 3h-8"/></svg>`,
  back: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M6 4 2.5 7.5 6 11M3 7.5h7a3.5 3.5 0 0 1 0 7H8"/></svg>`,
};

export interface HoldHelpHost extends ConversationActionsHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly mode: 'participant' | 'listen';
  session(): SessionSummary | undefined;
  me(): AgentMe | undefined;
  /** The customer's name. */
  customer(): string;
  permissions(session: SessionSummary | undefined): ChannelPermissions | undefined;
  /** The shown chat is offered to me and I have not answered. */
  offerShown(): boolean;
  /** Focus goes there once the server's answer shows. */
  wishFocus(target: 'heading'): void;
}

/** What the toolbar offers for a chat. */
interface Offered {
  hold: boolean;
  help: boolean;
  requeue: boolean;
}

export class HoldHelp extends ConversationActions<HoldHelpHost, 'hold' | 'help' | 'requeue'> {
  private reason = '';
  private reasonError = '';
  /** The note of the request for help being written ("what I need"). */
  private note = '';
  private noteError = '';

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('.requeue-dialog');
  }

  private get helpDialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('.help-dialog');
  }

  /** Another chat is shown: its errors and the open dialogs no longer apply. */
  reset(): void {
    this.error = '';
    this.reason = '';
    this.reasonError = '';
    this.note = '';
    this.noteError = '';
    for (const dialog of [this.dialog, this.helpDialog]) if (dialog?.open) dialog.close('switched');
  }

  /** Whether the Return to queue or the Ask for help dialog is open. */
  get open(): boolean {
    return this.dialog?.open === true || this.helpDialog?.open === true;
  }

  private offered(session: SessionSummary | undefined): Offered {
    const me = this.host.me();
    const none = { hold: false, help: false, requeue: false };
    if (!session || !me || this.host.mode === 'listen' || session.status !== 'active' || this.host.offerShown()) return none;
    const mine = session.agentId === me.id;
    return {
      hold: mine,
      help: mine,
      requeue: (mine || this.host.permissions(session)?.manager === true) && session.transfer === undefined,
    };
  }

  // ---- hold / resume ----------------------------------------------------------------------------

  readonly onHold = (): Promise<boolean> => {
    const held = this.host.session()?.heldAt !== undefined;
    return this.act(
      'hold',
      async (client, id) => {
        await client.hold(id, !held);
        announce(
          held
            ? msg(str`You resumed the chat with ${this.host.customer()}. The customer was told.`, { id: 'chat-conversation.hold.resumed' })
            : msg(str`The chat with ${this.host.customer()} is on hold. The customer was told.`, { id: 'chat-conversation.hold.done' }),
        );
      },
      (error) => {
        this.fail(error, (code) => {
          if (code === 'at_capacity') return msg('You cannot resume: your other chats fill your capacity. End one or put one on hold first.', { id: 'chat-conversation.hold.at-capacity' });
          if (code === 'offline' || code === 'timeout') return msg('The server could not be reached. Try again.', { id: 'chat-conversation.hold.offline' });
          return held
            ? msg('The chat could not be resumed. Try again.', { id: 'chat-conversation.hold.resume-error' })
            : msg('The chat could not be put on hold. Try again.', { id: 'chat-conversation.hold.error' });
        });
      },
    );
  };

  // ---- ask for help -----------------------------------------------------------------------------

  /** "Ask for help…" opens the dialog for the note; "Cancel help request" lowers the flag at once. */
  readonly onHelp = (): Promise<boolean> => {
    if (this.host.session()?.help === undefined) {
      this.openHelpDialog();
      return Promise.resolve(false);
    }
    return this.act(
      'help',
      async (client, id) => {
        await client.askForHelp(id, false);
        announce(msg('Your request for help is cancelled.', { id: 'chat-conversation.help.lowered' }));
      },
      (error) => {
        this.fail(error, (code) =>
          code === 'offline' || code === 'timeout'
            ? msg('The server could not be reached. Try again.', { id: 'chat-conversation.hold.offline' })
            : msg('The request for help could not be cancelled. Try again.', { id: 'chat-conversation.help.lower-error' }),
        );
      },
    );
  };

  private openHelpDialog(): void {
    const dialog = this.helpDialog;
    if (!dialog || this.busy !== '') return;
    this.set(() => {
      this.error = '';
      this.noteError = '';
    });
    dialog.returnValue = '';
    dialog.showModal();
    void this.host.updateComplete.then(() => {
      dialog.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    });
  }

  private readonly onNote = (event: Event): void => {
    this.note = (event.target as HTMLTextAreaElement).value;
  };

  private readonly onHelpDialogClose = (): void => {
    this.host.requestUpdate();
    if (this.helpDialog?.returnValue === 'switched') return;
    // Done or cancelled: back on the button (now "Cancel help request" when it was sent).
    void this.host.updateComplete.then(() => {
      this.host.renderRoot.querySelector<HTMLElement>('[part~="help-button"]')?.focus();
    });
  };

  /** Sends the request with its note (optional, trimmed, at most {@link MAX_HELP_NOTE} characters). */
  private readonly onHelpConfirm = async (): Promise<void> => {
    const dialog = this.helpDialog;
    if (!dialog || this.busy !== '') return;
    const note = this.note.trim().slice(0, MAX_HELP_NOTE);
    const done = await this.act(
      'help',
      async (client, id) => {
        await client.askForHelp(id, true, note === '' ? undefined : note);
        this.note = '';
        dialog.close('done');
        announce(msg('You asked for help. The supervisors of this channel see it on their Dashboard.', { id: 'chat-conversation.help.raised' }));
      },
      (error) => {
        const code = error instanceof ChatError ? error.code : 'internal';
        const text =
          code === 'offline' || code === 'timeout'
            ? msg('The server could not be reached. Try again.', { id: 'chat-conversation.hold.offline' })
            : msg('Help could not be asked for. Try again.', { id: 'chat-conversation.help.error' });
        this.set(() => {
          this.noteError = text;
        });
        announce(text, { assertive: true });
        this.host.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: true }));
      },
    );
    if (!done && dialog.open) dialog.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  };

  // ---- return to queue --------------------------------------------------------------------------

  readonly onRequeueClick = (): void => {
    const dialog = this.dialog;
    if (!dialog || this.busy !== '') return;
    this.set(() => {
      this.error = '';
      this.reasonError = '';
    });
    dialog.returnValue = '';
    dialog.showModal();
    void this.host.updateComplete.then(() => {
      dialog.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    });
  };

  private readonly onReason = (event: Event): void => {
    this.reason = (event.target as HTMLTextAreaElement).value;
    if (this.reasonError === '' || this.reason.trim() === '') return;
    this.set(() => {
      this.reasonError = '';
    });
  };

  private readonly onDialogClose = (): void => {
    const how = this.dialog?.returnValue;
    this.host.requestUpdate();
    if (how === 'switched' || how === 'done') return;
    this.host.renderRoot.querySelector<HTMLElement>('[part~="requeue-button"]')?.focus();
  };

  private readonly onConfirm = async (): Promise<void> => {
    const dialog = this.dialog;
    if (!dialog || this.busy !== '') return;
    const reason = this.reason.trim();
    if (reason === '') {
      this.set(() => {
        this.reasonError = msg('Say why the chat goes back to the queue: the next agent sees it.', { id: 'chat-conversation.requeue.reason-required' });
      });
      dialog.querySelector<HTMLTextAreaElement>('textarea')?.focus();
      return;
    }
    const done = await this.act(
      'requeue',
      async (client, id) => {
        await client.returnToQueue(id, reason);
        dialog.close('done');
        this.reason = '';
        announce(msg(str`The chat with ${this.host.customer()} is back in the queue.`, { id: 'chat-conversation.requeue.done' }));
        this.host.wishFocus('heading');
      },
      (error) => {
        const code = error instanceof ChatError ? error.code : 'internal';
        const text =
          code === 'offline' || code === 'timeout'
            ? msg('The server could not be reached. Try again.', { id: 'chat-conversation.hold.offline' })
            : code === 'invalid'
              ? msg('The chat already waits in the queue.', { id: 'chat-conversation.requeue.already' })
              : msg('The chat could not be returned to the queue. Try again.', { id: 'chat-conversation.requeue.error' });
        this.set(() => {
          this.reasonError = text;
        });
        announce(text, { assertive: true });
        this.host.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: true }));
      },
    );
    if (!done) dialog.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  };

  // ---- rendering --------------------------------------------------------------------------------

  /** The toolbar's buttons for the shown chat (none while listening, or when it is not active). */
  renderButtons(session: SessionSummary | undefined, otherBusy: boolean) {
    const can = this.offered(session);
    if (!session || (!can.hold && !can.help && !can.requeue)) return nothing;
    const disabled = this.busy !== '' || otherBusy ? 'true' : 'false';
    const held = session.heldAt !== undefined;
    const raised = session.help !== undefined;
    const lower = msg('Cancel help request', { id: 'chat-conversation.help.lower' });
    const raise = msg('Ask for help…', { id: 'chat-conversation.help.raise' });
    const holdText = held ? msg('Resume', { id: 'chat-conversation.hold.resume' }) : msg('Put on hold', { id: 'chat-conversation.hold.hold' });
    const requeue = msg('Return to queue…', { id: 'chat-conversation.requeue' });
    return html`${can.help
      ? html`<button
          class="btn btn--tool"
          part="help-button"
          type="button"
          title=${raised ? lower : raise}
          aria-pressed=${raised ? 'true' : nothing}
          aria-haspopup=${raised ? nothing : 'dialog'}
          aria-disabled=${disabled}
          @click=${this.onHelp}
        >
          ${icons.help}${toolLabel(raised ? lower : raise)}
        </button>`
      : nothing}${can.hold
      ? html`<button class="btn btn--tool" part="hold-button" type="button" title=${holdText} aria-pressed=${held ? 'true' : 'false'} aria-disabled=${disabled} @click=${this.onHold}>
          ${icons.pause}${toolLabel(holdText)}
        </button>`
      : nothing}${can.requeue
      ? html`<button class="btn btn--tool" part="requeue-button" type="button" title=${requeue} aria-haspopup="dialog" aria-disabled=${disabled} @click=${this.onRequeueClick}>
          ${icons.back}${toolLabel(requeue)}
        </button>`
      : nothing}`;
  }

  /** Under the header: on hold, help asked for, why the chat came back from the queue; and a failed action. */
  renderBars(session: SessionSummary | undefined) {
    const me = this.host.me();
    const mine = session !== undefined && me !== undefined && session.agentId === me.id && this.host.mode !== 'listen';
    const active = session?.status === 'active';
    const held = mine && active && session.heldAt !== undefined ? session.heldAt : undefined;
    const help = mine && active ? session.help : undefined;
    const returned = mine && active ? session.returned : undefined;
    const note = help?.note?.trim() ?? '';
    return html`${held !== undefined
      ? html`<div class="bar bar--held" part="hold-bar">
          ${icons.pause}
          <p class="bar-text">
            ${msg(str`On hold since ${formatTime(held)}. The customer was told; the chat does not count against your capacity until you resume it.`, { id: 'chat-conversation.hold.bar' })}
          </p>
        </div>`
      : nothing}${help
      ? html`<div class="bar bar--help" part="help-bar">
          ${icons.help}
          <div class="bar-text">
            <p>${msg(str`You asked for help at ${formatTime(help.at)}. The supervisors of this channel see it on their Dashboard.`, { id: 'chat-conversation.help.bar' })}</p>
            ${note !== '' ? html`<p class="offer-note" part="help-note" dir="auto">${note}</p>` : nothing}
          </div>
        </div>`
      : nothing}${returned
      ? html`<div class="bar bar--returned" part="returned-bar">
          ${icons.back}
          <div class="bar-text">
            <p>${msg(str`${returned.agentName} returned this chat to the queue:`, { id: 'chat-conversation.returned' })}</p>
            <p class="offer-note" part="returned-reason" dir="auto">${returned.reason}</p>
          </div>
        </div>`
      : nothing}${this.error ? html`<p class="end-error care-error" part="hold-error">${this.error}</p>` : nothing}`;
  }

  /** The dialogs: Ask for help (an optional note) and Return to queue (a reason). */
  renderDialog(name: string) {
    return html`${this.renderHelpDialog(name)}${this.renderRequeueDialog(name)}`;
  }

  /** The Ask for help dialog: what I need (optional, short, plain text) and the button. */
  private renderHelpDialog(name: string) {
    const sending = this.busy === 'help';
    const described = this.noteError !== '' ? 'help-note-hint help-error' : 'help-note-hint';
    return html`<dialog class="help-dialog" part="help-dialog" aria-labelledby="help-title" aria-describedby="help-text" @close=${this.onHelpDialogClose}>
      <h2 id="help-title" class="dialog-title">${msg(str`Ask for help in the chat with ${name}`, { id: 'chat-conversation.help.title' })}</h2>
      <p id="help-text" class="dialog-text">
        ${msg('The supervisors of this channel see your request on their Dashboard and can listen in, whisper to you or take over. The customer is not told.', {
          id: 'chat-conversation.help.text',
        })}
      </p>
      <label class="note-label" for="help-note-input">${msg('What do you need? (optional)', { id: 'chat-conversation.help.note-label' })}</label>
      <textarea id="help-note-input" part="help-note-input" rows="3" maxlength=${MAX_HELP_NOTE} aria-describedby=${described} .value=${this.note} @input=${this.onNote}></textarea>
      <p class="help-hint" id="help-note-hint">
        ${msg(str`Up to ${MAX_HELP_NOTE} characters. The supervisors read it with your request.`, { id: 'chat-conversation.help.note-hint' })}
      </p>
      ${this.noteError !== '' ? html`<p class="transfer-error" id="help-error" part="help-error">${this.noteError}</p>` : nothing}
      <div class="actions">
        <button class="btn" part="help-cancel" type="button" @click=${() => this.helpDialog?.close('cancel')}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
        <button class="btn btn--primary" part="help-confirm" type="button" aria-disabled=${sending ? 'true' : 'false'} @click=${this.onHelpConfirm}>
          ${sending ? msg('Asking…', { id: 'chat-conversation.help.sending' }) : msg('Ask for help', { id: 'chat-conversation.help.confirm' })}
        </button>
      </div>
    </dialog>`;
  }

  /** The Return to queue dialog: the reason (required) and the button. */
  private renderRequeueDialog(name: string) {
    const sending = this.busy === 'requeue';
    return html`<dialog class="requeue-dialog" part="requeue-dialog" aria-labelledby="requeue-title" aria-describedby="requeue-text" @close=${this.onDialogClose}>
      <h2 id="requeue-title" class="dialog-title">${msg(str`Return the chat with ${name} to the queue`, { id: 'chat-conversation.requeue.title' })}</h2>
      <p id="requeue-text" class="dialog-text">
        ${msg('The customer waits in the queue again and is told so. The next agent who answers sees your reason.', { id: 'chat-conversation.requeue.text' })}
      </p>
      <label class="note-label" for="requeue-reason">${msg('Reason', { id: 'chat-conversation.requeue.reason' })}</label>
      <textarea
        id="requeue-reason"
        part="requeue-reason"
        rows="3"
        required
        maxlength=${MAX_REQUEUE_REASON}
        aria-invalid=${this.reasonError !== '' ? 'true' : 'false'}
        aria-describedby=${this.reasonError !== '' ? 'requeue-error' : nothing}
        .value=${this.reason}
        @input=${this.onReason}
      ></textarea>
      ${this.reasonError !== '' ? html`<p class="transfer-error" id="requeue-error" part="requeue-error">${this.reasonError}</p>` : nothing}
      <div class="actions">
        <button class="btn" part="requeue-cancel" type="button" @click=${() => this.dialog?.close('cancel')}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
        <button class="btn btn--primary" part="requeue-confirm" type="button" aria-disabled=${sending ? 'true' : 'false'} @click=${this.onConfirm}>
          ${sending ? msg('Returning…', { id: 'chat-conversation.requeue.sending' }) : msg('Return to queue', { id: 'chat-conversation.requeue.confirm' })}
        </button>
      </div>
    </dialog>`;
  }
}
