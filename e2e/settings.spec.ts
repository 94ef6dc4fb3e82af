// Account settings against the real Kratos (issue 3). Re-authentication for an old session
// needs a short privileged_session_max_age and lives in kratos.config.spec.ts.
import { expect, test } from './fixtures';
import { codeFor, signIn, signUpAndSkipVerification, uniqueEmail, urls } from './helpers';

test('change the name in settings: Kratos says saved (1050001), the page stays, and home shows the new name', async ({ page }) => {
  const email = uniqueEmail('profile');
  await signUpAndSkipVerification(page, email);
  await page.getByRole('link', { name: 'Account settings' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
  const url = page.url();
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toHaveText('Your changes have been saved!');
  expect(page.url()).toBe(url);
  await expect(page.getByLabel('First name')).toHaveValue('Ada');

  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('home/trait/name.first')).toHaveText('Ada');
  await expect(page.getByTestId('home/trait/name.last')).toHaveText('Lovelace');
});

test('change the password in settings with a fresh session, then sign in with the new one', async ({ page }) => {
  const email = uniqueEmail('newpw');
  await signUpAndSkipVerification(page, email);
  await page.goto('/settings');
  await page.getByLabel('Password').fill('a completely new passphrase');
  await page.locator('button[name="method"][value="password"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.goto('/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, 'a completely new passphrase');
  await expect(page).toHaveURL(urls.spa + '/');
});

test('a too-short password in settings shows Kratos\'s policy message on the field and saves nothing', async ({ page }) => {
  const email = uniqueEmail('shortpw');
  await signUpAndSkipVerification(page, email);
  await page.goto('/settings');
  await page.getByLabel('Password').fill('short');
  await page.locator('button[name="method"][value="password"]').click();
  const field = page.getByLabel('Password');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('ui/message/4000032')).toHaveText('Use at least 8 characters.');
  await expect(page.getByTestId('ui/message/1050001')).toHaveCount(0);
});

test('a malformed e-mail is caught in the browser before anything is sent', async ({ page }) => {
  await signUpAndSkipVerification(page, uniqueEmail('bademail'));
  await page.goto('/settings');
  const posts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
  await page.getByLabel('Email').fill('not-an-email');
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page.getByLabel('Email')).toBeFocused();
  expect(await page.getByLabel('Email').evaluate((el: HTMLInputElement) => el.validity.typeMismatch)).toBe(true);
  expect(posts).toEqual([]);
});

test('an e-mail Kratos refuses (over 320 characters) shows its message on the field and keeps the other fields as typed', async ({ page }) => {
  await signUpAndSkipVerification(page, uniqueEmail('longemail'));
  await page.goto('/settings');
  const tooLong = `${'a'.repeat(60)}@${`${'b'.repeat(60)}.`.repeat(5)}com`;
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Email').fill(tooLong);
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('ui/message/4000017')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(tooLong);
  await expect(page.getByLabel('First name')).toHaveValue('Grace');
});

test('changing the e-mail in settings goes on to verify the new address (continue_with show_verification_ui)', async ({ page }) => {
  const email = uniqueEmail('changemail');
  const next = uniqueEmail('changedmail');
  await signUpAndSkipVerification(page, email);
  await page.goto('/settings');
  await page.getByLabel('Email').fill(next);
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page).toHaveURL(/\/verification\?flow=/);
  await page.getByLabel('Verification code').fill(await codeFor(next));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080002')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(next);
});

test('settings without a session (401) send the visitor to sign in, then back to settings', async ({ page }) => {
  const email = uniqueEmail('settingsanon');
  await signUpAndSkipVerification(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?.*return_to=/);
  await expect(page.getByTestId('app/notice/success')).toHaveText('Please sign in to continue.');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(/\/settings(\?|$)/);
  await expect(page.getByLabel('Email')).toHaveValue(email);
});
