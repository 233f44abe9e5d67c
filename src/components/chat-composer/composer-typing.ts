/**
 * The composer's "typing" signal to the other side: sent at most once per
 * {@link TYPING_THROTTLE_MS} and refreshed while typing goes on, "stopped" after a pause, on blur,
 * on send and when the chat changes. Never for notes and whispers: the customer must not even see
 * that something is being written.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

import { TYPING_THROTTLE_MS } from '../../protocol/limits.js';
import type { ChatClient } from '../../state/create-chat-client.js';

/** While typing goes on, "typing" is repeated this often (the other side forgets it after 6 s). */
const TYPING_REFRESH_MS = 3_000;
/** No input for this long: "stopped typing". */
const TYPING_IDLE_MS = 4_000;

export interface ComposerTypingHost extends ReactiveControllerHost {
  readonly client?: ChatClient | undefined;
  readonly sessionId?: string | undefined;
  readonly disabledReason: string;
}

export class ComposerTyping implements ReactiveController {
  private session: string | undefined;
  private sentAt = 0;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param internal True while the composer writes a note or whisper (no signal then).
   * @param hasText True while the text area holds more than white space.
   */
  constructor(
    private readonly host: ComposerTypingHost,
    private readonly internal: () => boolean,
    private readonly hasText: () => boolean,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Tells the other side "typing", at most once per TYPING_THROTTLE_MS and refreshed while it goes on. */
  start(): void {
    const client = this.host.client;
    const id = this.host.sessionId;
    if (!client || id === undefined || this.host.disabledReason || this.internal()) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.stop();
    }, TYPING_IDLE_MS);
    const now = Date.now();
    const due = this.session === id ? this.sentAt + TYPING_REFRESH_MS : this.sentAt + TYPING_THROTTLE_MS;
    if (now >= due) {
      clearTimeout(this.trailing);
      this.trailing = undefined;
      this.session = id;
      this.sentAt = now;
      client.typing(id, true);
    } else if (this.session !== id && this.trailing === undefined) {
      // Too soon after the last frame: say it when the throttle window ends.
      this.trailing = setTimeout(() => {
        this.trailing = undefined;
        if (this.hasText() && this.host.sessionId === id) this.start();
      }, due - now);
    }
  }

  /** "Stopped typing" for the chat last told "typing" (nothing when none was). */
  stop(): void {
    clearTimeout(this.idle);
    clearTimeout(this.trailing);
    this.trailing = undefined;
    const id = this.session;
    if (id === undefined) return;
    this.session = undefined;
    this.sentAt = Date.now();
    this.host.client?.typing(id, false);
  }
}
