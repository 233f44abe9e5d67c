/**
 * Binds a nanostores store to a Lit element: the element re-renders when the store changes (or,
 * with `onChange`, that runs instead: for work that follows a store without rendering it).
 * Unlike @nanostores/lit (CommonJS, fixed store), it can switch stores when the element's
 * `client` changes, and it uses `listen()` so attaching causes no extra render.
 *
 * With `{ oncePerFrame: true }`, a change within 50 ms of the host's last render waits for the
 * next animation frame (or 50 ms in a hidden tab), so a store that changes hundreds of times a
 * second (a transcript under a burst of messages) costs one render per frame; a change after a
 * quiet moment renders at once. Other updates of the host (its own state, keys) are not delayed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/** A change this soon after the host's last render waits for the next frame (oncePerFrame). */
const BURST_MS = 50;

export class StoreController<T> implements ReactiveController {
  private store: ReadableAtom<T> | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;
  /** When the host last rendered (oncePerFrame). */
  private renderedAt = -Infinity;
  private frame = 0;
  private frameTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    store?: ReadableAtom<T>,
    private readonly onChange?: () => void,
    private readonly options: { oncePerFrame?: boolean } = {},
  ) {
    host.addController(this);
    this.store = store;
  }

  /** Follows another store (or none). Safe to call on every update. */
  use(store: ReadableAtom<T> | undefined): void {
    if (store === this.store) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.store = store;
    if (this.connected) this.listen();
    if (!this.onChange) this.host.requestUpdate();
  }

  /** The store's value, or undefined without a store. */
  get value(): T | undefined {
    return this.store?.get();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelFrame();
  }

  hostUpdated(): void {
    this.renderedAt = performance.now();
  }

  private cancelFrame(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frameTimer);
    this.frame = 0;
    this.frameTimer = undefined;
  }

  /** The store changed: render now, or at the next frame when the host rendered just now. */
  private changed(): void {
    if (!this.options.oncePerFrame || performance.now() - this.renderedAt >= BURST_MS) {
      this.host.requestUpdate();
      return;
    }
    if (this.frameTimer !== undefined) return;
    const render = () => {
      this.cancelFrame();
      this.host.requestUpdate();
    };
    this.frame = requestAnimationFrame(render);
    this.frameTimer = setTimeout(render, BURST_MS);
  }

  private listen(): void {
    if (!this.store || this.unsubscribe) return;
    this.unsubscribe = this.store.listen(() => {
      if (this.onChange) this.onChange();
      else this.changed();
    });
  }
}
