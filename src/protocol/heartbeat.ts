// Not in the protocol's barrel (index.ts): the public bundles do not export these. The client writes the ping out
// (src/transport/socket.ts writes this exact text out; test/state/sequencing.test.ts holds it to it).
/**
 * The client's heartbeat, always this exact text, and the server's answer to it. A fixed pair, so
 * a Durable Object's runtime answers it itself (`setWebSocketAutoResponse`) without waking the
 * object; any other `ping` (another `n`) is answered by the room, after the frames before it.
 */
export const HEARTBEAT_PING = '{"t":"ping","n":0}';
export const HEARTBEAT_PONG = '{"t":"pong","n":0}';
