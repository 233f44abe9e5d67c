/**
 * Frame dispatch: one incoming text frame → decode (strict schema) → the rules every frame
 * passes (hello first; typing on its own per-second allowance; everything else on the frame
 * budget) → the handler of its type in a {@link FrameHandlers} table. Never throws: a refusal
 * becomes a `nack` with the frame's `rid`/`cmid`, anything unexpected a retryable `internal`
 * nack, a frame that cannot be answered a close.
 */
import { ClientFrame, CLIENT_FRAME_TYPES } from '../../../src/protocol/client-frames.js';
import type { DecodeResult } from '../../../src/protocol/codec.js';
import { decodeFrame } from '../../../src/protocol/codec.js';
import { CLOSE, RATE_LIMIT_CLOSE_AFTER } from '../../../src/protocol/limits.js';
import { agentAccess } from './access.js';
import type { ServerFrame } from '../../../src/protocol/server-frames.js';
import type { Conversation } from './conversation.js';
import type { Directory } from './directory.js';
import type { StreamWrite } from './ports.js';
import { takeToken, typingAllowed } from './rate-limit.js';
import type { ConnState, Inbound, RoomContext } from './types.js';
import { errorName, Refusal } from './types.js';

type ClientFrameType = ClientFrame['t'];

/** Decodes a client frame: the one rule of what the server accepts (the room's, and an edge process's). */
export const decodeClientFrame = (raw: string): DecodeResult<ClientFrame> => decodeFrame(raw, ClientFrame, CLIENT_FRAME_TYPES);
type FrameOf<K extends ClientFrameType> = Extract<ClientFrame, { t: K }>;
export type FrameHandler<K extends ClientFrameType> = (state: ConnState, frame: FrameOf<K>) => void;

/**
 * One handler per client frame type. A mapped type over `ClientFrame['t']`: a frame type added
 * to the protocol without a handler here is a compile error.
 */
export type FrameHandlers = { readonly [K in ClientFrameType]: FrameHandler<K> };

export interface Ids {
  rid?: string;
  cmid?: string;
}

export class Dispatcher {
  constructor(
    private readonly ctx: RoomContext,
    private readonly handlers: FrameHandlers,
    /** The room's bookkeeping for a connection it closes. */
    private readonly closed: (state: ConnState) => void,
  ) {}

  /** One frame of a connection (`null`: a binary frame; or decoded by an edge process). */
  process(state: ConnState, raw: Inbound): void {
    if (raw === null) {
      this.close(state, CLOSE.BAD_FRAME, 'binary frames are not accepted');
      return;
    }
    const decoded = typeof raw === 'string' ? decodeClientFrame(raw) : raw.decoded;
    if (!decoded.ok) {
      const answerable = decoded.reason === 'schema' || decoded.reason === 'unknown_type';
      if (!answerable || !state.hello || decoded.t === 'hello') {
        this.close(state, CLOSE.BAD_FRAME, decoded.message);
        return;
      }
      const ids = {
        ...(decoded.rid ? { rid: decoded.rid } : {}),
        ...(decoded.cmid && decoded.t === 'send' ? { cmid: decoded.cmid } : {}),
      };
      // Invalid frames count against the frame budget too (else a flood of them is free).
      if (this.rateLimited(state, ids)) return;
      this.ctx.conns.send(state, { t: 'nack', ...ids, code: 'invalid', retryable: false, message: decoded.message });
      return;
    }
    const frame = decoded.frame;
    if (!state.hello) {
      if (frame.t !== 'hello') {
        this.close(state, CLOSE.BAD_FRAME, 'the first frame must be hello');
        return;
      }
      this.run(state, frame);
      return;
    }
    if (frame.t === 'typing') {
      // Typing has its own allowance and is never answered: over it, frames are dropped.
      if (typingAllowed(state.rate, this.ctx.now(), this.ctx.limits().typingPerSecond)) this.run(state, frame);
      return;
    }
    const ids: Ids = frame.t === 'send' ? { cmid: frame.cmid } : 'rid' in frame ? { rid: frame.rid } : {};
    if (this.rateLimited(state, ids)) return;
    if (ids.cmid === undefined && ids.rid === undefined) {
      this.run(state, frame); // ping, a second hello: nothing to answer a failure with
      return;
    }
    this.guard(state, ids, () => {
      this.run(state, frame);
    });
  }

