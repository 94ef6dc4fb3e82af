// Answers that need another Kratos configuration: flow expiry (410 / 303), the
// require_verified_address hook, identifier-first sign-in, re-authentication for privileged settings, and the
// show_settings_ui transition, and recovery by any address (v25+). Each test switches the running Kratos (e2e/kratos-config.ts)
// and switches it back; Playwright runs this file after all others, one test at a time.
import type { Locator, Page } from '@playwright/test';
import { expectNoViolations } from './axe';
import { expect, test } from './fixtures';
import { codeFor, flowIdShown, kratosAtLeast, mailTo, PASSWORD, signIn, signOut, signedInUnverified, signUpWithPassword, uniqueEmail, urls } from './helpers';
import { OPTIONS } from '../infra/render-config.mjs';
import { useKratosConfig } from './kratos-config';

const lifespan = (flows: string[], value: string) => ({
  selfservice: { flows: Object.fromEntries(flows.map((f) => [f, { lifespan: value }])) },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens `path`, whose flow is made with a short lifespan; puts the usual lifespan back at once (so
 * every flow made after it lives as usual, however slow the machine), then waits until Kratos's
 * own expires_at of that flow has passed. Returns the expired flow's id.
 */
async function openFlowThatExpires(page: Page, kind: 'login' | 'registration' | 'recovery', path: string, ready: Locator): Promise<string> {
  await useKratosConfig(lifespan([kind], '3s'));
  const created = page.waitForResponse((r) => r.url().includes(`/self-service/${kind}/browser`));
  await page.goto(path);
  const flow = (await (await created).json()) as { id: string; expires_at: string };
  await useKratosConfig({});
  await expect(ready).toBeVisible();
  expect(await flowIdShown(page)).toBe(flow.id);
  const left = Date.parse(flow.expires_at) - Date.now();
  if (left > -250) await sleep(left + 250);
  return flow.id;
}

/**
 * From the sign-in page's "verify your address" link: asks for a code (the address's first mail), enters
 * it, then signs in and lands home.
 */
async function verifyFromSignInAndSignIn(page: Page, email: string): Promise<void> {
  if (kratosAtLeast(25)) {
    // Kratos v25+ answers 403 session_verified_address_required with a verification flow it
    // started and a code it mailed (continue_with); the app goes straight there.
    await expect(page).toHaveURL(/\/verification\?flow=/);
  } else {
    // Kratos v1.3.1 refuses with message 4000010; the app offers the way to verify.
    await expect(page.getByTestId('ui/message/4000010')).toBeVisible();
    await expect(page).toHaveURL(/\/login\?flow=/);
    await page.getByTestId('link/verify-address').click();
    await expect(page).toHaveURL(/\/verification/);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.getByLabel('Verification code').fill(await codeFor(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080002')).toBeVisible();
  await signIn(page, email);
  await expect(page).toHaveURL(urls.spa + '/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
}

test.afterEach(async () => {
  await useKratosConfig({});
});

test('410 self_service_flow_expired on sign-in: the app continues on use_flow_id and shows Kratos\'s expiry message (4010001)', async ({ page }) => {
  const email = uniqueEmail('expirelogin');
  await signUpWithPassword(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?flow=/);

  const expired = await openFlowThatExpires(page, 'login', '/login', page.getByRole('button', { name: 'Sign in with password' }));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const answer = page.waitForResponse((r) => r.url().includes(`/self-service/login?flow=${expired}`));
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  expect((await answer).status()).toBe(410);

  await expect(page.getByTestId('ui/message/4010001')).toContainText('expired');
  await flowIdShown(page, expired);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(urls.spa + '/');
});

test('410 on sign-up: the new registration flow carries Kratos\'s expiry message (4040001)', async ({ page }) => {
  const expired = await openFlowThatExpires(page, 'registration', '/registration', page.getByLabel('Email'));
  await page.getByLabel('Email').fill(uniqueEmail('expirereg'));
  const answer = page.waitForResponse((r) => r.url().includes(`/self-service/registration?flow=${expired}`));
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  expect((await answer).status()).toBe(410);
  await expect(page.getByTestId('ui/message/4040001')).toContainText('expired');
  await flowIdShown(page, expired);
});

test('410 when an expired flow is opened again (a stale tab or bookmark): a new flow, with the reason shown', async ({ page }) => {
  const expired = await openFlowThatExpires(page, 'login', '/login', page.getByRole('button', { name: 'Sign in with password' }));
  const answer = page.waitForResponse((r) => r.url().includes(`/self-service/login/flows?id=${expired}`));
  await page.reload();
  expect((await answer).status()).toBe(410);
  await expect(page.getByTestId('app/notice/info')).toContainText('expired');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
  await flowIdShown(page, expired);
});

test('an expired recovery flow answers a submit with a new flow (303), which the app adopts with Kratos\'s message', async ({ page }) => {
  const expired = await openFlowThatExpires(page, 'recovery', '/recovery', page.getByLabel('Email'));
  await page.getByLabel('Email').fill(uniqueEmail('expirerec'));
  const answer = page.waitForResponse((r) => r.url().includes(`/self-service/recovery?flow=${expired}`) && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await answer).status()).toBe(303);
  await flowIdShown(page, expired);
  await expect(page.getByTestId('ui/message/4060005')).toContainText('expired');
});

test('identifier-first sign-in (options.login_style): the address first with one primary action, then the password; an unknown address gets the same password step, and only sign-in by code gives it away', async ({ page }) => {
  const email = uniqueEmail('idfirst');
  await signUpWithPassword(page, email);
  await signOut(page);
  await useKratosConfig(OPTIONS.identifierFirst);

  const firstStep = async (address: string) => {
    await page.goto('/login');
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveCount(0);
    // One primary action (the identifier step); social sign-in and passkeys are secondary, under "or".
    await expect(page.locator('form button.button-primary')).toHaveCount(1);
    await expect(page.getByRole('separator', { name: 'or' })).toBeVisible();
    await expectNoViolations(page, 'identifier-first, the address');
    await page.getByLabel('Email').fill(address);
    await page.locator('form button.button-primary').click();
    await expect(page.getByLabel('Password')).toBeVisible();
    await expect(page.locator('form button.button-primary')).toHaveCount(1);
    await expect(page.locator('form button.button-primary')).toHaveAttribute('value', 'password');
    // The address is a hidden field now: the page says whose it is, with a way to change it.
    await expect(page.getByTestId('flow/identity/value')).toHaveText(address);
    await expectNoViolations(page, 'identifier-first, the password');
  };

  // An address without an account. Sign-in by code tells that there is none (4000035), whatever
  // account_enumeration.mitigate says (ory/kratos#4521; SECURITY.md): Kratos v25+ tries to send
  // the code as soon as the address is entered, v1.3.1 when the code is asked for.
  const nobody = uniqueEmail('idfirst-nobody');
  if (kratosAtLeast(25)) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(nobody);
    await page.locator('form button.button-primary').click();
    await expect(page.getByTestId('ui/message/4000035')).toBeVisible();
  } else {
    // The same second step as for an account, and then the usual refusal of the password.
    await firstStep(nobody);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('form button.button-primary').click();
    await expect(page.getByTestId('ui/message/4000006')).toBeVisible();
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    await expect(page.getByTestId('ui/message/4000035')).toBeVisible();
  }

  // "Use another address" goes back to the first step, with a new flow.
  await firstStep(email);
  await page.getByRole('link', { name: 'Use another address' }).click();
  await expect(page.getByLabel('Email')).toHaveValue('');
  await expect(page.getByLabel('Password')).toHaveCount(0);

  await firstStep(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('form button.button-primary').click();
  await expect(page).toHaveURL(urls.spa + '/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});

test('require_verified_address: an unverified person is told so, can verify, and can then sign in', async ({ page }) => {
  const email = uniqueEmail('mustverify');
  await signedInUnverified(page, email);
  await page.context().clearCookies();

  await useKratosConfig(OPTIONS.requireVerifiedAddress);
  await signIn(page, email);
  await verifyFromSignInAndSignIn(page, email);
});

test('a session too old for a password change re-authenticates with refresh=true, comes back to the same settings flow, and the change is made', async ({ page }) => {
  const email = uniqueEmail('reauth');
  await signUpWithPassword(page, email);
  await useKratosConfig({ selfservice: { flows: { settings: { privileged_session_max_age: '1s' } } } });
  await sleep(1500);

  await page.goto('/settings');
  await expect(page.getByLabel('Password')).toBeVisible();
  const settingsFlow = await flowIdShown(page);
  await page.getByLabel('Password').fill('changed after re-auth');
  await page.locator('button[name="method"][value="password"]').click();

  // 403 session_refresh_required → Kratos's re-authentication → the app's /login?refresh=true
  await expect(page).toHaveURL(/\/login\?.*refresh=true/);
  await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  // The refresh was asked for; from here on the usual 15 minutes apply, so a slow machine cannot
  // make the re-authenticated session too old again before the held-back change is made.
  await useKratosConfig({});
  await expect(page.getByTestId('ui/message/1010003')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create account' })).toHaveCount(0);
  // Kratos sends the identifier empty on a refresh form when code sign-in is on; the app fills
  // in the signed-in person's address, read-only (review finding 11): only the password to type.
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Email')).not.toBeEditable();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  // Back on the same settings flow, where Kratos has carried out the change it held back.
  await expect(page).toHaveURL(new RegExp(`/settings\\?flow=${settingsFlow}`));
  await expect(page.getByTestId('ui/message/1050001')).toHaveText('Your changes have been saved!');

  await signOut(page);
  await signIn(page, email, 'changed after re-auth');
  await expect(page).toHaveURL(urls.spa + '/');
});

test('continue_with show_settings_ui (Kratos\'s continue-with transitions) after a recovery code opens that settings flow', async ({ page }) => {
  const email = uniqueEmail('showsettings');
  await signUpWithPassword(page, email);
  await signOut(page);
  await useKratosConfig({ feature_flags: { use_continue_with_transitions: true } });

  await page.goto('/recovery');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await mailTo(email, { count: 2 });
  await page.getByLabel('Recovery code').fill(await codeFor(email, 2));
  const answer = page.waitForResponse((r) => r.url().includes('/self-service/recovery?flow=') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Continue' }).click();
  const res = await answer;
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { continue_with?: { action: string; flow?: { id: string } }[] };
  const show = body.continue_with?.find((c) => c.action === 'show_settings_ui');
  expect(show?.flow?.id).toBeTruthy();
  await expect(page).toHaveURL(`${urls.spa}/settings?flow=${show!.flow!.id}`);
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('recovery by any address (feature_flags.choose_recovery_address, Kratos v25+): the address asked in its own words, the code sent to it masked, "Back", then settings', async ({ page }) => {
  const email = uniqueEmail('recoverv2');
  await signUpWithPassword(page, email);
  await signOut(page);
  // v1.3.1 has no such screens (nor the flag): there the classic recovery is what a person gets.
  const v2 = kratosAtLeast(25);
  if (v2) await useKratosConfig({ feature_flags: { choose_recovery_address: true } });

  await page.goto('/recovery');
  await page.getByLabel(v2 ? 'Recovery address' : 'Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (v2) {
    // 1060004 names where the code went, masked by Kratos ("re…@example.com"-like), never in full.
    const sent = page.getByTestId('ui/message/1060004');
    await expect(sent).toContainText('A recovery code has been sent to');
    await expect(sent).not.toContainText(email);
    await expect(page.getByRole('button', { name: 'Back' })).toBeVisible();
  } else {
    await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  }
  await mailTo(email, { count: 2 });
  await page.getByLabel('Recovery code').fill(await codeFor(email, 2));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
  await expect(page.getByTestId('ui/message/1060001')).toContainText('You successfully recovered your account');
});
