/**
 * Waits that prove something did *not* happen, by waiting for something that happens after it
 * would have (docs/contributing.md § Tests: no fixed sleeps).
 */

/**
 * Resolves once an image of our own, started now, has failed: a request to the test server whose
 * answer is no image (this module's source, never from the cache). An image that hostile text had
 * turned into markup earlier (`<img src=x onerror=…>`) would have failed, and run its handler, by
 * then. (Not `src=x` itself: the runner would list its 404.)
 */
export function imageErrorSeen(): Promise<void> {
  return new Promise((resolve) => {
    const probe = new Image();
    probe.onerror = () => {
      resolve();
    };
    probe.src = new URL(`settled.ts?probe=${String(Math.random())}`, import.meta.url).href;
  });
}
