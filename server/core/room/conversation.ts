/**
 * Conversation work: everything on one session's own stream (`session:<id>`). Messages and
 * notes with their numbering (`seq` for agents, `cseq` for customers) and `cmid` idempotency,
 * system events, typing, read positions, history, subscribe/resume and the delivery of message
 * events to the session's subscribers.
 *
 * It knows the directory only through {@link DirectoryPort} and is known to it only through
 * {@link ConversationPort} (ports.ts), so a Durable Object host can run each conversation as
 * its own unit; on the Node host both live in one room and call each other directly.
 */
import type { HistoryFrame, SendFrame, SubscribeFrame, TypingFrame } from '../../../src/protocol/client-frames.js';
import { MAX_RESUME_REPLAY, SNAPSHOT_MESSAGES } from '../../../src/protocol/limits.js';
import type { EventMeta, ResumeStatus, SessionEventName, SessionSnapshot } from '../../../src/protocol/index.js';
import { sessionStream } from '../../../src/protocol/index.js';
import type { AttachmentStore } from '../attachments.js';
import { attachmentInfo } from '../attachments.js';
import type { MessageRow, SessionRow } from '../store/index.js';
import { agentAccess, readMode } from './access.js';
import type { ServerFrame } from '../../../src/protocol/server-frames.js';
import { once } from './connections.js';
import { checkQuote, quotedId } from './quote.js';
import type { AppendInput, ConversationPort, DirectoryPort } from './ports.js';
import type { Subscriptions } from './subscriptions.js';
import type { After, ConnState, Mode, RoomContext } from './types.js';
import { Refusal } from './types.js';

/** System events only agents see: they get no customer numbering and never reach a customer socket. */
const INTERNAL_EVENTS: ReadonlySet<SessionEventName> = new Set<SessionEventName>([
  'transfer-requested',
  'transferred',
  'transfer-declined',
  'transfer-cancelled',
  'transfer-expired',
  'requeued',
  'taken-over',
  'help-requested',
  'help-cleared',
]);

type View = 'agent' | 'customer';

/** A session position a client holds (`hello.resume.sessions`); without epoch: none yet. */
type SessionPosition = { id: string } | { id: string; epoch: string; seq: number };

export class Conversation implements ConversationPort {
  private directory: DirectoryPort | undefined;

  constructor(
    private readonly ctx: RoomContext,
    private readonly subs: Subscriptions,
    private readonly attachments: AttachmentStore,
  ) {}

  /** Wires the directory this conversation reports to (once, when the room is built). */
  connect(directory: DirectoryPort): void {
    this.directory = directory;
  }

  private get dir(): DirectoryPort {
    if (!this.directory) throw new Error('conversation is not connected to a directory');
    return this.directory;
  }

  // ---- frames ---------------------------------------------------------------------------

