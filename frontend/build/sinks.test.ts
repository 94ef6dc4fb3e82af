// @vitest-environment node
// A lint over the SPA's sources: nothing may turn a string into HTML or code. (The CSP's
// require-trusted-types-for 'script' enforces the same at run time in the browser.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));

const FORBIDDEN: [string, RegExp][] = [
  ['innerHTML', /\.innerHTML\b/],
  ['outerHTML', /\.outerHTML\b/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write(ln)?\s*\(/],
  ['eval', /(^|[^.\w])eval\s*\(/],
  ['new Function', /new\s+Function\s*\(/],
  ['string timers', /set(Timeout|Interval)\s*\(\s*['"`]/],
  ['createContextualFragment', /createContextualFragment/],
  ['DOMParser', /DOMParser/],
  ['srcdoc', /srcdoc/],
  ['an on* attribute set from code', /setAttribute\(\s*['"`]on/i],
];

const INLINE_HANDLER = /<[^>]+\son[a-z]+\s*=/i;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : files(path);
    return [path];
  });
}

/** Source without comments, so the rules can be named in explanations. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function violations(name: string, text: string): string[] {
  const found: string[] = [];
  if (/\.ts$/.test(name)) {
    for (const [label, re] of FORBIDDEN) if (re.test(code(text))) found.push(`${name}: ${label}`);
  }
  if (/\.html$/.test(name)) {
    const markup = text.replace(/<!--[\s\S]*?-->/g, '');
    if (INLINE_HANDLER.test(markup)) found.push(`${name}: inline event handler`);
    if (/<script\b(?![^>]*\bsrc=)[^>]*>/i.test(markup)) found.push(`${name}: inline script`);
  }
  return found;
}

describe('the SPA\'s sources', () => {
  const sources = files(FRONTEND).filter((f) => /\.(ts|html)$/.test(f) && !/\.test\.ts$/.test(f));

  it('are all scanned (the SPA\'s entry points and renderer among them)', () => {
    const names = sources.map((f) => relative(FRONTEND, f));
    expect(names).toEqual(expect.arrayContaining(['index.html', '404.html', 'src/main.ts', 'src/flow/nodes.ts', 'src/ui/dom.ts']));
  });

  it('never write HTML or code from strings, and have no inline handlers or scripts', () => {
    const found = sources.flatMap((f) => violations(relative(FRONTEND, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it.each([
    ['x.ts', 'el.innerHTML = s;', 'innerHTML'],
    ['x.ts', 'el.outerHTML = s', 'outerHTML'],
    ['x.ts', "el.insertAdjacentHTML('beforeend', s)", 'insertAdjacentHTML'],
    ['x.ts', 'document.write(s)', 'document.write'],
    ['x.ts', 'const f = eval(s)', 'eval'],
    ['x.ts', "new Function('return 1')", 'new Function'],
    ['x.ts', "setTimeout('alert(1)', 1)", 'string timers'],
    ['x.ts', "el.setAttribute('onclick', s)", 'an on* attribute set from code'],
    ['x.ts', 'new DOMParser().parseFromString(s, "text/html")', 'DOMParser'],
    ['x.html', '<button onclick="go()">', 'inline event handler'],
    ['x.html', '<script>alert(1)</script>', 'inline script'],
  ])('catches %s: %s', (name, text, label) => {
    expect(violations(name, text).join()).toContain(label);
  });

  it('does not flag the rules named in a comment', () => {
    expect(violations('x.ts', '// never innerHTML or eval(\n/* document.write( */ const a = 1;')).toEqual([]);
  });
});
