// Kratos stopped and started again while people use the app (issue 7). The real Kratos is
// stopped through the test stack's control endpoint, so these run with the other config specs:
// after everything else, one at a time.
import { expect, test } from './fixtures';
import { PASSWORD, signUpWithPassword, stackPart, uniqueEmail, urls } from './helpers';

const kratos = (action: 'stop' | 'start'): Promise<void> => stackPart('kratos', action);

test.afterEach(async () => {
  await kratos('start'); // whatever happened, leave Kratos running for the next test
});

test('Kratos down when /login loads: a clear message, retries by itself, and the form appears once Kratos is back', async ({ page }) => {
  await kratos('stop');
  await page.goto('/login');
  await expect(page.getByTestId('app/notice/error')).toContainText('could not reach the account service');
  await expect(page.getByTestId('app/retry')).toBeVisible();
  await expect(page.getByTestId('app/retry-countdown')).toContainText('Trying again by itself');
  await expect(page.locator('main')).not.toBeEmpty();

  await kratos('start');
  // No click and no reload: the automatic retry (1 s, 2 s, 4 s, 8 s …) finds Kratos back.
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('app/notice/error')).toHaveCount(0);
});

test('Kratos stopped mid-flow: the submit fails clearly, keeps the e-mail but not the password, and works once Kratos is back', async ({ page }) => {
  const email = uniqueEmail('outage');
  await signUpWithPassword(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await kratos('stop');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('app/notice/error')).toContainText('This form could not be sent');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();

  await kratos('start');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(urls.spa + '/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});

test('Kratos down on the home page: retries by itself and then shows the signed-in person', async ({ page }) => {
  const email = uniqueEmail('outagehome');
  await signUpWithPassword(page, email);
  await kratos('stop');
  await page.reload();
  await expect(page.getByTestId('app/notice/error')).toContainText('could not reach the account service');
  await kratos('start');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email, { timeout: 20_000 });
});
