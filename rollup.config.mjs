// Rollup: minified ES bundles for <script type="module"> / CDN use, built from tsc's output in dist/.
// Run through `npm run build` (scripts/build.mjs), which runs tsc first.
//   dist/console.js                              -> dist/cdn/chat.js          (the agent console)
//   dist/components/chat-visitor/chat-visitor.js -> dist/cdn/chat-visitor.js  (customer widget)
// Entries whose input does not exist yet are skipped (the project is young).
// Each entry is its own build, so a bundle never depends on the other bundle's chunks; dynamic
// import()s produce lazy chunks in dist/cdn/chunks/, which load relative to the entry file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import replace from '@rollup/plugin-replace';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

import { minifyCssTemplates } from './scripts/minify-css-templates.mjs';

// The build writes to a temporary directory first (scripts/build.mjs sets CHAT_BUILD_DIR).
const OUT = process.env.CHAT_BUILD_DIR ?? 'dist';

export const CDN_ENTRIES = [
  { name: 'chat', input: 'dist/console.js' },
  { name: 'chat-visitor', input: 'dist/components/chat-visitor/chat-visitor.js' },
].map((e) => ({ ...e, input: e.input.replace(/^dist/, OUT) }));

export function existingCdnEntries(root = process.cwd()) {
  return CDN_ENTRIES.filter((entry) => existsSync(resolve(root, entry.input)));
}

/**
 * Reads the source map tsc wrote beside each of our modules, so the bundle's map goes back to
 * the TypeScript (whose text tsc embedded with `inlineSources`), not to tsc's JavaScript.
 */
function tscSourceMaps() {
  const ours = resolve(OUT) + sep;
  return {
    name: 'crm-chat-tsc-source-maps',
    load(id) {
      if (!id.startsWith(ours) || !id.endsWith('.js') || !existsSync(`${id}.map`)) return null;
      const code = readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      return { code, map: readFileSync(`${id}.map`, 'utf8') };
    },
  };
}

function plugins() {
  return [
    tscSourceMaps(),
    // our css`…` templates without comments and indents (terser leaves template text alone)
    minifyCssTemplates({ include: (id) => id.startsWith(resolve(OUT) + sep) }),
    // nanostores (and Lit's dev checks) read process.env.NODE_ENV, which browsers do not have
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    // browser + production export conditions: Lit's production build, browser builds of deps
    // (the plugin always adds 'default', 'module' and 'import')
    // ignoreSideEffectsForRoot: package.json's "sideEffects" globs name ./dist/…, but the build
    // bundles from a temporary directory (CHAT_BUILD_DIR); without this, the registrations that
    // define.js imports for their side effects would be tree-shaken away.
    nodeResolve({ browser: true, exportConditions: ['production'], ignoreSideEffectsForRoot: true }),
    // Two compress passes: about 0.3 kB less raw in the console. Its brotli size also moves by up to
    // 0.1 kB with the lazy chunks' hashes alone (the entry's export aliases are permuted), and it
    // sits at its budget (issue 15 item 2 removed the session list's virtualizer chunk: 59.34 kB
    // with one pass, 59.13 kB with two).
    terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ];
}

const configs = existingCdnEntries().map(({ name, input }) => ({
  input: { [name]: input },
  // Keep code shared with lazy chunks inside the entry file itself (instead of a stub entry that
  // imports a chunk), so the entry is exactly what a page downloads first, and size-limit
  // measures it.
  preserveEntrySignatures: 'allow-extension',
  plugins: plugins(),
  output: {
    dir: join(OUT, 'cdn'),
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // libphonenumber-js (loaded on first use by src/crm/phone.ts) would be named after its entry
    // file ("min"): a name that says what it is, for the size budget and the network panel.
    manualChunks: (id) => (id.includes(`${sep}node_modules${sep}libphonenumber-js${sep}`) ? 'phone-numbers' : undefined),
    // Lazy parts load with import('./chunks/…'), which resolves against the bundle's own URL:
    // the files work from any base URL and from another origin (served with CORS, as
    // server/core/http/routes/static.ts does for /dist/).
    // Maps embed every source (sourcesContent), since src/ is not shipped; dependencies are
    // named by their package path (`node_modules/lit-html/…`) wherever node_modules really is.
    sourcemap: true,
    sourcemapExcludeSources: false,
    sourcemapPathTransform: (source, map) => {
      const at = resolve(dirname(map), source).lastIndexOf(`${sep}node_modules${sep}`);
      if (at < 0) return source;
      return relative(dirname(map), join(process.cwd(), resolve(dirname(map), source).slice(at + 1)));
    },
  },
}));

export default configs;
