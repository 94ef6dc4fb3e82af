// Accessibility (issue 8): axe-core finds no violation in any state of any page, in light and
// dark and in every language (Arabic right to left); focus goes where a keyboard or screen-reader
// user needs it; and the core flows can be done with the keyboard alone. All against the real Kratos.
import { LANGUAGES } from '../frontend/src/i18n/preference';
import { expect, test } from './fixtures';
import { expectNoViolations, violations } from './axe';
import { codeFor, PASSWORD, signUpWithPassword, uniqueEmail } from './helpers';

test('the axe check is real: an unlabelled field and low-contrast text added to the sign-in page are reported', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
  await page.evaluate(() => {
    const input = document.createElement('input');
    const faint = document.createElement('p');
    faint.textContent = 'faint';
    faint.style.color = '#eeeeee';
    document.querySelector('form')!.append(input, faint);
  });
  const found = (await violations(page)).join('\n');
  expect(found).toMatch(/^label /m);
  expect(found).toMatch(/^color-contrast /m);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every state of sign-in, sign-up, recovery and verification has no axe violations (${scheme})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    const email = uniqueEmail(`a11y${scheme}`);

    await page.goto('/login');
    await expectNoViolations(page, 'login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    await expect(page.getByTestId('ui/message/4000006')).toBeVisible();
    await expectNoViolations(page, 'login, invalid credentials');

    await page.goto('/registration');
    await expectNoViolations(page, 'registration');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('First name').fill('x'.repeat(300)); // the schema allows 256
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(page.getByTestId('ui/message/4000017')).toBeVisible();
    await expectNoViolations(page, 'registration, a name Kratos refuses');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(page.getByTestId('ui/message/1040009')).toBeVisible();
    await expectNoViolations(page, 'registration step two (choose a credential)');
    await page.getByRole('button', { name: 'Send sign-up code' }).click();
    await page.getByLabel('Registration code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByTestId('ui/message/4040003')).toBeVisible();
    await expectNoViolations(page, 'registration, a wrong code');

    await page.goto('/recovery');
    await expectNoViolations(page, 'recovery');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
    await expectNoViolations(page, 'recovery, code sent');

    await page.goto('/verification');
    await expectNoViolations(page, 'verification');

    await page.goto('/error?id=stub:500');
    await expect(page.getByText('This is a stub error.')).toBeVisible();
    await expectNoViolations(page, 'error page');
    await page.goto('/no-such-page');
    await expectNoViolations(page, 'not found');
    await page.goto('/');
    await expectNoViolations(page, 'home, signed out');
  });

  test(`signed-in pages (home, settings with an error and saved, sign-out) have no axe violations (${scheme})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: scheme });
    await signUpWithPassword(page, uniqueEmail(`a11yin${scheme}`));
    await expect(page.getByTestId('home/trait/email')).toBeVisible();
    await expectNoViolations(page, 'home, signed in');
    await page.getByText('Technical details').click();
    await expect(page.getByTestId('home/aal')).toBeVisible();
    await expectNoViolations(page, 'home, technical details open');

    await page.goto('/settings');
    await expectNoViolations(page, 'settings');
    await page.locator('input[name="password"]').fill('short');
    await page.locator('button[name="method"][value="password"]').click();
    await expect(page.locator('input[name="password"]')).toHaveAttribute('aria-invalid', 'true');
    await expectNoViolations(page, 'settings, password too short');
    await page.getByLabel('First name').fill('Grace');
    await page.locator('button[name="method"][value="profile"]').click();
    await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
    // "Saved" is in the profile section, under its button, where the person looks, and has focus.
    await expect(page.getByTestId('section/profile').getByTestId('ui/message/1050001')).toBeVisible();
    await expect(page.getByTestId('section/profile').locator('.section-saved')).toBeFocused();
    await expectNoViolations(page, 'settings, saved');
    await page.getByRole('button', { name: 'Create backup codes' }).click();
    await expect(page.getByTestId('codes/copy')).toBeVisible();
    await expectNoViolations(page, 'settings, backup codes shown (grid, copy, download)');

    await page.goto('/settings?section=totp');
    await expect(page.getByTestId('node/image/totp_qr')).toBeVisible();
    await expectNoViolations(page, 'the authenticator app\'s own set-up page');

    await page.goto('/logout');
    await expectNoViolations(page, 'sign-out confirmation');
  });
}

/** What each language's sign-in page says (written in frontend/src/i18n/), by its code. */
const LANGUAGE_PAGES: Record<string, { dir: 'ltr' | 'rtl'; signIn: string; email: string; password: string; invalid: RegExp; signUpNext: string }> = {
  de: { dir: 'ltr', signIn: 'Mit Passwort anmelden', email: 'E-Mail-Adresse', password: 'Passwort', invalid: /^Die Anmeldedaten sind ungültig/, signUpNext: 'Weiter' },
  fr: { dir: 'ltr', signIn: 'Se connecter avec un mot de passe', email: 'Adresse e-mail', password: 'Mot de passe', invalid: /^Les identifiants sont incorrects/, signUpNext: 'Continuer' },
  es: { dir: 'ltr', signIn: 'Iniciar sesión con contraseña', email: 'Correo electrónico', password: 'Contraseña', invalid: /^Los datos de acceso no son válidos/, signUpNext: 'Continuar' },
  'pt-BR': { dir: 'ltr', signIn: 'Entrar com senha', email: 'E-mail', password: 'Senha', invalid: /^Os dados de acesso são inválidos/, signUpNext: 'Continuar' },
  ar: { dir: 'rtl', signIn: 'تسجيل الدخول بكلمة المرور', email: 'البريد الإلكتروني', password: 'كلمة المرور', invalid: /^بيانات الدخول غير صحيحة/, signUpNext: 'متابعة' },
};

// Every language the menu offers (the app's own table), English aside: one without its expected
// strings above fails here rather than going unchecked.
for (const code of Object.keys(LANGUAGES).filter((c) => c !== 'en')) {
  const lang = { code, ...LANGUAGE_PAGES[code]! };
  test(`the ${lang.code} pages have no axe violations and say which language and direction they are in`, async ({ page }) => {
    expect(LANGUAGE_PAGES[code], `the strings ${code}'s pages are expected to show`).toBeDefined();
    await page.goto('/login');
    await page.getByTestId('app/language').selectOption(lang.code);
    await expect(page.locator('html')).toHaveAttribute('lang', lang.code);
    await expect(page.locator('html')).toHaveAttribute('dir', lang.dir);
    await expect(page.getByRole('button', { name: lang.signIn })).toBeVisible();
    await expectNoViolations(page, `login (${lang.code})`);
    // The schema's title in the language (the catalogs' trait.email), on the sign-in identifier too.
    await page.getByRole('textbox', { name: lang.email, exact: true }).fill(uniqueEmail(`lang-${lang.code}`));
    await page.getByRole('textbox', { name: lang.password, exact: true }).fill('wrong password');
    await page.getByRole('button', { name: lang.signIn }).click();
    await expect(page.getByTestId('ui/message/4000006')).toHaveText(lang.invalid);
    await expectNoViolations(page, `login with an error (${lang.code})`);
    await page.goto('/registration');
    await expect(page.getByRole('button', { name: lang.signUpNext, exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', lang.dir);
    await expectNoViolations(page, `registration (${lang.code})`);
  });
}

test('Arabic mirrors the layout: labels and fields start at the right, the brand sits right and the language menu left', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('app/language').selectOption('ar');
  const password = page.getByRole('textbox', { name: 'كلمة المرور', exact: true });
  await expect(password).toBeVisible();
  // Where the label's text is drawn (its box is as wide as the field either way).
  const label = await password.evaluate((input) => {
    const range = document.createRange();
    range.selectNodeContents((input as HTMLInputElement).labels![0]!);
    const { left, right } = range.getBoundingClientRect();
    return { left, right };
  });
  const field = (await password.boundingBox())!;
  expect(Math.abs(label.right - (field.x + field.width)), 'the label\'s text ends where the field ends: at the right').toBeLessThan(2);
  expect(label.left, 'the text is short, so it starts well inside the field').toBeGreaterThan(field.x + 100);
  const brand = (await page.locator('.brand').boundingBox())!;
  const menu = (await page.getByTestId('app/language').boundingBox())!;
  expect(brand.x).toBeGreaterThan(menu.x);
  await page.getByTestId('app/language').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  const brandLtr = (await page.locator('.brand').boundingBox())!;
  expect(brandLtr.x).toBeLessThan((await page.getByTestId('app/language').boundingBox())!.x);
});

test('a page that cannot reach Kratos (the retry state) has no axe violations', async ({ page }) => {
  let tries = 0;
  await page.route(/\/self-service\/login\/browser/, (route) => {
    tries += 1;
    return route.abort('connectionrefused');
  });
  await page.goto('/login');
  // Each failed try waits longer for the next (1, 2, 4, 8, 15, 30 s). Trying again by hand until
  // the next automatic try is 15 s or more away gives axe a page that holds still while it reads.
  const countdown = page.getByTestId('app/retry-countdown');
  for (let i = 0; i < 8; i++) {
    await expect(page.getByTestId('app/retry')).toBeVisible();
    if (/in (15|30) s/.test((await countdown.textContent()) ?? '')) break;
    await page.getByTestId('app/retry').click();
  }
  await expect(countdown).toContainText(/in (15|30) s/);
  const before = tries;
  await expectNoViolations(page, 'Kratos unreachable');
  expect(tries, 'no try happened while axe read the page').toBe(before);
});

test('after navigation the page heading has focus; after a refused submit the first invalid field has it, described by its message', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await page.getByRole('link', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeFocused();

  await page.getByLabel('Email').fill(uniqueEmail('focus'));
  await page.getByLabel('First name').fill('x'.repeat(300));
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  const name = page.getByLabel('First name');
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('length must be <= 256, but got 300'); // Kratos's 4000017
});

test('Kratos\'s messages are announced: the message area is a live region, errors are alerts', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('.flow-messages')).toHaveAttribute('aria-live', 'polite');
  await page.getByLabel('Email').fill(uniqueEmail('live'));
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'credentials are invalid' })).toBeVisible();
});

