/**
 * The room: the protocol engine of one tenant (see docs/architecture.md, "The room"). Hosts and
 * tests import from here; the modules of this folder are internal.
 */
export { ChatRoom } from './room.js';
export type { StartChatInput } from './room.js';
export type { Connection, RoomLogger } from './room.js';
export { silentLogger, Refusal, newConnectionId, isValidClientId } from './room.js';
