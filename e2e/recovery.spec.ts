// Account recovery with a code by e-mail, against the real Kratos (issue 3).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { codeFor, flowIdShown, mailTo, signIn, signUpWithPassword, uniqueEmail, urls } from './helpers';

async function requestRecovery(page: Page, email: string): Promise<void> {
  await page.goto('/recovery');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
}

async function signedUpThenOut(page: Page, label: string): Promise<string> {
  const email = uniqueEmail(label);
  await signUpWithPassword(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  return email;
}

test('recover an account with the mailed code: lands in settings with a privileged session and sets a new password', async ({ page }) => {
  const email = await signedUpThenOut(page, 'recover');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/recovery\?flow=/);
  // What will happen, before anything is sent; the way back says where it goes (review finding 29).
  await expect(page.getByTestId('recovery/intro')).toHaveText('Enter the email address of your account, and we will email you a way to sign in again.');
  await expect(page.getByTestId('link/login')).toHaveText('Back to sign in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  await expect(page.getByTestId('recovery/intro')).toHaveCount(0);

  const mail = await mailTo(email, { count: 2 }); // the verification mail came first
  expect(mail[0]!.subject).toBe('Recover access to your account');
  await page.getByLabel('Recovery code').fill(await codeFor(email, 2));
  await page.getByRole('button', { name: 'Continue' }).click();

  // Kratos answers 422 browser_location_change_required → the settings flow it made.
  await expect(page).toHaveURL(/\/settings\?flow=/);
  await expect(page.getByTestId('ui/message/1060001')).toContainText('You successfully recovered your account');
  // No "within the next 15.00 minutes": Kratos's float is not shown.
  await expect(page.getByTestId('ui/message/1060001')).not.toContainText('.00');
  await page.getByLabel('Password').fill('a freshly recovered passphrase');
  await page.locator('button[name="method"][value="password"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toHaveText('Your changes have been saved!');

  await page.goto('/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, 'a freshly recovered passphrase');
  await expect(page).toHaveURL(urls.spa + '/');
  await expect(page.getByTestId('home/methods')).toHaveText('Password');
});

test('a wrong recovery code is refused (4060006) and the right one still works afterwards', async ({ page }) => {
  const email = await signedUpThenOut(page, 'recoverwrong');
  await requestRecovery(page, email);
  const code = await codeFor(email, 2);
  await page.getByLabel('Recovery code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/4060006')).toContainText('invalid or has already been used');
  await expect(page.getByLabel('Recovery code')).toHaveValue('');

  await page.getByLabel('Recovery code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
});

test('"Resend code" on recovery sends a second mail without asking for the code first', async ({ page }) => {
  const email = await signedUpThenOut(page, 'recoverresend');
  await requestRecovery(page, email);
  await mailTo(email, { count: 2 });
  await page.getByRole('button', { name: 'Resend code' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  const mails = await mailTo(email, { count: 3 });
  expect(mails.filter((m) => m.subject === 'Recover access to your account')).toHaveLength(2);
  await page.getByLabel('Recovery code').fill(await codeFor(email, 3));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/settings\?flow=/);
});

test('recovery for an address without an account reads exactly like a real one, and mails nobody', async ({ page, browser }) => {
  const unknown = uniqueEmail('nobody');
  await page.goto('/recovery');
  await page.getByLabel('Email').fill(unknown);
  await page.getByRole('button', { name: 'Continue' }).click();
  const shown = await page.getByTestId('ui/message/1060003').textContent();

  // A real account asks afterwards; Kratos's courier sends in order, so once that mail is
  // here, a mail to the unknown address would be too.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  const known = await signedUpThenOut(otherPage, 'known');
  await requestRecovery(otherPage, known);
  await mailTo(known, { count: 2 });
  expect(await otherPage.getByTestId('ui/message/1060003').textContent()).toBe(shown);
  await other.close();

  const res = await fetch(`${urls.mailUi}/api/messages?to=${encodeURIComponent(unknown)}`);
  expect(await res.json()).toEqual([]);
});

test('after too many wrong codes Kratos hands back a new recovery flow (303), and the page adopts its id', async ({ page }) => {
  const email = await signedUpThenOut(page, 'recoverbrute');
  await requestRecovery(page, email);
  const first = await flowIdShown(page);
  // Kratos counts every submit of a flow; past five it answers with a redirect to a new flow,
  // which asks for the address again.
  for (let attempt = 1; ; attempt += 1) {
    expect(attempt, 'Kratos should have started a new flow by now').toBeLessThanOrEqual(8);
    await page.getByLabel('Recovery code').fill(String(100000 + attempt));
    const answered = page.waitForResponse((r) => r.url().includes('/self-service/recovery?flow=') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Continue' }).click();
    await answered;
    await expect(page.getByRole('button', { name: 'Continue' })).toBeEnabled();
    if (await page.getByLabel('Email').isVisible()) break;
    expect(await flowIdShown(page)).toBe(first);
  }
  await flowIdShown(page, first);
  await expect(page.getByText('The request was submitted too often. Please request another code.')).toBeVisible();
});
