/**
 * Outbox slice: messages the user sent that the server has not confirmed into the stream yet.
 * Each is stored (IndexedDB) before it is shown, sent only while the connection is live, one at a
 * time per session (stop-and-wait, so a retryable refusal never lets a later message overtake an
 * earlier one), and confirmed by its `ack` or by the stream event carrying its `cmid`.
 */
import { atom } from 'nanostores';

import type { SendKind } from '../protocol/client-frames.js';
import type { ChatMessage, NackFrame } from '../protocol/index.js';
import { ACK_TIMEOUT_MS } from '../protocol/index.js';
import type { ChatSocket } from '../transport/socket.js';
import { uuid } from './connection.js';
import type { OutboxRecord, OutboxStorage } from './outbox-storage.js';
import type { OutboxItem } from './types.js';
import { ChatError } from './types.js';

export interface OutboxHooks {
  storage: OutboxStorage;
  socket: Pick<ChatSocket, 'send' | 'reconnect'>;
  now: () => number;
  ackTimeoutMs?: number | undefined;
  live(): boolean;
  /** `agent:<id>` or `customer:<sessionId>`, once known. */
  owner(): string | undefined;
  /** The stream of this session holds this message already. */
  inStream(sessionId: string, msgId: string, cmid: string): boolean;
  /** The session's messages are followed (a confirmed message then waits for its stream event). */
  followed(sessionId: string): boolean;
}

