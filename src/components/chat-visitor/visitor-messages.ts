/**
 * The customer widget's conversation rows: a message (system line, the customer's, the agent's
 * or the channel bot's), a message still waiting or refused (with Retry and Cancel), and the
 * connection banner, and the whole conversation around them. Pure render functions: chat-visitor.component.ts gives them what they show.
 * Message text is rendered as text (links only through the safe linkify).
 */
import { html, nothing } from 'lit';

import type { ConnectionStatus } from '../../state/types.js';
import { connectionText, formatTime, retryLabel } from '../../i18n/common.js';
import { renderQuote } from '../../internal/message-quote.js';
import { isBotMessage } from '../../protocol/journey.js';
import type { ChatMessage } from '../../protocol/model.js';
import type { OutboxItem } from '../../state/types.js';
import type { VisitorChatView } from '../../state/views.js';
import type { VisitorChannel, VisitorSession } from '../../state/visitor-http.js';
import type { VisitorFiles } from './visitor-files.js';
import type { VisitorComposer } from './visitor-composer.js';
import type { VisitorEnd } from './visitor-end.js';
import type { Phase } from './visitor-follow.js';
import type { VisitorJourney } from './visitor-journey.js';
import { failureReason, systemText, t } from './visitor-texts.js';
import { icons } from './visitor-icons.js';

/** What the rows need from the widget. */
export interface MessagesContext {
  /** Safe auto-links (loaded with the client core). */
  readonly linkify: ((text: string) => unknown[]) | undefined;
  /** The file UI (loaded with the client core). */
  readonly files: VisitorFiles | undefined;
  /** The connection is live (pending messages say "Sending…" rather than "Waiting"). */
  readonly live: boolean;
  retry(cmid: string): void;
  cancel(cmid: string): void;
  /** Quote a message in the next one (while the composer is shown); absent: no Quote buttons. */
  quote?: ((message: ChatMessage) => void) | undefined;
}

/** What the conversation needs from the widget. */
export interface ChatContext extends Omit<MessagesContext, 'live'> {
  phase: Phase;
  view: VisitorChatView | undefined;
  session: VisitorSession | undefined;
  channel: VisitorChannel | undefined;
  /** The journey's parts (after the chat, the queue's wait), loaded with the start form. */
  journey: VisitorJourney | undefined;
  composer: VisitorComposer;
  end: VisitorEnd;
  reconnect(): void;
  onScroll(): void;
  newChat(): void;
}

export function renderMessage(context: MessagesContext, message: ChatMessage, previous: ChatMessage | undefined, last: boolean, myName: string, backInQueue = false) {
  const time = html`<time datetime=${new Date(message.at).toISOString()}>${formatTime(message.at)}</time>`;
  if (message.kind === 'event') {
    return html`<li part="message message--system" class="system">
      <span>${backInQueue ? t.backInQueue() : systemText(message, myName)}</span> <span class="system-time">${time}</span>
    </li>`;
  }
  const mine = message.author.kind === 'customer';
  // The channel's bot answered before the hand-off: its messages are marked as the bot's.
  const bot = isBotMessage(message);
  const author = mine ? t.you() : message.author.name || (bot ? t.bot() : t.agent());
  const sameRun = previous?.kind === message.kind && previous.author.kind === message.author.kind && previous.author.name === message.author.name;
  return html`<li part=${mine ? 'message message--customer' : bot ? 'message message--agent message--bot' : 'message message--agent'} class=${`msg ${mine ? 'msg--customer' : 'msg--agent'}${sameRun ? '' : ' msg--first'}`}>
    <span class=${mine || sameRun ? 'visually-hidden' : 'author'}>${author}${bot ? html` <span part="bot-badge" class="bot-badge">${t.bot()}</span>` : nothing}</span>
    ${renderQuote(message.quote, t.inReplyTo())}
    ${message.text !== '' || !message.attachments?.length ? html`<p part=${mine ? 'bubble bubble--customer' : bot ? 'bubble bubble--agent bubble--bot' : 'bubble bubble--agent'} class="bubble" dir="auto">${context.linkify ? context.linkify(message.text) : message.text}</p>` : nothing}
    ${context.files?.renderFiles(message.attachments) ?? nothing}
    <span part="meta" class="meta"
      >${time}${mine && last ? html` · <span class="state">${icons.check} ${t.sent()}</span>` : nothing}${context.quote
        ? html` · <button part="quote-action" class="quote-action" type="button" @click=${() => {
              context.quote?.(message);
            }}>${t.quoteAction()}</button>`
        : nothing}</span
    >
  </li>`;
}

