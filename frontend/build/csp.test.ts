// @vitest-environment node
// The policy as a function, and as it stands in the files a production build writes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScripts, inlineStyles } from './budget';
import { contentSecurityPolicy } from './csp';
import { cspHashSource } from './early-entry';
import { productionBuild } from './production-build';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

function metaPolicy(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  if (!m) throw new Error('no CSP meta element');
  return m[1]!.replace(/&#39;/g, "'");
}

describe('contentSecurityPolicy', () => {
  it('allows connections only to itself, Kratos and the API, and images from data: and Kratos', () => {
    const d = directives(contentSecurityPolicy({ kratosHost: 'https://kratos.example.com/base', apiUrl: 'https://api.example.com' }));
    expect(d.get('connect-src')).toEqual(["'self'", 'https://kratos.example.com', 'https://api.example.com']);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'https://kratos.example.com']);
  });

  it('leaves the API out when the build has none', () => {
    const d = directives(contentSecurityPolicy({ kratosHost: 'http://127.0.0.1:4433', apiUrl: '' }));
    expect(d.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4433']);
  });
});

describe('the built pages', () => {
  const out = mkdtempSync(join(tmpdir(), 'csp-build-'));
  let index = '';
  let notFound = '';

  beforeAll(async () => {
    await productionBuild(out, { VITE_KRATOS_HOST: 'https://kratos.example.com', VITE_API_URL: 'https://api.example.com', SPA_BASE_PATH: '/repo/' });
    index = readFileSync(join(out, 'index.html'), 'utf8');
    notFound = readFileSync(join(out, '404.html'), 'utf8');
  }, 60_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it.each([
    ['index.html', () => index],
    ['404.html', () => notFound],
  ])('%s carries the strict policy as the first element of <head>, before any script', (_name, html) => {
    const text = html();
    const head = text.slice(text.indexOf('<head>') + '<head>'.length).trimStart();
    expect(head.startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
    expect(text.indexOf('Content-Security-Policy')).toBeLessThan(text.indexOf('<script'));
    const d = directives(metaPolicy(text));
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')?.[0]).toBe("'self'");
    const [early, ...more] = inlineScripts(index);
    expect(early).toBeDefined();
    expect(more).toEqual([]);
    expect(d.get('script-src')?.slice(1)).toEqual([cspHashSource(early!)]); // exactly the inline script's hash
    const [style, ...moreStyles] = inlineStyles(index);
    expect(style).toBeDefined();
    expect(moreStyles).toEqual([]);
    expect(d.get('style-src')).toEqual(["'self'", cspHashSource(style!)]); // exactly the inline stylesheet's hash
    expect(d.get('connect-src')).toEqual(["'self'", 'https://kratos.example.com', 'https://api.example.com']);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'https://kratos.example.com']);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect(d.get('trusted-types')).toEqual(["'none'"]);
    expect(metaPolicy(text)).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it.each([
    ['index.html', () => index],
    ['404.html', () => notFound],
  ])('%s has no style attribute or handler, and no inline script or stylesheet but the one whose hash the policy names', (name, html) => {
    const text = html();
    for (const tag of text.match(/<script\b[^>]*>/g) ?? []) if (tag !== '<script>') expect(tag).toMatch(/\bsrc="\/repo\/assets\/[^"]+\.js"/);
    const inlines = inlineScripts(text);
    expect(inlines).toHaveLength(name === 'index.html' ? 1 : 0);
    for (const code of inlines) expect(metaPolicy(text)).toContain(cspHashSource(code));
    expect(text).not.toMatch(/<script\b[^>]*\bsrc=[^>]*>[^<\s]/);
    const styles = inlineStyles(text);
    expect(styles).toHaveLength(name === 'index.html' ? 1 : 0);
    for (const css of styles) expect(metaPolicy(text)).toContain(cspHashSource(css));
    expect(text.match(/<style\b[^>]*>/g) ?? []).toEqual(styles.map(() => '<style>'));
    expect(text).not.toMatch(/\sstyle="|\son[a-z]+=/i);
  });

  it('refuses a script or style source that is not a sha256 hash (no \'unsafe-inline\' by mistake)', () => {
    expect(() => contentSecurityPolicy({ kratosHost: 'https://k.example.com', apiUrl: '', scriptHashes: ["'unsafe-inline'"] })).toThrow(/not a 'sha256-/);
    expect(contentSecurityPolicy({ kratosHost: 'https://k.example.com', apiUrl: '', scriptHashes: [cspHashSource('x')] })).toContain(`script-src 'self' ${cspHashSource('x')};`);
    expect(() => contentSecurityPolicy({ kratosHost: 'https://k.example.com', apiUrl: '', styleHashes: ["'unsafe-inline'"] })).toThrow(/not a 'sha256-/);
    expect(contentSecurityPolicy({ kratosHost: 'https://k.example.com', apiUrl: '', styleHashes: [cspHashSource('y')] })).toContain(`style-src 'self' ${cspHashSource('y')};`);
  });
});
