// The Content-Security-Policy of the built pages. GitHub Pages cannot send headers, so it goes in a
// <meta http-equiv> as the first thing in <head>, generated from the build's own Kratos and API
// origins. (A meta CSP cannot carry frame-ancestors or report-to; see SECURITY.md.)
import type { Plugin, Rollup } from 'vite';

export interface CspInputs {
  /** VITE_KRATOS_HOST, normalised. */
  kratosHost: string;
  /** VITE_API_URL, normalised, or ''. */
  apiUrl: string;
  /** The build's own inline scripts, as 'sha256-…' sources (build/early-entry.ts): only these run. */
  scriptHashes?: string[];
  /** The build's own inline stylesheet, as 'sha256-…' sources (build/inline-style.ts): only these apply. */
  styleHashes?: string[];
}

export function contentSecurityPolicy({ kratosHost, apiUrl, scriptHashes = [], styleHashes = [] }: CspInputs): string {
  const kratos = new URL(kratosHost).origin;
  const api = apiUrl ? new URL(apiUrl).origin : null;
  for (const h of [...scriptHashes, ...styleHashes]) if (!/^'sha256-[A-Za-z0-9+/]{43}='$/.test(h)) throw new Error(`CSP: ${h} is not a 'sha256-…' source`);
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'", ...scriptHashes],
    // The stylesheet is written into the page; a hash allows it and no style attribute.
    ['style-src', "'self'", ...styleHashes],
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

/**
 * Puts the policy into every built HTML page (not into the dev server's, which injects inline
 * styles). `scriptSources` and `styleSources` give the hashes of the build's inline script and
 * stylesheet; the stylesheet is known only once the bundle is, hence a late ('post') hook.
 */
export function cspPlugin(
  inputs: CspInputs,
  scriptSources: () => Promise<string[]> = async () => [],
  styleSources: (bundle: Rollup.OutputBundle | undefined) => string[] = () => [],
): Plugin {
  return {
    name: 'kratos-spa-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(_html, ctx) {
        const policy = contentSecurityPolicy({ ...inputs, scriptHashes: await scriptSources(), styleHashes: styleSources(ctx.bundle) });
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }];
      },
    },
  };
}
