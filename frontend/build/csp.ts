// The Content-Security-Policy of the built pages. GitHub Pages cannot send headers, so it goes in a
// <meta http-equiv> as the first thing in <head>, generated from the build's own Kratos and API
// origins. (A meta CSP cannot carry frame-ancestors or report-to; see SECURITY.md.)
import type { Plugin } from 'vite';

export interface CspInputs {
  /** VITE_KRATOS_HOST, normalised. */
  kratosHost: string;
  /** VITE_API_URL, normalised, or ''. */
  apiUrl: string;
}

export function contentSecurityPolicy({ kratosHost, apiUrl }: CspInputs): string {
  const kratos = new URL(kratosHost).origin;
  const api = apiUrl ? new URL(apiUrl).origin : null;
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    // The app talks to Kratos and the API, nothing else.
    ['connect-src', "'self'", kratos, ...(api && api !== kratos ? [api] : [])],
    // TOTP QR codes come as data: URIs; the renderer allows images from Kratos too.
    ['img-src', "'self'", 'data:', kratos],
    ['font-src', "'self'"],
    ['manifest-src', "'self'"],
    ['base-uri', "'none'"],
    // No form ever submits natively: every submit is a fetch.
    ['form-action', "'none'"],
    ['object-src', "'none'"],
    // No string ever reaches an HTML or script sink, and no policy may be created to allow one.
    ['require-trusted-types-for', "'script'"],
    ['trusted-types', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** Puts the policy into every built HTML page (not into the dev server's, which injects inline styles). */
export function cspPlugin(inputs: CspInputs): Plugin {
  const policy = contentSecurityPolicy(inputs);
  return {
    name: 'kratos-spa-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
    },
  };
}
