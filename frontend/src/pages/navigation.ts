// Going where Kratos says, safely.
//
// - Only http(s) URLs are followed.
// - A Kratos "start a flow" endpoint (/self-service/login/browser?refresh=true&…) becomes the
//   app's own page for it (/login?refresh=true&…): same result, no round trip through Kratos.
// - Addresses inside the app stay in the app; others are a full navigation. Kratos has already
//   checked return_to against its allowed_return_urls.
import type { ContinueWith } from '@ory/client-fetch';
import { KRATOS_URL } from '../config';
import { httpUrl } from '../kratos/urls';
import type { NavigateOptions, Router } from '../router';

const BROWSER_ENDPOINT = /^\/self-service\/(login|registration|recovery|verification|settings)\/browser$/;

/** Navigates to `raw`. Returns false, going nowhere, if it is not an http(s) URL. */
export function follow(router: Router, raw: string, options?: NavigateOptions): boolean {
  const url = httpUrl(raw, window.location.href);
  if (!url) return false;
  const kratos = new URL(KRATOS_URL);
  const kratosPath = kratos.pathname.replace(/\/$/, '');
  if (url.origin === kratos.origin && url.pathname.startsWith(kratosPath + '/')) {
    const match = BROWSER_ENDPOINT.exec(url.pathname.slice(kratosPath.length));
    if (match) {
      router.navigate(`/${match[1]}${url.search}`, options);
      return true;
    }
  }
  const path = router.appPath(url);
  if (path !== null) {
    router.navigate(path + url.search + url.hash, options);
    return true;
  }
  window.location.assign(url.href);
  return true;
}

/**
 * `raw` (an http(s) URL) with return_to=`returnTo` added, unless it names one already. Kratos's
 * step-up address for a flow that needs a second factor (session_aal2_required) carries none, so
 * without it the person would land on home instead of the page they were opening.
 */
export function withReturnTo(raw: string, returnTo: string): string {
  const url = httpUrl(raw, window.location.href);
  if (!url || url.searchParams.has('return_to')) return raw;
  url.searchParams.set('return_to', returnTo);
  return url.href;
}

const SHOW_UI: Partial<Record<ContinueWith['action'], string>> = {
  show_verification_ui: '/verification',
  show_settings_ui: '/settings',
  show_recovery_ui: '/recovery',
};

/**
 * Acts on a successful submit's `continue_with`: a flow to show next wins over a redirect
 * (after sign-up, the verification screen comes before the return URL).
 * Returns false if there was nothing it could act on.
 */
export function continueWith(router: Router, items: ContinueWith[]): boolean {
  for (const item of items) {
    const route = SHOW_UI[item.action];
    if (route && 'flow' in item && item.flow && typeof item.flow.id === 'string') {
      // The address a verification code went to, where Kratos names it: the page says where
      // the code went and can send another (flow-page.ts resendFor).
      const address = 'verifiable_address' in item.flow && typeof item.flow.verifiable_address === 'string' ? `&email=${encodeURIComponent(item.flow.verifiable_address)}` : '';
      router.navigate(`${route}?flow=${encodeURIComponent(item.flow.id)}${address}`);
      return true;
    }
  }
  for (const item of items) {
    if (item.action === 'redirect_browser_to' && follow(router, item.redirect_browser_to)) return true;
  }
  return false;
}

/**
 * Where to go when Kratos gave no address (e.g. a signed-in visitor on /login): the page's
 * return_to if it is inside this app, else home. A return_to from the address bar has not been
 * checked by Kratos here, so it is never followed to another origin: no open redirect.
 */
export function goToReturnTo(router: Router, query: URLSearchParams): void {
  const returnTo = httpUrl(query.get('return_to'), window.location.href);
  const path = returnTo ? router.appPath(returnTo) : null;
  router.navigate(path !== null && returnTo ? path + returnTo.search + returnTo.hash : '/', { replace: true });
}
