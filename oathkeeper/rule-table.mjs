// Which access rule does each URL reach? Asked of the real Oathkeeper, over a table.
//
// Oathkeeper needs exactly one rule per request (none: 404, several: 500). This starts a
// separate Oathkeeper with the rules from oathkeeper/access-rules.yml (or any rules given),
// pointing every upstream at a small echo server, and sends each URL of the table without a
// session. Each rule leaves its own mark:
//
//   kratos-public  reaches the echo under /kratos (Kratos's public API: no rule of the API host
//                  may, since the Gateway's rate limits are on the Kratos route alone)
//   api-public     reaches the echo under /api-upstream, no token
//   api-optional   reaches the echo under /api-upstream with a token for the subject "guest"
//   api-private    does not reach the echo: 401 (no session)
//   kratos-admin   reaches the echo under /kratos-admin, the path unchanged (admin-* rules)
//   401, 403       an admin-* rule refused it: no token / a token without the admin role
//   (no rule)      does not reach the echo: 404
//   (several)      500
//
// A row may name a token to send (Authorization: Bearer), signed as Kratos signs admin tokens:
// "admin" (role admin), "member" (role none), "foreign" (role admin, signed by another key),
// "expired" (role admin, expired a minute ago), "other-audience" (role admin, another audience).
//
// Every request is sent raw (node:http, the path byte for byte: no client normalises "..") and
// carries forged X-User-Id / X-User-Email headers; a rule that lets them reach the upstream is
// reported as "<rule> with forged X-User-*".
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT } from 'jose';
import { stringify } from 'yaml';
import { ensureJwks, generateJwks, writePublicHalf } from './generate-jwks.mjs';
import { renderOathkeeper } from '../infra/render-config.mjs';
import { reportedVersion } from '../infra/local/binaries.mjs';
import { waitForRules } from '../infra/local/oathkeeper.mjs';
import { freePort, rawRequest, startDaemon, waitForHttp } from '../infra/local/processes.mjs';

const HOST = '127.0.0.1';
/** An identity or session id in the admin rows (any UUID: the echo answers for Kratos). */
const ID = '0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00';

/**
 * Where a row's answer depends on the Oathkeeper: `{ raw, cleaned }`. Oathkeeper v26 matches a
 * rule against the cleaned path (path.Clean of the decoded path: rule/rule.go IsMatching, v26.2.0)
 * and forwards that path (the URL is cleaned in place); v0.40.9 matched the path as sent, so no rule
 * may take a dot segment there. Either way the upstream is reached only under the rule of the path
 * it is given.
 */
const byCleaning = (raw, cleaned) => ({ raw, cleaned });

