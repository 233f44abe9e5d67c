// @custom-elements-manifest/analyzer 0.11 config (`npm run analyze` writes ./custom-elements.json).
// scripts/check-manifest.mjs runs the same config into a temp dir and diffs (`npm run manifest:check`).

/** JSDoc tags on a component class that are copied into its manifest declaration. */
function componentMetaPlugin() {
  return {
    name: 'crm-chat-component-meta',
    // Called for every AST node of every module, after the built-in analyzers (which have already
    // created the class declaration for a ClassDeclaration node).
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const declaration = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
      if (!declaration) return;
      for (const tag of ts.getJSDocTags(node)) {
        const tagName = tag.tagName.getText();
        const text = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
        if (!text) continue;
        if (tagName === 'status') declaration.status = text;
        else if (tagName === 'since') declaration.since = text;
        else if (tagName === 'dependency') {
          declaration.dependencies = [...(declaration.dependencies ?? []), text.split(/\s+/)[0]];
        }
      }
    },
  };
}

/**
 * The analyzer records an event without a name for every `dispatchEvent(new SomeEvent(…))`.
 * Every event is documented by name with `@fires`, so nameless entries are dropped.
 */
function namedEventsOnlyPlugin() {
  return {
    name: 'crm-chat-named-events-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (Array.isArray(declaration.events)) {
            declaration.events = declaration.events.filter((event) => typeof event.name === 'string' && event.name !== '');
          }
        }
      }
    },
  };
}

/** Modules in path order, so the manifest does not depend on the order files were read in. */
function stableOrderPlugin() {
  return {
    name: 'crm-chat-stable-order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules?.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

/** `src/components/x/x.component.ts` → `dist/components/x/x.component.js` (the shipped module). */
const shipped = (path) => path.replace(/^\/?src\//, 'dist/').replace(/\.[jt]s$/, '.js');

/**
 * Points the manifest at the modules the package ships (`dist/…js`, not the unshipped `src/…ts`),
 * and adds for every element the module that registers its tag (`dist/components/x/x.js`, what
 * `crm-chat-elements/x.js` exports) with a `custom-element-definition` export: the tag-to-module
 * mapping that tools (IDEs, Storybook, the generated React and Vue typings) read.
 */
function shippedModulesPlugin() {
  const rewrite = (value) => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = (key === 'module' || key === 'path') && typeof v === 'string' && /^\/?src\/.*\.[jt]s$/.test(v) ? shipped(v) : rewrite(v);
    }
    return out;
  };
  return {
    name: 'crm-chat-shipped-modules',
    packageLinkPhase({ customElementsManifest }) {
      const definitions = [];
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (!declaration.customElement || !declaration.tagName) continue;
          const componentModule = shipped(mod.path);
          definitions.push({
            kind: 'javascript-module',
            path: componentModule.replace(/\.component\.js$/, '.js'),
            declarations: [],
            exports: [
              { kind: 'js', name: '*', declaration: { name: '*', module: componentModule } },
              { kind: 'custom-element-definition', name: declaration.tagName, declaration: { name: declaration.name, module: componentModule } },
            ],
          });
        }
      }
      const rewritten = rewrite(customElementsManifest.modules ?? []);
      customElementsManifest.modules = [...rewritten, ...definitions];
    },
  };
}

export default {
  globs: ['src/components/**/*.component.ts', 'src/internal/chat-element.ts'],
  exclude: ['**/*.test.ts', '**/*.styles.ts', '**/*.stories.ts'],
  outdir: '.',
  litelement: true,
  // package.json already has "customElements": "custom-elements.json"; never let the analyzer
  // rewrite (and reformat) package.json, in particular not for the temp-dir run of manifest:check.
  packagejson: false,
  plugins: [componentMetaPlugin(), namedEventsOnlyPlugin(), shippedModulesPlugin(), stableOrderPlugin()],
};
