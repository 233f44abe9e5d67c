// A Rollup plugin: the text of Lit's css`…` templates, minified. Lit ships a component's styles
// as the template's text, so without this every comment, indent and line break of our style
// sheets reaches the browser (terser leaves template text alone). Only the literal parts are
// touched (never the `${…}` expressions), and never the inside of a quoted CSS string:
// comments go, runs of whitespace become one space, and the spaces beside `{`, `}`, `;` and `,`
// go, as does the `;` before a `}`. Source maps follow (magic-string).
import MagicString from 'magic-string';

const STRING = /('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/;

/** Minifies CSS text that holds no `${…}` (a literal part of a template). */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(STRING)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/\s+/g, ' ').replace(/ ?([{};,]) ?/g, '$1').replace(/;}/g, '}')))
    .join('');
}

/** Index just past the quoted string or template that starts at `i`. */
function skipQuoted(code, i) {
  const quote = code[i];
  for (let j = i + 1; j < code.length; j += 1) {
    if (code[j] === '\\') j += 1;
    else if (code[j] === quote) return j + 1;
  }
  return code.length;
}

/** The [start, end) ranges of the literal parts of the css`…` template whose text starts at `i`; and its end. */
function literalParts(code, i) {
  const parts = [];
  let start = i;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '`') {
      parts.push([start, i]);
      return { parts, end: i + 1 };
    } else if (c === '$' && code[i + 1] === '{') {
      parts.push([start, i]);
      let depth = 1;
      i += 2;
      while (i < code.length && depth > 0) {
        const d = code[i];
        if (d === '`' || d === '"' || d === "'") {
          i = skipQuoted(code, i);
          continue;
        }
        if (d === '{') depth += 1;
        else if (d === '}') depth -= 1;
        i += 1;
      }
      start = i;
    } else {
      i += 1;
    }
  }
  return { parts, end: code.length };
}

export function minifyCssTemplates({ include }) {
  return {
    name: 'crm-chat-minify-css-templates',
    transform(code, id) {
      if (!include(id) || !/\bcss\s*`/.test(code)) return null;
      const s = new MagicString(code);
      let changed = false;
      const tag = /\bcss\s*`/g;
      let m;
      while ((m = tag.exec(code))) {
        const { parts, end } = literalParts(code, m.index + m[0].length);
        parts.forEach(([a, b], i) => {
          if (a === b) return;
          const text = code.slice(a, b);
          let min = minifyCss(text);
          // Whitespace at the template's very start or end means nothing.
          if (i === 0) min = min.trimStart();
          if (i === parts.length - 1) min = min.trimEnd();
          if (min === text) return;
          if (min === '') s.remove(a, b);
          else s.overwrite(a, b, min);
          changed = true;
        });
        tag.lastIndex = end;
      }
      return changed ? { code: s.toString(), map: s.generateMap({ hires: true, source: id }) } : null;
    },
  };
}
