/**
 * The scripted server of the fixtures: a FakeServer that answers like the reference server
 * (welcome, board snapshot, subscribe → session snapshot of the last 50 messages, history pages,
 * ack for send, ok for commands) from the data given. Used by `fixtureClient` (element tests)
 * and by the browser benchmarks (bench/pages), so it imports nothing of the test runner.
 */
import type { AgentMe, ChatMessage, CustomerMe, SessionSummary } from '../../src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';
import type { FakeSocket } from './fake-server.js';
import { AGENT_ME, FakeServer } from './fake-server.js';

export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

export function session(partial: Partial<SessionSummary> & { id: string }): SessionSummary {
  return {
    channelId: 'support',
    status: 'active',
    customer: { name: `Customer ${partial.id}` },
    agentId: 'ann',
    agentName: 'Ann Agent',
    createdAt: NOW - 10 * 60_000,
    acceptedAt: NOW - 9 * 60_000,
    lastActivityAt: NOW - 60_000,
    unread: 0,
    seq: 0,
    ...partial,
  };
}

export function chatMessage(sessionId: string, seq: number, partial: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `${sessionId}-m${String(seq)}`,
    sessionId,
    seq,
    author: { kind: 'customer', name: 'Kim' },
    kind: 'text',
    text: `Message ${String(seq)}`,
    at: NOW - (100 - seq) * 1000,
    ...partial,
  };
}

export interface FixtureOptions {
  me?: AgentMe | CustomerMe;
  sessions?: SessionSummary[];
  messages?: Record<string, ChatMessage[]>;
  agents?: object[];
  channels?: { id: string; name: string }[];
  /** Answer `send` with an ack (default) or leave it pending (`'hold'`) or refuse it. */
  onSend?: 'ack' | 'hold' | { code: string; message: string; retryable?: boolean };
  /** Answer commands (`next`, `accept`, `end`, …): default `ok`, or a nack per command type. */
  refuse?: Partial<Record<string, { code: string; message: string }>>;
  /** Connect and wait until live (default true). */
  live?: boolean;
}

