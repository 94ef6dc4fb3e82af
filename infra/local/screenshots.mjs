// The README's screenshots, taken from the real stack: Kratos, the production build of the SPA,
// Debian's Chromium. `npm run screenshots` starts the test stack, takes them, and stops it.
//
// Writes docs/screenshots/{login,registration-error,settings,login-dark,login-phone,admin,admin-identity,login-ar,login-ar-error}.png,
// and docs/screenshots/review/: the states the product review of 2026-12 showed (issue 37), named
// as its screenshots are (../shared/reviews/ux-2026-12/shots/), to set beside them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { mailedCode } from './mail-sink.mjs';
import { setAdminRole } from './make-admin.mjs';
import { ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

const OUT = join(ROOT, 'docs', 'screenshots');
const REVIEW = join(OUT, 'review');
const PASSWORD = 'correct horse battery staple';

export async function takeScreenshots({ log = console.log } = {}) {
  mkdirSync(REVIEW, { recursive: true });
  const stack = await startStack('test', { log });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    const spa = stack.settings.urls.spa;
    const shot = async (page, name, dir = OUT) => {
      await page.locator('main[aria-busy="false"]').waitFor();
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
      log(`  ${join(dir, `${name}.png`).slice(ROOT.length + 1)}`);
    };
    const context = await browser.newContext({ viewport: { width: 900, height: 760 }, locale: 'en-US', colorScheme: 'light' });
    const page = await context.newPage();

    await page.goto(`${spa}/login`);
    await page.getByRole('button', { name: 'Sign in with password' }).waitFor();
    await shot(page, 'login');

    const email = `ada.${Date.now()}@example.com`;
    await page.goto(`${spa}/registration`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.locator('select[name="traits.account_type"]').selectOption('educator');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByRole('button', { name: 'Send sign-up code' }).click();
    await page.getByLabel('Registration code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('ui/message/4040003').waitFor();
    await shot(page, 'registration-error');

    await page.getByLabel('Registration code').fill(await mailedCode(stack.settings.urls.mailUi, email));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/verification\?flow=|\/$/);
    // A password, chosen in settings (sign-up proves the address first: SECURITY.md).
    await page.goto(`${spa}/settings`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('button[name="method"][value="password"]').click();
    await page.getByTestId('ui/message/1050001').waitFor();
    await page.goto(`${spa}/settings`);
    await page.locator('button[name="method"][value="profile"]').waitFor();
    await page.locator('select[name="traits.account_type"]').waitFor();
    await shot(page, 'settings');

    // The same person made an admin (npm run make-admin's code): the identity list, then their own page.
    await setAdminRole(stack.settings.urls.kratosAdmin, email);
    const totp = await turnOnAuthenticatorApp(page, spa); // the admin role counts only at a second factor
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
    await arabicPage.getByRole('textbox', { name: 'البريد الإلكتروني', exact: true }).fill(email);
    await arabicPage.getByRole('textbox', { name: 'كلمة المرور', exact: true }).fill('not the password');
    await arabicPage.getByRole('button', { name: 'تسجيل الدخول بكلمة المرور' }).click();
    await arabicPage.getByTestId('ui/message/4000006').waitFor();
    await shot(arabicPage, 'login-ar-error');

    await reviewStates({ browser, spa, mailUi: stack.settings.urls.mailUi, email, totp, signedIn: page, shot: (p, name) => shot(p, name, REVIEW) });
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/** Turns on an authenticator app for the signed-in person, as they would (its own set-up page); the app. */
async function turnOnAuthenticatorApp(page, spa) {
  await page.goto(`${spa}/settings?section=totp`);
  const secret = (await page.getByTestId('node/text/totp_secret_key/text').textContent()).replace(/\s/g, '');
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  await page.getByLabel('Code from your authenticator app').fill(totp.generate());
  await page.locator('button[name="method"][value="totp"]').click();
  await page.getByRole('button', { name: 'Turn off authenticator app' }).waitFor();
  return totp;
}

/** Signs `page` in with the password, then (`totp`: the person's authenticator app) its code. */
async function signIn(page, spa, email, totp) {
  await page.goto(`${spa}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  if (totp) {
    await page.getByLabel('Authentication code').fill(totp.generate());
    await page.locator('button[name="method"][value="totp"]').click();
  }
  await page.getByTestId('home/trait/email').waitFor();
}

/** The review's states, as the product shows them now (`email`: an account signed in on `signedIn`, with the authenticator app `totp`). */
async function reviewStates({ browser, spa, mailUi, email, totp, signedIn, shot }) {
  const desk = { viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'light' };

  // 06: sign-up's second step; 54: the same address signed up again.
  const fresh = await (await browser.newContext(desk)).newPage();
  await fresh.goto(`${spa}/registration`);
  await fresh.getByLabel('Email').fill(email);
  await fresh.getByRole('button', { name: 'Continue', exact: true }).click();
  await fresh.getByTestId('ui/message/1040009').waitFor();
  await shot(fresh, '06-reg-step2');
  const before = (await (await fetch(`${mailUi}/api/messages?to=${encodeURIComponent(email)}`)).json()).length;
  await fresh.getByRole('button', { name: 'Send sign-up code' }).click();
  await fresh.getByLabel('Registration code').fill(await mailedCode(mailUi, email, { count: before + 1 }));
  await fresh.getByRole('button', { name: 'Continue' }).click();
  await fresh.getByTestId('link/sign-in-instead').waitFor();
  await shot(fresh, '54-reg-duplicate');

  // 23: a wrong password.
  await fresh.goto(`${spa}/login`);
  await fresh.getByLabel('Email').fill(email);
  await fresh.getByLabel('Password').fill('not the password');
  await fresh.getByRole('button', { name: 'Sign in with password' }).click();
  await fresh.getByTestId('ui/message/4000006').waitFor();
  await shot(fresh, '23-login-wrong-pw');

  // 85: the verification link of the sign-up mail, opened a second time.
  const mails = await (await fetch(`${mailUi}/api/messages?to=${encodeURIComponent(email)}`)).json();
  const link = /(https?:\/\/\S+\/self-service\/verification\?\S+)/.exec(mails[0]?.text ?? '')?.[1];
  if (link) {
    await fresh.goto(link);
    await fresh.getByRole('button', { name: 'Continue' }).click();
    await fresh.getByTestId('ui/message/1080002').waitFor();
    await fresh.goto(link);
    await fresh.getByTestId('verification/already').waitFor();
    await shot(fresh, '85-reused-verification-link');
  }

  // 21 and 43b: home, with a second session to sign out there (asked once more first).
  const other = await (await browser.newContext(desk)).newPage();
  await signIn(other, spa, email, totp);
  await signedIn.setViewportSize(desk.viewport);
  await signedIn.goto(`${spa}/`);
  await signedIn.getByTestId('sessions/revoke').first().waitFor();
  await shot(signedIn, '21-home-desk');
  await signedIn.getByTestId('sessions/revoke').first().click();
  await shot(signedIn, '43b-sessions-card');

  // 57: settings on a phone, dark.
  const phoneDark = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', colorScheme: 'dark', deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();
  await signIn(phoneDark, spa, email, totp);
  await phoneDark.goto(`${spa}/settings`);
  await phoneDark.locator('select[name="traits.account_type"]').waitFor();
  await shot(phoneDark, '57-settings-phone-dark');

  // 62, 66: the admin list, wide, and the schema's refusal of an edit (the person is an admin).
  await signedIn.goto(`${spa}/admin`);
  await signedIn.getByTestId('admin/identities').waitFor();
  await shot(signedIn, '62-admin-list');
  await signedIn.getByRole('link', { name: email }).click();
  await signedIn.getByTestId('admin/edit/traits').fill(JSON.stringify({ email: 'not an address', account_type: 'teacher' }));
  await signedIn.getByTestId('admin/edit/save').click();
  await signedIn.getByTestId('admin/edit/status').waitFor();
  await shot(signedIn, '66-admin-traits-invalid');
}

await takeScreenshots();
