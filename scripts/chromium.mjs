// Where Chromium is and how every headless run of this repository starts it: the browser tests
// (web-test-runner.config.mjs), the end-to-end tests (test/e2e/helpers.ts), the screenshots
// (scripts/screenshots.mjs) and the browser benchmarks (bench/browser.bench.mjs).
// `npm test` (scripts/test.mjs) finds or installs Chromium and sets CHROME_PATH.

/** The Chromium executable: CHROME_PATH, else Debian's. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Command-line switches of every headless Chromium here. */
export const CHROME_ARGS = Object.freeze([
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-dev-shm-usage', // small /dev/shm in containers
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);
