/**
 * What the customer widget announces and fires as the conversation changes: new agent messages
 * and events (not the history of a first snapshot), the queue position, a message the server
 * refused (announced and fired as `chat-error`), the chat's end (`chat-session-end`), and a lost
 * and restored connection. Kept apart from chat-visitor.component.ts, which calls `follow` on
 * every update and `reset` when it attaches a client.
 */
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { ChatSessionEndEvent } from '../../events/chat-session-end-event.js';
import { connectionText, restoredText } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import type { VisitorState } from '../../state/types.js';
import type { VisitorChatView } from '../../state/views.js';
import { failureReason, systemText, t } from './visitor-texts.js';

export type Phase = 'form' | 'connecting' | 'queued' | 'active' | 'ended';

/** Where the customer's chat is, from the client's view of it. */
export function phaseOf(sessionId: string | undefined, view: VisitorChatView | undefined): Phase {
  if (sessionId === undefined) return 'form';
  const visitor = view?.visitor;
  if (!view?.messages?.ready || visitor?.sessionId !== sessionId) return 'connecting';
  if (visitor.status === 'queued') return 'queued';
  if (visitor.status === 'active') return 'active';
  return 'ended';
}

/** What following does to the widget. */
export interface FollowEffects {
  /** An agent's message arrived (the launcher counts it while the panel is closed). */
  agentMessage(): void;
  /** The chat ended while it was queued or active. */
  ended(): void;
  /** Dispatched after the update (`chat-session-end`, `chat-error`). */
  fire(event: Event): void;
}

export class VisitorFollow {
  /** Position of the conversation already seen (announcements are for what comes after it). */
  private seen: { epoch: string | undefined; seq: number } | undefined;
  private lastStatus: VisitorState['status'] | undefined;
  private lastPosition: number | undefined;
  private readonly failedSeen = new Set<string>();
  private connectionWasLive = false;
  private connectionDown = false;

  constructor(private readonly effects: FollowEffects) {}

  /** A client is attached: what it loads first is history. */
  reset(): void {
    this.seen = undefined;
    this.lastStatus = undefined;
    this.lastPosition = undefined;
    this.failedSeen.clear();
    this.connectionWasLive = false;
    this.connectionDown = false;
  }

  /** Retry of a refused message: a second refusal is announced again. */
  retried(cmid: string): void {
    this.failedSeen.delete(cmid);
  }

  /** Announces what is new since the last update and turns store changes into events. */
  follow(view: VisitorChatView | undefined, sessionId: string | undefined, phase: Phase): void {
    const m = sessionId === undefined ? undefined : view?.messages;
    if (sessionId === undefined || !m?.ready) {
      this.followConnection(view);
      return;
    }
    const me = view?.me;
    const myName = me?.kind === 'customer' ? me.name : '';
    const seen = this.seen;
    if (seen === undefined || seen.epoch !== m.epoch) {
      // First snapshot (or a fresh one): this is history, not news.
      this.seen = { epoch: m.epoch, seq: m.seq };
    } else if (m.seq > seen.seq) {
      for (const item of m.items) {
        if (item.seq <= seen.seq) continue;
        if (item.kind === 'text' && item.author.kind === 'agent') {
          const names = (item.attachments ?? []).map((a) => a.name).join(', ');
          const said = names === '' ? item.text : `${item.text} ${t.filesSent(names)}`.trim();
          announce(t.messageFrom(item.author.name || t.agent(), said));
          this.effects.agentMessage();
        } else if (item.kind === 'event' && item.event !== 'queued') {
          announce(systemText(item, myName));
        }
      }
      this.seen = { epoch: m.epoch, seq: m.seq };
    }

    const status = view?.visitor?.status;
    if (phase !== 'connecting') {
      if ((this.lastStatus === 'queued' || this.lastStatus === 'active') && (status === 'ended' || status === 'missed')) {
        this.effects.fire(new ChatSessionEndEvent({ sessionId }));
        this.effects.ended();
      }
      this.lastStatus = status;
    }
    const position = phase === 'queued' ? view?.visitor?.position : undefined;
    if (position !== undefined && position !== this.lastPosition) announce(t.queue(position));
    this.lastPosition = position;

    for (const item of view?.pending ?? []) {
      if (item.sessionId !== sessionId || item.state !== 'failed' || this.failedSeen.has(item.cmid)) continue;
      this.failedSeen.add(item.cmid);
      announce(`${t.failedAnnouncement()} ${failureReason(item.error?.code)}`, { assertive: true });
      this.effects.fire(new ChatErrorEvent({ code: item.error?.code ?? 'internal', message: failureReason(item.error?.code), recoverable: false }));
    }
    this.followConnection(view);
  }

  /** Says once that the connection was lost, and that it is back. */
  private followConnection(view: VisitorChatView | undefined): void {
    const status = view?.connection.status;
    if (status === 'live') {
      if (this.connectionDown) announce(restoredText());
      this.connectionWasLive = true;
      this.connectionDown = false;
    } else if ((status === 'reconnecting' || status === 'offline') && this.connectionWasLive && !this.connectionDown) {
      this.connectionDown = true;
      announce(connectionText(status));
    }
  }
}
