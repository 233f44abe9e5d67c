/**
 * The lazily loaded part of chat-session-list: @lit-labs/virtualizer with its flow layout. It is
 * imported with `import()` only when a group has more rows than the element renders plainly, so
 * a console that never lists that many chats does not need it; rollup makes it a chunk of its own
 * (or shares the virtualizer with the entry when another element there imports it statically).
 */
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { VirtualizeDirectiveConfig, VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';

export { virtualize, virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
export type { VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';

/**
 * The layout of every virtualized group. One object for all renders: the directive hands its
 * `layout` to the virtualizer on every update, and an unchanged spec keeps the layout as it is.
 */
export const layout: NonNullable<VirtualizeDirectiveConfig<unknown>['layout']> = flow({ direction: 'vertical' });

/**
 * A ResizeObserver that hands its entries over in the next animation frame instead of inside the
 * browser's observation loop.
 */
class FrameResizeObserver implements ResizeObserver {
  private readonly observer: ResizeObserver;
  private pending: ResizeObserverEntry[] = [];
  private frame = 0;

  constructor(callback: ResizeObserverCallback) {
    this.observer = new ResizeObserver((entries) => {
      this.pending.push(...entries);
      if (this.frame !== 0) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        callback(this.pending.splice(0), this);
      });
    });
  }

  observe(target: Element, options?: ResizeObserverOptions): void {
    this.observer.observe(target, options);
  }

  unobserve(target: Element): void {
    this.observer.unobserve(target);
  }

  disconnect(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.observer.disconnect();
  }
}

/** The parts of a Virtualizer (2.1.x, pinned) that {@link attach} touches. */
interface VirtualizerInternals {
  connected(): void;
  disconnected(): void;
  _initObservers?: () => void;
  _hostElementRO?: ResizeObserver | null;
  _childrenRO?: ResizeObserver | null;
  _hostElementSizeChanged?: () => void;
  _childrenSizeChanged?: (entries: ResizeObserverEntry[]) => void;
  _positionChildren?: (positions: unknown) => void;
}

const patched = new WeakSet();

/**
 * Makes the virtualizer of a row container follow the real DOM. Two things need fixing here:
 *
 * - The directive creates its virtualizer while Lit builds the group in a detached fragment, so it
 *   takes the wrong ancestors for its scroller (it must follow the listbox). Reconnected once the
 *   container is in the document, it measures the real ones.
 * - Nested in a scrolling listbox, the virtualizer resizes its container while it handles the
 *   sizes of its rows, inside the browser's ResizeObserver loop; that leaves the container's own
 *   observation undelivered, and the browser reports "ResizeObserver loop completed with
 *   undelivered notifications" as a page error (noise in error trackers and test runners). This
 *   virtualizer gets observers that deliver one frame later, outside the loop. Only this
 *   instance: the ResizeObserver class the package lets a page provide is global, and the message
 *   list provides its own.
 *
 * - Placing its rows, the virtualizer reads its `_children` getter (a walk over the container's
 *   children) once per row: 25 walks of 25 children in every frame while board updates move rows
 *   (about a tenth of the list's script time in a 4× profile, issue 15 item 2). While it places
 *   them, the children are read once and kept on the instance.
 *
 * Returns false when the container has no virtualizer (yet).
 */
export function attach(host: VirtualizerHostElement): boolean {
  const instance = host[virtualizerRef] as VirtualizerInternals | undefined;
  if (!instance) return false;
  const init = instance._initObservers;
  if (!patched.has(instance) && typeof init === 'function' && typeof instance._hostElementSizeChanged === 'function' && typeof instance._childrenSizeChanged === 'function') {
    patched.add(instance);
    const hostChanged = instance._hostElementSizeChanged.bind(instance);
    const childrenChanged = instance._childrenSizeChanged.bind(instance);
    const position = instance._positionChildren;
    if (typeof position === 'function') {
      instance._positionChildren = (positions) => {
        // An own property shadows the prototype's getter for this call only.
        Object.defineProperty(instance, '_children', { value: (instance as unknown as { _children: unknown })._children, configurable: true });
        try {
          position.call(instance, positions);
        } finally {
          delete (instance as unknown as { _children?: unknown })._children;
        }
      };
    }
    instance._initObservers = () => {
      init.call(instance);
      instance._hostElementRO?.disconnect();
      instance._childrenRO?.disconnect();
      instance._hostElementRO = new FrameResizeObserver(() => {
        hostChanged();
      });
      instance._childrenRO = new FrameResizeObserver((entries) => {
        childrenChanged(entries);
      });
    };
  }
  instance.disconnected();
  instance.connected();
  return true;
}
