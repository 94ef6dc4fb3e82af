// GitHub Pages deep links without a server.
//
// Pages answers an unknown path (/login?flow=…, sent by Kratos or a bookmark) with 404.html.
// That page keeps the base path (the leading segments of a project site, "/repo/") and moves
// the rest into one query parameter, then loads the app's index:
//
//   /repo/login?flow=1#x  →  /repo/?spa-path=%2Flogin%3Fflow%3D1#x
//
// Before the router starts, the app puts the original address back with history.replaceState.
// encodeURIComponent makes the round trip lossless: &, ~and~, %, + and non-ASCII all survive.

export const DEEP_LINK_PARAM = 'spa-path';

export interface LocationLike {
  origin: string;
  pathname: string;
  search: string;
  hash: string;
}

/** The address 404.html sends the browser to, or null if `loc` is not under `base`. */
export function encodeDeepLink(loc: LocationLike, base: string): string | null {
  if (!loc.pathname.startsWith(base)) return null;
  const rest = '/' + loc.pathname.slice(base.length) + loc.search;
  return `${base}?${DEEP_LINK_PARAM}=${encodeURIComponent(rest)}${loc.hash}`;
}

/**
 * The app address hidden in `loc` by encodeDeepLink, or null if there is none.
 * Refuses anything that would leave the app's origin or base.
 */
export function decodeDeepLink(loc: LocationLike, base: string): string | null {
  if (loc.pathname !== base && loc.pathname !== base.replace(/\/$/, '')) return null;
  const params = new URLSearchParams(loc.search);
  const encoded = params.get(DEEP_LINK_PARAM);
  if (encoded === null || [...params.keys()].length !== 1) return null;
  if (!encoded.startsWith('/') || encoded.startsWith('//') || encoded.startsWith('/\\')) return null;
  const target = base + encoded.slice(1) + loc.hash;
  let url: URL;
  try {
    url = new URL(target, loc.origin);
  } catch {
    return null;
  }
  if (url.origin !== loc.origin || !url.pathname.startsWith(base)) return null;
  return target;
}

/** Restores a deep link in place (no reload). Returns true if it did. */
export function restoreDeepLink(win: Window, base: string): boolean {
  const target = decodeDeepLink(win.location, base);
  if (target === null) return false;
  win.history.replaceState(win.history.state, '', target);
  return true;
}
