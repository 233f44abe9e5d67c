/**
 * The conversation's Transfer dialog: a native modal `<dialog>` in the conversation's shadow root
 * that offers the agents of the chat's channel who are Present and online (with their load; those
 * at capacity disabled) and every queue, an optional note for the next agent, and Transfer. The
 * agents are followed only while the dialog is open (their presence decides the choices).
 * After a transfer to an agent, focus goes to "Cancel transfer"; after a move to a queue, to the
 * heading. Errors are said in the dialog, announced and fired as `chat-error`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import { StoreController } from '../../internal/store-controller.js';
import { MAX_TRANSFER_NOTE } from '../../protocol/limits.js';
import type { AgentInfo, AgentMe, ChannelInfo, SessionSummary, TransferTarget } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';

export interface TransferDialogHost extends ReactiveControllerHost, EventTarget {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly client?: ChatClient | undefined;
  /** The shown chat's id, its state, who I am and the channels. */
  transferContext(): { id: string; session: SessionSummary; me: AgentMe | undefined; channels: readonly ChannelInfo[] } | undefined;
  /** Focus goes to this control once the server's answer shows. */
  wishFocus(target: 'heading' | 'transfer-cancel'): void;
}

/** Why a transfer failed, in words. */
function transferErrorText(code: string, name: string): string {
  switch (code) {
    case 'at_capacity':
      return msg(str`${name} cannot take more chats right now.`, { id: 'chat-conversation.transfer.error.capacity' });
    case 'forbidden':
      return msg(str`${name} cannot receive this chat now (offline, Away or not in this channel).`, { id: 'chat-conversation.transfer.error.forbidden' });
    case 'conflict':
      return msg('A transfer of this chat is already waiting for an answer.', { id: 'chat-conversation.transfer.error.conflict' });
    case 'not_found':
      return msg('That agent or queue no longer exists.', { id: 'chat-conversation.transfer.error.not-found' });
    case 'invalid':
      return msg('The chat cannot be transferred there.', { id: 'chat-conversation.transfer.error.invalid' });
    case 'offline':
    case 'timeout':
      return msg('The server could not be reached. Try again.', { id: 'chat-conversation.transfer.error.offline' });
    default:
      return msg('The chat could not be transferred. Try again.', { id: 'chat-conversation.transfer.error.other' });
  }
}

export class TransferDialog implements ReactiveController {
  /** The agents, followed only while the dialog is open. */
  private readonly agents: StoreController<Readonly<Record<string, AgentInfo>>>;
  private target = '';
  private note = '';
  private error = '';
  private isOpen = false;
  /** A transfer is being sent. */
  sending = false;

  constructor(private readonly host: TransferDialogHost) {
    host.addController(this);
    this.agents = new StoreController(host);
  }

  hostUpdate(): void {
    this.agents.use(this.isOpen ? this.host.client?.$agents : undefined);
  }

