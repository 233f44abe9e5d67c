// ESLint 9 flat config for crm-chat-elements.
//
// * TypeScript (src, server, test, bench): typescript-eslint strictTypeChecked + stylisticTypeChecked,
//   typed through the project service (tsconfig.json covers all four folders).
// * Browser code (src, test): eslint-plugin-lit, eslint-plugin-lit-a11y, eslint-plugin-wc.
// * src: HTML-injection sinks (unsafeHTML, innerHTML, document.write, ...) are forbidden.
// * *.mjs / *.js tooling files: plain @eslint/js recommended with Node globals, no type information.
import { defineConfig, globalIgnores } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

const TS_FILES = ['src/**/*.ts', 'server/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'];
const BROWSER_TS_FILES = ['src/**/*.ts', 'test/**/*.ts'];
const TEST_FILES = ['test/**/*.ts'];

// Ways to put an untrusted string into the DOM as markup. Lit's auto-escaping templates are the
// only supported way to render content in src/.
const HTML_SINK_MESSAGE =
  'HTML sink: render through a Lit template (auto-escaped) instead; see docs on XSS.';
const HTML_SINK_PROPERTIES = [
  'innerHTML',
  'outerHTML',
  'insertAdjacentHTML',
  'setHTMLUnsafe',
  'createContextualFragment',
];

export default defineConfig(
  globalIgnores([
    'dist/',
    'node_modules/',
    'coverage/',
    'data/',
    'custom-elements.json',
    '.test-results/',
    'bench/.out/',
    'dist.build-*/',
    'dist.old-*/',
    'demo/frameworks/*/build/',
    'docs-site/',
    '**/.wrangler/',
    '.cloudflare/',
    'data-cf/',
  ]),

  // --- JavaScript tooling files (configs, scripts, helpers) ---------------------------------
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // --- TypeScript (typed) ---------------------------------------------------------------------
  {
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers (counts, ids, ms) in template literals are fine; everything else stays as strict as
      // strictTypeChecked (the rule's own defaults are looser, so spell every option out).
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowAny: false,
          allowArray: false,
          allowBoolean: false,
          allowNever: false,
          allowNullish: false,
          allowRegExp: false,
        },
      ],
      // `_`-prefixed names mark intentionally unused parameters / destructured leftovers.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // `import type` keeps emitted JS free of type-only imports (verbatimModuleSyntax agrees).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // --- Browser code: Lit, a11y of Lit templates, custom-element rules -------------------------
  {
    files: BROWSER_TS_FILES,
    extends: [lit.configs['flat/recommended'], litA11y.configs.recommended, wc.configs['flat/best-practice']],
    languageOptions: { globals: { ...globals.browser } },
    settings: {
      // Let eslint-plugin-wc and eslint-plugin-lit recognise our elements: every element extends
      // ChatElement (src/internal/chat-element.ts), which extends LitElement.
      wc: { elementBaseClasses: ['LitElement', 'ChatElement'] },
      lit: { elementBaseClasses: ['ChatElement'] },
    },
    rules: {
      // LitElement always defines connectedCallback/disconnectedCallback etc., so the guard
      // `if (super.connectedCallback) ...` that this rule wants is dead code for Lit elements.
      'wc/guard-super-call': 'off',
      // Lit calls template event listeners with `this` set to the host element
      // (`@click=${this._onClick}` is the documented idiom), which this rule cannot see.
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // --- src only: forbid HTML-injection sinks ----------------------------------------------------
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'lit/directives/unsafe-html.js', message: HTML_SINK_MESSAGE },
            { name: 'lit/directives/unsafe-svg.js', message: HTML_SINK_MESSAGE },
            { name: 'lit-html/directives/unsafe-html.js', message: HTML_SINK_MESSAGE },
            { name: 'lit-html/directives/unsafe-svg.js', message: HTML_SINK_MESSAGE },
            { name: 'lit/static-html.js', importNames: ['unsafeStatic'], message: HTML_SINK_MESSAGE },
            {
              name: '@lit/localize',
              message: "Use msg/str from src/i18n/localization.ts: the library has its own localisation runtime (a host page may configure @lit/localize itself), and @lit/localize's msg would stay English.",
            },
          ],
        },
      ],
      // Any access (read or write, dotted or ['computed']) of the markup-parsing DOM APIs.
      'no-restricted-properties': [
        'error',
        ...HTML_SINK_PROPERTIES.map((property) => ({ property, message: HTML_SINK_MESSAGE })),
        { object: 'document', property: 'write', message: HTML_SINK_MESSAGE },
        { object: 'document', property: 'writeln', message: HTML_SINK_MESSAGE },
      ],
      'no-restricted-syntax': [
        'error',
        // Object.assign(el, { innerHTML: x }) and similar bypasses of no-restricted-properties.
        {
          selector: 'Property[key.name=/^(innerHTML|outerHTML)$/]',
          message: HTML_SINK_MESSAGE,
        },
        // Lit property bindings such as html`<div .innerHTML=${x}>`.
        {
          selector: 'TaggedTemplateExpression TemplateElement[value.raw=/\\.(innerHTML|outerHTML)\\s*=/]',
          message: HTML_SINK_MESSAGE,
        },
      ],
    },
  },

  // --- Tests: relaxations common in mocha/chai/node:test suites ------------------------------
  {
    files: TEST_FILES,
    rules: {
      // Fixtures are known to exist: `el.shadowRoot!.querySelector('button')!`.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // chai property assertions: `expect(x).to.be.true`.
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-unused-expressions': 'off',
      // node:test's `describe`/`it` return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [
        { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
      ] }],
    },
  },
  {
    // Browser tests use @open-wc/testing's chai, whose DOM-diff plugin types every
    // `expect(a).to.equal(b)` as returning a Promise; the rule cannot tell those apart from
    // real floating promises there. Node and end-to-end tests keep the rule.
    files: ['test/{components,state,transport,protocol,internal,i18n,crm,fixtures,helpers}/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
