/**
 * Opens the shown chat on the client in the element's mode, and closes what the element opened
 * before (another chat, or on removal). A chat the agent may not write in opens in listen mode.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import type { ChatClient } from '../../state/create-chat-client.js';

type Mode = 'participant' | 'listen';

/** Read mode for a session in participant mode: participant where the agent may write or manages, else listen. */
function modeFor(session: SessionSummary | undefined, me: AgentMe | undefined): Mode {
  if (!session || !me || session.agentId === me.id) return 'participant';
  const perm = me.channels.find((c) => c.id === session.channelId)?.permissions;
  if (perm?.manager || (session.status === 'queued' && perm?.respond)) return 'participant';
  return perm?.listen || session.transfer?.toAgentId === me.id ? 'listen' : 'participant';
}

export interface SessionOpenerHost extends ReactiveControllerHost {
  readonly isConnected: boolean;
  readonly client?: ChatClient | undefined;
  readonly mode: Mode;
  shownId(): string | undefined;
}

export class SessionOpener implements ReactiveController {
  /** The session this element opened on its client, and how (closed again when another is shown). */
  private opened: { client: ChatClient; sessionId: string; mode: Mode } | undefined;

  constructor(private readonly host: SessionOpenerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    // Re-opened after a move in the DOM: follow the session again.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.follow(undefined);
  }

  hostUpdate(): void {
    if (this.host.isConnected) this.follow(this.host.shownId());
  }

  /** Opens `id` on the client (in the element's mode) and closes what this element opened before. */
  private follow(id: string | undefined): void {
    const client = this.host.client;
    const prev = this.opened;
    const mode = id === undefined || !client ? 'participant' : this.host.mode === 'listen' ? 'listen' : modeFor(client.$session(id).get(), client.$agentMe.get());
    if (prev?.client === client && prev?.sessionId === id && prev?.mode === mode) return;
    // Open the new one first: re-opening the same chat in another mode must not unsubscribe it.
    if (client && id !== undefined) client.openSession(id, mode);
    if (prev) prev.client.closeSession(prev.sessionId);
    this.opened = client && id !== undefined ? { client, sessionId: id, mode } : undefined;
  }
}
