/**
 * Views: computed stores made for the elements, so that an event re-renders only the elements
 * whose view changed. A view holds exactly what its element shows, and its listeners hear of a
 * change only when a shown value changed (views compare their fields, not their identity).
 *
 * This module has the helpers and the customer widget's view (`client.views.visitorChat(id)`);
 * the agent console's views are in agent-views.ts, loaded with the agent elements only, so a
 * customer widget never downloads them.
 */
import type { ReadableAtom } from 'nanostores';
import { computed } from 'nanostores';

import type { Me } from '../protocol/index.js';
import type { AgentViews } from './agent-views.js';
import type { Messages } from './messages.js';
import type { Outbox } from './outbox.js';
import type { Typing } from './typing.js';
import type { ConnectionState, OutboxItem, SessionMessages, TypingState, VisitorState } from './types.js';

/** Same fields (`===`), for view objects. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => x[k] === y[k]);
}

/** Same items (`===`) in the same order. */
export function sameItems<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A computed store whose listeners hear only of values that differ by `eq` (default: field by field). */
export function view<T>($store: ReadableAtom<T>, eq: (a: T, b: T) => boolean = shallowEqual): ReadableAtom<T> {
  ($store as { eq: (a: T | undefined, b: T) => boolean }).eq = (a, b) => a !== undefined && eq(a, b);
  return $store;
}

/** One store per id, made on first use (and kept with the client that made it). */
export function perId<T>(make: (id: string) => T): (id: string) => T {
  const made = new Map<string, T>();
  return (id) => {
    let v = made.get(id);
    if (v === undefined) made.set(id, (v = make(id)));
    return v;
  };
}

/** The pending messages of one session, changing only when they do. */
export function pendingOf($outbox: ReadableAtom<readonly OutboxItem[]>): (id: string) => ReadableAtom<readonly OutboxItem[]> {
  return perId((id) => view(computed($outbox, (items): readonly OutboxItem[] => items.filter((i) => i.sessionId === id)), sameItems));
}

export interface VisitorChatView {
  visitor: VisitorState | undefined;
  messages: SessionMessages | undefined;
  pending: readonly OutboxItem[];
  typing: TypingState | undefined;
  connection: ConnectionState;
  me: Me | undefined;
}

export interface ClientViewDeps {
  messages: Messages;
  typing: Typing;
  outbox: Outbox;
  $connection: ReadableAtom<ConnectionState>;
  $me: ReadableAtom<Me | undefined>;
  $visitor: ReadableAtom<VisitorState | undefined>;
}

/** The views every client has; `agent` is filled by `agentViews(client)` (agent-views.ts) on first use. */
export interface ClientViews {
  /** chat-visitor: the customer's chat (state, messages, pending messages, typing, connection). */
  visitorChat(id: string): ReadableAtom<VisitorChatView>;
  agent?: AgentViews;
}

export function createViews(deps: ClientViewDeps): ClientViews {
  const { messages, typing, outbox, $connection, $me, $visitor } = deps;
  const pending = pendingOf(outbox.$outbox);
  const visitorChat = perId((id) =>
    view(
      computed(
        [$visitor, messages.sessions.item(id), pending(id), typing.sessions.item(id), $connection, $me],
        (visitor, m, items, typingState, connection, me): VisitorChatView => ({ visitor, messages: m, pending: items, typing: typingState, connection, me }),
      ),
    ),
  );
  return { visitorChat };
}
