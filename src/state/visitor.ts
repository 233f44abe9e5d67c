/**
 * Visitor slice (customer clients): the customer's own session as the widget shows it: status,
 * place in the queue, the agent who joined, and whether an agent is available.
 */
import { atom } from 'nanostores';

import type { AvailabilityFrame, ChatMessage, Me, QueueFrame, SessionSnapshot } from '../protocol/index.js';
import type { VisitorState } from './types.js';

export function createVisitor() {
  /** The customer's session (customer clients only). */
  const $visitor = atom<VisitorState | undefined>(undefined);

  /** The welcome: a customer starts as queued until the snapshot says more. */
  function welcome(me: Me): void {
    if (me.kind !== 'customer') return;
    const visitor = $visitor.get();
    if (visitor?.sessionId !== me.sessionId) $visitor.set({ sessionId: me.sessionId, status: 'queued' });
  }

  function onQueue(frame: QueueFrame): void {
    const visitor = $visitor.get();
    if (visitor?.sessionId === frame.sessionId) {
      const { position: _old, expectedWaitMs: _wait, ...rest } = visitor;
      const queued = frame.position > 0 && visitor.status === 'queued';
      $visitor.set(queued ? { ...rest, position: frame.position, ...(frame.expectedWaitMs !== undefined ? { expectedWaitMs: frame.expectedWaitMs } : {}) } : rest);
    }
  }

  function onAvailability(frame: AvailabilityFrame): void {
    const visitor = $visitor.get();
    if (visitor?.sessionId === frame.sessionId) $visitor.set({ ...visitor, available: frame.available });
  }

  /** The snapshot of my session: its status, and the agent of the last "joined" unless it went back to a queue after it. */
  function onSnapshot(sessionId: string, snap: SessionSnapshot): void {
    if (!snap.status) return;
    const visitor = $visitor.get();
    if (visitor?.sessionId !== sessionId) return;
    const last = [...snap.messages].reverse().find((m) => m.event === 'joined' || m.event === 'queued');
    const { agentName: known, ...rest } = visitor;
    let agentName = snap.status === 'queued' ? undefined : known;
    if (last) agentName = last.event === 'joined' ? last.author.name : undefined;
    $visitor.set({ ...rest, status: snap.status, ...(agentName ? { agentName } : {}) });
  }

  /** A message of a session: the events of my session move its status. */
  function onMessage(sessionId: string, message: ChatMessage): void {
    const visitor = $visitor.get();
    if (visitor?.sessionId !== sessionId || message.kind !== 'event') return;
    const { position: _p, agentName: _a, expectedWaitMs: _w, ...base } = visitor;
    if (message.event === 'joined') $visitor.set({ ...base, status: 'active', agentName: message.author.name });
    else if (message.event === 'queued' && visitor.status !== 'queued') $visitor.set({ ...base, status: 'queued' }); // moved to a queue, or back after the end
    else if (message.event === 'ended') $visitor.set({ ...visitor, status: 'ended' });
    else if (message.event === 'left' || message.event === 'missed') $visitor.set({ ...visitor, status: 'missed' });
  }

  return {
    $visitor,
    welcome,
    onQueue,
    onAvailability,
    onSnapshot,
    onMessage,
    /** True in a customer client once its session is known. */
    isVisitor: () => $visitor.get() !== undefined,
    clear() {
      $visitor.set(undefined);
    },
  };
}

export type Visitor = ReturnType<typeof createVisitor>;
