// Rotating every secret without signing anybody out (issue 40), on production booted from its
// rendering (charts.mjs bootRendered: the migration Job, Kratos's replicas, its courier and
// Oathkeeper as their pods run, on a PostgreSQL that keeps its data between the boots).
//
// First boot: people sign in; an admin at a second factor gets an admin token (signed with
// Kratos's admin-token key), a member's request through Oathkeeper gets an id_token (signed with
// Oathkeeper's key). Then every secret is rotated by npm run secrets's own code (infra/secrets.mjs
// rotateSecrets, then dropOld for the control), the way README: Rotating secrets says: the
// cookie, cipher and default secrets as lists, the new one first and the old one kept for
// reading ("new","old", the format the chart itself writes), and each key set holding both keys:
// Kratos's admin-token set (and Oathkeeper's copy of its public half) with the new key first, the
// one Kratos signs with; Oathkeeper's id_token set with the new key LAST, because Oathkeeper signs
// with the last private key of a set (v26.2.0 and v0.40.9 credentials/signer_default.go key():
// each private key replaces the one before unless the set also lists public keys). Second boot,
// on the same database: the sessions still work, the old tokens still verify until they expire,
// and what is signed now is signed with the new keys. Then the controls: the id_token set in
// Kratos's order leaves Oathkeeper signing with the old key; the old secrets dropped too early
// sign the same people out and refuse the same tokens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinary } from '../local/binaries.mjs';
import { rawRequest, tail } from '../local/processes.mjs';
import { ADMIN_TOKEN_SECRET_KEY, checkSecrets, JWKS_KEY } from '../preflight.mjs';
import { readEnvironment, readNamespace } from '../render-production.mjs';
import { dropOld, rotateSecrets } from '../secrets.mjs';
import { signInCookie, turnOnTotp } from './browser-session.mjs';
import { bootRendered, clusterSecrets, renderCluster } from './charts.mjs';

const env = readEnvironment();
const namespace = readNamespace();
const tools = {};
const scratch = mkdtempSync(join(tmpdir(), 'rotation-'));
const apiHeaders = { Host: new URL(env.api).host, 'X-Forwarded-Proto': 'https', Accept: 'application/json' };
let cluster;
/** The Secrets of each boot, by name: before, rotated, and the old ones dropped. */
const secrets = {};
/** What the first boot handed out, and what each later boot made of it. */
const first = {};
const seen = {};

const keysOf = (text) => JSON.parse(text).keys;
const set = (...keys) => JSON.stringify({ keys });
const list = (...values) => values.map((v) => JSON.stringify(v)).join(',');

function boot(name, given, probe) {
  return bootRendered({
    tools,
    kratosObjects: cluster.charts.kratos.objects,
    oathkeeperObjects: cluster.charts.oathkeeper.objects,
    env,
    namespace,
    scratch,
    freshDatabase: name === 'before',
    secrets: given,
    probe,
  });
}

/** An admin token for a session, and whether Oathkeeper lets it through to Kratos's admin API. */
const tokenOf = async (kratosPublic, cookie) => {
  const res = await fetch(`${kratosPublic}/sessions/whoami?tokenize_as=admin`, { headers: { Accept: 'application/json', Cookie: cookie } });
  return res.status === 200 ? (await res.json()).tokenized : null;
};
const adminCall = async (ports, token) => (await rawRequest({ port: ports.proxy, path: '/admin/identities?credentials_identifier=nobody%40example.com', headers: { ...apiHeaders, Authorization: `Bearer ${token}` } })).status;
const whoami = async (kratosPublic, cookie) => (await fetch(`${kratosPublic}/sessions/whoami`, { headers: { Accept: 'application/json', Cookie: cookie } })).status;
/** Whether the backend, fetching Oathkeeper's published keys as it does, accepts an id_token. */
const backendAccepts = async (ports, token) => {
  const keys = createRemoteJWKSet(new URL(`http://127.0.0.1:${ports.api}/.well-known/jwks.json`));
  try {
    await jwtVerify(token, keys, { issuer: `${env.api}/`, audience: 'kratos-spa-api' });
    return true;
  } catch {
    return false;
  }
};
/** A request through Oathkeeper with a session: the id_token the backend got. */
const idTokenFor = async (ports, backend, cookie, logs) => {
  const res = await rawRequest({ port: ports.proxy, path: '/api/private/me', headers: { ...apiHeaders, Cookie: cookie } });
  expect(res.status, res.text + tail(logs.oathkeeper)).toBe(200);
  return /^Bearer (.+)$/.exec(backend.seen.at(-1).headers.authorization)[1];
};

