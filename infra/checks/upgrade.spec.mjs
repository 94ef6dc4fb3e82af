// An upgrade that loses nothing (issue 38): a PostgreSQL database made by Kratos v1.3.1 (chart
// 0.59.0), migrated by Kratos v26.2.0 the way chart 0.62.1's migration Job does it (`kratos
// migrate sql -e --yes` with the release's config, before the new pods start), and every person
// in it signing in afterwards.
//
// The people are made through Kratos's own APIs, as the app and an admin make them: a password
// account with an unverified address and a session still open; one with the authenticator app
// and backup codes; one with a linked social account (imported by the admin API, as a team
// moving accounts does); one in the middle of an admin hand-over (a recovery code not yet used).
// Passkeys are not among them: a passkey is made only by a browser's authenticator ceremony, which
// this Node check cannot perform (e2e/webauthn.spec.ts covers passkeys on the running version).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinary, PINNED } from '../local/binaries.mjs';
import { call } from '../local/kratos-api.mjs';
import { majorOf, startKratos } from '../local/kratos.mjs';
import { OIDC_PROVIDER_ID } from '../local/oidc-provider.mjs';
import { cacheDir } from '../local/paths.mjs';
import { startPostgres } from '../local/postgres.mjs';
import { freePort } from '../local/processes.mjs';
import { stackSettings } from '../local/settings.mjs';

const PASSWORD = 'correct horse battery staple';
const base = stackSettings('test', { ...process.env, KRATOS_DB: 'postgres' });
const dataDir = join(cacheDir(), 'upgrade-check');
let settings;
const parts = [];
/** What v1.3.1 left behind, read back after the upgrade. */
const before = {};

const pub = (path) => `${settings.urls.kratosPublic}${path}`;
const admin = (path) => `${settings.urls.kratosAdmin}${path}`;
const node = (flow, name) => flow.ui.nodes.find((n) => n.attributes.name === name || n.attributes.id === name);

