/**
 * The WebSocket route of both hosts, `/parties/chat/<tenant>?_pk=<tab id>&token=<ticket>` (shaped
 * like partyserver's, so the same client works on Node and on Cloudflare), from the moment the
 * host accepted the upgrade: the ticket is redeemed (frames that arrive meanwhile wait, in
 * order), then the room gets the connection. The host checks `Origin` before accepting and
 * reports every frame and the close.
 */
import { CLOSE } from '../../src/protocol/limits.js';
import type { TokenService } from './auth.js';
import type { ChatRoom, Connection, Inbound } from './room/index.js';
import { inboundBytes, isValidClientId } from './room/index.js';

const SOCKET_PATH = /^\/parties\/chat\/([\w-]{1,64})$/;
/**
 * Frames a client may send before its ticket is redeemed (a client sends `hello`, then waits for
 * `welcome`): more is a flood, closed with 4429 instead of being kept.
 */
const EARLY_FRAMES = 16;
const EARLY_BYTES = 256 * 1024;

/** The tenant of a socket path `/parties/chat/<tenant>`, or undefined for any other path. */
export function socketTenant(pathname: string): string | undefined {
  return SOCKET_PATH.exec(pathname)?.[1];
}

export class SocketSession {
  /** Frames that arrived before the room took the connection. */
  private readonly early: Inbound[] = [];
  private earlyBytes = 0;
  private room: ChatRoom | undefined;
  private gone = false;

  constructor(
    private readonly conn: Connection,
    private readonly tokens: TokenService,
  ) {}

  /** The room's view of this socket. */
  get connection(): Connection {
    return this.conn;
  }

  /**
   * A socket the room took back as it was (its ticket was redeemed in an earlier life of the
   * room: a hibernated Durable Object's socket, see {@link ChatRoom}'s `restore`).
   */
  static resumed(conn: Connection, tokens: TokenService, room: ChatRoom): SocketSession {
    const session = new SocketSession(conn, tokens);
    session.room = room;
    return session;
  }

  /** Redeems the ticket of the upgrade URL and hands the connection to `room` (undefined: unknown tenant). */
  async start(room: ChatRoom | undefined, url: URL): Promise<void> {
    if (!room) {
      this.fail(CLOSE.FORBIDDEN, 'forbidden', 'unknown tenant');
      return;
    }
    const ticket = url.searchParams.get('token') ?? '';
    const principal = ticket ? await this.tokens.redeemTicket(ticket) : undefined;
    if (this.gone) return;
    if (!principal) {
      this.fail(CLOSE.UNAUTHENTICATED, 'unauthenticated', 'missing, expired or used ticket', 'unauthenticated');
      return;
    }
    const clientId = url.searchParams.get('_pk');
    if (!room.open(this.conn, principal, isValidClientId(clientId) ? clientId : undefined)) return;
    this.room = room;
    for (const text of this.early.splice(0)) room.receive(this.conn, text);
  }

  /** A frame from the client (`null`: a binary one; or decoded by the host's edge process). */
  receive(text: Inbound): void {
    if (this.room) {
      this.room.receive(this.conn, text);
      return;
    }
    if (this.gone) return;
    this.early.push(text);
    this.earlyBytes += inboundBytes(text);
    if (this.early.length > EARLY_FRAMES || this.earlyBytes > EARLY_BYTES) {
      this.early.length = 0;
      this.gone = true;
      this.fail(CLOSE.OVERLOADED, 'overloaded', 'too many frames before the connection was accepted', 'too many frames before welcome');
    }
  }

  /** The socket closed, for any reason. */
  closed(): void {
    this.gone = true;
    this.room?.closed(this.conn);
  }

  private fail(code: number, errorCode: string, message: string, reason = message): void {
    this.conn.send(JSON.stringify({ t: 'error', code: errorCode, message }));
    this.conn.close(code, reason);
  }
}
