// The registration web hooks' receiver down (a team's backend unreachable). It is stopped through
// the test stack's control endpoint, so this runs with the other config specs: after everything
// else, one at a time.
import { expect, test } from './fixtures';
import { codeFor, receivedHooks, stackPart, uniqueEmail, urls } from './helpers';

const receiver = (action: 'stop' | 'start'): Promise<void> => stackPart('hooks', action);

test.afterEach(async () => {
  await receiver('start'); // whatever happened, leave the receiver running
});

test('the backend that checks sign-ups unreachable: the sign-up fails clearly, nothing is created, what was typed stays, and once it is back a new code ("Resend code") finishes it', async ({ page }) => {
  const email = uniqueEmail('hook-down');
  await page.goto('/registration');
  await expect(page.getByLabel('Account type')).toHaveJSProperty('tagName', 'SELECT');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Account type').selectOption('educator');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Send sign-up code' }).click();
  const code = await codeFor(email);
  await page.getByLabel('Registration code').fill(code);
  await receiver('stop');
  await page.getByRole('button', { name: 'Continue' }).click();
  // Kratos tries the unreachable hook a few times (about 3.5 s here) and answers 500 with the
  // connection error, which is not for the person's eyes.
  await expect(page.getByTestId('app/notice/error')).toHaveText(
    'This form could not be sent: The account service answered in a way we did not expect (HTTP 500). Please try again. What you typed is still here, except passwords.',
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('app/notice/error')).not.toContainText('refused');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeEnabled();
  await expect(page.getByLabel('Registration code')).toHaveValue(code);
  const found = await (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)).json();
  expect(found).toEqual([]);

  await receiver('start');
  // Kratos spent the first code before it asked the backend: a new one finishes the sign-up.
  await page.getByRole('button', { name: 'Resend code' }).click();
  await page.getByLabel('Registration code').fill(await codeFor(email, 2));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);
  const received = await receivedHooks((r) => r.notify.some((c) => c.body.email === email));
  // Asked once (the first call never arrived), told once.
  expect(received.check.filter((c) => c.body.email === email)).toHaveLength(1);
  expect(received.notify.filter((c) => c.body.email === email)).toHaveLength(1);
});
