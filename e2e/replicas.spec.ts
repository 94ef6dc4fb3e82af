// Two Kratos replicas on one PostgreSQL (KRATOS_DB=postgres; infra/local/stack.mjs starts the
// second one): what a load balancer in front of several pods does to a person's requests. The
// SPA talks to the first replica; a route sends chosen requests to the second one instead, as a
// balancer might, and the tests check that nothing depends on which replica answered.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, codeFor, flowIdShown, signUpAndAskForVerificationCode, signUpAndSkipVerification, uniqueEmail, urls } from './helpers';

const replica = urls.kratosReplicaPublic;
if (!replica) throw new Error('replicas.spec.ts runs only with KRATOS_DB=postgres (playwright.config.ts)');

/** From now on, the page's requests to Kratos matching `pattern` are answered by the second replica. */
async function viaReplica(page: Page, pattern: string): Promise<string[]> {
  const sent: string[] = [];
  await page.route(`${urls.kratosPublic}${pattern}`, async (route) => {
    const url = route.request().url().replace(urls.kratosPublic, replica!);
    sent.push(url);
    await route.continue({ url });
  });
  return sent;
}

const whoami = (page: Page, origin: string) => page.request.get(`${origin}/sessions/whoami`, { headers: { Accept: 'application/json' } });

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
  await signUpAndSkipVerification(page, email);
  const onReplica = await whoami(page, replica);
  expect(onReplica.status()).toBe(200);
  expect((await onReplica.json()).identity.traits.email).toBe(email);

  const sent = await viaReplica(page, '/self-service/logout**');
  await page.getByTestId('home/sign-out').click();
  await expect(page).toHaveURL(/\/login/);
  expect(sent.some((u) => u.startsWith(`${replica}/self-service/logout`)), 'the sign-out went to the second replica').toBe(true);
  expect((await whoami(page, urls.kratosPublic)).status()).toBe(401);
  expect((await whoami(page, replica)).status()).toBe(401);
});

test('a sign-in flow created on one replica is completed on the other', async ({ page }) => {
  const email = uniqueEmail('replica-flow');
  await signUpAndSkipVerification(page, email);
  await page.context().clearCookies();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
  const created = await flowIdShown(page);
  const sent = await viaReplica(page, '/self-service/login?flow=*');
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  expect(sent).toEqual([`${replica}/self-service/login?flow=${created}`]);
  expect((await whoami(page, urls.kratosPublic)).status()).toBe(200);
});

test('a recovery code mailed through one replica is accepted by the other', async ({ page }) => {
  const email = uniqueEmail('replica-recovery');
  await signUpAndSkipVerification(page, email);
  await page.context().clearCookies();
  await page.goto('/recovery');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  const code = await codeFor(email, 2); // the first mail was sign-up's verification code
  const sent = await viaReplica(page, '/self-service/recovery?flow=*');
  await page.getByLabel('Recovery code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
  expect(sent).toHaveLength(1);
  expect((await whoami(page, replica)).status()).toBe(200);
});

test('a verification code mailed through one replica is accepted by the other', async ({ page }) => {
  const email = uniqueEmail('replica-verification');
  await signUpAndAskForVerificationCode(page, email);
  // Sign-up mailed a code too; the newest one is this flow's.
  const code = await codeFor(email, 2);
  const sent = await viaReplica(page, '/self-service/verification?flow=*');
  await page.getByLabel('Verification code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080002')).toBeVisible();
  expect(sent).toHaveLength(1);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});
