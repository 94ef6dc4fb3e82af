// @vitest-environment node
// The size budget, on a real production build: /login must stay small (issue 8).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PATHS } from '../src/route-paths';
import { BUDGET, inlineScripts, inlineStyles, loginAssets, total, type Asset } from './budget';
import { COMPILE_HINT } from './compile-hints';
import { productionBuild } from './production-build';
import { PAGE_PRELOADS, routeFile } from './route-pages';

const out = mkdtempSync(join(tmpdir(), 'budget-build-'));
let assets: Asset[] = [];

beforeAll(async () => {
  await productionBuild(out, { VITE_KRATOS_HOST: 'https://kratos.example.com', VITE_API_URL: 'https://api.example.com', SPA_BASE_PATH: '/' });
  assets = loginAssets(out);
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

describe('the pages the build emits', () => {
  it('serves every app route from a file of its own with index.html\'s content, CSP included: no route bounces through 404.html; settings.html also preloads the strings its form waits for', () => {
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('http-equiv="Content-Security-Policy"');
    for (const path of ROUTE_PATHS.filter((p) => !PAGE_PRELOADS[p])) expect(readFileSync(join(out, routeFile(path)), 'utf8'), path).toBe(index);
    // The one line settings.html adds: the chunk of src/i18n/settings.ts, after the app's scripts.
    const settings = readFileSync(join(out, 'settings.html'), 'utf8');
    const added = settings.split('\n').filter((line) => !index.split('\n').includes(line));
    expect(added).toHaveLength(1);
    const preloaded = /^\s*<link rel="modulepreload" crossorigin href="\/(assets\/settings-[\w-]+\.js)">$/.exec(added[0]!)?.[1];
    expect(preloaded).toBeDefined();
    expect(readFileSync(join(out, preloaded!), 'utf8')).toContain('app.settings.profile.save');
    expect(settings.replace(added[0]! + '\n', '')).toBe(index);
    expect(settings.indexOf(added[0]!)).toBeGreaterThan(settings.lastIndexOf('<script type="module"'));
    expect(assets[0]).toMatchObject({ file: 'login.html', kind: 'html' });
    expect(assets.map((a) => a.file)).not.toContain('404.html');
  });
});

describe('how a page starts', () => {
  const scripts = (html: string) => [...html.matchAll(/<script type="module"([^>]*) src="([^"]+)"><\/script>/g)].map((m) => ({ attrs: m[1]!.trim(), src: m[2]! }));
  const staticImports = (code: string) => [...code.matchAll(/(?:\bfrom|\bimport)\s*"(\.\/[^"]+)"/g)].map((m) => m[1]);

  it('sends the flow request from one inline script that needs nothing else, right after the app\'s module scripts (which never hold the parser) and before the styles', () => {
    const login = readFileSync(join(out, 'login.html'), 'utf8');
    const [early, ...more] = inlineScripts(login);
    expect(more).toEqual([]);
    expect(early).toContain('/self-service/'); // the request table
    expect(early).toContain('https://kratos.example.com'); // the build's Kratos, baked in
    expect(early).not.toMatch(/\bimport\b|\bexport\b/);
    expect(Buffer.byteLength(early!)).toBeLessThan(4096);
    const at = login.indexOf('<script>');
    expect(at).toBeGreaterThan(login.indexOf('Content-Security-Policy')); // the policy applies to it
    // The module scripts are asked for first; nothing that holds the parser comes before the inline script.
    expect(at).toBeGreaterThan(login.lastIndexOf('<script type="module"'));
    expect(login.slice(0, at)).not.toMatch(/<link rel="stylesheet"|<style\b/);
  });

  it('paints the page frame without waiting for a file: the stylesheet is in the page, and no page links one', () => {
    const login = readFileSync(join(out, 'login.html'), 'utf8');
    const [styles, ...more] = inlineStyles(login);
    expect(more).toEqual([]);
    expect(styles).toContain('.page-frame');
    expect(login.indexOf('<style>')).toBeLessThan(login.indexOf('<body>'));
    expect(assets.map((a) => a.kind).sort()).toEqual(['css', 'html', 'js', 'js', 'js']); // the page, its inline script and stylesheet, two modules
    expect(assets.find((a) => a.kind === 'css')?.inline).toBe(true);
    for (const page of readdirSync(out).filter((f) => f.endsWith('.html'))) expect(readFileSync(join(out, page), 'utf8'), page).not.toContain('rel="stylesheet"');
    // Nothing is left that nobody loads.
    expect(readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.css'))).toEqual([]);
  });

  it('then loads the app and the modules it shares with 404.html: two module scripts, no preloads', () => {
    const login = readFileSync(join(out, 'login.html'), 'utf8');
    const loaded = scripts(login);
    expect(loaded).toHaveLength(2);
    expect(login).not.toContain('modulepreload');
    const [shared, app] = loaded.map((s) => readFileSync(join(out, s.src), 'utf8'));
    expect(staticImports(shared!)).toEqual([]);
    expect(staticImports(app!)).toEqual([loaded[0]!.src.replace(/^\/assets\//, './')]);
  });

  it('asks V8 to compile those two as they stream in (the hint on their first line, before Vite\'s preamble), and no lazy chunk', () => {
    const loaded = scripts(readFileSync(join(out, 'login.html'), 'utf8')).map((s) => s.src.replace(/^\//, ''));
    for (const file of readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'))) {
      const firstLine = readFileSync(join(out, 'assets', file), 'utf8').split('\n')[0];
      if (loaded.includes(`assets/${file}`)) expect(firstLine, file).toBe(COMPILE_HINT);
      else expect(firstLine, file).not.toContain('allFunctionsCalledOnLoad');
    }
  });

  it('marks when the app\'s code starts with the first statement of the app\'s module, ahead of the rest of its code (src/timing.ts)', () => {
    const [, app] = scripts(readFileSync(join(out, 'login.html'), 'utf8')).map((s) => readFileSync(join(out, s.src), 'utf8'));
    const imports = /import\{[^}]*\}from"\.\/[^"]+";/.exec(app!);
    expect(imports).not.toBeNull();
    const first = app!.slice(imports!.index + imports![0].length).split(';')[0];
    expect(first).toMatch(/^\w+\(\w+\.appStart\)$/);
  });

  it('404.html only redirects: it never loads the app, nor sends a flow request', () => {
    const page = readFileSync(join(out, '404.html'), 'utf8');
    expect(inlineScripts(page)).toEqual([]);
    // The app is login.html's second module script (the test above): 404.html neither loads it
    // nor imports it from what it loads (its own redirect script).
    const [, app] = scripts(readFileSync(join(out, 'login.html'), 'utf8'));
    const own = scripts(page).map((s) => s.src);
    expect(own.length).toBeGreaterThan(0);
    expect(own).not.toContain(app!.src);
    for (const src of own) expect(staticImports(readFileSync(join(out, src), 'utf8')), src).not.toContain(app!.src.replace(/^\/assets\//, './'));
  });
});

describe('what /login downloads (gzipped, as served)', () => {
  it(`has at most ${kb(BUDGET.loginJs)} of JavaScript`, () => {
    expect(total(assets, 'js'), assets.map((a) => `${a.file} ${kb(a.gzip)}`).join('\n')).toBeLessThanOrEqual(BUDGET.loginJs);
  });

  it(`has at most ${kb(BUDGET.loginTotal)} in all (HTML, CSS, JS)`, () => {
    expect(total(assets)).toBeLessThanOrEqual(BUDGET.loginTotal);
  });

  it('loads the home page, logout, the error page, every catalog but English, the WebAuthn code and the admin pages only when they are needed', () => {
    const initial = new Set(assets.map((a) => a.file));
    const lazy = readdirSync(join(out, 'assets')).filter((f) => /^(home|logout|error|de|fr|es|pt-br|ar|webauthn|admin)-.*\.js$/.test(f));
    expect(lazy.map((f) => f.replace(/-[\w-]{8}\.js$/, '')).sort()).toEqual(['admin', 'ar', 'de', 'error', 'es', 'fr', 'home', 'logout', 'pt-br', 'webauthn']);
    for (const f of lazy) expect(initial.has(`assets/${f}`)).toBe(false);
    const initialText = assets.filter((a) => !a.inline).map((a) => readFileSync(join(out, a.file), 'utf8')).join('\n');
    // A string of each catalog, and of the admin catalogs.
    for (const translated of ['Anmeldedaten', 'identifiants sont incorrects', 'datos de acceso no son', 'dados de acesso são', 'بيانات الدخول', 'Transmettre l’accès']) {
      expect(initialText).not.toContain(translated);
    }
    expect(initialText).not.toContain('Revoke all sessions'); // an admin page's string
    expect(initialText).not.toContain('/admin/courier/messages'); // a path only the admin pages call
  });
});
