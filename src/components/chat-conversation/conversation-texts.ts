/**
 * What the conversation says about the shown chat's state, as plain functions of its view: its
 * status in words, why it cannot be written in at all (the notice that replaces the composer),
 * why the composer is disabled, and the event by which the chat was handed from me to someone
 * else. No rendering here.
 */

import { msg, str } from '../../i18n/localization.js';
import { formatTime } from '../../i18n/common.js';
import type { AgentMe, ChannelPermissions, ChatMessage, SessionStatus, SessionSummary } from '../../protocol/index.js';

/** What these texts need to know of the shown chat. */
export interface ChatFacts {
  session: SessionSummary | undefined;
  me: AgentMe | undefined;
  mode: 'participant' | 'listen';
  /** The newest transfer, takeover or move to a queue in the transcript. */
  handover: ChatMessage | undefined;
  /** A client is attached. */
  hasClient: boolean;
  /** The chat is offered to me and I have not answered. */
  offered: boolean;
}

const isMine = (f: ChatFacts): boolean => f.session !== undefined && f.me !== undefined && f.session.agentId === f.me.id;

export function statusText(status: SessionStatus): string {
  switch (status) {
    case 'queued':
      return msg('In queue', { id: 'chat-conversation.status.queued' });
    case 'active':
      return msg('Active', { id: 'chat-conversation.status.active' });
    case 'ended':
      return msg('Ended', { id: 'chat-conversation.status.ended' });
    case 'missed':
      return msg('Missed', { id: 'chat-conversation.status.missed' });
  }
}

/** The event by which the chat was handed from me to someone else (I may only listen now). */
export function handedOverEvent(f: ChatFacts): ChatMessage | undefined {
  const { session, me } = f;
  if (!session || !me || isMine(f) || f.mode === 'listen') return undefined;
  if (session.status === 'ended' || session.status === 'missed') return undefined;
  return f.handover?.meta?.fromAgentId === me.id ? f.handover : undefined;
}

/**
 * A supervisor listening in may whisper to the agent handling the active chat (the server
 * enforces the same rule: listen or manager permission, not the handling agent).
 */
export function canWhisper(f: ChatFacts, permissions: ChannelPermissions | undefined): boolean {
  const { session, me } = f;
  if (f.mode !== 'listen' || !session || !me || session.status !== 'active') return false;
  if (session.agentId === undefined || session.agentId === me.id) return false;
  return permissions?.listen === true || permissions?.manager === true;
}

/** Why the chat cannot be written in at all (the composer is replaced by this notice), or ''. */
export function noticeText(f: ChatFacts): string {
  const session = f.session;
  if (f.mode === 'listen') {
    return msg('You are listening in. You can read along; nobody in the chat sees you.', { id: 'chat-conversation.notice.listen' });
  }
  if (session?.status === 'ended') {
    return session.endedAt !== undefined
      ? msg(str`This chat ended at ${formatTime(session.endedAt)}.`, { id: 'chat-conversation.notice.ended-at' })
      : msg('This chat has ended.', { id: 'chat-conversation.readonly.ended' });
  }
  if (session?.status === 'missed') {
    return session.endedAt !== undefined
      ? msg(str`The customer left at ${formatTime(session.endedAt)}, before anyone answered.`, { id: 'chat-conversation.notice.missed-at' })
      : msg('The customer left before anyone answered.', { id: 'chat-conversation.readonly.missed' });
  }
  const handed = handedOverEvent(f);
  if (!handed) return '';
  const meta = handed.meta ?? {};
  if (handed.event === 'taken-over') {
    const who = meta.toAgentName ?? handed.author.name;
    return msg(str`${who} took over this chat. You are listening.`, { id: 'chat-conversation.notice.taken-over' });
  }
  if (handed.event === 'requeued') {
    const queue = meta.channelName ?? '';
    return msg(str`You moved this chat to the ${queue} queue. You are listening.`, { id: 'chat-conversation.notice.requeued' });
  }
  const to = meta.toAgentName ?? session?.agentName ?? msg('another agent', { id: 'chat-conversation.another-agent-lower' });
  return msg(str`You transferred this chat to ${to}. You are listening.`, { id: 'chat-conversation.notice.transferred' });
}

/** Why the agent cannot write in the shown chat (the composer is disabled), or '' when they can. */
export function readonlyReason(f: ChatFacts): string {
  const session = f.session;
  if (!session) return f.hasClient ? msg('You cannot write in this chat.', { id: 'chat-conversation.readonly.unknown' }) : '';
  if (session.status === 'queued') {
    return msg('This chat is waiting in the queue. Take it from the queue to answer.', { id: 'chat-conversation.readonly.queued' });
  }
  if (!isMine(f)) {
    const agent = session.agentName ?? msg('Another agent', { id: 'chat-conversation.another-agent' });
    if (f.offered) return msg(str`${agent} handles this chat. Accept the transfer to answer.`, { id: 'chat-conversation.readonly.offered' });
    return msg(str`${agent} handles this chat. You can read along.`, { id: 'chat-conversation.readonly.other-agent' });
  }
  return '';
}
