import { describe, expect, it } from 'vitest';
import { decodeDeepLink, encodeDeepLink, restoreDeepLink, type LocationLike } from './deep-link';

const ORIGIN = 'https://auth.example.com';

function at(href: string): LocationLike {
  const u = new URL(href, ORIGIN);
  return { origin: u.origin, pathname: u.pathname, search: u.search, hash: u.hash };
}

/** 404.html's redirect, the browser following it, then the app restoring the address. */
function roundTrip(path: string, base: string): string | null {
  const redirect = encodeDeepLink(at(path), base);
  if (redirect === null) return null;
  const restored = decodeDeepLink(at(redirect), base);
  return restored === null ? null : new URL(restored, ORIGIN).href;
}

const AWKWARD = [
  '/login?flow=5d3a1a3e-8c0d-4d57-9f0c-7a0b1f2d3e4f',
  '/login?flow=1&return_to=https%3A%2F%2Fapp.example.com%2Fa%3Fb%3Dc%26d%3De',
  '/verification?flow=1#code',
  '/a&b/c?x=1&y=2',
  '/search?q=~and~&r=a~and~b#~and~',
  '/~and~/path',
  '/ünïcödé/日本?name=Zoë#ça',
  '/login?q=a+b%2Bc',
  '/path%20with%20spaces?x=%25&y=%26',
  '/trailing/slash/',
  '/?only=query',
];

describe('404.html deep links', () => {
  it.each(AWKWARD)('restores %s exactly on a custom domain (base /)', (path) => {
    expect(roundTrip(path, '/')).toBe(new URL(path, ORIGIN).href);
  });

  it.each(AWKWARD)('restores /repo%s exactly on a project site (base /repo/, one segment kept)', (path) => {
    const full = '/repo' + path;
    expect(roundTrip(full, '/repo/')).toBe(new URL(full, ORIGIN).href);
  });

  it('keeps the base segments in the path and moves only the rest into the query', () => {
    expect(encodeDeepLink(at('/repo/login?flow=1#x'), '/repo/')).toBe('/repo/?spa-path=%2Flogin%3Fflow%3D1#x');
    expect(encodeDeepLink(at('/login'), '/')).toBe('/?spa-path=%2Flogin');
  });

  it('does not redirect a path outside the base (another project site\'s 404)', () => {
    expect(encodeDeepLink(at('/other/login'), '/repo/')).toBeNull();
  });

  it.each([
    ['a protocol-relative path', '/?spa-path=%2F%2Fevil.example%2Fx'],
    ['a backslash path', '/?spa-path=%2F%5Cevil.example'],
    ['an absolute URL', '/?spa-path=https%3A%2F%2Fevil.example%2F'],
    ['a relative path', '/?spa-path=login'],
    ['a path climbing out of the base', '/repo/?spa-path=%2F..%2F..%2Fother'],
    ['extra query parameters', '/?spa-path=%2Flogin&next=https%3A%2F%2Fevil.example'],
  ])('refuses %s', (_name, href) => {
    const base = href.startsWith('/repo/') ? '/repo/' : '/';
    expect(decodeDeepLink(at(href), base)).toBeNull();
  });

  it('leaves an ordinary address alone', () => {
    expect(decodeDeepLink(at('/login?flow=1'), '/')).toBeNull();
    expect(decodeDeepLink(at('/'), '/')).toBeNull();
  });

  it('puts the address back in the browser with replaceState, keeping history.state and adding no entry', () => {
    history.replaceState({ keep: 1 }, '', '/repo/?spa-path=%2Flogin%3Fflow%3D42#top');
    const length = history.length;
    expect(restoreDeepLink(window, '/repo/')).toBe(true);
    expect(location.pathname + location.search + location.hash).toBe('/repo/login?flow=42#top');
    expect(history.state).toEqual({ keep: 1 });
    expect(history.length).toBe(length);
    expect(restoreDeepLink(window, '/repo/')).toBe(false);
  });
});