test('keyboard only: sign up with the mailed code, choose a password in settings, sign out and sign in again, never touching the mouse', async ({ page }) => {
  test.setTimeout(60_000);
  const email = uniqueEmail('keyboard');
  await page.goto('/registration');
  const tabTo = async (name: RegExp, max = 25) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '';
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return `${label ?? ''} ${el.textContent ?? ''} ${el.getAttribute('aria-label') ?? ''}`.trim();
      });
      if (name.test(focused)) return;
    }
    throw new Error(`Tab never reached ${name}`);
  };
  await tabTo(/^Email/);
  await page.keyboard.type(email);
  await tabTo(/^First name/);
  await page.keyboard.type('Kay');
  await page.keyboard.press('Enter'); // submits the profile step
  await expect(page.getByTestId('ui/message/1040009')).toBeVisible();
  await tabTo(/Send sign-up code/);
  await page.keyboard.press('Enter');
  await tabTo(/^Registration code/);
  await page.keyboard.type(await codeFor(email));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);

  await page.goto('/settings');
  await tabTo(/^Password/, 40);
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await tabTo(/^Sign out$/);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login/);
  await tabTo(/^Email/);
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
});

test('password managers get what they need from the real forms: username + current-password to sign in, a one-time code at sign-up, the e-mail as a hidden username beside the new password in settings', async ({ page }) => {
  await page.goto('/login');
  // With passkeys on, Kratos adds "webauthn" (the browser may then offer passkeys in the field).
  await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username webauthn');
  await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password');
  const email = uniqueEmail('autofill');
  await page.goto('/registration');
  await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'email');
  await expect(page.getByLabel('First name')).toHaveAttribute('autocomplete', 'given-name');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Send sign-up code' }).click();
  await expect(page.getByLabel('Registration code')).toHaveAttribute('autocomplete', 'one-time-code');
  await page.getByLabel('Registration code').fill(await codeFor(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);
  await page.goto('/settings');
  await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'new-password');
  const hint = page.getByTestId('section/password').getByTestId('flow/username-hint');
  await expect(hint).toHaveValue(email);
  await expect(hint).toBeHidden();
});