/** URL path (and method) → the rule that must answer it, or null for "no rule". */
export const RULE_TABLE = [
  // Kratos's public API is not reachable through the API host: the Gateway's kratos-public route
  // is the one way to /self-service, and the one the rate limits are on (infra/checks/edge.spec.mjs).
  ['GET', '/.ory/kratos/public/health/alive', null],
  ['GET', '/.ory/kratos/public/health/ready', null],
  ['GET', '/.ory/kratos/public/self-service/login/browser', null],
  ['POST', '/.ory/kratos/public/self-service/login?flow=1', null],
  ['GET', '/.ory/kratos/public/self-service/registration/flows?id=1', null],
  ['GET', '/.ory/kratos/public/sessions', null],
  ['GET', '/.ory/kratos/public/sessions/whoami', null],
  ['GET', '/.ory/kratos/public/schemas', null],
  ['GET', '/.ory/kratos/public/schemas/ZGVmYXVsdA', null],
  ['GET', '/.ory/kratos/public/.well-known/ory/webauthn.js', null],
  ['GET', '/.ory/kratos/public/admin/identities', null],
  ['GET', '/.ory/kratos/public/admin/courier/messages', null],
  ['GET', '/.ory/kratos/public/identities', null],
  ['GET', '/.ory/kratos/public/health/version', null],
  ['GET', '/.ory/kratos/public/', null],
  ['GET', '/.ory/kratos/admin/identities', null],
  // Kratos's admin API: only these endpoints, only these methods, only with an admin token.
  ['GET', '/admin/identities', '401'],
  ['GET', '/admin/identities', '403', 'member'],
  ['GET', '/admin/identities', '401', 'foreign'],
  ['GET', '/admin/identities', '401', 'expired'],
  ['GET', '/admin/identities', '401', 'other-audience'],
  ['GET', '/admin/identities?page_size=25&credentials_identifier=a%40b.c', 'kratos-admin', 'admin'],
  ['POST', '/admin/identities', 'kratos-admin', 'admin'],
  ['POST', '/admin/identities', '403', 'member'],
  ['PATCH', '/admin/identities', null, 'admin'],
  ['DELETE', '/admin/identities', null, 'admin'],
  ['GET', `/admin/identities/${ID}`, 'kratos-admin', 'admin'],
  ['PATCH', `/admin/identities/${ID}`, 'kratos-admin', 'admin'],
  ['DELETE', `/admin/identities/${ID}`, 'kratos-admin', 'admin'],
  ['DELETE', `/admin/identities/${ID}`, '401'],
  ['DELETE', `/admin/identities/${ID}`, '403', 'member'],
  ['PUT', `/admin/identities/${ID}`, null, 'admin'],
  ['GET', `/admin/identities/${ID}/sessions`, 'kratos-admin', 'admin'],
  ['DELETE', `/admin/identities/${ID}/sessions`, 'kratos-admin', 'admin'],
  ['DELETE', `/admin/identities/${ID}/sessions`, '403', 'member'],
  ['DELETE', `/admin/sessions/${ID}`, 'kratos-admin', 'admin'],
  ['GET', `/admin/sessions/${ID}`, null, 'admin'],
  ['PATCH', `/admin/sessions/${ID}/extend`, null, 'admin'],
  ['GET', '/admin/sessions', null, 'admin'],
  ['POST', '/admin/recovery/code', 'kratos-admin', 'admin'],
  ['POST', '/admin/recovery/link', 'kratos-admin', 'admin'],
  ['POST', '/admin/recovery/code', '403', 'member'],
  ['GET', '/admin/courier/messages?page_size=50', 'kratos-admin', 'admin'],
  ['GET', '/admin/courier/messages?page_size=50&page_token=x&recipient=a%40b.c', 'kratos-admin', 'admin'],
  ['GET', '/admin/courier/messages?status=sent', '403', 'admin'],
  // Query parameters the pages never send are refused, whatever the role (403): no layer
  // after this one would. include_credential returns password hashes, TOTP seeds and backup codes.
  ['GET', '/admin/identities?include_credential=password', '403', 'admin'],
  ['GET', '/admin/identities?page_size=25&include_credential=totp&include_credential=lookup_secret', '403', 'admin'],
  ['GET', '/admin/identities?include%5Fcredential=password', '403', 'admin'],
  ['GET', '/admin/identities?page_size=25&ids=' + ID, '403', 'admin'],
  ['GET', '/admin/identities?page_size=25&page_token=x&credentials_identifier=a%40b.c', 'kratos-admin', 'admin'],
  ['GET', `/admin/identities/${ID}?include_credential=password`, '403', 'admin'],
  ['GET', `/admin/identities/${ID}?include_credential=oidc`, '403', 'admin'],
  ['PATCH', `/admin/identities/${ID}?x=1`, '403', 'admin'],
  ['POST', '/admin/identities?page_size=1', '403', 'admin'],
  ['GET', `/admin/identities/${ID}/sessions?active=true`, 'kratos-admin', 'admin'],
  ['GET', `/admin/identities/${ID}/sessions?expand=identity`, '403', 'admin'],
  ['DELETE', `/admin/identities/${ID}/sessions?active=true`, '403', 'admin'],
  ['POST', '/admin/recovery/code?x=1', '403', 'admin'],
  ['DELETE', `/admin/sessions/${ID}?x=1`, '403', 'admin'],
  ['GET', '/admin/identities?include_credential=password', '403', 'member'],
  ['GET', '/admin/identities?include_credential=password', '401'],
  ['GET', '/admin/courier/messages', '403', 'member'],
  ['GET', `/admin/courier/messages/${ID}`, null, 'admin'],
  ['GET', '/admin/identities/not-a-uuid', null, 'admin'],
  ['GET', `/admin/identities/${ID.toUpperCase()}`, null, 'admin'],
  ['GET', `/admin/identities/${ID}/credentials/password`, null, 'admin'],
  ['DELETE', `/admin/identities/${ID}/credentials/password`, null, 'admin'],
  ['GET', '/admin/schemas', null, 'admin'],
  ['GET', '/admin/health/alive', null, 'admin'],
  ['GET', '/admin/relationships', null, 'admin'],
  ['GET', `/admin/identities/../identities/${ID}`, byCleaning(null, 'kratos-admin'), 'admin'],
  ['GET', `/admin/identities/%2e%2e/sessions/${ID}`, null, 'admin'],
  ['GET', '/admin/identities/', byCleaning(null, 'kratos-admin'), 'admin'],
  // The role rules answer only the decision API; on the API host nothing matches them.
  ['GET', '/admin', null, 'admin'],
  ['GET', '/api/public/hello', 'api-public'],
  ['GET', '/api/public/', byCleaning('api-public', null)],
  ['GET', '/api/public/a/b/c?x=1', 'api-public'],
  ['POST', '/api/public/hello', null],
  ['GET', '/api/private/me', 'api-private'],
  ['POST', '/api/private/orders', 'api-private'],
  ['DELETE', '/api/private/orders/1', 'api-private'],
  ['GET', '/api/optional/greeting', 'api-optional'],
  ['GET', '/api/optional/', byCleaning('api-optional', null)],
  ['GET', '/api/private', null],
  ['GET', '/api/publicity', null],
  ['GET', '/api/', null],
  ['GET', '/api', null],
  ['GET', '/', null],
  ['GET', '/favicon.ico', null],
  // Dot segments, plain and percent-encoded, and backslashes: no rule takes them as sent (v0.40.9);
  // v26 takes them as the rule of the path they clean to, which is the path the upstream gets.
  ['GET', '/api/public/../private/me', byCleaning(null, 'api-private')],
  ['GET', '/api/public/%2e%2e/private/me', byCleaning(null, 'api-private')],
  ['GET', '/api/public/%2E%2E/private/me', byCleaning(null, 'api-private')],
  ['GET', '/api/public/.%2e/private/me', byCleaning(null, 'api-private')],
  ['GET', '/api/public/..%2fprivate/me', byCleaning(null, 'api-private')],
  ['GET', '/api/public/./hello', byCleaning(null, 'api-public')],
  ['GET', '/api/public/a/..', null],
  ['GET', '/api/public/..\\private/me', null],
  ['GET', '/api/optional/../private/me', byCleaning(null, 'api-private')],
  ['POST', '/api/private/../../.ory/kratos/admin/identities', null],
  ['GET', '/.ory/kratos/public/self-service/../../admin/identities', null],
  ['GET', '/.ory/kratos/public/sessions/%2e%2e/admin/identities', null],
  ['GET', '/.ory/kratos/public/health/../admin/identities', null],
  // …while dots inside a segment are ordinary names.
  ['GET', '/api/public/a..b/.well-known', 'api-public'],
  ['GET', '/api/public/file.txt', 'api-public'],
];

