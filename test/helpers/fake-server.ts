import type { AgentMe } from '../../src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';

/**
 * A scripted stand-in for the chat server, at the WebSocket level: tests push exact frames
 * (out of order, with gaps, duplicates, odd close codes) and read what the client sent.
 * Pass `fake.WebSocket` as the client's `WebSocket` option.
 */
type Frame = Record<string, unknown> & { t: string };

export class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  binaryType = 'blob';
  readonly sent: Frame[] = [];
  /** The texts the client sent, as they were on the wire. */
  readonly texts: string[] = [];

  constructor(
    readonly url: string,
    private readonly server: FakeServer,
  ) {
    super();
    server.sockets.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      if (server.refuse) {
        this.readyState = 3;
        this.dispatchEvent(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
        return;
      }
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }, 0);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as Frame;
    this.texts.push(data);
    this.sent.push(frame);
    this.server.onFrame(this, frame);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true }));
  }

  /** Server → client. */
  push(frame: object | string): void {
    this.dispatchEvent(new MessageEvent('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) }));
  }

  /** The server closes the connection. */
  serverClose(code: number, reason = ''): void {
    this.close(code, reason);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  /** While true, new sockets fail to open (close 1006), as when the server is down. */
  refuse = false;
  /** Called for every frame the client sends; tests replace it to script replies. */
  onFrame: (socket: FakeSocket, frame: Frame) => void = () => undefined;
  readonly WebSocket: new (url: string) => FakeSocket;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class below needs this instance
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url: string) {
        super(url, server);
      }
    };
  }

  get last(): FakeSocket {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('no socket yet');
    return s;
  }

  /** Frames of a type the client sent on the newest socket. */
  sent(t: string): Frame[] {
    return this.last.sent.filter((f) => f.t === t);
  }
}

export const AGENT_ME: AgentMe = {
  kind: 'agent',
  id: 'ann',
  tenantId: 'demo',
  name: 'Ann Agent',
  status: 'present',
  maxConcurrentChats: 5,
  manageQuickReplies: false,
  channels: [{ id: 'support', name: 'Support', permissions: { respond: true, notifications: true, listen: false, manager: false } }],
};

export function welcome(resume: object[] = [{ stream: 'board', status: 'reset', epoch: 'B1' }]) {
  return { t: 'welcome', v: PROTOCOL_VERSION, connId: 'c1', serverTime: Date.now(), me: AGENT_ME, resume };
}

export function boardReset(seq = 0, sessions: object[] = []) {
  return {
    t: 'reset',
    stream: 'board',
    epoch: 'B1',
    reason: 'initial',
    snapshot: { epoch: 'B1', seq, serverTime: Date.now(), sessions, agents: [], channels: [{ id: 'support', name: 'Support' }] },
  };
}

export function message(sessionId: string, seq: number, extra: Record<string, unknown> = {}) {
  return {
    id: `m${String(seq)}`,
    sessionId,
    seq,
    author: { kind: 'customer', name: 'Kim' },
    kind: 'text',
    text: `message ${String(seq)}`,
    at: 1_700_000_000_000 + seq,
    ...extra,
  };
}

export function messageEvent(sessionId: string, seq: number, epoch = 'E1', extra: Record<string, unknown> = {}) {
  return { t: 'event', stream: `session:${sessionId}`, epoch, seq, kind: 'message', data: message(sessionId, seq, extra) };
}

export function sessionReset(sessionId: string, seq: number, epoch = 'E1') {
  const messages = Array.from({ length: seq }, (_, i) => message(sessionId, i + 1));
  return { t: 'reset', stream: `session:${sessionId}`, epoch, reason: 'initial', snapshot: { epoch, seq, messages, hasMore: false } };
}
