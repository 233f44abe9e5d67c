import { expect, fixture, html } from '@open-wc/testing';

import type { LinkToken } from '../../src/internal/linkify.js';
import { linkify, safeHref, tokenize } from '../../src/internal/linkify.js';

const links = (text: string) => tokenize(text).filter((t): t is LinkToken => typeof t !== 'string');

/** Renders `text` through linkify into a fresh element and returns it. */
async function rendered(text: string): Promise<HTMLElement> {
  return fixture<HTMLElement>(html`<p>${linkify(text)}</p>`);
}

describe('linkify', () => {
  describe('safeHref', () => {
    it('allows https, http, mailto and tel', () => {
      expect(safeHref('https://example.com/a?b=c#d')).to.equal('https://example.com/a?b=c#d');
      expect(safeHref('http://example.com')).to.equal('http://example.com/');
      expect(safeHref('HTTPS://EXAMPLE.COM/X')).to.equal('https://example.com/X');
      expect(safeHref('mailto:kim@example.com')).to.equal('mailto:kim@example.com');
      expect(safeHref('tel:+46701234567')).to.equal('tel:+46701234567');
    });

    it('refuses every other scheme, however it is written', () => {
      const attacks = [
        'javascript:alert(1)',
        'JaVaScRiPt:alert(1)',
        'java\tscript:alert(1)',
        'java\nscript:alert(1)',
        'java\rscript:alert(1)',
        '\u0000javascript:alert(1)',
        ' javascript:alert(1)',
        'javascript\u0001:alert(1)',
        'jav&#x09;ascript:alert(1)',
        '&#106;avascript:alert(1)',
        'javascript&colon;alert(1)',
        '&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
        'vbscript:msgbox(1)',
        'VBScript:msgbox(1)',
        'file:///etc/passwd',
        'blob:https://example.com/uuid',
        'ftp://example.com/',
        '//evil.example/path',
        '/relative/path',
        'https:',
        'http://',
        'mailto:',
        'tel:',
        '',
      ];
      for (const attack of attacks) expect(safeHref(attack), JSON.stringify(attack)).to.equal(undefined);
    });

    it('strips control characters and whitespace before parsing', () => {
      expect(safeHref('https://exa\tmple.com/\npath')).to.equal('https://example.com/path');
      expect(safeHref('\u0000https://example.com')).to.equal('https://example.com/');
    });

    it('percent-encodes quotes and angle brackets, so an href cannot break out', () => {
      const href = safeHref('https://example.com/"onmouseover="alert(1)"<x>');
      expect(href).to.equal('https://example.com/%22onmouseover=%22alert(1)%22%3Cx%3E');
    });
  });

  describe('tokenize', () => {
    it('finds links in text and keeps everything else as text', () => {
      expect(tokenize('See https://example.com/order/7781, or mail kim@example.com. Call tel:+4670123 now')).to.deep.equal([
        'See ',
        { href: 'https://example.com/order/7781', text: 'https://example.com/order/7781' },
        ', or mail ',
        { href: 'mailto:kim@example.com', text: 'kim@example.com' },
        '. Call ',
        { href: 'tel:+4670123', text: 'tel:+4670123' },
        ' now',
      ]);
    });

    it('leaves text without links as one string', () => {
      expect(tokenize('Hello there: no links here')).to.deep.equal(['Hello there: no links here']);
      expect(tokenize('')).to.deep.equal([]);
    });

    it('ends a link at quotes, angle brackets and trailing punctuation', () => {
      expect(links('(see https://example.com/a_(b)).')).to.deep.equal([{ href: 'https://example.com/a_(b)', text: 'https://example.com/a_(b)' }]);
      expect(links('<https://example.com/x>')).to.deep.equal([{ href: 'https://example.com/x', text: 'https://example.com/x' }]);
      expect(links('https://example.com/"onmouseover="alert(1)')).to.deep.equal([{ href: 'https://example.com/', text: 'https://example.com/' }]);
      expect(links('Mailto:KIM@example.com!')).to.deep.equal([{ href: 'mailto:KIM@example.com', text: 'Mailto:KIM@example.com' }]);
    });

    it('does not link hostile schemes or words that merely contain a scheme', () => {
      for (const text of [
        'javascript:alert(1)',
        'JaVaScRiPt:alert(document.cookie)',
        'java\tscript:alert(1)',
        'click javascript&#58;alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'vbscript:msgbox(1)',
        'file:///etc/passwd',
        'xhttps://example.com',
        'fakemailto:kim@example',
        'https://',
        'a@b',
        'a@b.c',
        '.@example.com',
      ]) {
        expect(links(text), text).to.deep.equal([]);
      }
    });

    it('links several addresses and links in a row', () => {
      expect(links('a@example.com, b@example.org').map((l) => l.text)).to.deep.equal(['a@example.com', 'b@example.org']);
      expect(links('https://a.example,https://b.example').map((l) => l.text)).to.deep.equal(['https://a.example', 'https://b.example']);
    });

    it('links www. and bare domains (with known top-level domains), not file names or versions', () => {
      expect(links('See www.example.com.')).to.deep.equal([{ href: 'http://www.example.com/', text: 'www.example.com' }]);
      expect(links('Order at shop.example.se/order?id=7, thanks')).to.deep.equal([{ href: 'http://shop.example.se/order?id=7', text: 'shop.example.se/order?id=7' }]);
      expect(links('It is on example.com!')).to.deep.equal([{ href: 'http://example.com/', text: 'example.com' }]);
      expect(links('(www.example.org/a_(b))')).to.deep.equal([{ href: 'http://www.example.org/a_(b)', text: 'www.example.org/a_(b)' }]);
      // An international domain keeps its letters in the text and is punycode in the href.
      expect(links('räksmörgås.se')).to.deep.equal([{ href: 'http://xn--rksmrgs-5wao1o.se/', text: 'räksmörgås.se' }]);
      for (const text of ['report.pdf', 'index.js', 'v1.2.3', '10.0.0.1', 'e.g. this', 'www.', 'example.', 'Hi.How are you']) expect(links(text), text).to.deep.equal([]);
    });

    it('never links a bare domain into a hostile scheme', () => {
      expect(links('javascript:example.com')).to.deep.equal([]);
      expect(links('data:text/html,www.example.com')).to.deep.equal([{ href: 'http://www.example.com/', text: 'www.example.com' }]);
      expect(links('javascript://www.example.com/%0Aalert(1)')).to.deep.equal([]);
    });

    // A backtracking (quadratic or worse) tokenizer needs minutes for these 200,000-character
    // inputs; linkify-it needs milliseconds. The bound only catches the former, with a margin
    // wide enough for a loaded CI machine (it is not a performance figure: see bench/).
    it('is linear: 50,000 addresses and long runs without spaces never backtrack', () => {
      const inputs = [
        'a@a.a '.repeat(50_000),
        'a@a.a'.repeat(50_000),
        'a@example.com'.repeat(20_000),
        'a'.repeat(200_000),
        `${'a'.repeat(100_000)}@${'b'.repeat(100_000)}`,
        '@'.repeat(200_000),
        'http://'.repeat(30_000),
        'https://a'.repeat(30_000),
        `https://example.com/${'('.repeat(50_000)}`,
        'mailto:'.repeat(30_000),
        `${'a.'.repeat(100_000)}@`,
        `x@${'a-'.repeat(100_000)}`,
        'www.example.com '.repeat(12_000),
        'example.com'.repeat(16_000),
        'www.'.repeat(50_000),
        'a.'.repeat(100_000),
      ];
      for (const text of inputs) {
        const started = performance.now();
        const tokens = tokenize(text);
        const ms = performance.now() - started;
        expect(ms, `${text.slice(0, 20)}… took ${ms.toFixed(0)} ms`).to.be.lessThan(5000);
        expect(tokens.map((t) => (typeof t === 'string' ? t : t.text)).join('')).to.equal(text);
      }
    });

    it('gives back the text unchanged when joined', () => {
      const text = 'Hi Kim!\nOrder: https://shop.example/o/1?x=1&y=2#top (mail kim@example.com)\ttel:+46-70 done.';
      expect(tokenize(text).map((t) => (typeof t === 'string' ? t : t.text)).join('')).to.equal(text);
    });
  });

  describe('linkify', () => {
    it('renders anchors with rel and target, built as templates', async () => {
      const el = await rendered('Track it at https://example.com/t/1 or www.example.org, or write to kim@example.com');
      const anchors = [...el.querySelectorAll('a')];
      expect(anchors.map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/t/1', 'http://www.example.org/', 'mailto:kim@example.com']);
      for (const a of anchors) {
        expect(a.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
        expect(a.getAttribute('target')).to.equal('_blank');
      }
      expect(el.textContent).to.equal('Track it at https://example.com/t/1 or www.example.org, or write to kim@example.com');
    });

    it('renders hostile links and markup as text', async () => {
      const hostile = 'javascript:alert(1) <a href="javascript:alert(2)">x</a> <img src=x onerror=alert(3)> data:text/html,<b>x</b>';
      const el = await rendered(hostile);
      expect(el.querySelector('a')).to.equal(null);
      expect(el.querySelector('img')).to.equal(null);
      expect(el.querySelector('b')).to.equal(null);
      expect(el.textContent).to.equal(hostile);
    });

    it('keeps a quote breakout inside the text, not in an attribute', async () => {
      const el = await rendered('https://example.com/"onmouseover="alert(1)"');
      const a = el.querySelector('a')!;
      expect(a.getAttributeNames().sort()).to.deep.equal(['href', 'part', 'rel', 'target']);
      expect(a.getAttribute('href')).to.equal('https://example.com/');
      expect(el.textContent).to.equal('https://example.com/"onmouseover="alert(1)"');
    });
  });
});
