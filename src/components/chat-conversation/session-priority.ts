/**
 * The chat's priority in the conversation header (issue 18): a labelled select for who may change
 * it (the handling agent of an active chat, a manager of its channel while it waits or runs; the
 * server checks the same), else the marker alone. The server's answer shows on the board (the
 * select follows the board, `live`: a refused choice goes back); a refusal is shown beside the
 * select, announced and fired as `chat-error`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';

import { msg, str } from '../../i18n/localization.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import { priorityLabel, priorityMarker } from '../../internal/response-timer.js';
import type { ChannelPermissions, ChatPriority, SessionSummary } from '../../protocol/index.js';
import { CHAT_PRIORITIES, isChatPriority } from '../../protocol/priority.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';

export interface SessionPriorityHost extends ReactiveControllerHost, EventTarget {
  readonly client?: ChatClient | undefined;
}

/** Who may set the priority of a chat, as the server decides (protocol.md § 8.11). */
export function canSetPriority(session: SessionSummary | undefined, mine: boolean, perm: ChannelPermissions | undefined, listen: boolean): boolean {
  if (!session || listen) return false;
  if (session.status === 'active' && mine) return true;
  return (session.status === 'queued' || session.status === 'active') && perm?.manager === true;
}

export class SessionPriority implements ReactiveController {
  /** The chat whose priority is being sent (undefined: none). */
  private sending: string | undefined;
  /** Why the last change failed ('' for none), and for which chat. */
  private error: { id: string; text: string } | undefined;

  constructor(private readonly host: SessionPriorityHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.error = undefined;
  }

  private readonly onChange = (event: Event) => {
    const select = event.currentTarget as HTMLSelectElement;
    const id = select.dataset.id;
    const value = select.value;
    if (id !== undefined && isChatPriority(value)) void this.set(id, value);
  };

  private async set(id: string, priority: ChatPriority): Promise<void> {
    const client = this.host.client;
    if (!client || this.sending !== undefined) return;
    this.sending = id;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      await client.setPriority(id, priority);
      announce(msg(str`Priority set to ${priorityLabel(priority)}.`, { id: 'chat-conversation.priority.set' }));
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      const text =
        code === 'forbidden'
          ? msg('You cannot change the priority of this chat.', { id: 'chat-conversation.priority.forbidden' })
          : code === 'session_closed'
            ? msg('The chat has ended; its priority can no longer change.', { id: 'chat-conversation.priority.closed' })
            : msg('The priority could not be changed. Try again.', { id: 'chat-conversation.priority.failed' });
      this.error = { id, text };
      announce(text, { assertive: true });
      this.host.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: error instanceof ChatError ? error.retryable : true }));
    } finally {
      this.sending = undefined;
      this.host.requestUpdate();
    }
  }

  /** The select (or the marker when the agent may not change it), and the last error. */
  render(session: SessionSummary | undefined, editable: boolean) {
    if (!session) return nothing;
    const current = session.priority ?? 'normal';
    const error = this.error?.id === session.id ? this.error.text : '';
    if (!editable) return priorityMarker(session.priority);
    return html`<label class="priority-field" part="priority-field"
        ><span class="priority-label">${msg('Priority', { id: 'chat-conversation.priority' })}</span>
        <select
          part="priority-select"
          data-id=${session.id}
          .value=${live(current)}
          aria-describedby=${error ? 'priority-error' : nothing}
          aria-disabled=${this.sending === session.id ? 'true' : 'false'}
          @change=${this.onChange}
        >
          ${[...CHAT_PRIORITIES].reverse().map((p) => html`<option value=${p} ?selected=${p === current}>${priorityLabel(p)}</option>`)}
        </select></label
      >${error ? html`<span id="priority-error" class="priority-error" part="priority-error">${error}</span>` : nothing}`;
  }
}