async function createIdentity(email, extra = {}) {
  const r = await call('POST', admin('/admin/identities'), {
    body: { schema_id: 'default', traits: { email, name: { first: 'Up', last: 'Grade' } }, credentials: { password: { config: { password: PASSWORD } } }, ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** A password sign-in by the API flow (what a native app does): the session token. */
async function signIn(email) {
  const flow = await call('GET', pub('/self-service/login/api'));
  const r = await call('POST', flow.body.ui.action, { body: { method: 'password', identifier: email, password: PASSWORD } });
  expect(r.status, JSON.stringify(r.body?.ui?.messages ?? r.body)).toBe(200);
  return r.body.session_token;
}

/** The second factor on an AAL2 sign-in flow for a signed-in token: the session afterwards. */
async function secondFactor(token, body) {
  const flow = await call('GET', pub('/self-service/login/api?aal=aal2'), { token });
  expect(flow.status, JSON.stringify(flow.body)).toBe(200);
  const r = await call('POST', flow.body.ui.action, { token, body });
  expect(r.status, JSON.stringify(r.body?.ui?.messages ?? r.body)).toBe(200);
  return r.body.session;
}

async function settingsFlow(token) {
  const flow = await call('GET', pub('/self-service/settings/api'), { token });
  expect(flow.status, JSON.stringify(flow.body)).toBe(200);
  return flow.body;
}

/** Kratos `name` ("kratos" or "kratos-compat") on the database: migrations, then serve. */
async function start(name) {
  return startKratos(settings, { bin: await ensureBinary(name), major: majorOf(PINNED[name].version) });
}

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  const ports = { ...base.ports, kratosPublic: await freePort(), kratosAdmin: await freePort(), postgres: await freePort() };
  const url = (port) => `http://${base.host}:${port}`;
  settings = { ...base, dataDir, freshData: true, ports, urls: { ...base.urls, kratosPublic: url(ports.kratosPublic), kratosAdmin: url(ports.kratosAdmin) } };
  const postgres = await startPostgres({ dataDir, host: base.host, port: ports.postgres, fresh: true });
  parts.push(postgres);
  settings.dsn = postgres.dsn;

  // Kratos v1.3.1 (chart 0.59.0) makes the database and the people.
  const old = await start('kratos-compat');
  try {
    const health = await call('GET', admin('/admin/version'));
    expect(health.body.version).toBe('v1.3.1');
    // An account with an unverified address and a session left open.
    before.ada = await createIdentity('ada.upgrade@example.com');
    before.adaToken = await signIn('ada.upgrade@example.com');

    // The authenticator app, then backup codes, set up by the person in settings.
    before.bea = await createIdentity('bea.upgrade@example.com');
    const bea = await signIn('bea.upgrade@example.com');
    let flow = await settingsFlow(bea);
    const secret = node(flow, 'totp_secret_key').attributes.text.context.secret;
    before.totp = new TOTP({ secret, digits: 6, period: 30 });
    let r = await call('POST', flow.ui.action, { token: bea, body: { method: 'totp', totp_code: before.totp.generate() } });
    expect(r.status, JSON.stringify(r.body?.ui?.messages)).toBe(200);
    // Turning the app on counts as using it: the session is AAL2 already (else settings would refuse).
    expect((await call('GET', pub('/sessions/whoami'), { token: bea })).body.authenticator_assurance_level).toBe('aal2');
    flow = await settingsFlow(bea);
    r = await call('POST', flow.ui.action, { token: bea, body: { method: 'lookup_secret', lookup_secret_regenerate: true } });
    expect(r.status, JSON.stringify(r.body?.ui?.messages)).toBe(200);
    before.codes = node(r.body, 'lookup_secret_codes').attributes.text.context.secrets.map((s) => s.text);
    r = await call('POST', r.body.ui.action, { token: bea, body: { method: 'lookup_secret', lookup_secret_confirm: true } });
    expect(r.status, JSON.stringify(r.body?.ui?.messages)).toBe(200);
    expect(before.codes.length).toBeGreaterThanOrEqual(12);

    // A social account linked to the local OpenID Provider (imported, with a password too).
    before.cy = await createIdentity('cy.upgrade@example.com', {
      credentials: { password: { config: { password: PASSWORD } }, oidc: { config: { providers: [{ provider: OIDC_PROVIDER_ID, subject: 'cy-subject-1' }] } } },
    });

    // An admin hand-over not yet used: the recovery link and code the admin page shows.
    before.dee = await createIdentity('dee.upgrade@example.com', { credentials: {} });
    r = await call('POST', admin('/admin/recovery/code'), { body: { identity_id: before.dee.id, expires_in: '2h' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    before.recovery = r.body;
  } finally {
    await old.stop();
  }

  // The chart's migration Job: v26.2.0's `migrate sql -e --yes` over the same database, with the
  // release's config (written by the same renderer), before any v26.2.0 pod serves.
  const next = await start('kratos');
  parts.push(next);
}, 600_000);

afterAll(async () => {
  for (const part of parts.reverse()) await part.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`Kratos ${PINNED['kratos-compat'].version} → ${PINNED.kratos.version} on PostgreSQL, migrated as chart 0.62.1's Job migrates`, () => {
  it('serves the migrated database as the new version, and the migrations have nothing left to do', async () => {
    expect((await call('GET', admin('/admin/version'))).body.version).toBe(PINNED.kratos.version);
    const status = spawnSync(await ensureBinary('kratos'), ['migrate', 'sql', 'status', '-e', '-c', join(dataDir, 'kratos.yml')], { encoding: 'utf8', env: { ...process.env, SQA_OPT_OUT: 'true' } });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Applied/);
    expect(status.stdout).not.toMatch(/Pending/);
  });

  it('keeps the open session and the account: the old session token still answers whoami, the address is still unverified', async () => {
    const whoami = await call('GET', pub('/sessions/whoami'), { token: before.adaToken });
    expect(whoami.status).toBe(200);
    expect(whoami.body.identity.id).toBe(before.ada.id);
    const identity = (await call('GET', admin(`/admin/identities/${before.ada.id}`))).body;
    expect(identity.traits).toEqual(before.ada.traits);
    expect(identity.verifiable_addresses.map((a) => [a.value, a.verified])).toEqual([['ada.upgrade@example.com', false]]);
    expect(await signIn('ada.upgrade@example.com')).toBeTruthy();
  });

  it('signs in with the password, then the authenticator app, then a backup code (aal2 each time); a wrong code is still refused', async () => {
    const token = await signIn('bea.upgrade@example.com');
    const refused = await call('GET', pub('/self-service/login/api?aal=aal2'), { token });
    const wrong = await call('POST', refused.body.ui.action, { token, body: { method: 'lookup_secret', lookup_secret: 'wrong-code' } });
    expect(wrong.status).toBe(400);
    expect((await secondFactor(token, { method: 'totp', totp_code: before.totp.generate() })).authenticator_assurance_level).toBe('aal2');
    const again = await signIn('bea.upgrade@example.com');
    expect((await secondFactor(again, { method: 'lookup_secret', lookup_secret: before.codes[0] })).authenticator_assurance_level).toBe('aal2');
  });

  it('keeps the linked social account (the provider and subject Kratos signs it in by) beside the password', async () => {
    const identity = (await call('GET', admin(`/admin/identities/${before.cy.id}?include_credential=oidc`))).body;
    expect(identity.credentials.oidc.identifiers).toEqual([`${OIDC_PROVIDER_ID}:cy-subject-1`]);
    expect(identity.credentials.oidc.config.providers.map((p) => [p.provider, p.subject])).toEqual([[OIDC_PROVIDER_ID, 'cy-subject-1']]);
    expect(await signIn('cy.upgrade@example.com')).toBeTruthy();
  });

  it('completes the hand-over begun before the upgrade: the recovery link and code still open settings for the person', async () => {
    // The link opens the app's /recovery page with the flow; the app asks Kratos for that flow.
    const cookies = new Map();
    expect(before.recovery.recovery_link).toMatch(/\/recovery\?flow=/);
    const flowId = new URL(before.recovery.recovery_link).searchParams.get('flow');
    const flow = await call('GET', pub(`/self-service/recovery/flows?id=${flowId}`), { cookies });
    expect(flow.status, JSON.stringify(flow.body)).toBe(200);
    // An admin-made flow carries no CSRF token (the person arrives by a link, not a form of ours).
    expect(node(flow.body, 'csrf_token')).toBeUndefined();
    const r = await call('POST', flow.body.ui.action, { cookies, body: { method: 'code', code: before.recovery.recovery_code } });
    // A browser flow answers a JSON client with where the browser goes next: the settings flow.
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.redirect_browser_to).toMatch(/\/settings\?flow=/);
    const whoami = await call('GET', pub('/sessions/whoami'), { cookies });
    expect(whoami.body.identity.id).toBe(before.dee.id);
  });
});
