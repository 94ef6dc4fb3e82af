import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRouter, normalizeBase, type Route, type RouteContext, type Router } from './router';

let router: Router | null = null;
let seen: RouteContext[] = [];
/** Whether the router took over each click (recorded after it ran; the default is then stopped). */
let clicks: boolean[] = [];

const record: Route = (ctx) => void seen.push(ctx);

function start(base: string, path: string, routes: Record<string, Route> = {}, onError?: (e: unknown) => void): Router {
  history.replaceState(null, '', path);
  router = createRouter({
    base,
    routes: { '/': record, '/login': record, '/registration': record, ...routes },
    notFound: (ctx) => void seen.push({ ...ctx, path: `404:${ctx.path}` }),
    onError,
  });
  router.start();
  return router;
}

function click(href: string, init: MouseEventInit = {}, attrs: Record<string, string> = {}): void {
  const a = document.createElement('a');
  a.href = href;
  for (const [k, v] of Object.entries(attrs)) a.setAttribute(k, v);
  const inner = document.createElement('span');
  a.append(inner);
  document.body.append(a);
  inner.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init }));
}

beforeEach(() => {
  seen = [];
  clicks = [];
  window.addEventListener('click', onWindowClick);
});

function onWindowClick(event: MouseEvent): void {
  clicks.push(event.defaultPrevented);
  event.preventDefault(); // keep happy-dom from navigating the test window
}

afterEach(() => {
  router?.stop();
  router = null;
  window.removeEventListener('click', onWindowClick);
  document.body.replaceChildren();
});

describe('createRouter', () => {
  it('runs the route for the app path under a project-site base (/repo/login → /login) with its query', () => {
    start('/repo/', '/repo/login?flow=abc&return_to=x');
    expect(seen.map((c) => c.path)).toEqual(['/login']);
    expect(seen[0]!.query.get('flow')).toBe('abc');
  });

  it('treats the base without its trailing slash as the home route', () => {
    start('/repo/', '/repo');
    expect(seen.map((c) => c.path)).toEqual(['/']);
  });

  it('shows the not-found route for an unknown app path', () => {
    start('/', '/nope');
    expect(seen.map((c) => c.path)).toEqual(['404:/nope']);
  });

  it('builds hrefs with the base and navigates with pushState', () => {
    const r = start('/repo/', '/repo/');
    expect(r.href('/login?x=1')).toBe('/repo/login?x=1');
    r.navigate('/registration?return_to=%2F');
    expect(location.pathname + location.search).toBe('/repo/registration?return_to=%2F');
    expect(seen.map((c) => c.path)).toEqual(['/', '/registration']);
    expect(() => r.href('login')).toThrow(/not an app path: "login"/);
  });

  it('passes history.state to the route and replaces the entry when asked', () => {
    const r = start('/', '/');
    const before = history.length;
    r.navigate('/login', { replace: true, state: { notice: 'app.logout.done' } });
    expect(history.length).toBe(before);
    expect(seen[1]!.state).toEqual({ notice: 'app.logout.done' });
  });

  it('rewrites the query without running a route (to record ?flow=<id>)', () => {
    const r = start('/repo/', '/repo/login?return_to=a');
    r.replaceQuery(new URLSearchParams({ return_to: 'a', flow: 'f1' }));
    expect(location.pathname + location.search).toBe('/repo/login?return_to=a&flow=f1');
    expect(seen).toHaveLength(1);
  });

  it('aborts the previous route\'s signal on every navigation', () => {
    const r = start('/', '/');
    const first = seen[0]!.signal;
    r.navigate('/login');
    expect(first.aborted).toBe(true);
    expect(seen[1]!.signal.aborted).toBe(false);
  });

  it('runs the route of the entry the browser goes back to (popstate)', () => {
    const r = start('/', '/');
    r.navigate('/login');
    history.replaceState(null, '', '/registration');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(seen.map((c) => c.path)).toEqual(['/', '/login', '/registration']);
  });

  it('reports a route that throws or rejects to onError', async () => {
    const onError = vi.fn();
    const r = start('/', '/', { '/boom': () => Promise.reject(new Error('late')), '/sync': () => { throw new Error('now'); } }, onError);
    r.navigate('/sync');
    r.navigate('/boom');
    await Promise.resolve();
    await Promise.resolve();
    expect(onError.mock.calls.map((c) => (c[0] as Error).message)).toEqual(['now', 'late']);
  });

  it('normalises bases', () => {
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
    expect(normalizeBase('repo')).toBe('/repo/');
    expect(normalizeBase('/a/b')).toBe('/a/b/');
  });
});

describe('createRouter: links', () => {
  it('handles a plain click on a same-origin link inside the base without a reload', () => {
    start('/repo/', '/repo/');
    click('/repo/login?return_to=%2Frepo%2F');
    expect(clicks).toEqual([true]);
    expect(seen.map((c) => c.path)).toEqual(['/', '/login']);
    expect(location.search).toBe('?return_to=%2Frepo%2F');
  });

  it.each([
    ['Ctrl', { ctrlKey: true }],
    ['Meta (Cmd)', { metaKey: true }],
    ['Shift', { shiftKey: true }],
    ['Alt', { altKey: true }],
    ['middle button', { button: 1 }],
  ])('leaves a %s click to the browser (new tab, new window, download)', (_name, init) => {
    start('/', '/');
    click('/login', init);
    expect(clicks).toEqual([false]);
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['target=_blank', { target: '_blank' }],
    ['download', { download: '' }],
  ])('leaves a link with %s to the browser', (_name, attrs) => {
    start('/', '/');
    click('/login', {}, attrs);
    expect(clicks).toEqual([false]);
  });

  it('takes a link with target=_self', () => {
    start('/', '/');
    click('/login', {}, { target: '_self' });
    expect(clicks).toEqual([true]);
  });

  it('leaves links to another origin, and to paths outside the base, to the browser', () => {
    start('/repo/', '/repo/');
    click('https://kratos.example.com/self-service/login/browser');
    click('/other-repo/login');
    expect(clicks).toEqual([false, false]);
    expect(seen).toHaveLength(1);
  });

  it('leaves a link that only changes the #fragment of this page to the browser', () => {
    start('/', '/login?flow=1');
    click('/login?flow=1#main');
    expect(clicks).toEqual([false]);
  });

  it('never takes "//host" or "/\\host" for an app path: under the base "/" either would be a protocol-relative href', () => {
    for (const base of ['/', '/repo/']) {
      const r = start(base, `${base}`);
      for (const evil of ['//evil.example/', '/\\evil.example/']) {
        const url = new URL(`${location.origin}${base}${evil.slice(1)}`);
        expect(r.appPath(url), `${base} ${evil}`).toBeNull();
        expect(() => r.href(evil)).toThrow(/not an app path/);
      }
      expect(r.appPath(new URL(`${base}login`, location.href))).toBe('/login');
      r.stop();
    }
  });

  it('shows not-found, not a route, for a location whose app path would start with "//"', () => {
    start('/', `${location.origin}//evil.example/login`);
    expect(seen.map((c) => c.path)).toEqual(['404:/']);
  });

  it('ignores a click another handler already handled', () => {
    start('/', '/');
    const a = document.createElement('a');
    a.href = '/login';
    a.addEventListener('click', (e) => e.preventDefault());
    document.body.append(a);
    a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    expect(seen).toHaveLength(1);
  });
});
