/**
 * The tenant object's sockets (`/parties/chat/<tenant>`, through partyserver with
 * `hibernate: true`; tenant.ts): each one's {@link SocketSession} with the room, the state kept in
 * its attachment so that it outlives the object in memory, and the sockets the room takes before
 * partyserver accepted them.
 *
 * After every event each socket's state as the room has it (principal, greeting, subscriptions,
 * board position, listen-audit rows, frame budget: `ChatRoom.snapshot`) is kept in the socket's
 * attachment (`connection.setState`), written only when it changed; when the room starts again
 * (the object left memory while its sockets stayed open) every socket is taken back from it.
 */
import type { Connection as PartyConnection } from 'partyserver';

import { CLOSE } from '../../src/protocol/limits.js';
import type { TokenService } from '../core/auth.js';
import type { ChatRoom, Connection, RoomConnSnapshot } from '../core/room/index.js';
import { SocketSession } from '../core/socket-session.js';
import { connectionOf } from './conversation.js';

/** What a tenant socket keeps in its attachment while the object is out of memory. */
interface Attachment {
  /** The room's id of the connection (the `connId` of its `welcome`). */
  id: string;
  /** Undefined: not yet taken by the room (its ticket not yet redeemed), or its state too large for an attachment. */
  snapshot: RoomConnSnapshot | undefined;
}

/** The sockets that stayed open while the object was out of memory, for a room about to start. */
export interface TakenBack {
  /** What the room takes back (its `restore` option). */
  readonly restore: { conn: Connection; snapshot: RoomConnSnapshot }[];
  /** Binds each socket to the room that took it back. */
  resume(room: ChatRoom, tokens: TokenService): void;
}

export class TenantSockets {
  private readonly sessions = new Map<PartyConnection, SocketSession>();
  /** Sockets the room took in `fetch`, until partyserver accepted them (`onConnect`), by their upgrade request. */
  private readonly waiting = new Map<Request, LateConnection>();
  /** The attachment each socket has now (only a change is written). */
  private readonly kept = new Map<PartyConnection, string>();
  /** Sockets that sent or were sent a frame since their state was last kept (only theirs can have changed). */
  private readonly touched = new Set<PartyConnection>();

  /**
   * The sockets of `connections` not known to this instance, taken back from their attachments.
   * A socket with no state kept (evicted before the room took it, or a state too large) closes
   * with 1001: its client reconnects and resumes.
   */
  takeBack(connections: Iterable<PartyConnection>): TakenBack {
    const restore: TakenBack['restore'] = [];
    const resumed: [PartyConnection, Connection][] = [];
    for (const connection of connections) {
      if (this.sessions.has(connection)) continue;
      const kept = connection.state as Attachment | null;
      if (!kept?.snapshot) {
        connection.close(CLOSE.GOING_AWAY, 'server restarted; reconnect');
        continue;
      }
      const conn = this.tracked(connection, kept.id);
      restore.push({ conn, snapshot: kept.snapshot });
      resumed.push([connection, conn]);
      this.kept.set(connection, JSON.stringify(kept));
    }
    return {
      restore,
      resume: (room, tokens) => {
        for (const [connection, conn] of resumed) this.sessions.set(connection, SocketSession.resumed(conn, tokens, room));
      },
    };
  }

  /**
   * A socket the room takes in `fetch`, before partyserver accepts it: what the room sends it
   * waits, and a refusal is answered on a plain socket.
   */
  late(id: string): LateConnection {
    return lateConnection(id, (connection) => this.touched.add(connection));
  }

  /** Runs partyserver's upgrade (`accept`) with `late` waiting for its `onConnect`. */
  async accepting<T>(request: Request, late: LateConnection, accept: () => Promise<T>): Promise<T> {
    this.waiting.set(request, late);
    try {
      return await accept();
    } finally {
      this.waiting.delete(request);
    }
  }