/** A FakeServer scripted with `options` (see {@link FixtureOptions}). */
export function fixtureServer(options: FixtureOptions = {}): FakeServer {
  const fake = new FakeServer();
  const me = options.me ?? AGENT_ME;
  const messages = new Map(Object.entries(options.messages ?? {}));
  let boardSeq = 0;
  const heads = new Map<string, number>();
  for (const [id, list] of messages) heads.set(id, list.at(-1)?.seq ?? 0);

  const reply = (socket: FakeSocket, frame: Record<string, unknown> & { t: string }) => {
    const rid = frame.rid as string | undefined;
    const refused = options.refuse?.[frame.t];
    if (rid && refused) {
      socket.push({ t: 'nack', rid, code: refused.code, retryable: false, message: refused.message });
      return;
    }
    switch (frame.t) {
      case 'hello': {
        const resume: object[] = [];
        if (me.kind === 'agent') resume.push({ stream: 'board', status: 'reset', epoch: 'B1' });
        else resume.push({ stream: `session:${me.sessionId}`, status: 'reset', epoch: 'E1' });
        socket.push({ t: 'welcome', v: PROTOCOL_VERSION, connId: 'c1', serverTime: NOW, me, resume });
        if (me.kind === 'agent') {
          socket.push({
            t: 'reset',
            stream: 'board',
            epoch: 'B1',
            reason: 'initial',
            snapshot: {
              epoch: 'B1',
              seq: boardSeq,
              serverTime: NOW,
              sessions: options.sessions ?? [],
              agents: options.agents ?? [],
              channels: options.channels ?? [
                { id: 'sales', name: 'Sales' },
                { id: 'support', name: 'Support' },
              ],
            },
          });
        } else {
          const list = messages.get(me.sessionId) ?? [];
          socket.push({
            t: 'reset',
            stream: `session:${me.sessionId}`,
            epoch: 'E1',
            reason: 'initial',
            snapshot: { epoch: 'E1', seq: list.at(-1)?.seq ?? 0, status: 'active', messages: list, hasMore: false },
          });
        }
        break;
      }
      case 'subscribe': {
        const id = String(frame.sessionId);
        const list = messages.get(id) ?? [];
        socket.push({ t: 'ok', rid, data: { status: 'reset', epoch: 'E1' } });
        socket.push({
          t: 'reset',
          stream: `session:${id}`,
          epoch: 'E1',
          reason: 'initial',
          snapshot: { epoch: 'E1', seq: list.at(-1)?.seq ?? 0, messages: list.slice(-50), hasMore: list.length > 50 },
        });
        break;
      }
      case 'send': {
        if (options.onSend === 'hold') break;
        if (typeof options.onSend === 'object') {
          socket.push({ t: 'nack', cmid: frame.cmid, code: options.onSend.code, retryable: options.onSend.retryable ?? false, message: options.onSend.message });
          break;
        }
        const id = String(frame.sessionId);
        const seq = (heads.get(id) ?? 0) + 1;
        heads.set(id, seq);
        const author = me.kind === 'agent' ? { kind: 'agent', id: me.id, name: me.name } : { kind: 'customer', name: me.name };
        const m = { id: `${id}-m${String(seq)}`, sessionId: id, seq, cmid: frame.cmid, author, kind: frame.kind, text: frame.text, at: NOW + seq };
        socket.push({ t: 'ack', cmid: frame.cmid, sessionId: id, msgId: m.id, seq, at: m.at, duplicate: false });
        socket.push({ t: 'event', stream: `session:${id}`, epoch: 'E1', seq, kind: 'message', data: m });
        break;
      }
      case 'history': {
        const id = String(frame.sessionId);
        const list = messages.get(id) ?? [];
        const before = typeof frame.beforeSeq === 'number' ? frame.beforeSeq : Infinity;
        const after = typeof frame.afterSeq === 'number' ? frame.afterSeq : -1;
        const limit = Number(frame.limit);
        const matching = list.filter((m) => m.seq < before && m.seq > after);
        const page = after >= 0 ? matching.slice(0, limit) : matching.slice(-limit);
        socket.push({ t: 'ok', rid, data: { epoch: 'E1', messages: page, hasMore: matching.length > page.length } });
        break;
      }
      case 'next':
      case 'accept': {
        const queued = (options.sessions ?? []).find((s) => s.status === 'queued' && (frame.t === 'next' || s.id === frame.sessionId));
        if (!queued) {
          socket.push({ t: 'nack', rid, code: 'queue_empty', retryable: false, message: 'no chat is waiting' });
          break;
        }
        boardSeq += 1;
        const assigned = { ...queued, status: 'active', agentId: me.kind === 'agent' ? me.id : undefined, acceptedAt: NOW };
        socket.push({ t: 'event', stream: 'board', epoch: 'B1', seq: boardSeq, prev: boardSeq - 1, kind: 'session', data: assigned });
        socket.push({ t: 'ok', rid, data: { sessionId: queued.id } });
        break;
      }
      case 'ping':
        socket.push({ t: 'pong', n: frame.n });
        break;
      default:
        if (rid) socket.push({ t: 'ok', rid });
    }
  };
  fake.onFrame = reply;
  return fake;
}

/** Pushes a board event (session upsert) to a fixture client; `prev` defaults to `seq - 1` (the one before it). */
export function pushSession(fake: FakeServer, seq: number, data: SessionSummary, prev = seq - 1): void {
  fake.last.push({ t: 'event', stream: 'board', epoch: 'B1', seq, prev, kind: 'session', data });
}

/** Pushes a message event to a fixture client that follows the session. */
export function pushMessage(fake: FakeServer, message: ChatMessage): void {
  fake.last.push({ t: 'event', stream: `session:${message.sessionId}`, epoch: 'E1', seq: message.seq, kind: 'message', data: message });
}
