/**
 * A ResizeObserver that does not trigger the browser's "ResizeObserver loop completed with
 * undelivered notifications" error for the virtualizer's rows.
 *
 * The virtualizer measures its rows in a ResizeObserver callback; the re-layout that follows runs
 * in microtasks, still inside the browser's observation loop, and adds or removes rows. A removed
 * row that is still observed, or a new row observed during the loop, has a notification the loop
 * cannot deliver any more, so the browser reports an error on `window` (harmless, but it reaches
 * every page's error handlers, monitoring and test runners). This wrapper
 *
 * - stops observing a target as soon as it is removed from its parent (a mutation observer,
 *   which also runs inside the loop, before the browser looks for pending notifications), and
 * - postpones `observe()` calls made during a delivery until the loop is over (a task later,
 *   before the next frame). The browser would deliver those first notifications in the next
 *   frame anyway, so the timing is the same, without the error.
 */
let delivering = false;
const waiting = new Set<LoopSafeResizeObserver>();

function endOfDelivery(): void {
  delivering = false;
  const observers = [...waiting];
  waiting.clear();
  for (const o of observers) o.flush();
}

function startDelivery(): void {
  if (delivering) return;
  delivering = true;
  // A task runs after the current rendering step (and its observation loop) has finished.
  setTimeout(endOfDelivery, 0);
}

export class LoopSafeResizeObserver implements ResizeObserver {
  private readonly native: ResizeObserver;
  private readonly postponed = new Map<Element, ResizeObserverOptions | undefined>();
  private readonly observed = new Set<Element>();
  private readonly removals: MutationObserver;

  constructor(callback: ResizeObserverCallback) {
    this.native = new ResizeObserver((entries) => {
      startDelivery();
      callback(entries, this);
    });
    this.removals = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.removedNodes) {
          if (node instanceof Element && this.observed.has(node) && !node.isConnected) this.unobserve(node);
        }
      }
    });
  }

  observe(target: Element, options?: ResizeObserverOptions): void {
    if (delivering) {
      this.postponed.set(target, options);
      waiting.add(this);
      return;
    }
    this.start(target, options);
  }

  unobserve(target: Element): void {
    this.postponed.delete(target);
    this.observed.delete(target);
    this.native.unobserve(target);
  }

  disconnect(): void {
    this.postponed.clear();
    this.observed.clear();
    waiting.delete(this);
    this.native.disconnect();
    this.removals.disconnect();
  }

  /** Starts the observations postponed during a delivery. */
  flush(): void {
    const targets = [...this.postponed];
    this.postponed.clear();
    for (const [target, options] of targets) if (target.isConnected) this.start(target, options);
  }

  private start(target: Element, options?: ResizeObserverOptions): void {
    // Observing a target again would restart it (and report it once more): keep the first.
    if (this.observed.has(target)) return;
    this.native.observe(target, options);
    this.observed.add(target);
    if (target.parentNode) this.removals.observe(target.parentNode, { childList: true });
  }
}
