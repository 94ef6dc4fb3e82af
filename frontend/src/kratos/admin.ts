// Kratos's admin API for the administration pages, reached only through the API host's gateway
// (oathkeeper/access-rules.yml, admin-*), never directly: Kratos's admin port is not public.
//
// Each call carries an admin token: a JWT Kratos signs for the signed-in person at
// GET /sessions/whoami?tokenize_as=admin (kratos/kratos.yml, tokenizer), valid two minutes.
// Every signed-in person gets one; the gateway lets only the admin role through (403 for
// anyone else, 401 without a valid token). The browser decides nothing: it shows what the
// gateway and Kratos answered. A token is kept in memory for the page view that asked for it
// (its route's abort signal), never in storage and never for the next page: whoever is signed
// in when a page opens is whom its calls act as.
import { BaseAPI, Configuration, type HTTPMethod } from '@ory/client-fetch';
import { API_URL } from '../config';
import { call, kratos, requestInit, type KratosReply } from './client';

export interface AdminReply extends KratosReply {
  /** The next page's token from Kratos's Link header (keyset paging), if there is a next page. */
  next?: string;
  /**
   * The gateway refused (403) a token whose role says "admin, but signed in with one factor"
   * (kratos/admin-token.jsonnet): the person has the role and needs a second factor to use it.
   */
  needsSecondFactor?: boolean;
}

/** A token is asked for again this long before it expires (clock skew, a slow request). */
const MARGIN_MS = 20_000;
const tokens = new WeakMap<AbortSignal, { value: string; until: number }>();

/** A JWT's claims, read without checking them: the gateway checks the token. */
function claimsOf(jwt: string): Record<string, unknown> {
  try {
    const payload = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(payload));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The `exp` of a JWT (seconds). */
function expiresAt(jwt: string): number | null {
  const exp = claimsOf(jwt).exp;
  return typeof exp === 'number' ? exp : null;
}

/** The role kratos/admin-token.jsonnet gives an admin whose session has one factor. */
export const ADMIN_WITHOUT_SECOND_FACTOR = 'admin-without-second-factor';

/** The admin token, or Kratos's answer when there is none (401: not signed in; 403: needs a second factor). */
async function adminToken(signal: AbortSignal): Promise<string | KratosReply> {
  const cached = tokens.get(signal);
  if (cached && Date.now() < cached.until) return cached.value;
  const reply = await call(() => kratos.get('/sessions/whoami', { tokenize_as: 'admin' }, requestInit(signal)));
  const value = reply.status === 200 ? (reply.body as { tokenized?: unknown } | null)?.tokenized : undefined;
  if (typeof value !== 'string') return reply.status === 200 ? { status: 502, body: reply.body } : reply;
  const exp = expiresAt(value);
  tokens.set(signal, { value, until: (exp ? exp * 1000 : Date.now() + 60_000) - MARGIN_MS });
  return value;
}

/** page_token of the rel="next" link in a Link header. */
export function nextPageToken(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1]!, 'http://link.invalid').searchParams.get('page_token') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Kratos's admin API on the API host, with the SDK's runtime (as client.ts does for the public
 * API, and for the same reason: the SDK's IdentityApi would put its runtime helpers into /login's
 * bundle). The paths are those the gateway exposes (oathkeeper/access-rules.yml, admin-*).
 */
export class AdminApi extends BaseAPI {
  send(method: HTTPMethod, path: string, init: RequestInit, { query = {}, body }: { query?: Record<string, string | undefined>; body?: unknown } = {}): Promise<Response> {
    const defined = Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    return this.request({ path, method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, query: defined, body }, init);
  }
}

/**
 * Runs one admin call with a current token. A 401 from the gateway (the token expired in
 * between) is tried once more with a new token; any other answer is the caller's to read.
 */
export async function adminCall(signal: AbortSignal, request: (api: AdminApi, init: RequestInit) => Promise<Response>): Promise<AdminReply> {
  for (let attempt = 0; ; attempt++) {
    const token = await adminToken(signal);
    if (typeof token !== 'string') return token;
    const api = new AdminApi(new Configuration({ basePath: API_URL, headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } }));
    let raw: Response | undefined;
    const reply = await call(async () => (raw = await request(api, requestInit(signal))));
    if (reply.status === 401 && attempt === 0) {
      tokens.delete(signal); // expired in between: once more with a new one
      continue;
    }
    const needsSecondFactor = reply.status === 403 && claimsOf(token).kratos_spa_role === ADMIN_WITHOUT_SECOND_FACTOR;
    return { ...reply, next: nextPageToken(raw?.headers.get('Link') ?? null), ...(needsSecondFactor ? { needsSecondFactor } : {}) };
  }
}

/**
 * Kratos's reason for an identity the schema refuses, as it words it: "I[#/traits/email]
 * S[#/properties/traits/properties/email] validation failed I[#/traits/email] S[…/format] "x" is
 * not valid "email"", one pair of JSON pointers per finding, nested and repeated. Read as one
 * finding per field ("traits.email: "x" is not valid "email""), the generic "validation failed"
 * and repeats left out (review finding 32); any other reason as it came.
 */
export function schemaReason(reason: string): string {
  const findings = [...reason.matchAll(/I\[#\/([^\]]*)\] S\[[^\]]*\] (.*?)(?=\s+I\[#\/|$)/gs)]
    .filter((m) => m[2] !== 'validation failed')
    .map((m) => `${m[1]!.replaceAll('/', '.')}: ${m[2]}`);
  // By field: Kratos lists them in no fixed order (two captures of one request differ).
  return findings.length ? [...new Set(findings)].sort().join('; ') : reason;
}
