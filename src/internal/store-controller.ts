/**
 * Binds a nanostores store to a Lit element: the element re-renders when the store changes (or,
 * with `onChange`, that runs instead: for work that follows a store without rendering it).
 * Unlike @nanostores/lit (CommonJS, fixed store), it can switch stores when the element's
 * `client` changes, and it uses `listen()` so attaching causes no extra render.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

export class StoreController<T> implements ReactiveController {
  private store: ReadableAtom<T> | undefined;
  private unsubscribe: (() => void) | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    store?: ReadableAtom<T>,
    private readonly onChange?: () => void,
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
  }

  private listen(): void {
    if (!this.store || this.unsubscribe) return;
    this.unsubscribe = this.store.listen(() => {
      if (this.onChange) this.onChange();
      else this.host.requestUpdate();
    });
  }
}
