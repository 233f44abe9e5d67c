/**
 * The composer's unsent text and Reply / Note choice per chat, so that switching chats keeps each.
 * Drafts live in the client (kept across reloads, `client.draft`); without a client, here.
 */
import type { ChatClient } from '../../state/create-chat-client.js';

/** What the composer writes: a reply the customer sees, or an internal note only agents see. */
export type ComposerMode = 'reply' | 'note';

export class ComposerDrafts {
  private readonly drafts = new Map<string, string>();
  private readonly modes = new Map<string, ComposerMode>();

  constructor(private readonly client: () => ChatClient | undefined) {}

  text(sessionId: string): string {
    const client = this.client();
    return client ? client.draft(sessionId) : (this.drafts.get(sessionId) ?? '');
  }

  saveText(sessionId: string, text: string): void {
    const client = this.client();
    if (client) client.saveDraft(sessionId, text);
    else if (text === '') this.drafts.delete(sessionId);
    else this.drafts.set(sessionId, text);
  }

  mode(sessionId: string | undefined): ComposerMode {
    return sessionId !== undefined ? (this.modes.get(sessionId) ?? 'reply') : 'reply';
  }

  saveMode(sessionId: string, mode: ComposerMode): void {
    this.modes.set(sessionId, mode);
  }
}