export function renderPending(context: MessagesContext, item: OutboxItem) {
  const failed = item.state === 'failed';
  const stateText = failed ? t.notSent() : item.state === 'sent' ? t.sent() : context.live ? t.sending() : t.waiting();
  const time = html`<time datetime=${new Date(item.createdAt).toISOString()}>${formatTime(item.createdAt)}</time>`;
  return html`<li
    part=${failed ? 'message message--customer message--failed' : 'message message--customer message--pending'}
    class=${`msg msg--customer ${failed ? 'msg--failed' : 'msg--pending'}`}
  >
    <span class="visually-hidden">${t.you()}</span>
    ${item.text !== '' || !item.attachmentIds?.length ? html`<p part="bubble bubble--customer" class="bubble" dir="auto">${item.text}</p>` : nothing}
    ${context.files?.renderPendingFiles(item.attachmentIds) ?? nothing}
    <span part="meta" class="meta">
      ${time} ·
      <span class="state">${failed ? icons.error : item.state === 'sent' ? icons.check : icons.clock} ${stateText}</span>
      ${failed ? html`<span class="reason">${failureReason(item.error?.code)}</span>` : nothing}
    </span>
    ${failed
      ? html`<span part="message-actions" class="actions">
          <button class="btn small" type="button" @click=${() => { context.retry(item.cmid); }}>${t.retry()}</button>
          <button class="btn small" type="button" @click=${() => { context.cancel(item.cmid); }}>${t.cancel()}</button>
        </span>`
      : nothing}
  </li>`;
}

/** The banner while the connection is down (reconnecting, offline, refused), with Retry. */
export function renderConnection(status: ConnectionStatus | undefined, error: Parameters<typeof connectionText>[1], reconnect: () => void) {
  if (status !== 'reconnecting' && status !== 'offline' && status !== 'fatal') return nothing;
  return html`<div part="connection" class="connection">
    <span>${connectionText(status, error)}</span>
    <button class="btn small" type="button" @click=${reconnect}>${retryLabel()}</button>
  </div>`;
}

/** The conversation: banners, messages, typing, End chat's confirmation, the composer or what follows the chat. */
export function renderChat(context: ChatContext) {
  const { phase, view, channel, journey, session, end, composer } = context;
  const sessionId = session?.sessionId ?? '';
  // The customer's own name, as the server knows it.
  const myName = view?.me?.kind === 'customer' ? view.me.name : '';
  // Quote is offered while the composer is shown (not after the end, nor while End chat asks).
  const canQuote = phase !== 'ended' && !end.confirming && composer.canQuote();
  const rows: MessagesContext = { ...context, live: view?.connection.status === 'live', quote: canQuote ? (m) => { composer.quoteMessage(m); } : undefined };
  // Agent-only events never reach a customer socket; skip them should one appear anyway.
  const items = (view?.messages?.items ?? []).filter((m) => m.internal !== true);
  const inStream = new Set(items.map((m) => m.cmid).filter((c) => c !== undefined));
  const pending = (view?.pending ?? []).filter((i) => i.sessionId === sessionId && !inStream.has(i.cmid));
  let lastMine = -1;
  // A `queued` event after an agent had joined: the chat was returned to the queue (issue 18).
  let joined = false;
  const backInQueue = new Set<ChatMessage>();
  items.forEach((m, i) => {
    if (m.kind === 'text' && m.author.kind === 'customer') lastMine = i;
    if (m.kind === 'event' && m.event === 'joined') joined = true;
    if (m.kind === 'event' && m.event === 'queued' && joined) backInQueue.add(m);
  });
  const typing = view?.typing;
  const agentTyping = typing?.who.kind === 'agent' && phase === 'active' ? typing.who.name || t.agent() : undefined;
  const visitor = view?.visitor;
  const noAgent = phase === 'queued' && visitor?.available === false;
  const wait = phase === 'queued' ? journey?.queueText(channel, visitor?.position, visitor?.expectedWaitMs) : undefined;
  return html`<div class="chat">
    ${renderConnection(view?.connection.status, view?.connection.error, context.reconnect)}
    ${wait ? html`<p part="wait" class="notice wait">${wait}</p>` : nothing}
    ${noAgent ? html`<p part="notice" class="notice">${t.noAgent()}</p>` : nothing}
    <ol part="messages" class="messages" aria-label=${t.conversation()} tabindex="0" @scroll=${context.onScroll}>
      ${items.map((m, i) => renderMessage(rows, m, items[i - 1], i === lastMine && pending.length === 0, myName, backInQueue.has(m)))}
      ${[...pending, ...composer.earlyOf(sessionId)].map((item) => renderPending(rows, item))}
    </ol>
    ${agentTyping
      ? html`<p part="typing" class="typing"><span class="dots" aria-hidden="true"><span></span><span></span><span></span></span>${t.typing(agentTyping)}</p>`
      : nothing}
    ${end.confirming && phase !== 'ended' ? end.renderConfirm() : nothing}
    ${phase === 'ended'
      ? html`<div part="ended" class="ended">
          <p class="ended-title">${channel?.texts?.postChatHeader ?? t.ended()}</p>
          <p class="ended-hint">${channel?.texts?.postChatMessage ?? t.endedHint()}</p>
          ${session && journey
            ? journey.renderAfter(
                channel,
                session,
                [...items].reverse().find((m) => m.kind === 'event' && (m.event === 'ended' || m.event === 'left'))?.at,
                items.some((m) => m.kind === 'event' && m.event === 'joined'),
                Date.now(),
              )
            : nothing}
          <button part="new-chat" class="btn btn--primary new-chat" type="button" @click=${context.newChat}>${t.newChat()}</button>
        </div>`
      : end.confirming
        ? nothing
        : composer.render()}
  </div>`;
}
