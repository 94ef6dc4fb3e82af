// Two Kratos replicas on one PostgreSQL (KRATOS_DB=postgres; infra/local/stack.mjs starts the
// second one) behind a real load balancer (HAProxy, infra/local/balancer.mjs) on the Kratos public
// URL, which the SPA talks to. A route sends chosen requests straight to the second replica, so
// that a test knows which one answered each step, and the tests check that nothing depends on it.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackSettings } from '../infra/local/settings.mjs';
import { expect, test } from './fixtures';
import { PASSWORD, codeFor, flowIdShown, askForVerificationCode, signedInUnverified, signUpWithPassword, uniqueEmail, urls } from './helpers';

const replica = urls.kratosReplicaPublic;
/** The first replica itself, not the balancer in front of both. */
const first = urls.kratosPrimaryPublic;
if (!replica || !first) throw new Error('replicas.spec.ts runs only with KRATOS_DB=postgres (playwright.config.ts)');

/**
 * From now on, the page's requests to Kratos matching `pattern` are answered by the second replica.
 * Each carries a probe header of its own, which Kratos writes into its request log: `answered()`
 * reads the second replica's log for them, the evidence from the replica's side (`sent` is only
 * what this test's route handler did).
 */
async function viaReplica(page: Page, pattern: string): Promise<{ sent: string[]; answered: () => string[] }> {
  const sent: string[] = [];
  const probes: string[] = [];
  await page.route(`${urls.kratosPublic}${pattern}`, async (route) => {
    const url = route.request().url().replace(urls.kratosPublic, replica!);
    const probe = `probe-${uniqueEmail('replica').replace(/\W/g, '')}`;
    sent.push(url);
    probes.push(probe);
    await route.continue({ url, headers: { ...route.request().headers(), [PROBE_HEADER]: probe } });
  });
  // A CORS preflight the browser may send first is not the request itself.
  const handled = (line: string, probe: string) => line.includes('msg=completed handling request') && line.includes(`${PROBE_HEADER}:${probe}`) && !/ method:OPTIONS /.test(line);
  return { sent, answered: () => probes.filter((probe) => replicaLog().some((line) => handled(line, probe))) };
}

const PROBE_HEADER = 'x-replica-probe';
/** A replica's own log (infra/local/kratos.mjs writes each Kratos's to <name>.log). */
const logOf = (name: string) => readFileSync(join(stackSettings('test').dataDir, 'logs', `${name}.log`), 'utf8').split('\n');
const replicaLog = () => logOf('kratos-replica');

const whoami = (page: Page, origin: string) => page.request.get(`${origin}/sessions/whoami`, { headers: { Accept: 'application/json' } });

/** whoami with exactly this cookie, outside the browser's cookie jar. */
const whoamiWith = (origin: string, cookie: string) => fetch(`${origin}/sessions/whoami`, { headers: { Accept: 'application/json', Cookie: cookie } });

test('both replicas answer and share one database: an account made on one is seen by the other', async ({ request }) => {
  const email = uniqueEmail('replica-admin');
  const made = await request.post(`${urls.kratosReplicaAdmin}/admin/identities`, { data: { schema_id: 'default', traits: { email } } });
  expect(made.status()).toBe(201);
  const { id } = await made.json();
  const seen = await request.get(`${urls.kratosAdmin}/admin/identities/${id}`);
  expect(seen.status()).toBe(200);
  expect((await seen.json()).traits.email).toBe(email);
});

test('signed in through one replica, the other sees the session; signed out through the other, the first refuses it', async ({ page }) => {
  const email = uniqueEmail('replica-session');
  await signUpWithPassword(page, email);
  const onReplica = await whoami(page, replica);
  expect(onReplica.status()).toBe(200);
  expect((await onReplica.json()).identity.traits.email).toBe(email);

  // The session cookie itself, kept: after sign-out the browser's jar no longer has it, so a 401
  // from a request with the jar would prove nothing about the first replica.
  const session = (await page.context().cookies(urls.kratosPublic)).find((c) => c.name === 'ory_kratos_session');
  expect(session).toBeTruthy();
  const cookie = `${session!.name}=${session!.value}`;
  expect((await whoamiWith(first, cookie)).status, 'control: the first replica knows the session before sign-out').toBe(200);

  const { sent, answered } = await viaReplica(page, '/self-service/logout**');
  await page.getByTestId('home/sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  expect(sent.some((u) => u.startsWith(`${replica}/self-service/logout`)), 'the sign-out was sent to the second replica').toBe(true);
  await expect.poll(() => answered().length, { message: 'the second replica logged the sign-out' }).toBeGreaterThan(0);
  expect((await whoamiWith(first, cookie)).status, 'the first replica refuses the revoked session').toBe(401);
  expect((await whoamiWith(replica, cookie)).status).toBe(401);
});

test('a sign-in flow created on one replica is completed on the other', async ({ page }) => {
  const email = uniqueEmail('replica-flow');
  await signUpWithPassword(page, email);
  await page.context().clearCookies();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
  const created = await flowIdShown(page);
  const { sent, answered } = await viaReplica(page, '/self-service/login?flow=*');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  expect(sent).toEqual([`${replica}/self-service/login?flow=${created}`]);
  await expect.poll(() => answered().length, { message: 'the second replica logged the sign-in' }).toBe(1);
  expect((await whoami(page, urls.kratosPublic)).status()).toBe(200);
});

test('a recovery code mailed through one replica is accepted by the other', async ({ page }) => {
  const email = uniqueEmail('replica-recovery');
  await signUpWithPassword(page, email);
  await page.context().clearCookies();
  await page.goto('/recovery');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  const code = await codeFor(email, 2); // the first mail was sign-up's code
  const { sent, answered } = await viaReplica(page, '/self-service/recovery?flow=*');
  await page.getByLabel('Recovery code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
  expect(sent).toHaveLength(1);
  await expect.poll(() => answered().length, { message: 'the second replica logged the code' }).toBe(1);
  expect((await whoami(page, replica)).status()).toBe(200);
});

test('a verification code mailed through one replica is accepted by the other', async ({ page }) => {
  const email = uniqueEmail('replica-verification');
  await signedInUnverified(page, email);
  await askForVerificationCode(page, email);
  const code = await codeFor(email);
  const { sent, answered } = await viaReplica(page, '/self-service/verification?flow=*');
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080002')).toBeVisible();
  expect(sent).toHaveLength(1);
  await expect.poll(() => answered().length, { message: 'the second replica logged the code' }).toBe(1);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});

test('the load balancer spreads requests over both replicas, each answered by one of them', async ({ request }) => {
  const probes = Array.from({ length: 8 }, (_, i) => `probe-balanced-${i}-${uniqueEmail('lb').replace(/\W/g, '')}`);
  for (const probe of probes) {
    const res = await request.get(`${urls.kratosPublic}/self-service/login/api`, { headers: { Accept: 'application/json', [PROBE_HEADER]: probe } });
    expect(res.status()).toBe(200);
  }
  const by = (name: string) => probes.filter((probe) => logOf(name).some((line) => line.includes('msg=completed handling request') && line.includes(`${PROBE_HEADER}:${probe}`)));
  await expect.poll(() => by('kratos').length + by('kratos-replica').length, { message: 'every request was answered by a replica' }).toBe(probes.length);
  expect(by('kratos').length, 'the first replica answered some').toBeGreaterThan(0);
  expect(by('kratos-replica').length, 'the second replica answered some').toBeGreaterThan(0);
  expect(by('kratos').filter((p) => by('kratos-replica').includes(p)), 'none twice').toEqual([]);
});
