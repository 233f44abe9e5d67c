/**
 * Timing helpers for the browser bench pages (bundled into each page; not a page itself).
 *
 * - `nextTask()` yields for one task through a MessageChannel: unlike `setTimeout(0)` it is not
 *   clamped to 4 ms once timers nest, so a loop of it looks at the page after every task.
 * - `whenShown(find)` tells when something appeared in the DOM and when the first frame that
 *   contains it had been rendered: a task posted from inside a frame's `requestAnimationFrame`
 *   callback runs only after that frame's rendering step (style, layout, paint), so DOM changes
 *   made before the callback are in that frame.
 */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => {
  waiting.shift()?.();
};

/** Resolves in a new task (a MessageChannel message, not clamped like setTimeout). */
export function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Resolves at the next animation frame callback. */
export function nextFrame(): Promise<void> {
  return new Promise<void>((resolve) => {
    requestAnimationFrame(() => {
      resolve();
    });
  });
}

/**
 * Looks for `find()` after every task and at the start of every frame until it returns something.
 * Resolves with when it was found (`inDom`) and when the first frame containing it had been
 * rendered (`painted`): found at the start of a frame, that frame (a task posted from its
 * animation frame callback runs once it is rendered); found after a task, the next frame. Never
 * earlier than the truth; one frame late at most, when the DOM changed during a frame's rendering
 * step after the animation frame callbacks (in a ResizeObserver callback).
 */
export function whenShown(find: () => unknown): Promise<{ inDom: number; painted: number }> {
  return new Promise((resolve) => {
    let inDom = -1;
    const rendered = () => {
      void nextTask().then(() => {
        resolve({ inDom, painted: performance.now() });
      });
    };
    const onFrame = () => {
      if (inDom >= 0) return;
      if (find()) {
        inDom = performance.now();
        // Posted from inside this frame's callbacks: runs once this frame is rendered.
        rendered();
      } else requestAnimationFrame(onFrame);
    };
    const onTask = () => {
      if (inDom >= 0) return;
      if (find()) {
        inDom = performance.now();
        requestAnimationFrame(rendered);
      } else void nextTask().then(onTask);
    };
    requestAnimationFrame(onFrame);
    onTask();
  });
}
