/**
 * A room whose conversations number their streams elsewhere ({@link RemoteConversations}: the
 * Cloudflare host's conversation objects, docs/scaling.md § 6): the directory's stream writes
 * become the host's calls, the frames that write a stream go to the unit that numbers it (their
 * answers counted as the room counts its own), and what that unit numbered comes back as the
 * room's copy, delivered to the room's own subscribers.
 */
import type { MessageRow } from '../store/index.js';
import type { Conversation } from './conversation.js';
import type { Directory } from './directory.js';
import type { ConversationPort, RemoteConversations, Reported, StreamWrite } from './ports.js';
import type { ConnState, RoomContext } from './types.js';

/**
 * The directory's {@link ConversationPort} when the streams are numbered elsewhere: stream writes
 * become the host's calls; who may read a stream is still decided for this room's own sockets.
 */
export function remotePort(remote: RemoteConversations, conversation: Conversation): ConversationPort {
  return {
    appendSystem: (sessionId, event, text, at, _after, authorName = '', meta) => {
      remote.appendSystem(sessionId, event, text, at, authorName, meta);
    },
    append: (input) => {
      remote.append(input);
    },
    revalidate: (sessionId) => {
      conversation.revalidate(sessionId);
    },
    revoke: (agentId) => {
      conversation.revoke(agentId);
    },
  };
}

/** The handler of a frame that writes a stream: carried to the unit that numbers it, its answer sent on the connection. */
export function remoteWriter(ctx: RoomContext, remote: RemoteConversations): (state: ConnState, frame: StreamWrite) => void {
  return (state, frame) => {
    const arrived = ctx.arrivedAt();
    remote.write(state, frame, (texts) => {
      for (const text of texts) ctx.conns.sendText(state, text, counted(ctx, text, arrived));
    });
  };
}

/** An answer from a remote conversation counted as the room counts its own: a new message, an ack and its latency. */
function counted(ctx: RoomContext, text: string, arrived: number | undefined): (() => void) | undefined {
  const { metrics } = ctx;
  const frame = JSON.parse(text) as { t?: unknown; duplicate?: unknown };
  if (frame.t !== 'ack') return undefined;
  if (frame.duplicate === false) metrics.messages += 1;
  return () => {
    metrics.acks += 1;
    if (arrived !== undefined) metrics.ackLatencyMs.record(performance.now() - arrived);
  };
}

/**
 * What a conversation numbered, reported to the room, in one transaction: `copy` stores the
 * room's copy (messages, the session's stream columns) and returns the messages new to it, which
 * go to the room's subscribers after the commit; the reported activity reaches the directory as
 * the conversation's own call would, then each `opened` (a supervisor opened the chat: it answers
 * a request for help).
 */
export function applyReported(
  ctx: RoomContext,
  conversation: Conversation,
  directory: Directory,
  copy: () => readonly MessageRow[],
  calls: readonly Reported[],
): readonly MessageRow[] {
  const added = ctx.tx((after) => {
    const rows = copy();
    for (const m of rows) {
      const epoch = ctx.store.session(m.session_id)?.epoch;
      if (epoch !== undefined) {
        after.push(() => {
          conversation.deliverMessage(m, epoch);
        });
      }
    }
    for (const call of calls) if (call.kind === 'activity') directory.activity(call.sessionId, call.change, after);
    return rows;
  });
  for (const call of calls) if (call.kind === 'opened') directory.opened(call.sessionId, call.agentId);
  return added;
}
