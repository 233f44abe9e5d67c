/**
 * The CRM requests of the shown chat: "Create request" (its dialog loads on first use) and the
 * header's "#1042" links. The links are loaded with `@lit/task` from the `crmProvider` when the
 * chat, the provider or the agent changes. A change aborts the load in progress (its
 * `AbortSignal` goes to `listSessionRequests`), and a late answer for an earlier chat is never
 * shown. A request created here is shown at once, its number put into the reply.
 */
import { Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { html, nothing, svg } from 'lit';

import type { CrmProvider, CrmRequest } from '../../crm/types.js';
import { ChatRequestCreateEvent } from '../../events/chat-request-create-event.js';
import { ChatRequestOpenEvent } from '../../events/chat-request-open-event.js';
import { msg, str } from '../../i18n/localization.js';
import { announce } from '../../internal/announcer.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import type { AgentMe } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { toolLabel } from './conversation-parts.js';
import type { RequestDialog, RequestDialogOwner } from './request-dialog.js';

export const requestIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M3 2.5h10v11H3z"/><path d="M5.5 6h5M5.5 8.5h5M5.5 11h3" stroke-linecap="round"/></svg>`;

export interface SessionRequestsHost extends ReactiveControllerHost, EventTarget {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly client?: ChatClient | undefined;
  readonly crmProvider?: CrmProvider | undefined;
  shownId(): string | undefined;
  me(): AgentMe | undefined;
  customer(): string;
  /** Puts `text` at the end of the reply and focuses it; false when the chat cannot be written in. */
  appendToReply(text: string): boolean;
}

export class SessionRequests implements ReactiveController, RequestDialogOwner {
  private readonly task: Task<[CrmProvider | undefined, string | undefined, string | undefined], CrmRequest[]>;
  /** Requests created here since the last load, newest first. */
  private created: { sessionId: string; request: CrmRequest }[] = [];
  /** The Create request dialog (its code loads on first use). */
  private dialog: RequestDialog | undefined;

  constructor(private readonly host: SessionRequestsHost) {
    host.addController(this);
    this.task = new Task(host, {
      // No list without the provider, the shown chat and my agent id.
      args: () => [host.crmProvider, host.shownId(), host.me()?.id],
      task: async ([provider, sessionId, me], { signal }) => {
        this.created = [];
        if (!provider || sessionId === undefined || me === undefined) return [];
        return provider.listSessionRequests(sessionId, signal);
      },
    });
  }

  hostConnected(): void {
    // Loaded again after a move in the DOM (a load aborted on removal never finished).
    if (this.task.status !== TaskStatus.INITIAL) void this.task.run();
  }

  hostDisconnected(): void {
    this.task.abort();
  }

  /** Another chat is shown: the dialog about the previous one closes. */
  reset(): void {
    this.dialog?.close();
  }

  /** The requests of chat `sessionId` as known now (none while loading or after a failure). */
  list(sessionId: string | undefined): readonly CrmRequest[] {
    const loaded = this.task.status === TaskStatus.COMPLETE ? (this.task.value ?? []) : [];
    const mine = this.created.filter((c) => c.sessionId === sessionId).map((c) => c.request);
    return mine.length === 0 ? loaded : [...mine, ...loaded.filter((r) => !mine.some((m) => m.id === r.id))];
  }

  /** A request was just created from chat `sessionId`. */
  added(sessionId: string, request: CrmRequest): void {
    this.created = [{ sessionId, request }, ...this.created.filter((c) => c.request.id !== request.id)];
  }

  private readonly onRequestClick = async (): Promise<void> => {
    const host = this.host;
    const id = host.shownId();
    if (id === undefined || !host.crmProvider) return;
    if (!this.dialog) {
      const m = await import('./request-dialog.js');
      adoptLazyStyles(host, m.requestDialogStyles);
      this.dialog ??= new m.RequestDialog(host, this);
    }
    const first = host.client?.$sessionMessages(id).get()?.items.find((m) => m.kind === 'text' && m.author.kind === 'customer' && m.text.trim() !== '');
    this.dialog.open(id, { firstCustomerText: first?.text, customerName: host.customer() });
  };

  /** For the request dialog: a request was created from chat `sessionId`. */
  requestCreated(sessionId: string, request: CrmRequest): void {
    const number = request.number;
    this.added(sessionId, request);
    this.host.requestUpdate();
    announce(msg(str`Request #${number} created.`, { id: 'chat-conversation.request.created' }));
    this.host.dispatchEvent(new ChatRequestCreateEvent({ sessionId, requestId: request.id, number, contactId: request.contactId }));
    const text = msg(str`I have registered your request as #${number}.`, { id: 'chat-conversation.request.message' });
    if (this.host.shownId() !== sessionId || !this.host.appendToReply(text)) this.focusRequestButton();
  }

  /** For the request dialog: focus back on "Create request". */
  focusRequestButton(): void {
    this.host.renderRoot.querySelector<HTMLElement>('[part~="request-button"]')?.focus();
  }

  private onRequestOpen(request: CrmRequest): void {
    const id = this.host.shownId();
    if (id === undefined) return;
    this.host.dispatchEvent(new ChatRequestOpenEvent({ requestId: request.id, number: request.number, sessionId: id }));
  }

  /** The header's links to the chat's requests. */
  renderLinks(sessionId: string | undefined) {
    const requests = this.list(sessionId);
    if (requests.length === 0) return nothing;
    return html`<span class="requests" part="requests" role="group" aria-label=${msg('Requests from this chat', { id: 'chat-conversation.requests' })}>
      ${requestIcon}${requests.map(
        (r) =>
          html`<button
            class="request-link"
            part="request-link"
            type="button"
            title=${r.title}
            aria-label=${msg(str`Request #${r.number}: ${r.title}`, { id: 'chat-conversation.request.link' })}
            @click=${() => {
              this.onRequestOpen(r);
            }}
          >
            #${r.number}
          </button>`,
      )}
    </span>`;
  }

  /** "Create request" in the header. */
  renderButton() {
    const label = msg('Create request', { id: 'chat-conversation.request.title' });
    return html`<button class="btn btn--tool" part="request-button" type="button" title=${label} aria-haspopup="dialog" @click=${this.onRequestClick}>
      ${requestIcon}${toolLabel(label)}
    </button>`;
  }

  renderDialog() {
    return this.dialog?.render() ?? nothing;
  }
}
