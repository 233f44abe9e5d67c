/**
 * Session activity (directory side): the message-level fields of a session's summary (last
 * message, activity time, unread, stream head, the customer's read position) travel apart from
 * the board stream, as unsequenced, coalesced `activity` frames (latest value wins), and only to
 * those whose view shows them:
 *
 * - the handling agent's consoles (their session list: preview, unread),
 * - the session's agent subscribers (listeners and supervisors viewing the chat),
 * - for a queued session, the members of its channel (the Dashboard's incoming list),
 * - the target of a pending transfer (the offer shows the chat).
 *
 * Conversations report changes through the `activity` port (ports.ts); this feed marks the
 * session and publishes on the next flush of its {@link Coalescer}: each session's entry is
 * serialised once, and each connection gets one frame per flush with the entries meant for it
 * (joined as text, not serialised again).
 */
import { COALESCE_WINDOW_MS, RECORDS_PER_FRAME } from '../../../src/protocol/limits.js';
import type { SessionActivity } from '../../../src/protocol/index.js';
import type { SessionRow } from '../store/index.js';
import { priorityOf } from '../store/index.js';
import { Coalescer } from './coalescer.js';
import type { ConnState, RoomContext } from './types.js';

/** The activity fields of a session row. */
export function activityOf(row: SessionRow): SessionActivity {
  const { response } = priorityOf(row);
  return {
    id: row.id,
    lastActivityAt: row.last_activity_at,
    ...(row.last_from && row.last_text !== null && row.last_at !== null ? { lastMessage: { from: row.last_from, text: row.last_text, at: row.last_at } } : {}),
    unread: row.unread,
    seq: row.head_seq,
    customerReadSeq: row.customer_read_seq,
    ...(response ? { response } : {}),
  };
}

/** The text of an `activity` frame (`ActivityFrame`) from entries serialised beforehand. */
const frameText = (entries: readonly string[]): string => `{"t":"activity","sessions":[${entries.join(',')}]}`;

export class ActivityFeed extends Coalescer<string> {
  constructor(private readonly ctx: RoomContext) {
    super('activity', ctx.timers, COALESCE_WINDOW_MS, ctx.log);
  }

  /**
   * The current activity of the sessions in an agent's view that are queued in their channels or
   * theirs (active, handled by them), for a console that resumed its board by replay (a snapshot
   * carries current values already). In frames of at most {@link RECORDS_PER_FRAME}.
   */
  current(state: ConnState): string[] {
    const access = state.access;
    if (!access) return [];
    const rows = this.ctx.store.activityView(access.agent.id, [...access.channels.keys()]);
    const texts: string[] = [];
    for (let i = 0; i < rows.length; i += RECORDS_PER_FRAME) {
      texts.push(frameText(rows.slice(i, i + RECORDS_PER_FRAME).map((r) => JSON.stringify(activityOf(r)))));
    }
    return texts;
  }

  /** One flush: the latest activity of each session, to the connections whose view shows it. */
  protected publish(ids: ReadonlySet<string>): void {
    const { store, conns } = this.ctx;
    const perConnection = new Map<ConnState, string[]>();
    for (const id of ids) {
      const row = store.session(id);
      if (!row) continue;
      const entry = JSON.stringify(activityOf(row));
      for (const state of this.recipients(row)) {
        let list = perConnection.get(state);
        if (!list) perConnection.set(state, (list = []));
        list.push(entry);
      }
    }
    for (const [state, entries] of perConnection) conns.sendText(state, frameText(entries));
  }

  /** The greeted agent connections whose view shows this session's activity (each once). */
  private recipients(row: SessionRow): Set<ConnState> {
    const { conns } = this.ctx;
    const out = new Set<ConnState>();
    const add = (states: Iterable<ConnState>): void => {
      for (const s of states) if (s.hello && !s.closed && s.access) out.add(s);
    };
    if (row.agent_id !== null) add(conns.ofAgent(row.agent_id));
    if (row.transfer_to !== null) add(conns.ofAgent(row.transfer_to));
    add(conns.subscribers(row.id));
    if (row.status === 'queued') add(conns.membersIn(row.channel_id));
    return out;
  }
}
