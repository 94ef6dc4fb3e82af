// Social sign-in against a real OpenID Provider on loopback (panva's oidc-provider, started by
// the test stack; its development login page takes any login name and password): sign up, sign
// in, the registration that needs a trait the provider did not give, and linking and unlinking
// in settings (issue 6).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { signOut, signUpWithPassword, uniqueEmail, urls } from './helpers';

/**
 * Signs out of the provider too (its session cookies; Kratos's stay), so the next visit shows
 * its login page again instead of coming straight back.
 */
async function forgetProvider(page: Page): Promise<void> {
  await page.context().clearCookies({ name: /^_(session|interaction|resume)/ });
}

/** The provider's own login page: log in as `loginName`; it sends the browser back to Kratos. */
async function atProvider(page: Page, loginName: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${urls.oidcProvider}/`));
  await page.locator('input[name="login"]').fill(loginName);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(new RegExp(`^${urls.spa}/`));
}

test('sign up with the OpenID Provider, sign out, and sign in with it again', async ({ page }) => {
  const email = uniqueEmail('oidc');
  await page.goto('/registration');
  await page.getByRole('button', { name: 'Sign up with local-idp' }).click();
  await atProvider(page, email);
  await expect(page).toHaveURL(new RegExp(`^${urls.spa}/`));
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('home/methods')).toContainText('Social sign-in');

  await signOut(page);
  await forgetProvider(page);
  await page.getByRole('button', { name: 'Sign in with local-idp' }).click();
  await atProvider(page, email);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});

test('a provider that gives no e-mail: Kratos asks for it on the registration form, and refuses the typed address, which nothing has proven; no account is made', async ({ page }) => {
  const login = `noemail-${Date.now()}`;
  const email = uniqueEmail('oidcmissing');
  await page.goto('/registration');
  await page.getByRole('button', { name: 'Sign up with local-idp' }).click();
  await atProvider(page, login);
  await expect(page).toHaveURL(/\/registration\?flow=/);
  await expect(page.getByLabel('Email')).toHaveValue('');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: /Sign up with local-idp|Continue/ }).first().click();
  // Kratos refuses it before it stores anything (kratos/hooks/address-proven.jsonnet) and sends
  // the browser to the error page, which says why and what to do instead, not Kratos's words.
  await expect(page).toHaveURL(/\/error\?id=/);
  await expect(page.getByTestId('ui/error/known')).toHaveText(/^This sign-up did not prove that the address is yours, so no account was made\./);
  await expect(page.getByTestId('ui/error')).not.toContainText('jsonnet');
  await page.getByTestId('link/registration').click();
  await expect(page).toHaveURL(/\/registration\?flow=/);
  const found = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)).json();
  expect(found).toEqual([]);
});

test('settings: link the provider to a password account, sign in with it, then unlink it', async ({ page }) => {
  const email = uniqueEmail('oidclink');
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Link local-idp' }).click();
  await atProvider(page, `linked-${email}`);
  await expect(page).toHaveURL(/\/settings\?flow=/);
  await expect(page.getByRole('button', { name: 'Unlink local-idp' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unlink local-idp' })).toHaveClass(/\bbutton-danger\b/);

  await signOut(page);
  await forgetProvider(page);
  await page.getByRole('button', { name: 'Sign in with local-idp' }).click();
  await atProvider(page, `linked-${email}`);
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Unlink local-idp' }).click();
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByRole('button', { name: 'Link local-idp' })).toBeVisible();
});