  /**
   * A frame without an id refused before processing (overload) still takes one from the
   * connection's frame budget, so a flood of them is not free: true when that budget is overdrawn
   * so far that the connection was closed (4429, as {@link rateLimited}).
   */
  charge(state: ConnState): boolean {
    const { framesPerMinute } = this.ctx.limits();
    if (takeToken(state.rate, this.ctx.now(), framesPerMinute) || state.rate.overdraft <= RATE_LIMIT_CLOSE_AFTER) return false;
    this.ctx.metrics.refused('frames_per_minute');
    this.ctx.conns.fail(state.conn, CLOSE.OVERLOADED, 'rate_limited', 'frames_per_minute: too many frames', 10_000, 'frames_per_minute');
    this.closed(state);
    return true;
  }

  /** Answers a command. */
  ok(state: ConnState, rid: string, data?: unknown): void {
    this.ctx.conns.send(state, { t: 'ok', rid, ...(data !== undefined ? { data } : {}) });
  }

  private run(state: ConnState, frame: ClientFrame): void {
    const handler = this.handlers[frame.t] as FrameHandler<ClientFrameType>;
    handler(state, frame);
  }

  private close(state: ConnState, code: number, message: string): void {
    this.ctx.conns.fail(state.conn, code, 'invalid', message);
    this.closed(state);
  }

  private guard(state: ConnState, ids: Ids, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (error instanceof Refusal) {
        this.ctx.conns.send(state, {
          t: 'nack',
          ...ids,
          code: error.code,
          retryable: error.retryable,
          ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          message: error.message,
        });
        return;
      }
      this.ctx.log.warn('frame.failed', { error: errorName(error) });
      this.ctx.conns.send(state, { t: 'nack', ...ids, code: 'internal', retryable: true, retryAfterMs: 1000, message: 'internal error; retry later' });
    }
  }

  /**
   * Takes one frame from the connection's budget. When it is spent, answers `rate_limited`
   * (or closes with 4429 when the connection is far over) and returns true.
   */
  /**
   * Takes one from the connection's frame budget: true when it was empty, and the frame was
   * answered `nack rate_limited` (or, far over, the connection closed with 4429). A frame refused
   * under overload is charged here too: a client over its budget hears of that limit first.
   */
  rateLimited(state: ConnState, ids: Ids): boolean {
    const { framesPerMinute } = this.ctx.limits();
    if (takeToken(state.rate, this.ctx.now(), framesPerMinute)) return false;
    this.ctx.metrics.refused('frames_per_minute');
    if (state.rate.overdraft > RATE_LIMIT_CLOSE_AFTER) {
      this.ctx.conns.fail(state.conn, CLOSE.OVERLOADED, 'rate_limited', 'frames_per_minute: too many frames', 10_000, 'frames_per_minute');
      this.closed(state);
      return true;
    }
    this.ctx.conns.send(state, {
      t: 'nack',
      ...ids,
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: Math.ceil(60_000 / framesPerMinute),
      message: 'too many frames; slow down',
      limit: 'frames_per_minute',
    });
    return true;
  }
}

/** What the handler table dispatches to. */
export interface HandlerTargets {
  /** `hello` of a connection not greeted yet (the room composes the welcome). */
  hello: FrameHandler<'hello'>;
  conversation: Conversation;
  directory: Directory;
  send: (state: ConnState, frame: ServerFrame) => void;
  ok: (state: ConnState, rid: string, data?: unknown) => void;
  /**
   * Set when the streams are numbered elsewhere (`RemoteConversations`, ports.ts): `send`, `read`
   * and `unread` go there, and their answer comes from there.
   */
  remote?: ((state: ConnState, frame: StreamWrite) => void) | undefined;
}