  private get dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('.transfer-dialog');
  }

  /** Whether the dialog is open. */
  get open(): boolean {
    return this.dialog?.open === true;
  }

  /** Another chat is shown: the dialog about the previous one closes and forgets its choices. */
  reset(): void {
    this.target = '';
    this.note = '';
    this.error = '';
    const dialog = this.dialog;
    if (dialog?.open) dialog.close('switched');
  }

  /** Opens the dialog ("Transfer…"), with the first choice that can be taken focused. */
  show(): void {
    const dialog = this.dialog;
    if (!dialog || this.sending) return;
    this.reset();
    dialog.returnValue = '';
    this.isOpen = true;
    this.host.requestUpdate();
    dialog.showModal();
    void this.host.updateComplete.then(() => {
      dialog.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)')?.focus();
    });
  }

  /** Agents who may receive the chat now: in its channel, Present and online, not me, not its handler. */
  private candidates(session: SessionSummary, me: AgentMe | undefined): AgentInfo[] {
    return Object.values(this.agents.value ?? {})
      .filter((a) => a.id !== me?.id && a.id !== session.agentId && a.status === 'present' && a.online && a.channelIds.includes(session.channelId))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private readonly onClose = (): void => {
    this.isOpen = false;
    this.host.requestUpdate();
    const how = this.dialog?.returnValue;
    if (how === 'switched' || how === 'done') return;
    this.host.renderRoot.querySelector<HTMLElement>('[part~="transfer-button"]')?.focus();
  };

  private readonly onChoice = (event: Event): void => {
    this.target = (event.target as HTMLInputElement).value;
    this.error = '';
    this.host.requestUpdate();
  };

  private readonly onNote = (event: Event): void => {
    this.note = (event.target as HTMLTextAreaElement).value;
  };

  private readonly onDismiss = (): void => {
    this.dialog?.close('cancel');
  };

  private readonly onConfirm = async (): Promise<void> => {
    const client = this.host.client;
    const context = this.host.transferContext();
    const dialog = this.dialog;
    if (!client || !context || !dialog || this.sending) return;
    const [kind, targetId] = this.target.split(/:(.*)/s);
    if (targetId === undefined || targetId === '') {
      this.error = msg('Choose an agent or a queue.', { id: 'chat-conversation.transfer.choose' });
      this.host.requestUpdate();
      return;
    }
    const to: TransferTarget = kind === 'agent' ? { agentId: targetId } : { channelId: targetId };
    const name = kind === 'agent' ? (client.$agent(targetId).get()?.name ?? targetId) : (context.channels.find((c) => c.id === targetId)?.name ?? targetId);
    this.sending = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      await client.transfer(context.id, to, this.note);
      dialog.close('done');
      if (kind === 'agent') {
        announce(msg(str`Transfer offered to ${name}. Waiting for an answer.`, { id: 'chat-conversation.transfer.offered' }));
        this.host.wishFocus('transfer-cancel');
      } else {
        announce(msg(str`The chat was moved to the ${name} queue.`, { id: 'chat-conversation.transfer.moved' }));
        this.host.wishFocus('heading');
      }
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const text = transferErrorText(code, name);
      this.error = text;
      announce(text, { assertive: true });
      this.host.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: true }));
    } finally {
      this.sending = false;
      this.host.requestUpdate();
    }
  };

  render(name: string) {
    const context = this.host.transferContext();
    const session = context?.session;
    // Only while the dialog is open: the agents are followed then, and not otherwise.
    const agents = session && this.isOpen ? this.candidates(session, context.me) : [];
    const channels = context?.channels ?? [];
    const choice = this.target;
    return html`<dialog class="transfer-dialog" part="transfer-dialog" aria-labelledby="transfer-title" @close=${this.onClose}>
      <h2 id="transfer-title" class="dialog-title">${msg(str`Transfer the chat with ${name}`, { id: 'chat-conversation.transfer.title' })}</h2>
      <fieldset class="choices">
        <legend>${msg('To an agent', { id: 'chat-conversation.transfer.agents' })}</legend>
        <p class="choices-hint">${msg('Agents in this channel who are Present and online.', { id: 'chat-conversation.transfer.agents-hint' })}</p>
        ${agents.length === 0
          ? html`<p class="choices-empty">${msg('No other agent in this channel is Present and online right now.', { id: 'chat-conversation.transfer.no-agents' })}</p>`
          : agents.map((a, i) => {
              const full = a.activeChats >= a.maxConcurrentChats;
              const load = msg(str`${a.activeChats} of ${a.maxConcurrentChats} chats`, { id: 'chat-conversation.transfer.load' });
              return html`<label class="choice ${full ? 'choice--disabled' : ''}" part=${full ? 'transfer-option transfer-option--disabled' : 'transfer-option'}>
                <input
                  type="radio"
                  name="transfer-target"
                  value=${`agent:${a.id}`}
                  .checked=${choice === `agent:${a.id}`}
                  ?disabled=${full}
                  aria-describedby=${`transfer-load-${String(i)}`}
                  @change=${this.onChoice}
                />
                <span class="choice-name">${a.name}</span>
                <span class="choice-load" id=${`transfer-load-${String(i)}`}
                  >${full ? msg(str`At capacity: ${load}`, { id: 'chat-conversation.transfer.full' }) : load}</span
                >
              </label>`;
            })}
      </fieldset>
      <fieldset class="choices">
        <legend>${msg('To a queue', { id: 'chat-conversation.transfer.queues' })}</legend>
        ${channels.map(
          (c) => html`<label class="choice" part="transfer-option">
            <input type="radio" name="transfer-target" value=${`channel:${c.id}`} .checked=${choice === `channel:${c.id}`} @change=${this.onChoice} />
            <span class="choice-name">${msg(str`${c.name} queue`, { id: 'chat-conversation.transfer.queue' })}</span>
            ${c.id === session?.channelId ? html`<span class="choice-load">${msg('back in line', { id: 'chat-conversation.transfer.same-queue' })}</span>` : nothing}
          </label>`,
        )}
      </fieldset>
      <label class="note-label" for="transfer-note">${msg('Note for the next agent (optional)', { id: 'chat-conversation.transfer.note' })}</label>
      <textarea id="transfer-note" part="transfer-note-input" rows="2" maxlength=${MAX_TRANSFER_NOTE} .value=${this.note} @input=${this.onNote}></textarea>
      ${this.error ? html`<p class="transfer-error" part="transfer-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button class="btn" part="transfer-dismiss" type="button" @click=${this.onDismiss}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
        <button class="btn btn--primary" part="transfer-confirm" type="button" aria-disabled=${this.sending || choice === '' ? 'true' : 'false'} @click=${this.onConfirm}>
          ${this.sending ? msg('Transferring…', { id: 'chat-conversation.transfer.sending' }) : msg('Transfer', { id: 'chat-conversation.transfer.confirm' })}
        </button>
      </div>
    </dialog>`;
  }
}
