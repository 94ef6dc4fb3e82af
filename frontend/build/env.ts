// Build-time settings of the SPA, checked before anything is built. A bad value stops the
// build with a message that says what is wrong and what a good value looks like.

export class BuildConfigError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A base URL baked into the app (VITE_KRATOS_HOST, VITE_API_URL): absolute, https (http only for
 * this machine), no credentials, query or fragment. Returned without a trailing slash.
 */
function parseBaseUrl(name: string, raw: string, example: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BuildConfigError(`${name}="${value}" is not an absolute URL; ${example}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BuildConfigError(`${name}="${value}" must use https:// (or http:// on this machine); ${example}.`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new BuildConfigError(
      `${name}="${value}" uses http:// for a host other than this machine. Kratos's session cookie is Secure outside --dev, so use https://.`,
    );
  }
  if (url.username || url.password) {
    throw new BuildConfigError(`${name}="${value}" contains credentials; it is baked into public JavaScript. Remove them.`);
  }
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new BuildConfigError(`${name}="${value}" must not have a query or fragment; ${example}.`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * VITE_KRATOS_HOST: the public URL of Kratos, as the browser reaches it. Required.
 * Returns it without a trailing slash ("https://auth.example.com", "https://example.com/kratos").
 */
export function parseKratosHost(raw: string | undefined): string {
  const example = 'e.g. VITE_KRATOS_HOST=https://auth.example.com (or http://127.0.0.1:4433 locally)';
  if (raw === undefined || raw.trim() === '') {
    throw new BuildConfigError(`VITE_KRATOS_HOST is not set. Set it to the public URL of your Kratos, ${example}.`);
  }
  return parseBaseUrl('VITE_KRATOS_HOST', raw, example);
}

/**
 * VITE_API_URL: the API behind Oathkeeper, as the browser reaches it. Optional: without it the
 * home page does not call an API. Returns it without a trailing slash, or '' when unset.
 */
export function parseApiUrl(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return '';
  return parseBaseUrl('VITE_API_URL', raw, 'e.g. VITE_API_URL=https://api.example.com (or http://127.0.0.1:4455 locally)');
}

/**
 * SPA_BASE_PATH: the path the app is served under. "/" for a custom domain or a user site,
 * "/<repo>/" for a GitHub project site. Slashes at either end are added if missing.
 */
export function parseBasePath(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '/') return '/';
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) {
    throw new BuildConfigError(
      `SPA_BASE_PATH="${raw}" is not a plain path. Use "/" for a custom domain, or "/<repository>/" for a GitHub project site.`,
    );
  }
  return `/${trimmed}/`;
}
