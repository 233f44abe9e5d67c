/**
 * Marks the shown chat read while the agent can see it: when its messages change, after each
 * render, and when the tab becomes visible again; at most once a second while messages stream in
 * (the last change in a second is marked when the second is over). Nothing is marked while the
 * tab is hidden, the element is not rendered (`checkVisibility()`), or `target()` says no (not my
 * chat, listening, the transcript not ready).
 */
import type { ReactiveController, ReactiveElement } from 'lit';

import { StoreController } from '../../internal/store-controller.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { SessionMessages } from '../../state/types.js';

/** "read" is sent at most this often while messages stream in. */
const READ_THROTTLE_MS = 1000;

export class ReadMarker implements ReactiveController {
  /** The shown chat's messages: a change marks it read (without rendering: the message list shows them). */
  private readonly transcript: StoreController<SessionMessages | undefined>;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The look after a render, in the next animation frame. */
  private frame = 0;
  private lastReadAt = 0;
  private readonly onVisibility = () => {
    this.mark();
  };

  /** `target()`: the client and the chat to mark now, or undefined when it must not be marked. */
  constructor(
    private readonly host: ReactiveElement,
    private readonly target: () => { client: ChatClient; id: string } | undefined,
  ) {
    host.addController(this);
    this.transcript = new StoreController(host, undefined, () => {
      this.mark();
    });
  }

  /** Follows the transcript of chat `id` (called from the host's `willUpdate`). */
  follow(client: ChatClient | undefined, id: string | undefined): void {
    this.transcript.use(id === undefined ? undefined : client?.$sessionMessages(id));
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.timer);
    this.timer = undefined;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  hostUpdated(): void {
    // In the next animation frame, not in the update: checkVisibility() brings styles up to date,
    // and here the elements inside (the transcript) have not rendered yet, so their styles would be
    // worked out twice in the task that opens a chat. In a frame callback the frame needs them anyway.
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.mark();
    });
  }

  /** Marks the chat read if it is seen and allowed (at most once a second). */
  mark(): void {
    const host = this.host;
    // The cheap checks first: under a burst of messages this runs for each of them, and
    // checkVisibility() may have to bring styles up to date.
    if (this.timer !== undefined || !host.isConnected || document.visibilityState !== 'visible') return;
    const wait = this.lastReadAt + READ_THROTTLE_MS - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.mark();
      }, wait);
      return;
    }
    const target = this.target();
    if (!target) return;
    if (typeof host.checkVisibility === 'function' && !host.checkVisibility()) return;
    this.lastReadAt = Date.now();
    target.client.markRead(target.id);
  }
}
