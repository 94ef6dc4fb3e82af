// Registration web hooks through the real Kratos (infra/render-config.mjs withRegistrationHooks):
// the stack's receiver (infra/local/hook-receiver.mjs) stands for a team's backend. The receiver
// being down is in registration-hooks.config.spec.ts (it stops a part every test shares).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { codeFor, receivedHooks, uniqueEmail, urls } from './helpers';

/** Opens sign-up and fills the profile with an account type and a first name, up to "Continue". */
async function fillProfile(page: Page, email: string, accountType: string, firstName: string): Promise<void> {
  await page.goto('/registration');
  await expect(page.getByLabel('Account type')).toHaveJSProperty('tagName', 'SELECT');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Account type').selectOption(accountType);
  await page.getByLabel('First name').fill(firstName);
}

/** From the profile step: the code mailed to `email` (its `nth` mail), up to the code's submit. */
async function enterCode(page: Page, email: string, nth = 1): Promise<void> {
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Send sign-up code' }).click();
  await page.getByLabel('Registration code').fill(await codeFor(email, nth));
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** A sign-up through the SPA (by code) with an account type and a first name, up to the code's submit. */
async function signUpAs(page: Page, email: string, accountType: string, firstName: string): Promise<void> {
  await fillProfile(page, email, accountType, firstName);
  await enterCode(page, email);
}

/** Signed in after a sign-up: home, or (Kratos v1.3.1) its offer to verify the proven address. */
const SIGNED_UP = /\/verification\?flow=|\/$/;

test('an educator\'s sign-up reaches the backend once, after the account exists, with its traits; a student\'s sign-up is checked but never reported', async ({ page }) => {
  const student = uniqueEmail('hook-student');
  const educator = uniqueEmail('hook-educator');
  await signUpAs(page, student, 'student', 'Sam');
  await expect(page).toHaveURL(SIGNED_UP);
  await page.context().clearCookies();
  await signUpAs(page, educator, 'educator', 'Ada');
  await expect(page).toHaveURL(SIGNED_UP);

  const received = await receivedHooks((r) => r.notify.some((c) => c.body.email === educator));
  // The student signed up first: had Kratos sent their notification, it would have come first.
  expect(received.notify.filter((c) => c.body.email === student)).toEqual([]);
  const told = received.notify.filter((c) => c.body.email === educator);
  expect(told).toHaveLength(1);
  const identities = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(educator)}`)).json();
  // Every sign-up has proven its address (SECURITY.md, address squatting); the backend is told so.
  expect(told[0]!.body).toEqual({ identity_id: identities[0].id, email: educator, email_verified: true, account_type: 'educator', name: { first: 'Ada' }, created_at: identities[0].created_at });
  // Both were asked about before their accounts were made, with the person's language.
  for (const email of [student, educator]) {
    expect(received.check.filter((c) => c.body.email === email)).toHaveLength(1);
  }
  expect(received.check.find((c) => c.body.email === student)!.body).toMatchObject({ account_type: 'student', language: expect.stringMatching(/^en/) });
  expect(received.unauthorized).toBe(0);

  // "Once" is read again after a later sign-up's notification has arrived: a repeated or late
  // call for the first two would have come by then.
  const later = uniqueEmail('hook-later');
  await page.context().clearCookies();
  await signUpAs(page, later, 'educator', 'Lin');
  await expect(page).toHaveURL(SIGNED_UP);
  const after = await receivedHooks((r) => r.notify.some((c) => c.body.email === later));
  expect(after.notify.filter((c) => c.body.email === educator)).toHaveLength(1);
  expect(after.notify.filter((c) => c.body.email === student)).toEqual([]);
  for (const email of [student, educator]) expect(after.check.filter((c) => c.body.email === email)).toHaveLength(1);
});

test('a sign-up the backend refuses (a blocked e-mail domain) shows its message, keeps what was typed for "Back", and creates no account; another address then goes through', async ({ page }) => {
  const blocked = uniqueEmail('hook-blocked').replace('@example.com', '@blocked.example');
  await signUpAs(page, blocked, 'educator', 'Bo');
  // Kratos puts the message on traits.email, which the code step carries hidden: it shows under
  // that address, announced.
  await expect(page.getByRole('alert')).toHaveText('Sign-ups with addresses at blocked.example are not accepted. Please use another address.');
  await expect(page.getByTestId('flow/identity/value')).toHaveText(blocked);
  await expect(page.getByTestId('flow/identity').getByRole('alert')).toBeVisible();
  const found = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(blocked)}`)).json();
  expect(found).toEqual([]);
  expect((await receivedHooks()).notify.filter((c) => c.body.email === blocked)).toEqual([]);

  // "Back" goes a step at a time: to the choice of method, then to the profile.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('button', { name: 'Send sign-up code' })).toBeVisible();
  await page.getByRole('button', { name: 'Back' }).click();
  const email = page.getByLabel('Email');
  await expect(email).toHaveValue(blocked);
  await expect(page.getByLabel('Account type')).toHaveValue('educator');
  await expect(page.getByLabel('First name')).toHaveValue('Bo');
  const allowed = uniqueEmail('hook-allowed');
  await email.fill(allowed);
  await enterCode(page, allowed);
  await expect(page).toHaveURL(SIGNED_UP);
  const received = await receivedHooks((r) => r.notify.some((c) => c.body.email === allowed));
  expect(received.notify.find((c) => c.body.email === allowed)!.body).toMatchObject({ account_type: 'educator', name: { first: 'Bo' } });
});

test('settings cannot undo the sign-up check: becoming an educator is refused by the backend before Kratos saves it, the message under its field; nothing changes, and nobody is told of a new educator (the address cannot change in settings at all: settings.spec.ts)', async ({ page }) => {
  const email = uniqueEmail('hook-settings');
  await signUpAs(page, email, 'student', 'Sam');
  await expect(page).toHaveURL(SIGNED_UP);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);

  await page.goto('/settings');
  await expect(page.getByLabel('Account type')).toHaveJSProperty('tagName', 'SELECT');
  await page.getByLabel('Account type').selectOption('educator');
  await page.getByRole('button', { name: 'Save profile' }).click();
  // The receiver's own message ids (infra/local/hook-receiver.mjs), on the fields Kratos put them on.
  await expect(page.getByTestId('ui/message/4900002')).toHaveText('An account becomes an educator account only at sign-up. Please ask us to change it.');
  await expect(page.getByLabel('Account type')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Account type')).toHaveValue('educator'); // what was chosen stays, to correct

  const identities = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)).json();
  expect(identities).toHaveLength(1);
  expect(identities[0].traits).toMatchObject({ email, account_type: 'student' });
  const received = await receivedHooks((r) => r.check.some((c) => c.body.event === 'settings' && c.body.email === email));
  const asked = received.check.filter((c) => c.body.identity_id === identities[0].id).map((c) => c.body);
  expect(asked).toEqual([
    { event: 'settings', identity_id: identities[0].id, email, account_type: 'educator', previous: { email, account_type: 'student' }, language: expect.stringMatching(/^en/) },
  ]);
  expect(received.notify.filter((c) => c.body.email === email)).toEqual([]);
});
