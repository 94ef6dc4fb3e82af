// The README's screenshots, taken from the real stack: Kratos, the production build of the SPA,
// Debian's Chromium. `npm run screenshots` starts the test stack, takes them, and stops it.
//
// Writes docs/screenshots/{login,registration-error,settings,login-dark,login-phone,admin,admin-identity,login-ar,login-ar-error}.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { setAdminRole } from './make-admin.mjs';
import { ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
const PASSWORD = 'correct horse battery staple';

export async function takeScreenshots({ log = console.log } = {}) {
  mkdirSync(OUT, { recursive: true });
  const stack = await startStack('test', { log });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    const spa = stack.settings.urls.spa;
    const shot = async (page, name) => {
      await page.locator('main[aria-busy="false"]').waitFor();
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      log(`  docs/screenshots/${name}.png`);
    };
    const context = await browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'en-US', colorScheme: 'light' });
    const page = await context.newPage();

    await page.goto(`${spa}/login`);
    await page.getByRole('button', { name: 'Sign in with password' }).waitFor();
    await shot(page, 'login');

    const email = `ada.${Date.now()}@example.com`;
    await page.goto(`${spa}/registration`);
    await page.getByLabel('E-Mail').fill(email);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.locator('select[name="traits.account_type"]').selectOption('educator');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.locator('input[name="password"][aria-invalid="true"]').waitFor();
    await shot(page, 'registration-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByRole('link', { name: 'Skip for now' }).click();
    await page.getByTestId('home/trait/email').waitFor();
    await page.goto(`${spa}/settings`);
    await page.locator('button[name="method"][value="profile"]').waitFor();
    await page.locator('select[name="traits.account_type"]').waitFor();
    await shot(page, 'settings');

    // The same person made an admin (npm run make-admin's code): the identity list, then their own page.
    await setAdminRole(stack.settings.urls.kratosAdmin, email);
    await page.goto(`${spa}/admin`);
    await page.getByTestId('admin/identities').waitFor();
    await shot(page, 'admin');
    await page.getByRole('link', { name: email }).click();
    await page.getByTestId('admin/sessions').locator('li').first().waitFor();
    await shot(page, 'admin-identity');

    const dark = await browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'en-US', colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${spa}/login`);
    await darkPage.getByRole('button', { name: 'Sign in with password' }).waitFor();
    await shot(darkPage, 'login-dark');

    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', colorScheme: 'light', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${spa}/login`);
    await phonePage.getByRole('button', { name: 'Sign in with password' }).waitFor();
    await shot(phonePage, 'login-phone');

    // A browser that asks for Arabic gets it, right to left.
    const arabic = await browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'ar', colorScheme: 'light' });
    const arabicPage = await arabic.newPage();
    await arabicPage.goto(`${spa}/login`);
    await arabicPage.locator('html[dir="rtl"]').waitFor();
    await arabicPage.getByRole('button', { name: 'تسجيل الدخول بكلمة المرور' }).waitFor();
    await shot(arabicPage, 'login-ar');
    await arabicPage.getByLabel('E-Mail').fill(email);
    await arabicPage.getByRole('textbox', { name: 'كلمة المرور', exact: true }).fill('not the password');
    await arabicPage.getByRole('button', { name: 'تسجيل الدخول بكلمة المرور' }).click();
    await arabicPage.getByTestId('ui/message/4000006').waitFor();
    await shot(arabicPage, 'login-ar-error');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await takeScreenshots();