/** The frames a conversation serves; every other client frame belongs to the directory. */
export type ConversationFrame = 'hello' | 'ping' | 'send' | 'typing' | 'read' | 'unread' | 'history' | 'subscribe' | 'unsubscribe';

/**
 * The handlers of the conversation's frames: the room's table and a conversation unit's own
 * (ConversationHost) are both made of these.
 */
export function conversationHandlers({ hello, conversation, send, ok, remote }: Omit<HandlerTargets, 'directory'>): { readonly [K in ConversationFrame]: FrameHandler<K> } {
  return {
    hello: (state, frame) => {
      if (state.hello) send(state, { t: 'nack', code: 'invalid', retryable: false, message: 'hello was already received' });
      else hello(state, frame);
    },
    ping: (state, frame) => {
      send(state, { t: 'pong', n: frame.n });
    },
    send: (state, frame) => {
      if (remote) remote(state, frame);
      else conversation.send(state, frame);
    },
    typing: (state, frame) => {
      conversation.typing(state, frame);
    },
    read: (state, frame) => {
      if (remote) {
        remote(state, frame);
        return;
      }
      conversation.read(state, frame.sessionId, frame.seq);
      ok(state, frame.rid);
    },
    unread: (state, frame) => {
      if (remote) {
        remote(state, frame);
        return;
      }
      conversation.unread(state, frame.sessionId);
      ok(state, frame.rid);
    },
    history: (state, frame) => {
      ok(state, frame.rid, conversation.history(state, frame));
    },
    subscribe: (state, frame) => {
      const r = conversation.subscribe(state, frame);
      ok(state, frame.rid, r.data);
      for (const f of r.frames) send(state, f);
    },
    unsubscribe: (state, frame) => {
      conversation.unsubscribe(state, frame.sessionId);
      ok(state, frame.rid);
    },
  };
}

/** The handler of each client frame type, and the module that does its work. */
export function frameHandlers(targets: HandlerTargets): FrameHandlers {
  const { directory, ok } = targets;
  return {
    ...conversationHandlers(targets),
    // Directory work.
    accept: (state, frame) => {
      ok(state, frame.rid, directory.answer(state, frame.sessionId));
    },
    next: (state, frame) => {
      ok(state, frame.rid, directory.next(state, frame.channelIds));
    },
    end: (state, frame) => {
      directory.wrapUp.end(state, frame);
      ok(state, frame.rid);
    },
    wrapup: (state, frame) => {
      ok(state, frame.rid, directory.wrapUp.set(state, frame));
    },
    help: (state, frame) => {
      ok(state, frame.rid, directory.help.set(state, frame));
    },
    hold: (state, frame) => {
      ok(state, frame.rid, directory.hold.set(state, frame));
    },
    requeue: (state, frame) => {
      ok(state, frame.rid, directory.hold.requeue(state, frame));
    },
    priority: (state, frame) => {
      ok(state, frame.rid, directory.priorities.set(state, frame));
    },
    presence: (state, frame) => {
      directory.setStatus(state, frame.status);
      ok(state, frame.rid);
    },
    transfer: (state, frame) => {
      ok(state, frame.rid, directory.transfers.transfer(state, frame));
    },
    'transfer-answer': (state, frame) => {
      ok(state, frame.rid, directory.transfers.answer(state, frame.sessionId, frame.accept));
    },
    'transfer-cancel': (state, frame) => {
      directory.transfers.cancel(state, frame.sessionId);
      ok(state, frame.rid, { sessionId: frame.sessionId });
    },
    'offer-answer': (state, frame) => {
      ok(state, frame.rid, directory.assignment.answer(state, frame.sessionId, frame.accept));
    },
    takeover: (state, frame) => {
      ok(state, frame.rid, directory.transfers.takeover(state, frame.sessionId));
    },
    stats: (state, frame) => {
      ok(state, frame.rid, directory.stats(agentAccess(state).agent.id, frame.channelIds));
    },
    search: (state, frame) => {
      ok(state, frame.rid, directory.search(state, frame.query));
    },
  };
}
