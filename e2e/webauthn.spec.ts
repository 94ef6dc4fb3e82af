// Security keys and passkeys against the real Kratos, with Chromium's virtual authenticator
// (Chrome DevTools Protocol, WebAuthn domain) standing in for the hardware (issue 6). The app
// runs the WebAuthn exchange natively (frontend/src/flow/webauthn.ts): Kratos's webauthn.js is
// never loaded, so the strict CSP holds. WebAuthn needs a domain: the test stack is on localhost.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, signOut, signUpAndSkipVerification, uniqueEmail } from './helpers';

/** A platform authenticator that can hold passkeys and verifies the user by itself. */
async function virtualAuthenticator(page: Page): Promise<{ credentials(): Promise<number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length };
}

test('security key as second factor: add it in settings, then sign-in asks for it and the session is AAL2', async ({ page }) => {
  const key = await virtualAuthenticator(page);
  const email = uniqueEmail('seckey');
  await signUpAndSkipVerification(page, email);
  await page.goto('/settings');
  await page.getByLabel('Name of the security key').fill('Desk key');
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toHaveClass(/\bbutton-danger\b/);
  expect(await key.credentials()).toBe(1);

  await signOut(page);
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(/aal=aal2/);
  await page.getByRole('button', { name: 'Sign in with hardware key' }).click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');
  await expect(page.getByTestId('home/methods')).toContainText('Security key');

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Remove security key "Desk key"' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toHaveCount(0);
});

test('passkey: sign up with one (no password), sign out, and sign in with it', async ({ page }) => {
  const key = await virtualAuthenticator(page);
  const email = uniqueEmail('passkey');
  await page.goto('/registration');
  await page.getByLabel('E-Mail').fill(email);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('button', { name: 'Sign up with passkey' }).click();
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);
  expect(await key.credentials()).toBe(1);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);

  await signOut(page);
  await page.getByRole('button', { name: 'Sign in with passkey' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('home/methods')).toContainText('Passkey');
});

test('passkey: add one to a password account in settings, sign in with it, remove it', async ({ page }) => {
  await virtualAuthenticator(page);
  const email = uniqueEmail('addpasskey');
  await signUpAndSkipVerification(page, email);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Add passkey' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  const remove = page.getByRole('button', { name: /^Remove passkey/ });
  await expect(remove).toBeVisible();
  await expect(remove).toHaveClass(/\bbutton-danger\b/);

  await signOut(page);
  await page.getByRole('button', { name: 'Sign in with passkey' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);

  await page.goto('/settings');
  await remove.click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Remove passkey/ })).toHaveCount(0);
});

test('without an authenticator the ceremony fails on the page with a clear message, and nothing is sent to Kratos', async ({ page }) => {
  await signUpAndSkipVerification(page, uniqueEmail('nokey'));
  await page.goto('/settings');
  const posts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
  // Chromium without a virtual authenticator and no UI answers NotAllowedError once the
  // request's timeout ends; a rejected promise is what the page has to handle.
  await page.evaluate(() => {
    navigator.credentials.create = () => Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
  });
  await page.getByLabel('Name of the security key').fill('Lost key');
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByTestId('flow/problem')).toContainText('did not answer (The operation either timed out or was not allowed.)');
  expect(posts).toEqual([]);
});