beforeAll(async () => {
  for (const name of ['helm', 'kustomize', 'kratos', 'oathkeeper']) tools[name] = await ensureBinary(name);
  cluster = renderCluster(tools, join(process.cwd(), 'infra', 'k8s'), scratch);
  const made = await clusterSecrets(scratch, env, {}, namespace);
  const kratos = made[env.secrets.kratos];
  const jwks = made[env.secrets.oathkeeper_jwks];
  secrets.before = { [env.secrets.kratos]: kratos, [env.secrets.oathkeeper_jwks]: jwks };
  // The rotation and the drop are npm run secrets's own (infra/secrets.mjs), as it writes them into git.
  secrets.rotated = await rotateSecrets(env, secrets.before);
  secrets.dropped = dropOld(env, secrets.rotated);
  const rotatedIds = keysOf(secrets.rotated[env.secrets.oathkeeper_jwks][JWKS_KEY]);
  first.kids = {
    adminOld: keysOf(kratos[ADMIN_TOKEN_SECRET_KEY])[0].kid,
    adminNew: keysOf(secrets.rotated[env.secrets.kratos][ADMIN_TOKEN_SECRET_KEY])[0].kid,
    idOld: keysOf(jwks[JWKS_KEY])[0].kid,
    idNew: rotatedIds.at(-1).kid,
  };
  // The control: the id_token set in Kratos's order, the new key first.
  secrets.newFirst = { ...secrets.rotated, [env.secrets.oathkeeper_jwks]: { ...secrets.rotated[env.secrets.oathkeeper_jwks], [JWKS_KEY]: set(...[...rotatedIds].reverse()) } };

  await boot('before', secrets.before, async ({ ports, kratosPublic, kratosAdmin, backend, logs }) => {
    const stamp = Date.now();
    first.member = await signInCookie(kratosPublic, kratosAdmin, `rotation-member-${stamp}@example.com`, 'a long rotation password 1');
    first.admin = await signInCookie(kratosPublic, kratosAdmin, `rotation-admin-${stamp}@example.com`, 'a long rotation password 2', { metadata_public: { roles: ['admin'] } });
    await turnOnTotp(kratosPublic, first.admin.cookie);
    first.adminToken = await tokenOf(kratosPublic, first.admin.cookie);
    expect(await adminCall(ports, first.adminToken)).toBe(200);
    first.idToken = await idTokenFor(ports, backend, first.member.cookie, logs);
    expect(await backendAccepts(ports, first.idToken)).toBe(true);
  });
  await boot('rotated', secrets.rotated, async ({ ports, kratosPublic, backend, logs }) => {
    seen.rotated = {
      member: await whoami(kratosPublic, first.member.cookie),
      admin: await whoami(kratosPublic, first.admin.cookie),
      oldAdminToken: await adminCall(ports, first.adminToken),
      oldIdToken: await backendAccepts(ports, first.idToken),
    };
    const adminToken = await tokenOf(kratosPublic, first.admin.cookie);
    seen.rotated.newAdminToken = { kid: decodeProtectedHeader(adminToken).kid, status: await adminCall(ports, adminToken) };
    const idToken = await idTokenFor(ports, backend, first.member.cookie, logs);
    seen.rotated.newIdToken = { kid: decodeProtectedHeader(idToken).kid, accepted: await backendAccepts(ports, idToken) };
  });
  await boot('new-first', secrets.newFirst, async ({ ports, backend, logs }) => {
    seen.newFirst = { kid: decodeProtectedHeader(await idTokenFor(ports, backend, first.member.cookie, logs)).kid };
  });
  await boot('dropped', secrets.dropped, async ({ ports, kratosPublic }) => {
    seen.dropped = {
      member: await whoami(kratosPublic, first.member.cookie),
      oldAdminToken: await adminCall(ports, first.adminToken),
      oldIdToken: await backendAccepts(ports, first.idToken),
    };
  });
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rotating the secrets and keys signs nobody out (README: Rotating secrets)', () => {
  it('npm run preflight takes the rotated Secrets: lists of secrets ("new","old"), each checked, and key sets with the old key after the new', () => {
    const names = { kratos: env.secrets.kratos, jwks: env.secrets.oathkeeper_jwks };
    const data = (s) => ({ kratos: s[env.secrets.kratos], jwks: s[env.secrets.oathkeeper_jwks] });
    expect(checkSecrets(data(secrets.rotated), names, { hookKey: true, database: env.database })).toEqual([]);
    const short = { ...secrets.rotated, [env.secrets.kratos]: { ...secrets.rotated[env.secrets.kratos], secretsCipher: list('0123456789abcdef0123456789abcdef', 'short') } };
    expect(checkSecrets(data(short), names, { hookKey: true, database: env.database })).toEqual([`Secret ${names.kratos}: secretsCipher must be exactly 32 characters (secret 2 of 2) (it has 5).`]);
  });

  it('after the rotation, the sessions made before it still work and the tokens signed before it still verify', () => {
    expect(seen.rotated).toMatchObject({ member: 200, admin: 200, oldAdminToken: 200, oldIdToken: true });
  });

  it('after the rotation, new admin tokens and id_tokens are signed with the new keys, and are accepted', () => {
    expect(seen.rotated.newAdminToken).toEqual({ kid: first.kids.adminNew, status: 200 });
    expect(seen.rotated.newIdToken).toEqual({ kid: first.kids.idNew, accepted: true });
  });

  it('the control: Oathkeeper\'s id_token set with the new key first (Kratos\'s order) keeps Oathkeeper signing with the old key', () => {
    expect(seen.newFirst.kid).toBe(first.kids.idOld);
  });

  it('the control: with the old secrets and keys dropped at once, the same session is signed out and the old tokens are refused', () => {
    expect(seen.dropped).toEqual({ member: 401, oldAdminToken: 401, oldIdToken: false });
  });
});
