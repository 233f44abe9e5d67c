/**
 * What the conversation's action controllers share ({@link SessionActions}, {@link HoldHelp}):
 * one action at a time (`busy`), and a failure shown under the header (`error`), announced and
 * fired as `chat-error`.
 */
import type { ReactiveControllerHost } from 'lit';

import { ChatErrorEvent } from '../../events/chat-error-event.js';
import { announce } from '../../internal/announcer.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import { ChatError } from '../../state/types.js';

export interface ConversationActionsHost extends ReactiveControllerHost, EventTarget {
  readonly client?: ChatClient | undefined;
  shownId(): string | undefined;
}

export abstract class ConversationActions<Host extends ConversationActionsHost, Busy extends string> {
  /** The action under way ('' for none). */
  busy: '' | Busy = '';
  /** Why the last action failed ('' for none). */
  error = '';

  constructor(protected readonly host: Host) {}

  protected set(change: () => void): void {
    change();
    this.host.requestUpdate();
  }

  /** Reports a failed action: shown under the header, announced, and as `chat-error`. */
  protected fail(error: unknown, text: (code: string) => string): void {
    const code = error instanceof ChatError ? error.code : 'internal';
    const message = text(code);
    this.set(() => {
      this.error = message;
    });
    announce(message, { assertive: true });
    this.host.dispatchEvent(new ChatErrorEvent({ code, message, recoverable: true }));
  }

  /** Runs one action at a time on the shown chat, `busy` meanwhile; true when it succeeded. */
  protected async act(kind: Busy, run: (client: ChatClient, id: string) => Promise<void>, onError: (error: unknown) => void): Promise<boolean> {
    const client = this.host.client;
    const id = this.host.shownId();
    if (!client || id === undefined || this.busy !== '') return false;
    this.set(() => {
      this.busy = kind;
      this.error = '';
    });
    try {
      await run(client, id);
      return true;
    } catch (error) {
      onError(error);
      return false;
    } finally {
      this.set(() => {
        this.busy = '';
      });
    }
  }
}
