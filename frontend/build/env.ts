// Build-time settings of the SPA, checked before anything is built. A bad value stops the
// build with a message that says what is wrong and what a good value looks like.

export class BuildConfigError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * VITE_KRATOS_HOST: the public URL of Kratos, as the browser reaches it.
 * Returns it without a trailing slash ("https://auth.example.com", "https://example.com/kratos").
 */
export function parseKratosHost(raw: string | undefined): string {
  const example = 'e.g. VITE_KRATOS_HOST=https://auth.example.com (or http://127.0.0.1:4433 locally)';
  if (raw === undefined || raw.trim() === '') {
    throw new BuildConfigError(`VITE_KRATOS_HOST is not set. Set it to the public URL of your Kratos, ${example}.`);
  }
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BuildConfigError(`VITE_KRATOS_HOST="${value}" is not an absolute URL; ${example}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BuildConfigError(`VITE_KRATOS_HOST="${value}" must use https:// (or http:// on this machine); ${example}.`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new BuildConfigError(
      `VITE_KRATOS_HOST="${value}" uses http:// for a host other than this machine. Kratos's cookies are Secure outside --dev, so use https://.`,
    );
  }
  if (url.username || url.password) {
    throw new BuildConfigError(`VITE_KRATOS_HOST="${value}" contains credentials; it is baked into public JavaScript. Remove them.`);
  }
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new BuildConfigError(`VITE_KRATOS_HOST="${value}" must not have a query or fragment; ${example}.`);
  }
  return url.href.replace(/\/+$/, '');
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
