// A small backend behind Oathkeeper, as a team's own API would be. It trusts nothing but the
// id_token Oathkeeper signs: the signature (against Oathkeeper's published JWKS), the issuer,
// the audience and the expiry are checked with jose on every request.
//
//   GET  /api/public/hello       anyone (and the X-User-Id Oathkeeper set: "guest")
//   GET  /api/private/me         the verified claims (Oathkeeper sends only signed-in people here)
//   GET  /api/optional/greeting  a greeting for the signed-in person, or for "guest"
//   POST /api/private/notes      a state change: only as JSON from the SPA's own origin (csrfRefusal)
//   GET  /api/private/notes      the signed-in person's notes
//
// Cookie-authenticated APIs need their own CSRF rule: the session cookie (SameSite=Lax) is sent
// with every same-site request, and every host under the cookie domain is same-site. A form or a
// "simple" fetch from any of them would carry it. So a state change is accepted only with a JSON
// body (which a form cannot send, and a cross-origin fetch cannot send without a CORS preflight)
// and from an allowed Origin, or with Sec-Fetch-Site: same-origin when the browser sends no Origin.
import { createServer } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { listen } from './processes.mjs';

export const API_AUDIENCE = 'kratos-spa-api';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request must not change state, or null when it may. `allowedOrigins`: the SPA's origin(s).
 * @returns {{ status: number, error: string, reason: string } | null}
 */
export function csrfRefusal({ method, headers }, allowedOrigins) {
  if (SAFE_METHODS.has(method)) return null;
  const type = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, error: 'json_required', reason: 'State changes take a JSON body (application/json).' };
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!allowedOrigins.includes(origin)) return { status: 403, error: 'origin_not_allowed', reason: 'This origin may not change state here.' };
    return null;
  }
  const site = headers['sec-fetch-site'];
  if (site === 'same-origin') return null;
  return { status: 403, error: 'origin_required', reason: 'State changes need an Origin header from an allowed origin.' };
}

/**
 * Verifies an `Authorization: Bearer <id_token>` header. Resolves with the claims, or rejects
 * with { status, error, reason } for the caller to send.
 */
export async function verifyIdToken(authorization, { jwks, issuer, audience = API_AUDIENCE }) {
  const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
  if (!match) throw { status: 401, error: 'missing_token', reason: 'No bearer token. Requests reach this API through Oathkeeper.' };
  try {
    const { payload } = await jwtVerify(match[1], jwks, { issuer, audience, algorithms: ['RS256'] });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw { status: 401, error: 'token_expired', reason: 'The token has expired.' };
    if (err instanceof joseErrors.JOSEError && !(err instanceof joseErrors.JWKSTimeout)) {
      // Bad signature, unknown key, wrong issuer or audience, malformed token.
      throw { status: 401, error: 'invalid_token', reason: err.code };
    }
    // The keys could not be fetched: not the caller's fault.
    throw { status: 503, error: 'jwks_unavailable', reason: 'Could not fetch the signing keys.' };
  }
}

/**
 * @param {{ host: string, port: number, jwksUrl: string, issuer: string }} opts
 */
export async function startDemoApi({ host, port, jwksUrl, issuer, allowedOrigins }) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 1000, timeoutDuration: 5000 });
  /** subject → notes, in memory: enough to show what a state change did. */
  const notes = new Map();

  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/api/private/notes' && req.method === 'POST') return addNote(req, send);
    if (req.method !== 'GET') return send(405, { error: 'method_not_allowed' });
    if (url.pathname === '/api/public/hello') {
      return send(200, { message: 'Hello from the public API.', headers: { 'x-user-id': req.headers['x-user-id'] ?? null, 'x-user-email': req.headers['x-user-email'] ?? null } });
    }

    const routes = {
      '/api/private/me': (claims) => ({
        subject: claims.sub,
        email: claims.email || null,
        email_verified: claims.email_verified === true,
        issuer: claims.iss,
        issued_at: claims.iat,
        expires_at: claims.exp,
        // Oathkeeper's header mutator sets these; the token above is what this API believes.
        headers: { 'x-user-id': req.headers['x-user-id'] ?? null, 'x-user-email': req.headers['x-user-email'] ?? null },
      }),
      '/api/optional/greeting': (claims) => ({
        subject: claims.sub,
        greeting: claims.email ? `Hello, ${claims.email}!` : 'Hello, guest!',
      }),
      '/api/private/notes': (claims) => ({ notes: notes.get(claims.sub) ?? [] }),
    };
    const route = routes[url.pathname];
    if (!route) return send(404, { error: 'not_found' });
    try {
      return send(200, route(await verifyIdToken(req.headers.authorization, { jwks, issuer })));
    } catch (err) {
      if (err && typeof err.status === 'number') return send(err.status, { error: err.error, reason: err.reason });
      return send(500, { error: 'internal_error' });
    }
  });
  async function addNote(req, send) {
    const refusal = csrfRefusal(req, allowedOrigins);
    let body = '';
    for await (const chunk of req) {
      body += chunk;
      if (body.length > 10_000) return send(413, { error: 'too_large' });
    }
    if (refusal) return send(refusal.status, { error: refusal.error, reason: refusal.reason });
    let claims;
    try {
      claims = await verifyIdToken(req.headers.authorization, { jwks, issuer });
    } catch (err) {
      if (err && typeof err.status === 'number') return send(err.status, { error: err.error, reason: err.reason });
      return send(500, { error: 'internal_error' });
    }
    let text;
    try {
      text = JSON.parse(body).text;
    } catch {
      return send(400, { error: 'invalid_json' });
    }
    if (typeof text !== 'string' || !text || text.length > 500) return send(422, { error: 'invalid_note', reason: 'text: 1–500 characters' });
    const list = notes.get(claims.sub) ?? [];
    list.push(text);
    notes.set(claims.sub, list);
    return send(201, { notes: list });
  }

  await listen(server, port, host, 'demo API');
  return {
    stop: () =>
      new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
