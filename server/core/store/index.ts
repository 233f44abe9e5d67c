/**
 * Data access of one tenant over the SQL port: row types, mapping to wire records, and the
 * queries the room needs. No protocol logic here; `room/` decides, this folder reads and writes.
 *
 * One module per kind of data, each a layer that may use the layers below it (a query of one kind
 * that needs another's calls it on `this`):
 *
 * | module | what it stores |
 * |---|---|
 * | board-log.ts | the tenant row and the board log (`tenants`, `board_events`) |
 * | channels.ts | channels and their members |
 * | agents.ts | agents, their access per channel, status, permissions, roster entries |
 * | sessions.ts | session rows and their wire summaries, a new chat |
 * | handling.ts | who handles a session: answer, end, return, hand over, requeue, transfers, history |
 * | queue.ts | the queue's order, the next chat, wait warnings |
 * | board.ts | what an agent's board lists, search, the snapshot |
 * | messages.ts | a session's stream: messages, `cmid` idempotency, quotes, read positions, wire form |
 *
 * {@link TenantStore} is the top layer: the one class hosts and the room use.
 */
import { MessageStore } from './messages.js';

/** Every query of one tenant (`new TenantStore(db, tenantId)`); see the table above for where each lives. */
export class TenantStore extends MessageStore {}

export type { BoardEventRow } from './board-log.js';
export type { ChannelRow } from './channels.js';
export type { AgentAccess, AgentChannelRow, AgentRow } from './agents.js';
export type { SessionRow } from './sessions.js';
export { priorityOf } from './sessions.js';
export type { HandlingEnd } from './handling.js';
export { QUEUE_ORDER } from './queue.js';
export type { MessageRow } from './messages.js';