  /** `send`: a message or note, idempotent per (sender, cmid). */
  send(state: ConnState, frame: SendFrame): void {
    const { store } = this.ctx;
    const p = state.principal;
    const session = store.session(frame.sessionId);
    if (!session || !readMode(store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    const senderKind = p.role;
    // A whisper is stored as a note marked in its meta (notes never reach the customer).
    const kind = frame.kind === 'whisper' ? 'note' : frame.kind;
    const existing = store.messageByCmid(senderKind, p.subjectId, frame.cmid);
    const fileIds = frame.attachmentIds ?? [];
    if (existing) {
      const sentIds = existing.attachments ? (JSON.parse(existing.attachments) as { id: string }[]).map((a) => a.id) : [];
      if (
        existing.session_id !== frame.sessionId ||
        existing.text !== frame.text ||
        existing.kind !== kind ||
        (frame.kind === 'whisper') !== isWhisper(existing) ||
        (frame.quote?.messageId ?? null) !== quotedId(existing) ||
        sentIds.join(',') !== fileIds.join(',')
      ) {
        throw new Refusal('invalid', 'cmid was already used for a different message');
      }
      this.ack(state, existing, true);
      return;
    }
    if (fileIds.length > 0 && frame.kind !== 'text') throw new Refusal('invalid', 'attachments can only be sent in messages, not in notes');
    let whisperTo: { id: string; name: string } | undefined;
    if (p.role === 'customer') {
      if (frame.kind !== 'text') throw new Refusal('forbidden', 'customers cannot write notes');
      if (session.status !== 'queued' && session.status !== 'active') throw new Refusal('session_closed', 'the chat has ended');
    } else if (frame.kind === 'whisper') {
      whisperTo = this.whisperTarget(state, session);
    } else {
      if (session.status !== 'active') throw new Refusal('session_closed', 'the chat is not active');
      if (session.agent_id !== p.subjectId) throw new Refusal('forbidden', 'only the handling agent can write in this chat');
    }
    const quote = frame.quote ? checkQuote(store.messageById(frame.quote.messageId), session.id, frame.kind) : undefined;
    const authorName = p.role === 'agent' ? (state.access?.agent.name ?? '') : session.customer_name;
    const files = fileIds.length > 0 ? this.attachments.claimable(fileIds, session.id, { kind: senderKind, id: p.subjectId }) : undefined;
    if (files && !files.ok) throw new Refusal(files.code, files.message);
    this.ctx.tx((after) => {
      const at = this.ctx.now();
      const m = store.appendMessage({
        sessionId: session.id,
        cmid: frame.cmid,
        senderKind,
        senderId: p.subjectId,
        authorName,
        kind,
        text: frame.text,
        ...(whisperTo ? { meta: { whisper: true as const, toAgentId: whisperTo.id, toAgentName: whisperTo.name } } : {}),
        ...(files?.ok ? { attachments: files.rows.map(attachmentInfo) } : {}),
        at,
      });
      if (files?.ok && !this.attachments.claim(fileIds, m.id)) throw new Refusal('conflict', 'an attachment was sent meanwhile');
      if (quote) store.setMessageQuote(m, quote);
      after.push(() => {
        this.ctx.metrics.messages += 1;
        this.ack(state, m, false);
      });
      after.push(() => {
        this.deliverMessage(m, session.epoch);
      });
      this.dir.activity(session.id, { kind: 'message', from: senderKind, at, ...(kind === 'text' ? { visible: true } : {}) }, after);
    });
    // A supervisor who whispers to an agent waiting for help answers the request, also when she
    // was listening before it was raised (help.ts).
    if (whisperTo && typeof session.help_at === 'number') this.dir.opened(session.id, p.subjectId);
  }

  /**
   * Who a whisper goes to: the agent handling the active chat. Only a supervisor of the channel
   * (listen or manager permission) who is not that agent may whisper; a former handler or the
   * target of a transfer, who may read along, may not.
   */
  private whisperTarget(state: ConnState, session: SessionRow): { id: string; name: string } {
    if (session.agent_id === state.principal.subjectId) throw new Refusal('invalid', 'you handle this chat: write a note instead');
    const perm = state.access?.channels.get(session.channel_id);
    if (!perm?.listen && !perm?.manager) throw new Refusal('forbidden', 'you may not whisper in this channel');
    if (session.status !== 'active' || session.agent_id === null) throw new Refusal('session_closed', 'the chat is not active');
    const agent = this.ctx.store.agent(session.agent_id);
    return { id: session.agent_id, name: agent?.name ?? '' };
  }

  /** `typing`: relayed to the other side's subscribers, never stored. */
  typing(state: ConnState, frame: TypingFrame): void {
    const session = this.ctx.store.session(frame.sessionId);
    if (!session || (session.status !== 'queued' && session.status !== 'active')) return;
    const p = state.principal;
    const fromCustomer = p.role === 'customer';
    if (fromCustomer ? session.id !== p.subjectId : session.agent_id !== p.subjectId) return;
    const who = fromCustomer
      ? { kind: 'customer' as const, name: session.customer_name }
      : { kind: 'agent' as const, id: p.subjectId, name: state.access?.agent.name ?? '' };
    // The channel may switch the sneak peek off: then the draft never leaves the server.
    const preview = fromCustomer && frame.preview !== undefined && this.ctx.store.channel(session.channel_id)?.sneak_peek !== 0 ? frame.preview : undefined;
    // The draft preview ("sneak peek") goes to agents only; customers see a name, not an id.
    const text = fromCustomer
      ? once(() => ({ t: 'typing', sessionId: session.id, who, on: frame.on, ...(preview !== undefined ? { preview } : {}) }))
      : once(() => ({ t: 'typing', sessionId: session.id, who: { kind: who.kind, name: who.name }, on: frame.on }));
    for (const other of this.ctx.conns.subscribers(session.id)) {
      if (other === state || !other.hello) continue;
      if ((other.principal.role === 'customer') === fromCustomer) continue;
      this.ctx.conns.sendText(other, text());
    }
  }

  /** `read`: a customer's read position ("Seen"), or the handling agent's (unread count). */
  read(state: ConnState, sessionId: string, seq: number): void {
    const { store } = this.ctx;
    const session = store.session(sessionId);
    if (!session || !readMode(store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (state.principal.role === 'customer') {
      // Customer numbering in, agent numbering stored (`customerReadSeq`, "Seen" on the board).
      this.ctx.tx((after) => {
        if (store.markCustomerRead(session.id, Math.min(seq, session.head_cseq))) {
          this.dir.activity(session.id, { kind: 'read', from: 'customer', at: this.ctx.now() }, after);
        }
      });
      return;
    }
    if (session.agent_id !== state.principal.subjectId) return; // only the handling agent's reading counts
    this.ctx.tx((after) => {
      store.markAgentRead(session.id, Math.min(seq, session.head_seq));
      this.dir.activity(session.id, { kind: 'read', from: 'agent', at: this.ctx.now() }, after);
    });
  }

  /** `unread`: the handling agent marks the chat unread (its newest customer message again). */
  unread(state: ConnState, sessionId: string): void {
    const { store } = this.ctx;
    const session = store.session(sessionId);
    if (!session || !readMode(store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    if (state.principal.role !== 'agent' || session.agent_id !== state.principal.subjectId) {
      throw new Refusal('forbidden', 'only the handling agent can mark the chat unread');
    }
    this.ctx.tx((after) => {
      if (!store.markAgentUnread(session.id)) throw new Refusal('invalid', 'the customer has written nothing to mark unread');
      this.dir.activity(session.id, { kind: 'read', from: 'agent', at: this.ctx.now() }, after);
    });
  }

  history(state: ConnState, frame: HistoryFrame) {
    const { store } = this.ctx;
    const session = store.session(frame.sessionId);
    if (!session || !readMode(store, state, session)) throw new Refusal('forbidden', 'not allowed in this session');
    const view = state.principal.role;
    const { rows, hasMore } = store.messages(session.id, view, { after: frame.afterSeq, before: frame.beforeSeq, limit: frame.limit });
    return { epoch: session.epoch, messages: rows.map((m) => store.toWire(m, view)), hasMore };
  }

  /**
   * `subscribe`: the answer's data and the frames that follow it (a replay or a reset). `listen`
   * needs the listen permission, or read-only access of its own (a former handler, the target of
   * a pending transfer); `participant` is granted as asked, or as `listen` when reading is all
   * the caller may do.
   */
  subscribe(state: ConnState, frame: SubscribeFrame): { data: { status: ResumeStatus['status']; epoch: string; mode: Mode; toSeq?: number }; frames: ServerFrame[] } {
    const session = this.ctx.store.session(frame.sessionId);
    const allowed = session ? readMode(this.ctx.store, state, session) : undefined;
    if (!session || !allowed) throw new Refusal('forbidden', 'not allowed in this session');
    let mode: Mode = allowed;
    if (frame.mode === 'listen') {
      if (allowed !== 'listen' && !agentAccess(state).channels.get(session.channel_id)?.listen) {
        throw new Refusal('forbidden', 'you may not listen in this channel');
      }
      mode = 'listen';
    }
    // A supervisor opening a chat whose agent asked for help answers the request. Before the
    // subscription and its snapshot: the snapshot then carries the cleared summary and the
    // `help-cleared` event, so the subscriber's board is not set back to the raised flag by a
    // summary read before the change (issue 18: the supervisor's own "Help requested" list).
    const agentId = state.access?.agent.id;
    if (agentId !== undefined && session.agent_id !== agentId) this.dir.opened(session.id, agentId);
    const current = this.ctx.store.session(session.id) ?? session;
    this.subs.set(state, current, mode);
    const r = this.resumeSession(state, current, frame.after);
    return {
      data: { status: r.status.status, epoch: current.epoch, mode, ...(r.status.toSeq !== undefined ? { toSeq: r.status.toSeq } : {}) },
      frames: r.frames,
    };
  }

  unsubscribe(state: ConnState, sessionId: string): void {
    this.subs.drop(state, sessionId, 'unsubscribed');
  }

  /**
   * `hello`: the session streams the client already holds (customers: their own one, always),
   * each subscribed again and answered with a replay, a reset or `gone`.
   */
  resume(state: ConnState, positions: readonly SessionPosition[]): { resume: ResumeStatus[]; frames: ServerFrame[] } {
    const subject = state.principal.subjectId;
    const wanted = state.principal.role === 'customer' ? [positions.find((p) => p.id === subject) ?? { id: subject }] : positions;
    const resume: ResumeStatus[] = [];
    const frames: ServerFrame[] = [];
    for (const pos of wanted) {
      const session = this.ctx.store.session(pos.id);
      const mode = session ? readMode(this.ctx.store, state, session) : undefined;
      if (!session || !mode) {
        resume.push({ stream: sessionStream(pos.id), status: 'gone' });
        continue;
      }
      this.subs.set(state, session, mode);
      const r = this.resumeSession(state, session, 'epoch' in pos ? pos : undefined);
      resume.push(r.status);
      frames.push(...r.frames);
    }
    return { resume, frames };
  }

  // ---- the directory's calls (ConversationPort) ------------------------------------------

  appendSystem(sessionId: string, event: SessionEventName, text: string, at: number, after: After[], authorName = '', meta?: EventMeta): void {
    const session = this.ctx.store.session(sessionId);
    if (!session) return;
    const m = this.ctx.store.appendMessage({
      sessionId,
      senderKind: 'system',
      authorName,
      kind: 'event',
      text,
      event,
      internal: INTERNAL_EVENTS.has(event) || meta?.silent === true,
      meta,
      at,
    });
    after.push(() => {
      this.deliverMessage(m, session.epoch);
    });
  }

  append(input: AppendInput, _after: After[]): void {
    this.ctx.store.appendMessage(input);
  }

  revalidate(sessionId: string): void {
    this.subs.revalidate(sessionId);
  }

  revoke(agentId: string): void {
    for (const state of this.ctx.conns.ofAgent(agentId)) {
      if (state.closed || !state.hello) continue;
      for (const sessionId of this.subs.revoke(state)) {
        this.ctx.conns.send(state, { t: 'gone', stream: sessionStream(sessionId), reason: 'revoked' });
      }
    }
  }

  // ---- streams and delivery ----------------------------------------------------------------

  private resumeSession(state: ConnState, session: SessionRow, pos: { epoch: string; seq: number } | undefined): { status: ResumeStatus; frames: ServerFrame[] } {
    const view = state.principal.role;
    const head = view === 'agent' ? session.head_seq : session.head_cseq;
    const stream = sessionStream(session.id);
    if (pos?.epoch === session.epoch && pos.seq <= head && head - pos.seq <= MAX_RESUME_REPLAY) {
      const { rows } = this.ctx.store.messages(session.id, view, { after: pos.seq, limit: MAX_RESUME_REPLAY });
      return {
        status: { stream, status: 'replay', epoch: session.epoch, toSeq: head },
        frames: rows.map((m) => this.messageFrame(m, view, session.epoch)),
      };
    }
    return {
      status: { stream, status: 'reset', epoch: session.epoch },
      frames: [{ t: 'reset', stream, epoch: session.epoch, reason: pos ? 'replay unavailable' : 'initial', snapshot: this.snapshot(session, view) }],
    };
  }

  private snapshot(session: SessionRow, view: View): SessionSnapshot {
    const { store } = this.ctx;
    const { rows, hasMore } = store.messages(session.id, view, { limit: SNAPSHOT_MESSAGES });
    return {
      epoch: session.epoch,
      seq: view === 'agent' ? session.head_seq : session.head_cseq,
      ...(view === 'agent' ? { session: store.summary(session) } : { status: session.status }),
      messages: rows.map((m) => store.toWire(m, view)),
      hasMore,
    };
  }

  /** To the session's subscribers, one text per view (agent, customer); also a host's copy written elsewhere (conversation-host.ts). */
  deliverMessage(m: MessageRow, epoch: string): void {
    const text = { agent: once(() => this.messageFrame(m, 'agent', epoch)), customer: once(() => this.messageFrame(m, 'customer', epoch)) };
    for (const state of this.ctx.conns.subscribers(m.session_id)) {
      if (!state.hello) continue;
      const view = state.principal.role;
      if (view === 'customer' && m.cseq === null) continue; // internal notes never reach customers
      this.ctx.conns.sendText(state, text[view]());
    }
  }

  private messageFrame(m: MessageRow, view: View, epoch: string): ServerFrame {
    const wire = this.ctx.store.toWire(m, view);
    return { t: 'event', stream: sessionStream(m.session_id), epoch, seq: wire.seq, kind: 'message', data: wire };
  }

  private ack(state: ConnState, m: MessageRow, duplicate: boolean): void {
    const seq = state.principal.role === 'agent' ? m.seq : (m.cseq ?? 0);
    const { metrics } = this.ctx;
    const arrived = this.ctx.arrivedAt();
    this.ctx.conns.send(state, { t: 'ack', cmid: m.cmid ?? '', sessionId: m.session_id, msgId: m.id, seq, at: m.at, duplicate }, () => {
      metrics.acks += 1;
      if (arrived !== undefined) metrics.ackLatencyMs.record(performance.now() - arrived);
    });
  }
}

/** A stored note written as a whisper (`meta.whisper`). */
function isWhisper(m: MessageRow): boolean {
  return m.kind === 'note' && m.meta !== null && (JSON.parse(m.meta) as EventMeta).whisper === true;
}
