/**
 * What a reply of the library puts into the composer, shared by the Insert picker and the reply
 * suggestions: its text with the variables of the shown chat resolved (as text), or an FAQ's
 * title and link.
 */
import type { Reply, ReplyContext } from '../../protocol/replies.js';
import { resolveVariables } from '../../protocol/replies.js';
import type { ChatClient } from '../../state/create-chat-client.js';

/** Values for the reply variables in chat `sessionId`. */
export function replyContext(client: ChatClient | undefined, sessionId: string | undefined): ReplyContext {
  const session = sessionId === undefined ? undefined : client?.$session(sessionId).get();
  const customer = session?.customer.name.trim();
  const channel = session ? client?.$channels.get().find((c) => c.id === session.channelId)?.name : undefined;
  return {
    customer: { name: customer === '' ? undefined : customer },
    agent: { name: client?.$agentMe.get()?.name },
    channel: { name: channel },
  };
}

/** What a reply puts into the composer. */
export function replyText(r: Reply, ctx: ReplyContext): string {
  if (r.kind === 'faq') return r.url !== null ? `${r.title}: ${r.url}` : r.title;
  return resolveVariables(r.text, ctx);
}