/** Whether this Oathkeeper matches rules against the cleaned path (v26 does; v0.40.9 did not). */
export function oathkeeperCleansPaths(bin) {
  const version = reportedVersion(bin);
  if (!version) throw new Error(`${bin} reports no version: cannot tell how it matches paths`);
  return !/^v0\./.test(version);
}

function listenOnFreePort(server) {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolvePromise(server.address().port));
  });
}

/** Answers every request with what reached it. */
async function startEcho() {
  const seen = new Map();
  const server = createServer((req, res) => {
    const probe = new URL(req.url, `http://${HOST}`).searchParams.get('probe') ?? req.headers['x-probe'] ?? null;
    let subject = null;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token) subject = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
    const forged = req.headers['x-user-id'] === FORGED['X-User-Id'] || req.headers['x-user-email'] === FORGED['X-User-Email'];
    seen.set(probe, { path: new URL(req.url, `http://${HOST}`).pathname, subject, hasToken: Boolean(token), forged });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const port = await listenOnFreePort(server);
  return { port, seen, stop: () => new Promise((r) => server.close(r)) };
}

const FORGED = { 'X-User-Id': 'forged-subject', 'X-User-Email': 'forged@evil.example' };

function classify(status, hit, admin) {
  const rule = classifyRule(status, hit, admin);
  return hit?.forged ? `${rule} with forged X-User-*` : rule;
}

function classifyRule(status, hit, admin) {
  if (status === 500) return 'several rules (500)';
  if (!hit && admin) return status === 401 || status === 403 ? String(status) : status === 404 ? null : `no upstream, HTTP ${status}`;
  if (!hit) return status === 401 ? 'api-private' : status === 404 ? null : `no upstream, HTTP ${status}`;
  if (hit.path.startsWith('/kratos-admin/')) return hit.path.startsWith('/kratos-admin/admin/') ? 'kratos-admin' : `kratos-admin at ${hit.path}`;
  if (hit.path.startsWith('/kratos/')) return hit.hasToken ? 'kratos-public with a token' : 'kratos-public';
  if (hit.path.startsWith('/api-upstream/')) {
    if (!hit.hasToken) return 'api-public';
    return hit.subject === 'guest' ? 'api-optional' : `api with subject ${hit.subject}`;
  }
  return `unexpected upstream path ${hit.path}`;
}

/** Tokens shaped as Kratos's tokenizer makes them (kratos/kratos.yml, admin), one per row kind. */
async function adminTokens(jwk, issuer) {
  const sign = async (key, kid, role, { audience = 'kratos-spa-admin', expires = '2m' } = {}) =>
    new SignJWT({ kratos_spa_role: role, sid: 'session' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setSubject('7c0f3b0e-1111-4a2b-8c3d-000000000001')
      .setAudience(audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - (expires === 'past' ? 180 : 0))
      .setExpirationTime(expires === 'past' ? Math.floor(Date.now() / 1000) - 60 : expires)
      .sign(await importJWK(key, 'RS256'));
  const foreign = (await generateJwks()).keys[0];
  return {
    admin: await sign(jwk, jwk.kid, 'admin'),
    member: await sign(jwk, jwk.kid, 'none'),
    // Another key with the same kid: the signature, not the kid, must decide.
    foreign: await sign(foreign, jwk.kid, 'admin'),
    expired: await sign(jwk, jwk.kid, 'admin', { expires: 'past' }),
    'other-audience': await sign(jwk, jwk.kid, 'admin', { audience: 'kratos-spa-api' }),
  };
}

/**
 * Runs the table through a real Oathkeeper. Returns the rows whose answer differs from the
 * table (empty when every URL reaches exactly the rule it should).
 *
 * @param {{ bin: string, editRules?: (rules: any[]) => any[], table?: typeof RULE_TABLE }} opts
 *   editRules: changes the rendered rules before they are loaded (for negative tests)
 */
export async function checkRuleTable({ bin, editRules = (rules) => rules, table = RULE_TABLE }) {
  const cleans = oathkeeperCleansPaths(bin);
  const dir = mkdtempSync(join(tmpdir(), 'oathkeeper-rules-'));
  const echo = await startEcho();
  const [proxyPort, apiPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  let daemon;
  try {
    await ensureJwks(join(dir, 'jwks.json'));
    await ensureJwks(join(dir, 'admin-token.jwks.json'));
    const echoUrl = `http://${HOST}:${echo.port}`;
    const kratosPublicUrl = `${echoUrl}/kratos`;
    const rendered = renderOathkeeper({
      overlay: {
        log: { level: 'warn' },
        serve: {
          proxy: { host: HOST, port: proxyPort, cors: { allowed_origins: ['http://127.0.0.1'] } },
          api: { host: HOST, port: apiPort },
          prometheus: { host: HOST, port: metricsPort },
        },
      },
      vars: {
        SPA_URL: 'http://127.0.0.1/spa',
        API_URL: `http://${HOST}:${proxyPort}`,
        API_HOST: `${HOST}:${proxyPort}`,
        API_UPSTREAM: `${echoUrl}/api-upstream`,
        KRATOS_PUBLIC_UPSTREAM: `${echoUrl}/kratos`,
        KRATOS_PUBLIC_URL: kratosPublicUrl,
        KRATOS_ADMIN_UPSTREAM: `${echoUrl}/kratos-admin`,
        OATHKEEPER_API_URL: `http://${HOST}:${apiPort}`,
        ADMIN_TOKEN_JWKS_URL: pathToFileURL(writePublicHalf(join(dir, 'admin-token.jwks.json'), join(dir, 'admin-token.public.jwks.json'))).href,
        JWKS_URL: pathToFileURL(join(dir, 'jwks.json')).href,
        ACCESS_RULES_URL: pathToFileURL(join(dir, 'rules.json')).href,
      },
    });
    const activeRules = editRules(structuredClone(rendered.rules));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(activeRules));
    writeFileSync(join(dir, 'oathkeeper.yml'), stringify(rendered.config));
    const logFile = join(dir, 'oathkeeper.log');
    daemon = startDaemon(bin, ['serve', '--config', join(dir, 'oathkeeper.yml')], { logFile, env: { ...process.env, SQA_OPT_OUT: 'true' }, what: 'Oathkeeper (rule table)' });
    await waitForHttp(`http://${HOST}:${apiPort}/health/ready`, { daemon, what: 'Oathkeeper (rule table)', logFile });
    await waitForRules(`http://${HOST}:${apiPort}`, activeRules.length, { what: 'Oathkeeper (rule table)', logFile });

    const tokens = await adminTokens(JSON.parse(readFileSync(join(dir, 'admin-token.jwks.json'), 'utf8')).keys[0], `${kratosPublicUrl}/`);
    const mismatches = [];
    for (const [i, [method, path, row, token]] of table.entries()) {
      const expected = row !== null && typeof row === 'object' ? (cleans ? row.cleaned : row.raw) : row;
      const probe = `p${i}`;
      // The admin rules judge the query (a parameter the pages never send is refused): there the
      // probe that tells the echo which row reached it travels as a header instead.
      const admin = path.startsWith('/admin');
      const { status } = await rawRequest({
        port: proxyPort,
        method,
        path: admin ? path : `${path}${path.includes('?') ? '&' : '?'}probe=${probe}`,
        headers: { Accept: 'application/json', ...FORGED, ...(admin ? { 'X-Probe': probe } : {}), ...(token ? { Authorization: `Bearer ${tokens[token]}` } : {}) },
      });
      const got = classify(status, echo.seen.get(probe), admin);
      if (got !== expected) mismatches.push({ method, path, expected, got, ...(token ? { token } : {}) });
    }
    return mismatches;
  } finally {
    await daemon?.stop();
    await echo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
