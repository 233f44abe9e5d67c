/**
 * The virtualizer can raise Chrome's benign "ResizeObserver loop completed with undelivered
 * notifications"; mocha's window.onerror would fail the test. Call in a test file that renders
 * virtualized lists.
 */
export function ignoreResizeObserverLoop(): void {
  const isLoop = (message: unknown) => typeof message === 'string' && message.includes('ResizeObserver loop');
  window.addEventListener(
    'error',
    (event) => {
      if (isLoop(event.message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );
  let mochaOnError: OnErrorEventHandler = null;
  before(() => {
    mochaOnError = window.onerror;
    window.onerror = (message, source, line, column, error) => {
      if (isLoop(message)) return true;
      return mochaOnError ? Boolean(mochaOnError.call(window, message, source, line, column, error)) : false;
    };
  });
  after(() => {
    window.onerror = mochaOnError;
  });
}
