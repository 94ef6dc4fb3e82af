// Security keys and passkeys against the real Kratos, with Chromium's virtual authenticator
// (Chrome DevTools Protocol, WebAuthn domain) standing in for the hardware (issue 6). The app
// runs the WebAuthn exchange natively (frontend/src/flow/webauthn.ts): Kratos's webauthn.js is
// never loaded, so the strict CSP holds. WebAuthn needs a domain: the test stack is on localhost.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, signOut, signUp, signUpWithPassword, uniqueEmail } from './helpers';

/**
 * A platform authenticator that can hold passkeys and verifies the user by itself. With
 * `autofill: false` the page is told the browser has no passkey autofill (conditional
 * mediation), so sign-in goes through the passkey button, as in browsers without it.
 */
async function virtualAuthenticator(page: Page, { autofill = true } = {}): Promise<{ credentials(): Promise<number> }> {
  if (!autofill) await page.addInitScript(() => (PublicKeyCredential.isConditionalMediationAvailable = async () => false));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length };
}

/**
 * A passkey for a new account: sign-up proves the address first (by code; sign-up offers no
 * passkey: SECURITY.md, address squatting), then settings adds the passkey, which the browser
 * then holds. Back on the home page.
 */
async function signUpWithPasskey(page: Page, email: string): Promise<void> {
  await signUp(page, email);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Add passkey' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
}

test('security key as second factor: add it in settings, then sign-in asks for it and the session is AAL2', async ({ page }) => {
  const key = await virtualAuthenticator(page);
  const email = uniqueEmail('seckey');
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  await page.getByLabel('Name of the security key').fill('Desk key');
  await page.getByRole('button', { name: 'Add security key' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toHaveClass(/\bbutton-danger\b/);
  expect(await key.credentials()).toBe(1);

  await signOut(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(/aal=aal2/);
  await page.getByRole('button', { name: 'Sign in with hardware key' }).click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');
  await expect(page.getByTestId('home/methods')).toContainText('Security key');

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Remove security key "Desk key"' }).click();
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove security key "Desk key"' })).toHaveCount(0);
});

test('passkey: sign up (by code), add one in settings (no password), sign out, and sign in with it (the button, where the browser has no passkey autofill)', async ({ page }) => {
  const key = await virtualAuthenticator(page, { autofill: false });
  const email = uniqueEmail('passkey');
  await signUpWithPasskey(page, email);
  expect(await key.credentials()).toBe(1);

  await signOut(page);
  await page.getByRole('button', { name: 'Sign in with passkey' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('home/methods')).toContainText('Passkey');
});

test('passkey: add one to a password account in settings, sign in with it, remove it', async ({ page }) => {
  await virtualAuthenticator(page, { autofill: false });
  const email = uniqueEmail('addpasskey');
  await signUpWithPassword(page, email);
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
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Remove passkey/ })).toHaveCount(0);
});

test('without an authenticator the ceremony fails on the page with a clear message, and nothing is sent to Kratos', async ({ page }) => {
  await signUpWithPassword(page, uniqueEmail('nokey'));
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

test('passkey autofill: with a passkey stored, opening /login signs the person in from the flow\'s own challenge, without typing or pressing anything', async ({ page }) => {
  const key = await virtualAuthenticator(page);
  const email = uniqueEmail('autofill');
  await signUpWithPasskey(page, email);
  expect(await key.credentials()).toBe(1);

  const passkeyPost = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/self-service/login?flow=') && (r.postData() ?? '').includes('"passkey_login"'));
  await page.getByTestId('home/sign-out').click();
  // Signed out, /login opens and the browser's autofill request answers with the stored passkey.
  // What the passkey button posts too: the CSRF token, the (empty) identifier, the passkey group's challenge and the assertion.
  const posted = JSON.parse((await passkeyPost).postData()!) as Record<string, string>;
  expect(Object.keys(posted).sort()).toEqual(['csrf_token', 'identifier', 'passkey_challenge', 'passkey_login']);
  expect(JSON.parse(posted.passkey_login!)).toMatchObject({ type: 'public-key', response: { userHandle: expect.any(String) } });
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('home/methods')).toContainText('Passkey');
});

test('passkey autofill is asked for only with mediation "conditional" and the flow\'s challenge, and ends when the person types a password; the password sign-in then goes ahead', async ({ page }) => {
  // An authenticator without a passkey for this site: the autofill request stays open.
  await virtualAuthenticator(page);
  await page.addInitScript(() => {
    const seen: { mediation?: string; challenge: string; aborted: boolean }[] = [];
    (window as unknown as { autofillRequests: typeof seen }).autofillRequests = seen;
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => {
      const entry = { mediation: options?.mediation, challenge: btoa(String.fromCharCode(...new Uint8Array(options!.publicKey!.challenge as ArrayBuffer))), aborted: false };
      seen.push(entry);
      options?.signal?.addEventListener('abort', () => (entry.aborted = true));
      return get(options);
    };
  });
  const email = uniqueEmail('autofillpw');
  await signUpWithPassword(page, email);
  await signOut(page);

  const requests = () => page.evaluate(() => (window as unknown as { autofillRequests: { mediation?: string; challenge: string; aborted: boolean }[] }).autofillRequests);
  await expect.poll(async () => (await requests()).length).toBe(1);
  const [asked] = await requests();
  expect(asked!.mediation).toBe('conditional');
  expect(asked!.aborted).toBe(false);
  const challenge = await page.locator('input[name="passkey_challenge"]').getAttribute('value');
  const expected = (JSON.parse(challenge!) as { publicKey: { challenge: string } }).publicKey.challenge;
  expect(asked!.challenge.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')).toBe(expected);

  // Typing the e-mail is where a person picks a passkey from the autofill: it must stay open.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Email').press('End');
  expect((await requests()).map((r) => r.aborted)).toEqual([false]);
  // Typing a password means no passkey: the request ends, and no other is made.
  await page.getByLabel('Password').fill(PASSWORD);
  await expect.poll(async () => (await requests()).map((r) => r.aborted)).toEqual([true]);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});
