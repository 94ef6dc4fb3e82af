// Which URLs the app will follow, link to or load. Kratos's data is untrusted input:
// only http(s) addresses are ever navigated to, and images come only from data: or Kratos.

/** Parses an http(s) URL (absolute, or relative to `base`); anything else gives null. */
export function httpUrl(raw: unknown, base?: string): URL | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** An image source the app may load: a data:image/… URI, or an http(s) URL on Kratos's origin. */
export function safeImageSrc(raw: unknown, kratosOrigin: string): string | null {
  if (typeof raw !== 'string') return null;
  if (/^data:image\/(png|jpe?g|gif|webp|svg\+xml)(;[a-z0-9=.+-]+)*,/i.test(raw)) return raw;
  const url = httpUrl(raw);
  return url && url.origin === kratosOrigin ? url.href : null;
}
