/**
 * What chat-conversation shows around the transcript, as templates of its state: the header
 * (customer, channel, status, the chat's requests and the action buttons), the typing line (with
 * the customer's draft preview in the agent console), the composer or the notice instead of it,
 * the empty state and the drop zone.
 */
import { html, nothing, svg } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import type { CrmProvider } from '../../crm/types.js';
import { identityBadge } from '../../internal/identity-badge.js';
import type { ChannelPermissions, SessionSummary } from '../../protocol/index.js';
import type { ConversationView } from '../../state/agent-views.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { COMPOSER_PARTS, MESSAGE_LIST_PARTS, toolLabel } from './conversation-parts.js';
import { statusText } from './conversation-texts.js';
import type { HoldHelp } from './hold-help.js';
import type { SessionActions } from './session-actions.js';
import { actionIcons } from './session-actions.js';
import type { SessionPriority } from './session-priority.js';
import { canSetPriority } from './session-priority.js';
import type { SessionRequests } from './session-requests.js';

const toolIcons = {
  unread: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M2 4.5h8.5M2 4.5v8h12V8M2 4.5l6 4.5 2.2-1.6"/><circle cx="13" cy="4" r="2" fill="currentColor" stroke="none"/></svg>`,
  takeover: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><circle cx="10.5" cy="5" r="2.5"/><path d="M6 14c0-2.5 2-4.5 4.5-4.5S15 11.5 15 14M1 8h5M4 5.5 6.5 8 4 10.5"/></svg>`,
};

const ear = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><path d="M4.5 6.5a3.5 3.5 0 1 1 7 0c0 2-2 2.5-2 4.5a2 2 0 0 1-3.5 1.3M6.5 6.5a1.5 1.5 0 0 1 3 0"/></svg>`;

export interface HeaderModel {
  session: SessionSummary | undefined;
  /** The customer's name. */
  name: string;
  channel: string | undefined;
  listen: boolean;
  /** The chat is mine. */
  mine: boolean;
  perm: ChannelPermissions | undefined;
  withoutShortcuts: boolean;
  /** Hold / Resume, Ask for help, Return to queue (issue 18). */
  holdHelp: HoldHelp;
  /** "Create request" is offered (a CRM, the agent console, a chat). */
  canRequest: boolean;
  /** The Transfer dialog is sending. */
  transferSending: boolean;
  actions: SessionActions;
  requests: SessionRequests;
  /** The chat's priority: a select or its marker (issue 18). */
  priority: SessionPriority;
  onTransferClick: () => void;
}

export function renderHeader(m: HeaderModel) {
  const { session, listen, mine, perm, actions } = m;
  const active = session?.status === 'active';
  const canEnd = !listen && active && mine;
  const canTransfer = !listen && active && (mine || perm?.manager === true) && session.transfer === undefined;
  const busy = actions.busy !== '' || m.transferSending ? 'true' : 'false';
  const canTakeover = !listen && active && !mine && perm?.manager === true && session.agentId !== undefined;
  const keys = (combo: string) => (m.withoutShortcuts ? nothing : combo);
  return html`<div class="header" part="header">
    <div class="title">
      <h2 class="name" part="title" tabindex="-1">${m.name}</h2>
      <div class="facts">
        ${identityBadge(session?.identity)} ${m.channel !== undefined ? html`<span part="channel">${m.channel}</span>` : nothing}
        ${session ? html`<span class="status status--${session.status}" part="status">${statusText(session.status)}</span>` : nothing}
        ${listen ? html`<span class="listening" part="listening">${ear}${msg('Listening', { id: 'chat-conversation.listening' })}</span>` : nothing}
        ${m.priority.render(session, canSetPriority(session, mine, perm, listen))} ${renderTags(session?.tags)}
        ${m.requests.renderLinks(session?.id)}
      </div>
    </div>
    <div class="actions" part="actions">
      ${m.canRequest ? m.requests.renderButton() : nothing}
      ${canTakeover
        ? html`<button class="btn btn--tool" part="takeover-button" type="button" title=${msg('Take over', { id: 'chat-conversation.takeover' })} aria-disabled=${busy} @click=${actions.onTakeover}>
            ${toolIcons.takeover}${toolLabel(actions.busy === 'takeover' ? msg('Taking over…', { id: 'chat-conversation.taking-over' }) : msg('Take over', { id: 'chat-conversation.takeover' }))}
          </button>`
        : nothing}
      ${m.holdHelp.renderButtons(session, busy === 'true')}
      ${canTransfer
        ? html`<button
            class="btn btn--tool"
            part="transfer-button"
            type="button"
            title=${msg('Transfer…', { id: 'chat-conversation.transfer' })}
            aria-haspopup="dialog"
            aria-keyshortcuts=${keys('Alt+Shift+X')}
            aria-disabled=${busy}
            @click=${m.onTransferClick}
          >
            ${actionIcons.transfer}${toolLabel(msg('Transfer…', { id: 'chat-conversation.transfer' }))}
          </button>`
        : nothing}
      ${mine && session !== undefined && session.status !== 'queued'
        ? html`<button
            class="btn btn--tool"
            part="unread-button"
            type="button"
            title=${msg('Mark unread', { id: 'chat-conversation.unread' })}
            aria-keyshortcuts=${keys('Alt+Shift+U')}
            aria-disabled=${busy}
            @click=${actions.onMarkUnread}
          >
            ${toolIcons.unread}${toolLabel(msg('Mark unread', { id: 'chat-conversation.unread' }))}
          </button>`
        : nothing}
      ${canEnd
        ? html`<button class="btn btn--danger end" part="end-button" type="button" aria-haspopup="dialog" aria-keyshortcuts=${keys('Alt+Shift+E')} aria-disabled=${actions.ending ? 'true' : 'false'} @click=${actions.onEndClick}>
            ${actions.ending ? msg('Ending…', { id: 'chat-conversation.ending' }) : msg('End chat', { id: 'chat-conversation.end' })}
          </button>`
        : nothing}
    </div>
    ${actions.error ? html`<p class="end-error" part="end-error">${actions.error}</p>` : nothing}
  </div>`;
}

/** The chat's tags (wrap-up, issue 18) as chips in the header: a labelled list, each tag as text. */
export function renderTags(tags: readonly string[] | undefined) {
  if (!tags || tags.length === 0) return nothing;
  return html`<ul class="tags" part="tags" aria-label=${msg('Tags', { id: 'chat-conversation.tags' })}>
    ${tags.map((tag) => html`<li class="tag" part="tag" dir="auto" title=${tag}>${tag}</li>`)}
  </ul>`;
}

/** Who is typing (never I myself, never the system), with the customer's draft in the agent console. */
export function renderTyping(typing: ConversationView['typing'] | undefined, meId: string | undefined, agentConsole: boolean, customer: string) {
  const t = typing;
  if (!t || t.who.kind === 'system' || (t.who.kind === 'agent' && t.who.id === meId)) return html`<div class="typing" part="typing"></div>`;
  const name = t.who.kind === 'customer' ? (t.who.name.trim() !== '' ? t.who.name : customer) : t.who.name;
  const preview = t.who.kind === 'customer' && agentConsole ? (t.preview ?? '').trim() : '';
  return html`<div class="typing" part="typing">
    <span class="dots" aria-hidden="true"><span></span><span></span><span></span></span
    ><span class="typing-text">${msg(str`${name} is typing…`, { id: 'chat-conversation.typing' })}</span>
    ${preview !== ''
      ? html`<span class="preview" part="preview" title=${msg('What the customer is writing (not sent yet)', { id: 'chat-conversation.preview-title' })}
          ><span class="visually-hidden">${msg('Draft:', { id: 'chat-conversation.preview-label' })} </span>${preview}</span
        >`
      : nothing}
  </div>`;
}

const icons = {
  chat: svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"><path d="M8 10h32v22H20l-8 7v-7H8z"/><path d="M15 18h18M15 24h12" stroke-linecap="round"/></svg>`,
  info: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  upload: svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"><path d="M24 31V9M15 18l9-9 9 9M9 31v8h30v-8"/></svg>`,
};

/** No chat shown. */
export function renderEmpty() {
  return html`<div class="base" part="base">
    <div class="empty" part="empty">
      <slot name="empty">${icons.chat}<p>${msg('Select a chat on the left or get the next one from the queue.', { id: 'chat-conversation.empty' })}</p></slot>
    </div>
  </div>`;
}

/** The transcript; "Save as quick reply" on messages while the agent can write in the chat. */
export function renderTranscript(client: ChatClient | undefined, id: string, name: string, saveQuickReply: boolean, quoteMessages: boolean) {
  return html`<chat-message-list
    part="transcript"
    exportparts=${MESSAGE_LIST_PARTS}
    .client=${client}
    .sessionId=${id}
    .saveQuickReply=${saveQuickReply}
    .quoteMessages=${quoteMessages}
    .label=${msg(str`Messages with ${name}`, { id: 'chat-conversation.messages-label' })}
  ></chat-message-list>`;
}

/** Why the chat cannot be written in, with Close. */
export function renderNotice(text: string, onClose: () => void) {
  return html`<div class="notice" part="notice">
    ${icons.info}
    <p class="notice-text">${text}</p>
    <button class="btn" part="notice-close" type="button" @click=${onClose}>${msg('Close', { id: 'chat-conversation.notice.close' })}</button>
  </div>`;
}

/** Listening in as a supervisor: a composer that whispers to the handling agent. */
export function renderWhisper(client: ChatClient | undefined, id: string, agentName: string) {
  return html`<chat-composer
    part="composer whisper"
    exportparts=${COMPOSER_PARTS}
    whisper
    .client=${client}
    .sessionId=${id}
    .label=${agentName ? msg(str`Whisper to ${agentName}`, { id: 'chat-conversation.whisper-label' }) : ''}
  ></chat-composer>`;
}

/** The composer of the shown chat (Reply / Note and the agent tools in the agent console). */
export function renderComposer(c: { client: ChatClient | undefined; id: string; name: string; agentConsole: boolean; crmProvider: CrmProvider | undefined; disabledReason: string }) {
  return html`<chat-composer
    part="composer"
    exportparts=${COMPOSER_PARTS}
    .client=${c.client}
    .sessionId=${c.id}
    .allowNotes=${c.agentConsole}
    .agentTools=${c.agentConsole}
    .crmProvider=${c.crmProvider}
    .label=${msg(str`Message to ${c.name}`, { id: 'chat-conversation.input-label' })}
    .noteLabel=${msg(str`Internal note on the chat with ${c.name}`, { id: 'chat-conversation.note-label' })}
    .disabledReason=${c.disabledReason}
  ></chat-composer>`;
}

/** Over the conversation while files are dragged over it. */
export function renderDropZone() {
  return html`<div class="drop-zone" part="drop-zone" aria-hidden="true">
    ${icons.upload}<span>${msg('Drop files to attach them to your reply', { id: 'chat-conversation.drop' })}</span>
  </div>`;
}
