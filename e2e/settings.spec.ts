// Account settings against the real Kratos (issue 3). Re-authentication for an old session
// needs a short privileged_session_max_age and lives in kratos.config.spec.ts.
import { expect, test } from './fixtures';
import { codeFor, sendProfileAsScript, signIn, signUpWithPassword, uniqueEmail, urls } from './helpers';

test('change the name in settings: Kratos says saved (1050001), the page stays, and home shows the new name', async ({ page }) => {
  const email = uniqueEmail('profile');
  await signUpWithPassword(page, email);
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
  await signUpWithPassword(page, email);
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
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  await page.getByLabel('Password').fill('short');
  await page.locator('button[name="method"][value="password"]').click();
  const field = page.getByLabel('Password');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('ui/message/4000032')).toHaveText('Use at least 8 characters.');
  await expect(page.getByTestId('ui/message/1050001')).toHaveCount(0);
});

test('the address cannot be changed in settings: read-only with the reason, the rest of the profile saves, and a changed address sent anyway is refused with nothing saved', async ({ page }) => {
  const email = uniqueEmail('fixedmail');
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  await expect(page.getByLabel('Email')).not.toBeEditable();
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/This address cannot be changed here/);
  await page.getByLabel('First name').fill('Ada');
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();

  // A script that sends the form with another address (Kratos is the one that says no).
  const other = uniqueEmail('squatted-by-settings');
  const res = await sendProfileAsScript(page, { email: other });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(res.body)).toContain('address_fixed:');
  const [identity] = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)).json();
  expect(identity.traits).toMatchObject({ email, name: { first: 'Ada' } });
  expect(await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(other)}`)).json()).toEqual([]);
  expect(await (await fetch(`${urls.mailUi}/api/messages?to=${encodeURIComponent(other)}`)).json()).toEqual([]);
});

test('settings without a session (401) send the visitor to sign in, then back to settings', async ({ page }) => {
  const email = uniqueEmail('settingsanon');
  await signUpWithPassword(page, email);
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
