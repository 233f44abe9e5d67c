#!/usr/bin/env node
// `npm run build:frameworks`: the framework examples under demo/frameworks/ as pages the demo
// server serves (`/demo/frameworks/<name>/`), each bundled with esbuild into
// demo/frameworks/<name>/build/app.js (git-ignored) against the built package (`npm run build`
// first: they import `crm-chat-elements/…`, i.e. dist/):
//   react    main.tsx (React 19, automatic JSX runtime)
//   vue      main.ts + App.vue (compiled with @vue/compiler-sfc; chat-* tags are custom elements)
//   angular  main.ts + app.component.ts, compiled ahead of time by ngc (strictTemplates), and
//            @angular/* linked with the Angular linker (no JIT compiler: no eval, so the page runs
//            under the demo's strict CSP)
// `--check` also type-checks React (tsc) and Vue (vue-tsc, strictTemplates) first; ngc always
// type-checks Angular. Exits non-zero on any error. Used by test/e2e/frameworks.test.ts.
//
// Usage: node scripts/build-frameworks.mjs [--check] [react|vue|angular ...]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dir = join(root, 'demo/frameworks');
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);

/** Runs a node CLI; resolves with its output, rejects with it on a non-zero exit. */
function node(label, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${label} failed (exit ${code}):\n${output}`));
    });
  });
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** `.vue` single-file components through @vue/compiler-sfc (script setup with the template inlined). */
function vuePlugin() {
  return {
    name: 'vue-sfc',
    setup(b) {
      b.onLoad({ filter: /\.vue$/ }, async (args) => {
        const { parse, compileScript } = await import('@vue/compiler-sfc');
        const { descriptor, errors } = parse(readFileSync(args.path, 'utf8'), { filename: args.path });
        if (errors.length) return { errors: errors.map((e) => ({ text: String(e.message ?? e) })) };
        const script = compileScript(descriptor, {
          id: relative(root, args.path),
          inlineTemplate: true,
          templateOptions: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('chat-') } },
        });
        return { contents: script.content, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** Links the partially compiled declarations of Angular's packages (what the Angular CLI does). */
function angularLinkerPlugin() {
  return {
    name: 'angular-linker',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]@angular[\\/].*\.mjs$/ }, async (args) => {
        const code = readFileSync(args.path, 'utf8');
        if (!code.includes('ɵɵngDeclare')) return undefined;
        const { transformAsync } = await import('@babel/core');
        const { default: linker } = await import('@angular/compiler-cli/linker/babel');
        const result = await transformAsync(code, { filename: args.path, babelrc: false, configFile: false, compact: false, plugins: [linker] });
        return { contents: result?.code ?? code, loader: 'js' };
      });
    },
  };
}

const FRAMEWORKS = {
  async react({ check }) {
    if (check) await node('tsc (React 19 types)', [bin('typescript', 'bin/tsc'), '-p', 'demo/frameworks/react/tsconfig.json']);
    await build({ ...common, entryPoints: [join(dir, 'react/main.tsx')], outfile: join(dir, 'react/build/app.js'), jsx: 'automatic' });
  },
  async vue({ check }) {
    if (check) await node('vue-tsc (strictTemplates)', [bin('vue-tsc', 'bin/vue-tsc.js'), '-p', 'demo/frameworks/vue/tsconfig.json']);
    await build({
      ...common,
      entryPoints: [join(dir, 'vue/main.ts')],
      outfile: join(dir, 'vue/build/app.js'),
      plugins: [vuePlugin()],
      define: { ...common.define, __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    });
  },
  async angular() {
    const out = join(dir, 'angular/build/ngc');
    rmSync(out, { recursive: true, force: true });
    await node('ngc (strictTemplates, CUSTOM_ELEMENTS_SCHEMA)', [bin('@angular/compiler-cli', 'bundles/src/bin/ngc.js'), '-p', 'demo/frameworks/angular/tsconfig.json', '--outDir', out]);
    await build({ ...common, entryPoints: [join(out, 'angular/main.js')], outfile: join(dir, 'angular/build/app.js'), plugins: [angularLinkerPlugin()] });
    rmSync(out, { recursive: true, force: true });
  },
};

const args = process.argv.slice(2);
const check = args.includes('--check');
const names = args.filter((a) => !a.startsWith('--'));
const chosen = names.length ? names : Object.keys(FRAMEWORKS);
for (const name of chosen) if (!(name in FRAMEWORKS)) throw new Error(`unknown framework ${name} (one of ${Object.keys(FRAMEWORKS).join(', ')})`);
if (!existsSync(join(root, 'dist/index.d.ts')) || !existsSync(join(root, 'dist/types/react.d.ts'))) {
  console.error('build-frameworks: dist/ is missing or old: run `npm run build` first');
  process.exit(1);
}
const results = await Promise.allSettled(chosen.map(async (name) => {
  const start = performance.now();
  await FRAMEWORKS[name]({ check });
  console.log(`build-frameworks: ${name}${check ? ' (type-checked)' : ''} → demo/frameworks/${name}/build/app.js in ${((performance.now() - start) / 1000).toFixed(1)}s`);
}));
const failed = results.filter((r) => r.status === 'rejected');
for (const r of failed) console.error(`build-frameworks: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
process.exitCode = failed.length ? 1 : 0;
