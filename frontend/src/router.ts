// A small History API router that knows the base path the app is served under.
//
// - Routes are app paths ("/login"), never including the base ("/repo/").
// - Same-origin links inside the base are handled without a reload, unless the user asks for
//   something else: a modifier key, a middle click, target=_blank, download, or a link that
//   only changes the #fragment.
// - Each navigation aborts the previous route's signal, so late answers never paint over a newer page.
// - An app path never starts with "//" or "/\\": with the base "/" either would become a
//   protocol-relative URL ("//evil.example/") the moment anything used it as an href.

export interface RouteContext {
  /** The full URL being shown. */
  url: URL;
  /** The app path, without the base: "/login". */
  path: string;
  query: URLSearchParams;
  /** history.state of this entry: set only by this app (same-origin script). */
  state: unknown;
  signal: AbortSignal;
  router: Router;
}

export type Route = (ctx: RouteContext) => void | Promise<void>;

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

export interface Router {
  /** Navigates to an app path ("/login?x=1") inside the base. */
  navigate(to: string, options?: NavigateOptions): void;
  /** Rewrites the current entry's query without running a route (e.g. to record ?flow=<id>). */
  replaceQuery(query: URLSearchParams): void;
  /** The href for an app path, base included: "/repo/login". */
  href(to: string): string;
  /** The app path of a same-origin URL inside the base, or null if it is outside the app. */
  appPath(url: URL): string | null;
  start(): void;
  stop(): void;
}

export interface RouterOptions {
  base: string;
  routes: Record<string, Route>;
  notFound: Route;
  window?: Window;
  /** Called if a route throws or rejects. */
  onError?: (error: unknown, ctx: RouteContext) => void;
}

/** "//x" and "/\\x" are read by browsers as another host: never an app path. */
function isSafeAppPath(path: string): boolean {
  return path.startsWith('/') && path[1] !== '/' && path[1] !== '\\';
}

export function normalizeBase(base: string): string {
  const trimmed = base.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

export function createRouter(options: RouterOptions): Router {
  const win = options.window ?? window;
  const base = normalizeBase(options.base);
  let controller: AbortController | null = null;

  const appPath = (url: URL): string | null => {
    if (url.origin !== win.location.origin) return null;
    if (url.pathname === base.slice(0, -1)) return '/';
    if (!url.pathname.startsWith(base)) return null;
    const path = '/' + url.pathname.slice(base.length);
    return isSafeAppPath(path) ? path : null;
  };

  const href = (to: string): string => {
    // An app path starts with one "/" (not "//" or "/\\": isSafeAppPath).
    if (!isSafeAppPath(to)) throw new Error(`router: not an app path: "${to}"`);
    return base + to.slice(1);
  };

  const dispatch = (): void => {
    controller?.abort();
    controller = new AbortController();
    const url = new URL(win.location.href);
    // A location outside the app (or one whose path would read as another host) is not found.
    const inApp = appPath(url);
    const path = inApp ?? '/';
    const route = (inApp !== null && options.routes[path]) || options.notFound;
    const ctx: RouteContext = {
      url,
      path,
      query: url.searchParams,
      state: win.history.state,
      signal: controller.signal,
      router,
    };
    try {
      const result = route(ctx);
      if (result instanceof Promise) result.catch((err: unknown) => options.onError?.(err, ctx));
    } catch (err) {
      options.onError?.(err, ctx);
    }
  };

  const navigate = (to: string, opts: NavigateOptions = {}): void => {
    const target = href(to);
    if (opts.replace) win.history.replaceState(opts.state ?? null, '', target);
    else win.history.pushState(opts.state ?? null, '', target);
    dispatch();
  };

  const onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target.closest('a[href]') : null;
    // SVG links have no string href; they are left to the browser.
    if (!(target instanceof HTMLAnchorElement)) return;
    if (target.hasAttribute('download')) return;
    const linkTarget = target.getAttribute('target');
    if (linkTarget && linkTarget !== '_self') return;
    const url = new URL(target.href, win.location.href);
    const path = appPath(url);
    if (path === null) return;
    const current = new URL(win.location.href);
    if (url.hash && url.pathname === current.pathname && url.search === current.search) return;
    event.preventDefault();
    navigate(path + url.search + url.hash);
  };

  const router: Router = {
    navigate,
    href,
    appPath,
    replaceQuery(query) {
      const url = new URL(win.location.href);
      const search = query.toString();
      url.search = search ? `?${search}` : '';
      win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    },
    start() {
      win.document.addEventListener('click', onClick);
      win.addEventListener('popstate', dispatch);
      dispatch();
    },
    stop() {
      controller?.abort();
      win.document.removeEventListener('click', onClick);
      win.removeEventListener('popstate', dispatch);
    },
  };
  return router;
}
