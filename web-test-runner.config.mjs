// web-test-runner: browser tests (Lit components, stores, transport, protocol) in headless Chromium.
// test/server and test/e2e are node --test suites and are never matched here.
//
// The config is built by createConfig() so that extra dev-server plugins (e.g. one that starts the
// real chat server for transport tests) can be appended without copying this file:
//   import { createConfig } from './web-test-runner.config.mjs';
//   export default createConfig({ plugins: [myPlugin()] });
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { countReporter } from './test/helpers/wtr-count-reporter.mjs';
import { BROWSER_TEST_GLOB } from './test/helpers/wtr-files.mjs';
import { chatServerPlugin } from './test/helpers/wtr-chat-server.mjs';
import { CHROME_ARGS, CHROME_PATH } from './scripts/chromium.mjs';


export function createConfig({ plugins = [] } = {}) {
  return {
    files: [BROWSER_TEST_GLOB],
    nodeResolve: true,
    concurrency: 1, // 2-core machines: one page at a time is the most stable
    // nanostores 1.x reads process.env.NODE_ENV without a guard
    testRunnerHtml: (testFramework) => `<html><body>
    <script>window.process = { env: { NODE_ENV: 'development' } };</script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
    plugins: [
      // es2022, not "auto": auto picks esnext for new Chrome and leaves decorators untransformed
      esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
      // chat server plugin is added here
      ...plugins,
    ],
    // drop Lit's dev-mode banner (tests resolve lit's 'development' export condition)
    filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
    testFramework: { config: { timeout: 10000 } },
    coverageConfig: {
      include: ['src/**/*.ts'],
      exclude: ['src/generated/**'],
    },
    reporters: [defaultReporter(), countReporter()],
    browsers: [
      chromeLauncher({
        launchOptions: {
          executablePath: CHROME_PATH,
          headless: true,
          args: [...CHROME_ARGS],
        },
      }),
    ],
  };
}

export default createConfig({ plugins: [chatServerPlugin()] });
