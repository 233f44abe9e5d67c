/**
 * The room: the protocol engine of one tenant (see docs/architecture.md, "The room"). Hosts and
 * tests import from here; the modules of this folder are internal.
 */
export { ChatRoom } from './room.js';
export type { RoomConnSnapshot } from './room.js';
export type { Connection, Inbound, Predecoded, RoomLogger, StartChatInput } from './types.js';
export { inboundBytes, isValidClientId, newConnectionId, Refusal, silentLogger } from './types.js';
export { decodeClientFrame } from './dispatch.js';
export { SLOW_CONSUMER_BYTES } from './connections.js';
export { DEFAULT_LIMITS, LIMIT_NAME, storedLimits, tenantLimits, TENANT_LIMITS_TTL_MS, withLimits } from './limits.js';
export type { LimitsFor, RoomLimits } from './limits.js';
export { Admission, DEFAULT_OVERLOAD, OVERLOAD_OPTION, withOverload } from './admission.js';
export type { OverloadLimits, OverloadReason } from './admission.js';
export { overloadMessage, retryAfterFor } from './admission.js';
export { Histogram, LATENCY_BUCKETS_MS, RoomMetrics } from './metrics.js';
