// @vitest-environment node
// The size budget, on a real production build: /login must stay small (issue 8).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PATHS } from '../src/route-paths';
import { BUDGET, loginAssets, total, type Asset } from './budget';
import { productionBuild } from './production-build';
import { routeFile } from './route-pages';

const out = mkdtempSync(join(tmpdir(), 'budget-build-'));
let assets: Asset[] = [];

beforeAll(async () => {
  await productionBuild(out, { VITE_KRATOS_HOST: 'https://kratos.example.com', VITE_API_URL: 'https://api.example.com', SPA_BASE_PATH: '/' });
  assets = loginAssets(out);
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

describe('the pages the build emits', () => {
  it('serves every app route from a file of its own with index.html\'s content, CSP included: no route bounces through 404.html', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('http-equiv="Content-Security-Policy"');
    for (const path of ROUTE_PATHS) expect(readFileSync(join(out, routeFile(path)), 'utf8'), path).toBe(index);
    expect(assets[0]).toMatchObject({ file: 'login.html', kind: 'html' });
    expect(assets.map((a) => a.file)).not.toContain('404.html');
  });
});

describe('how a page starts', () => {
  const scripts = (html: string) => [...html.matchAll(/<script type="module"([^>]*) src="([^"]+)"><\/script>/g)].map((m) => ({ attrs: m[1]!.trim(), src: m[2]! }));

  it('sends the flow request from a small async script that comes first, then loads the app as one script: two scripts, no preloads', () => {
    const login = readFileSync(join(out, 'login.html'), 'utf8');
    const [early, app, ...more] = scripts(login);
    expect(more).toEqual([]);
    expect(early?.attrs).toBe('async crossorigin');
    expect(app?.attrs).toBe('crossorigin');
    expect(login).not.toContain('modulepreload');
    const earlyCode = readFileSync(join(out, early!.src), 'utf8');
    expect(earlyCode).toContain('/self-service/'); // the request table
    const staticImports = (code: string) => [...code.matchAll(/(?:\bfrom|\bimport)\s*"(\.\/[^"]+)"/g)].map((m) => m[1]);
    expect(staticImports(earlyCode)).toEqual([]); // it needs nothing else before it can send
    expect(Buffer.byteLength(earlyCode)).toBeLessThan(4096);
    const appCode = readFileSync(join(out, app!.src), 'utf8');
    // The app takes over the same module, loaded once, and imports nothing else at start.
    expect(staticImports(appCode)).toEqual([early!.src.replace(/^\/assets\//, './')]);
  });

  it('404.html only redirects: it never loads the app', () => {
    const page = readFileSync(join(out, '404.html'), 'utf8');
    for (const { src } of scripts(page)) expect(readFileSync(join(out, src), 'utf8')).not.toContain('route crashed');
  });
});

describe('what /login downloads (gzipped, as served)', () => {
  it(`has at most ${kb(BUDGET.loginJs)} of JavaScript`, () => {
    expect(total(assets, 'js'), assets.map((a) => `${a.file} ${kb(a.gzip)}`).join('\n')).toBeLessThanOrEqual(BUDGET.loginJs);
  });

  it(`has at most ${kb(BUDGET.loginTotal)} in all (HTML, CSS, JS)`, () => {
    expect(total(assets)).toBeLessThanOrEqual(BUDGET.loginTotal);
  });

  it('loads the home page, logout, the error page, the German catalog and the WebAuthn code only when they are needed', () => {
    const initial = new Set(assets.map((a) => a.file));
    const lazy = readdirSync(join(out, 'assets')).filter((f) => /^(home|logout|error|de|webauthn)-.*\.js$/.test(f));
    expect(lazy.map((f) => f.split('-')[0]).sort()).toEqual(['de', 'error', 'home', 'logout', 'webauthn']);
    for (const f of lazy) expect(initial.has(`assets/${f}`)).toBe(false);
    const initialText = assets.map((a) => readFileSync(join(out, a.file), 'utf8')).join('\n');
    expect(initialText).not.toContain('Anmeldedaten'); // a German string
  });
});
