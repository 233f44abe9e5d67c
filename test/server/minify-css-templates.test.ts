/**
 * The build's minifier of Lit css`…` templates (scripts/minify-css-templates.mjs): comments and
 * indents go; quoted strings, `${…}` expressions and the spaces that carry meaning stay.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

// @ts-expect-error: a plain .mjs build script without types
import { minifyCss, minifyCssTemplates } from '../../scripts/minify-css-templates.mjs';

const minify = minifyCss as (text: string) => string;
const plugin = (minifyCssTemplates as (o: { include: (id: string) => boolean }) => { transform(code: string, id: string): { code: string } | null })({ include: () => true });

test('comments and indents go; strings, selectors with spaces and calc() stay', () => {
  const css = `
    /* a comment */
    :host([dir='rtl']) .a > .b,
    .c::before {
      content: ', ';
      grid-template-areas:
        'list  conversation'
        'x y';
      width: calc(100% - 2px);
    }
    @media (width > 40rem) { .x { color: red; } }
  `;
  assert.equal(minify(css), " :host([dir='rtl']) .a > .b,.c::before{content: ', ';grid-template-areas: 'list  conversation' 'x y';width: calc(100% - 2px)}@media (width > 40rem){.x{color: red}}");
});

test('only the literal parts of css templates change; expressions and other templates do not', () => {
  const code = [
    "const a = css `\n  .x {\n    color: ${unsafeCSS('a  {  b')};\n  }\n  ${more} .y { margin: 0; }\n`;",
    'const b = html`<p>  two  spaces  </p>`;',
    'const c = `/* not css */  {  }`;',
  ].join('\n');
  const out = plugin.transform(code, 'x.js')?.code;
  assert.equal(
    out,
    [
      "const a = css `.x{color: ${unsafeCSS('a  {  b')}}${more} .y{margin: 0}`;",
      'const b = html`<p>  two  spaces  </p>`;',
      'const c = `/* not css */  {  }`;',
    ].join('\n'),
  );
  assert.equal(plugin.transform('const d = html`<p>  x  </p>`;', 'y.js'), null, 'no css template: untouched');
});
