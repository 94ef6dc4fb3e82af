// A small backend behind Oathkeeper, as a team's own API would be. It trusts nothing but the
// id_token Oathkeeper signs: the signature (against Oathkeeper's published JWKS), the issuer,
// the audience and the expiry are checked with jose on every request.
//
//   GET /api/public/hello       anyone
//   GET /api/private/me         the verified claims (Oathkeeper sends only signed-in people here)
//   GET /api/optional/greeting  a greeting for the signed-in person, or for "guest"
import { createServer } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { listen } from './processes.mjs';

export const API_AUDIENCE = 'kratos-spa-api';

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
export async function startDemoApi({ host, port, jwksUrl, issuer }) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 1000, timeoutDuration: 5000 });

  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method !== 'GET') return send(405, { error: 'method_not_allowed' });
    if (url.pathname === '/api/public/hello') return send(200, { message: 'Hello from the public API.' });

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
  await listen(server, port, host, 'demo API');
  return {
    stop: () =>
      new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