export function createOutbox(hooks: OutboxHooks) {
  const { storage, socket, now } = hooks;
  /** Pending, sending and failed messages, oldest first. */
  const $outbox = atom<OutboxItem[]>([]);
  /** False when pending messages are kept in memory only (IndexedDB missing or full). */
  const $outboxPersistent = atom<boolean>(storage.persistent);
  let orderCounter = 0;
  let loaded: Promise<void> | undefined;
  const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function updateOutbox(fn: (items: OutboxItem[]) => OutboxItem[]): void {
    $outbox.set(fn($outbox.get()));
  }

  function loadOutbox(): Promise<void> {
    loaded ??= storage.load().then(
      (records) => {
        const known = new Set($outbox.get().map((i) => i.cmid));
        const restored = records
          .filter((r) => !known.has(r.cmid))
          .sort((a, b) => a.order - b.order)
          .map((r): OutboxItem => ({ ...r, state: 'queued' }));
        orderCounter = Math.max(orderCounter, ...records.map((r) => r.order));
        updateOutbox((items) => [...restored, ...items].sort((a, b) => a.order - b.order));
      },
      () => {
        $outboxPersistent.set(false);
      },
    );
    return loaded;
  }

  /**
   * Sends a message: it is stored in the outbox (IndexedDB) first, shown as pending, and sent
   * when the connection is live, after earlier messages of the same session.
   * `attachmentIds`: files uploaded with `uploadAttachment` to this session (text messages only;
   * the text may then be empty). `options.quoteId`: an earlier message of the chat this one quotes
   * (the server checks that everyone who sees the reply may see it, and makes the excerpt).
   * @returns the message's cmid (idempotency key).
   */
  async function send(
    sessionId: string,
    text: string,
    kind: SendKind = 'text',
    attachmentIds?: readonly string[],
    options: { quoteId?: string | undefined } = {},
  ): Promise<string> {
    const who = hooks.owner();
    if (!who) throw new ChatError('offline', 'not connected yet');
    const files = attachmentIds && attachmentIds.length > 0 ? [...attachmentIds] : undefined;
    if (text.trim() === '' && !files) throw new ChatError('invalid', 'the message is empty');
    if (files && kind !== 'text') throw new ChatError('invalid', 'attachments can only be sent in messages, not in notes');
    await loadOutbox();
    orderCounter = Math.max(orderCounter + 1, now());
    const record: OutboxRecord = {
      cmid: uuid(),
      sessionId,
      kind,
      text,
      ...(files ? { attachmentIds: files } : {}),
      ...(options.quoteId !== undefined ? { quoteId: options.quoteId } : {}),
      createdAt: now(),
      order: orderCounter,
      owner: who,
    };
    try {
      await storage.put(record);
    } catch {
      // Quota exceeded or storage gone: keep going in memory and say so.
      $outboxPersistent.set(false);
    }
    updateOutbox((items) => [...items, { ...record, state: 'queued' }]);
    flush();
    return record.cmid;
  }

  /** Sends a failed message again (same cmid: never stored twice). */
  function retry(cmid: string): void {
    updateOutbox((items) =>
      items.map((i) => {
        if (i.cmid !== cmid || i.state !== 'failed') return i;
        const { error: _e, retryAt: _r, ...rest } = i;
        return { ...rest, state: 'queued' as const };
      }),
    );
    flush();
  }

  /** Gives up on a pending or failed message; later messages of its session go on. */
  function cancel(cmid: string): void {
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item || item.state === 'sending' || item.state === 'sent') return;
    updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    storage.delete(cmid).catch(() => undefined);
    flush();
  }

  function flush(): void {
    if (!hooks.live()) return;
    const who = hooks.owner();
    const t = now();
    let wake = Infinity;
    const heads = new Map<string, OutboxItem>();
    for (const item of $outbox.get()) {
      if (item.state === 'sent' || item.owner !== who || heads.has(item.sessionId)) continue;
      heads.set(item.sessionId, item);
    }
    for (const item of heads.values()) {
      if (item.state !== 'queued') continue; // sending, or failed and blocking its session
      if (item.retryAt !== undefined && item.retryAt > t) {
        wake = Math.min(wake, item.retryAt);
        continue;
      }
      // Marked as sending (with its ack timer) before it leaves: an answer may arrive at once.
      updateOutbox((items) => items.map((i) => (i.cmid === item.cmid ? { ...i, state: 'sending' as const } : i)));
      ackTimers.set(
        item.cmid,
        setTimeout(() => {
          // No answer: the socket is presumed broken; resume and resend with the same cmid.
          ackTimers.delete(item.cmid);
          socket.reconnect();
        }, hooks.ackTimeoutMs ?? ACK_TIMEOUT_MS),
      );
      const files = item.attachmentIds && item.attachmentIds.length > 0 ? { attachmentIds: item.attachmentIds } : {};
      const quote = item.quoteId !== undefined ? { quote: { messageId: item.quoteId } } : {};
      if (!socket.send({ t: 'send', cmid: item.cmid, sessionId: item.sessionId, kind: item.kind, text: item.text, ...files, ...quote })) {
        clearTimeout(ackTimers.get(item.cmid));
        ackTimers.delete(item.cmid);
        updateOutbox((items) => items.map((i) => (i.cmid === item.cmid && i.state === 'sending' ? { ...i, state: 'queued' as const } : i)));
        return;
      }
    }
    clearTimeout(retryTimer);
    if (wake !== Infinity) retryTimer = setTimeout(flush, Math.max(0, wake - t));
  }

  function ack(cmid: string, sessionId: string, msgId: string, seq: number): void {
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item) return;
    storage.delete(cmid).catch(() => undefined);
    if (hooks.inStream(sessionId, msgId, cmid) || !hooks.followed(sessionId)) updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    else updateOutbox((items) => items.map((i) => (i.cmid === cmid ? { ...i, state: 'sent' as const, msgId, seq } : i)));
    flush();
  }

  /** A stream message carrying one of our cmids confirms that outbox item (first of ack / event wins). */
  function confirm(message: ChatMessage): void {
    if (!message.cmid) return;
    const cmid = message.cmid;
    const item = $outbox.get().find((i) => i.cmid === cmid);
    if (!item) return;
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    storage.delete(cmid).catch(() => undefined);
    updateOutbox((items) => items.filter((i) => i.cmid !== cmid));
    queueMicrotask(flush);
  }

  /** A `nack` of a message (with its `cmid`): retried later or failed for good. */
  function nack(frame: NackFrame): void {
    const cmid = frame.cmid;
    if (cmid === undefined) return;
    clearTimeout(ackTimers.get(cmid));
    ackTimers.delete(cmid);
    updateOutbox((items) =>
      items.map((i) => {
        if (i.cmid !== cmid) return i;
        if (frame.retryable) {
          const wait = (frame.retryAfterMs ?? 1000) * (1 + Math.random() * 0.3);
          return { ...i, state: 'queued' as const, retryAt: now() + wait };
        }
        return { ...i, state: 'failed' as const, error: { code: frame.code, message: frame.message } };
      }),
    );
    flush();
  }

  /** The connection went down: messages in flight are sent again (same cmid) after the next resume. */
  function down(): void {
    for (const t of ackTimers.values()) clearTimeout(t);
    ackTimers.clear();
    updateOutbox((items) => items.map((i) => (i.state === 'sending' ? { ...i, state: 'queued' as const } : i)));
  }

  /** Forgets the shown items (sign-out; the caller clears the storage). */
  function clear(): void {
    $outbox.set([]);
  }

  function destroy(): void {
    clearTimeout(retryTimer);
  }

  return {
    $outbox,
    $outboxPersistent,
    load: loadOutbox,
    loaded: () => loaded !== undefined,
    send,
    retry,
    cancel,
    flush,
    ack,
    confirm,
    nack,
    down,
    clear,
    destroy,
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
