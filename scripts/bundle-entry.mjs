// What an app's bundler makes of one entry of the package: esbuild bundles it from dist/
// (minified, code splitting on, the production and browser conditions, as a Vite or webpack
// production build would), and the result is split into what loads at once (the entry and every
// chunk it imports statically) and what loads later (chunks the kept code can import()).
// Used by scripts/size-report.mjs (docs/size.md) and test/e2e/package.test.ts.
import { build } from 'esbuild';

/**
 * @param {string} root the package root (dist/ must be built)
 * @param {{ file?: string, stdin?: { contents: string, sourcefile: string } }} entry a file of the
 *   package (`./dist/…`), or a module's source (`stdin`) that imports from it
 * @returns {Promise<{ initial: { bytes: Uint8Array[], inputs: string[] }, lazy: { bytes: Uint8Array[], inputs: string[] } }>}
 *   `inputs`: the source modules (paths relative to root, `node_modules/…` for dependencies)
 */
export async function bundleEntry(root, { file, stdin }) {
  const result = await build({
    ...(stdin ? { stdin: { ...stdin, resolveDir: root } } : { entryPoints: [file] }),
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    outdir: '/bundle-entry',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const outputs = result.metafile.outputs;
  const js = Object.keys(outputs).filter((f) => f.endsWith('.js'));
  // The entry and every chunk it imports statically load at once; the rest only on import().
  const initial = new Set();
  const visit = (f) => {
    if (initial.has(f)) return;
    initial.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(js.find((f) => outputs[f].entryPoint === (stdin ? stdin.sourcefile : file.replace(/^\.\//, ''))));
  // Chunks the kept code can import() (esbuild also writes chunks for import()s in code it dropped).
  const reachable = new Set();
  const reach = (f) => {
    if (reachable.has(f)) return;
    reachable.add(f);
    for (const i of outputs[f].imports) if (i.path.endsWith('.js')) reach(i.path);
  };
  for (const f of initial) reach(f);
  const part = (files) => ({
    bytes: files.map((f) => result.outputFiles.find((o) => o.path.endsWith(f.replace(/^.*\//, '/'))).contents),
    inputs: [...new Set(files.flatMap((f) => Object.keys(outputs[f].inputs)))].sort(),
  });
  return { initial: part([...initial]), lazy: part([...reachable].filter((f) => !initial.has(f))) };
}
