/**
 * Frames on the tenant's sockets that write a chat's stream (`send`, `read`, `unread`: the room's
 * `RemoteConversations.write`), carried to the chat's object, which numbers them, and its answer
 * handed back (tenant.ts). In the order the frames came per chat (one chain per chat), each after
 * the outbox: the chat's object has the directory's calls and rows first, so a `joined` is
 * numbered before the agent's first message. A send with files takes their rows along (uploads
 * are stored by the tenant's object).
 */
import type { Principal } from '../core/auth.js';
import type { StreamWrite } from '../core/room/ports.js';
import type { SqlPort } from '../core/sql.js';
import type { ChatConversation, Row } from './conversation.js';
import { conversationName } from './conversation.js';
import type { Env } from './env.js';
import { workerLog } from './parts.js';

export interface StreamWritesDeps {
  readonly env: Env;
  /** The tenant (the object's name). */
  tenantId(): string;
  /** The object's database, once it has one. */
  db(): SqlPort | undefined;
  /** Sends what the outbox holds before a write goes out. */
  drainOutbox(): Promise<void>;
}

export class StreamWrites {
  /** The writes carried to each chat's object, in the order they came (one chain per chat). */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: StreamWritesDeps) {}

  /** Carries a frame that writes a chat's stream to the chat's object and hands its answer (or a `nack`) to `reply`. */
  carry(principal: Principal, frame: StreamWrite, reply: (texts: readonly string[]) => void): void {
    const sessionId = frame.sessionId;
    const tenantId = this.deps.tenantId();
    const refuse = (code: string, message: string, retryable: boolean) => {
      const ids = frame.t === 'send' ? { cmid: frame.cmid } : { rid: frame.rid };
      reply([JSON.stringify({ t: 'nack', ...ids, code, retryable, ...(retryable ? { retryAfterMs: 1000 } : {}), message })]);
    };
    const db = this.deps.db();
    if (!db?.get('SELECT 1 AS x FROM sessions WHERE tenant_id = ? AND id = ?', [tenantId, sessionId])) {
      refuse('forbidden', 'not allowed in this session', false);
      return;
    }
    const files = frame.t === 'send' ? (frame.attachmentIds ?? []) : [];
    const next = (this.chains.get(sessionId) ?? Promise.resolve()).then(async () => {
      try {
        await this.deps.drainOutbox();
        const attachments = files.length > 0 ? attachmentRows(db, tenantId, sessionId, files) : [];
        reply(await this.conversation(tenantId, sessionId).write(principal, JSON.stringify(frame), attachments));
      } catch (error) {
        workerLog.warn('write.failed', { error: error instanceof Error ? error.message : String(error) });
        refuse('internal', 'internal error; retry later', true);
      }
    });
    this.chains.set(sessionId, next);
    void next.finally(() => {
      if (this.chains.get(sessionId) === next) this.chains.delete(sessionId);
    });
  }

  private conversation(tenantId: string, sessionId: string): DurableObjectStub<ChatConversation> {
    const ns = this.deps.env.Conversation;
    return ns.get(ns.idFromName(conversationName(tenantId, sessionId)));
  }
}

/** The rows of files uploaded to a chat, for its object to claim with the message (uploads are stored in the tenant's object). */
function attachmentRows(db: SqlPort, tenantId: string, sessionId: string, ids: readonly string[]): Row[] {
  return db.all<Row>(`SELECT * FROM attachments WHERE tenant_id = ? AND session_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, [tenantId, sessionId, ...ids]);
}
