// What a person sees when a part of the PostgreSQL stack fails under them (issue 41): a Kratos
// replica killed as a node kills a pod, PostgreSQL stopped with its fast shutdown. The parts are
// stopped through the test stack's control endpoint (e2e/global-setup.ts), so these run after
// every other PostgreSQL spec, one at a time (playwright.config.ts, project postgres-faults).
// `npm run faults` measures the same faults under load (docs/reliability.md).
import { expect, test } from './fixtures';
import { askForSignUpCode, signUpWithPassword, stackPart, uniqueEmail, urls } from './helpers';

test.afterEach(async () => {
  // Whatever happened, leave every part running for the next test.
  await stackPart('postgres', 'start');
  await stackPart('replica', 'start');
});

test('a Kratos replica killed while a person signs up: the code they type is accepted all the same, with no error on the way', async ({ page }) => {
  const email = uniqueEmail('replica-killed');
  const code = await askForSignUpCode(page, email);
  // The flow was made and the code sent through the balancer, by either replica: one of them dies.
  await stackPart('replica', 'kill');
  await page.getByLabel('Registration code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);
  if (!page.url().endsWith('/')) await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('app/notice/error')).toHaveCount(0);
});

test('PostgreSQL stopped while a person saves settings: a clear message, what they typed kept, and saving again works once it is back', async ({ page }) => {
  const email = uniqueEmail('db-down-settings');
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await stackPart('postgres', 'stop');
  await page.locator('button[name="method"][value="profile"]').click();
  // Kratos answers "no session" while its database is down; the app asks its readiness before
  // believing that, and keeps the form instead of leaving for sign-in.
  await expect(page.getByTestId('app/notice/error')).toContainText('This form could not be sent', { timeout: 20_000 });
  await expect(page).toHaveURL(/\/settings\?flow=/);
  await expect(page.getByLabel('First name')).toHaveValue('Grace');
  await expect(page.getByLabel('Last name')).toHaveValue('Hopper');
  await expect(page.getByTestId('ui/message/1050001')).toHaveCount(0);

  await stackPart('postgres', 'start');
  await page.locator('button[name="method"][value="profile"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible({ timeout: 20_000 });
  await page.goto('/');
  await expect(page.getByTestId('home/trait/name.first')).toHaveText('Grace');
});

test('PostgreSQL down when sign-in opens: a clear message with a visible countdown, and the form by itself once it is back', async ({ page }) => {
  await stackPart('postgres', 'stop');
  await page.goto('/login');
  await expect(page.getByTestId('app/notice/error')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('app/retry-countdown')).toContainText('Trying again by itself');
  await expect(page.getByTestId('app/retry')).toBeVisible();
  await stackPart('postgres', 'start');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('app/notice/error')).toHaveCount(0);
  expect(urls.kratosReplicaPublic).toBeTruthy();
});