  /** The socket the room took in `fetch`, now accepted (hibernatable): bound to it, with what the room sent meanwhile; false if it is not known. */
  connected(connection: PartyConnection, request: Request, room: ChatRoom | undefined, tokens: TokenService | undefined): boolean {
    const late = this.waiting.get(request);
    if (!late || !room || !tokens) return false;
    this.sessions.set(connection, SocketSession.resumed(late.conn, tokens, room));
    late.bind(connection);
    this.touched.add(connection);
    return true;
  }

  /** The session of a socket a frame came from (marked: its state may change), if known. */
  receiving(connection: PartyConnection): SocketSession | undefined {
    const session = this.sessions.get(connection);
    if (session) this.touched.add(connection);
    return session;
  }

  /** A socket closed: forgotten, and its session, if it had one (the room is told by the caller). */
  gone(connection: PartyConnection): SocketSession | undefined {
    this.kept.delete(connection);
    this.touched.delete(connection);
    const session = this.sessions.get(connection);
    this.sessions.delete(connection);
    return session;
  }

  /**
   * Keeps each socket's state with the socket (hibernation): what the room would need to take it
   * back, written only when it changed. A state too large for an attachment (2 KiB) is not kept:
   * such a socket is closed with 1001 when the room starts again, and its client resumes.
   */
  keep(room: ChatRoom): void {
    for (const connection of this.touched) {
      const conn = this.sessions.get(connection)?.connection;
      if (!conn) continue;
      const snapshot = room.snapshot(conn);
      if (!snapshot) continue;
      const text = JSON.stringify({ id: conn.id, snapshot } satisfies Attachment);
      if (this.kept.get(connection) === text) continue;
      this.kept.set(connection, text);
      try {
        connection.setState({ id: conn.id, snapshot } satisfies Attachment);
      } catch {
        try {
          connection.setState({ id: conn.id, snapshot: undefined } satisfies Attachment);
        } catch {
          // closed meanwhile
        }
      }
    }
    this.touched.clear();
  }

  /**
   * The room's view of a socket: every frame sent to it or received from it marks it, since
   * whatever changes a socket's state (its greeting, subscriptions, board position, frame budget)
   * sends it a frame or came from it.
   */
  private tracked(connection: PartyConnection, id: string): Connection {
    const conn = connectionOf(connection, id);
    return {
      ...conn,
      send: (data) => {
        this.touched.add(connection);
        conn.send(data);
      },
    };
  }
}

/** A socket the room takes before it is accepted: what the room sends it waits, and a refusal is answered on a plain socket. */
export interface LateConnection {
  readonly conn: Connection;
  /** The close the room asked for before the socket was accepted. */
  readonly refused: { code: number; reason: string } | undefined;
  /** The socket accepted: what waited is sent now, and everything after goes straight to it. */
  bind(connection: PartyConnection): void;
  /** The refusal on a plain socket: the frames the room sent, then its close. */
  refusal(): Response;
}

function lateConnection(id: string, touched: (connection: PartyConnection) => void): LateConnection {
  const early: string[] = [];
  let refused: { code: number; reason: string } | undefined;
  let target: Connection | undefined;
  let socket: PartyConnection | undefined;
  return {
    conn: {
      id,
      send: (data) => {
        if (target && socket) {
          touched(socket);
          target.send(data);
        } else early.push(data);
      },
      close: (code, reason) => {
        if (target) target.close(code, reason);
        else refused ??= { code, reason };
      },
      bufferedAmount: () => 0,
    },
    get refused() {
      return refused;
    },
    bind(connection) {
      socket = connection;
      target = connectionOf(connection, id);
      connection.setState({ id, snapshot: undefined } satisfies Attachment);
      for (const text of early.splice(0)) target.send(text);
      if (refused) target.close(refused.code, refused.reason);
    },
    refusal() {
      const pair = new WebSocketPair();
      const server = pair[1];
      server.accept();
      for (const text of early) server.send(text);
      server.close(refused?.code ?? CLOSE.FORBIDDEN, refused?.reason ?? 'forbidden');
      return new Response(null, { status: 101, webSocket: pair[0] });
    },
  };
}
