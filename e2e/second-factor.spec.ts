// Second factors against the real Kratos (issue 6): an authenticator app (TOTP, codes computed
// with the otpauth library from the secret Kratos shows) and backup recovery codes (lookup
// secrets); the step-up to AAL2 that Kratos then demands; and the sessions list on the home page.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { TOTP } from 'otpauth';
import { expect, test } from './fixtures';
import { setAdminRole } from '../infra/local/make-admin.mjs';
import { flowIdShown, signIn, signOut, signUpWithPassword, totpFor, uniqueEmail, urls } from './helpers';

/** Opens the authenticator app's set-up from settings: its own page, on a flow of its own. */
async function openTotpSetUp(page: Page): Promise<void> {
  await page.goto('/settings');
  await expect(page.getByTestId('node/image/totp_qr')).toHaveCount(0);
  await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
  await expect(page).toHaveURL(/\/settings\?(.*&)?section=totp/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Authenticator app');
  // Nothing else can be saved here.
  await expect(page.getByTestId('section/password')).toHaveCount(0);
  await expect(page.getByTestId('section/profile')).toHaveCount(0);
}

async function enrolTotp(page: Page): Promise<TOTP> {
  await openTotpSetUp(page);
  const qr = page.getByTestId('node/image/totp_qr').locator('img');
  await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(qr).toHaveAccessibleName('Authenticator app QR code');
  const secret = (await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  const totp = totpFor(secret);
  await page.getByLabel('Code from your authenticator app').fill(totp.generate());
  await page.locator('button[name="method"][value="totp"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible(); // "Your changes have been saved!"
  await expect(page.getByRole('button', { name: 'Turn off authenticator app' })).toBeVisible();
  // Taking the app away is a destructive action, and looks it (flow/layout.ts).
  await expect(page.getByRole('button', { name: 'Turn off authenticator app' })).toHaveClass(/\bbutton-danger\b/);
  // Once on, the section says so instead of how to set it up (review finding 21).
  await expect(page.getByTestId('section/totp').locator('.section-about')).toHaveText(/^On: when you sign in/);
  return totp;
}

/** Presses "Create backup codes" on settings and returns the codes Kratos shows. */
async function generateBackupCodes(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Create backup codes' }).click();
  // allTextContents() does not wait: read the codes once Kratos's answer (with Confirm) is drawn.
  await expect(page.getByRole('button', { name: 'I have saved them' })).toBeVisible();
  await expect(page.getByTestId('section/lookup_secret')).toContainText('until then they do not work');
  return page.getByTestId('node/text/lookup_secret_codes').locator('code').allTextContents();
}

test('TOTP: enrol in settings with the QR code\'s secret, then Kratos asks for the second factor at sign-in and the session is AAL2; unlink it again', async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail('totp');
  await signUpWithPassword(page, email);
  const totp = await enrolTotp(page);

  await signOut(page);
  await signIn(page, email);
  // Password alone is AAL1; with highest_available, Kratos sends the browser on to aal=aal2.
  await expect(page).toHaveURL(/\/login\?.*aal=aal2/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Second factor');
  await expect(page.getByTestId('ui/message/1010004')).toBeVisible(); // "complete the second authentication challenge"
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Use Authenticator' }).click();
  await expect(page.getByTestId('ui/message/4000008')).toBeVisible(); // wrong code
  await page.getByLabel('Authentication code').fill(totp.generate());
  await page.getByRole('button', { name: 'Use Authenticator' }).click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');
  await expect(page.getByTestId('home/methods')).toContainText('Authenticator app');

  await page.goto('/settings');
  // Taking the app away asks once more (review finding 12); "Cancel" sends nothing.
  const settingsPosts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/self-service/settings')) settingsPosts.push(r.url());
  });
  const unlink = page.locator('button[name="totp_unlink"]');
  await expect(unlink).toHaveText('Turn off authenticator app');
  await unlink.click();
  await expect(page.getByRole('group', { name: 'This takes away a way to sign in. Go on?' })).toBeVisible();
  await expect(unlink).toBeHidden();
  await expect(page.getByTestId('confirm/cancel')).toBeFocused();
  await page.getByTestId('confirm/cancel').click();
  await expect(unlink).toBeFocused();
  expect(settingsPosts).toEqual([]);
  await unlink.click();
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  expect(settingsPosts).toHaveLength(1);
  await expect(page.getByRole('link', { name: 'Set up an authenticator app' })).toBeVisible(); // can enrol again
  await signOut(page);
  await signIn(page, email);
  await expect(page.getByTestId('home/aal')).toHaveText('One factor (AAL1)');
});

test('the review\'s sequence: the app is scanned, something else in settings is saved in another tab, and the scanned code still turns the app on', async ({ page, context }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail('totp-review');
  await signUpWithPassword(page, email);
  await openTotpSetUp(page);
  // The person scans the QR code (its secret)...
  const scanned = (await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '');
  // ...then, before typing the code, fixes their name and changes their password in settings.
  const other = await context.newPage();
  await other.goto('/settings');
  await other.getByLabel('First name').fill('Ada');
  await other.getByRole('button', { name: 'Save profile' }).click();
  await expect(other.getByTestId('ui/message/1050001')).toBeVisible();
  await other.getByLabel('Password').fill('another long password 7');
  await other.getByRole('button', { name: 'Change password' }).click();
  await expect(other.getByTestId('ui/message/1050001')).toBeVisible();
  // The set-up page's secret is the one scanned, and the app's code is taken.
  expect((await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '')).toBe(scanned);
  await page.getByLabel('Code from your authenticator app').fill(totpFor(scanned).generate());
  await page.locator('button[name="method"][value="totp"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn off authenticator app' })).toBeVisible();
});

test('control: on one settings flow (the old page of every section), saving the profile first changes the secret and the scanned code is refused', async ({ page }) => {
  // The same flow the old page used for every section, driven through Kratos's API as the page did.
  const email = uniqueEmail('totp-control');
  await signUpWithPassword(page, email);
  await page.goto('/settings?section=totp');
  const flowId = await flowIdShown(page);
  const scanned = (await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '');
  const flow = await (await page.request.get(`${urls.kratosPublic}/self-service/settings/flows?id=${flowId}`, { headers: { Accept: 'application/json' } })).json();
  const csrf = flow.ui.nodes.find((n: { attributes: { name?: string } }) => n.attributes.name === 'csrf_token').attributes.value;
  const traits = flow.identity.traits;
  const saved = await page.request.post(`${urls.kratosPublic}/self-service/settings?flow=${flowId}`, { headers: { Accept: 'application/json' }, data: { method: 'profile', csrf_token: csrf, traits: { ...traits, name: { first: 'Ada' } } } });
  expect(saved.status()).toBe(200);
  const after = await saved.json();
  const secretNow = after.ui.nodes.find((n: { attributes: { id?: string } }) => n.attributes.id === 'totp_secret_key').attributes.text.text;
  expect(secretNow).not.toBe(scanned);
  const refused = await page.request.post(`${urls.kratosPublic}/self-service/settings?flow=${flowId}`, { headers: { Accept: 'application/json' }, data: { method: 'totp', csrf_token: csrf, totp_code: totpFor(scanned).generate() } });
  expect(refused.status()).toBe(400);
  expect(JSON.stringify(await refused.json())).toContain('4000008');
});

test('an AAL1 session of someone with TOTP is sent from the home page (whoami 403 session_aal2_required) and from settings to the second factor, then back', async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail('aal2');
  await signUpWithPassword(page, email);
  const totp = await enrolTotp(page);
  await signOut(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/aal=aal2/);

  // Leave the second step undone and open pages that need the full session.
  const whoami = page.waitForResponse((r) => r.url().endsWith('/sessions/whoami'));
  await page.goto('/');
  expect((await whoami).status()).toBe(403);
  await expect(page).toHaveURL(/\/login\?.*aal=aal2/);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?.*aal=aal2/);
  await page.getByLabel('Authentication code').fill(totp.generate());
  await page.getByRole('button', { name: 'Use Authenticator' }).click();
  await expect(page).toHaveURL(new RegExp(`^${urls.spa}/settings\\?flow=`));
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('settings: the authenticator app\'s secret and the backup codes are copied exactly, and the codes download as a text file', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signUpWithPassword(page, uniqueEmail('copy'));
  await openTotpSetUp(page);
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  const secret = (await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '');
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await expect(page.getByTestId('node/text/totp_secret_key').getByRole('status')).toHaveText('Copied.');
  expect(await clipboard()).toBe(secret);
  await page.getByRole('link', { name: 'Account settings' }).click();

  const codes = await generateBackupCodes(page);
  await page.getByRole('button', { name: 'Copy codes' }).click();
  await expect(page.getByTestId('node/text/lookup_secret_codes').getByRole('status')).toHaveText('Copied.');
  expect(await clipboard()).toBe(codes.join('\n'));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download codes' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('backup-codes.txt');
  expect(readFileSync(await file.path(), 'utf8')).toBe(`${codes.join('\n')}\n`);
});

test('with the authenticator app and backup codes, the second-factor page asks for one code: the backup code field waits behind its button, and a wrong backup code keeps it open (review finding 10)', async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail('onecode');
  await signUpWithPassword(page, email);
  await enrolTotp(page);
  await page.goto('/settings');
  const codes = await generateBackupCodes(page);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();

  await signOut(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/aal=aal2/);
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  const backup = page.getByRole('textbox', { name: 'Backup code', exact: true });
  await expect(backup).toBeHidden();
  const useBackup = page.getByRole('button', { name: 'Use a backup code' });
  await expect(useBackup).toHaveClass(/\bbutton-secondary\b/);
  // The first press opens the field and sends nothing.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/self-service/login')) posts.push(r.url());
  });
  await useBackup.click();
  await expect(backup).toBeFocused();
  expect(posts).toEqual([]);
  await backup.fill('not-a-code');
  await useBackup.click();
  await expect(page.getByTestId('ui/message/4000016')).toBeVisible();
  await expect(backup).toBeVisible();
  await backup.fill(codes[0]!);
  await useBackup.click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');
  expect(posts).toHaveLength(2);
});

test('backup codes: generate, confirm, sign in with one; a used code is refused; regenerating makes the old ones useless', async ({ page }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail('lookup');
  await signUpWithPassword(page, email);
  await page.goto('/settings');
  const codes = await generateBackupCodes(page);
  expect(codes.length).toBe(12);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();

  const useCode = async (code: string) => {
    await signOut(page);
    await signIn(page, email);
    await expect(page).toHaveURL(/aal=aal2/);
    await page.getByRole('textbox', { name: 'Backup code', exact: true }).fill(code);
    await page.getByRole('button', { name: 'Use a backup code' }).click();
  };
  await useCode(codes[0]!);
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');

  await useCode(codes[0]!);
  await expect(page.getByTestId('ui/message/4000012')).toBeVisible(); // already used
  await page.getByRole('textbox', { name: 'Backup code', exact: true }).fill(codes[1]!);
  await page.getByRole('button', { name: 'Use a backup code' }).click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Show backup codes' }).click();
  await expect(page.getByTestId('node/text/lookup_secret_codes')).toContainText('Secret was used at');
  const fresh = await generateBackupCodes(page);
  expect(fresh).not.toContain(codes[2]);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();

  await useCode(codes[2]!);
  await expect(page.getByTestId('ui/message/4000016')).toBeVisible(); // not valid any more
  await page.getByRole('textbox', { name: 'Backup code', exact: true }).fill(fresh[0]!);
  await page.getByRole('button', { name: 'Use a backup code' }).click();
  await expect(page.getByTestId('home/aal')).toHaveText('Two factors (AAL2)');
});

test('sessions: the home page lists the other devices signed in, signs one out (its next request is anonymous), and signs out all others', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail('sessions');
  await signUpWithPassword(page, email);
  await expect(page.getByTestId('sessions/status')).toHaveText('You are not signed in anywhere else.');

  const devices = await Promise.all([1, 2].map(async () => {
    const context = await browser.newContext({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36' });
    const other = await context.newPage();
    await signIn(other, email);
    await expect(other.getByTestId('home/trait/email')).toHaveText(email);
    return { context, page: other };
  }));

  await page.reload();
  await expect(page.getByTestId('sessions/current')).toContainText('This device');
  await expect(page.getByTestId('sessions/other')).toHaveCount(2);
  await expect(page.getByTestId('sessions/other').first()).toContainText('Chrome · Windows');
  await expect(page.getByTestId('sessions/other').first()).toContainText('with Password'); // named as the session card names it

  await page.getByTestId('sessions/revoke').first().click();
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByTestId('sessions/status')).toHaveText('That session is signed out.');
  await expect(page.getByTestId('sessions/other')).toHaveCount(1);
  const stillIn = [];
  for (const d of devices) {
    await d.page.reload();
    // Wait until home has asked Kratos and drawn one of its two answers; isVisible() alone does not wait.
    const signedIn = d.page.getByTestId('home/trait/email');
    await expect(signedIn.or(d.page.getByTestId('link/login'))).toBeVisible();
    stillIn.push(await signedIn.isVisible());
  }
  expect(stillIn.sort()).toEqual([false, true]);

  await page.getByTestId('sessions/revoke-others').click();
  await expect(page.getByRole('group', { name: 'Are you sure?' })).toBeVisible();
  await page.getByTestId('confirm/yes').click();
  await expect(page.getByTestId('sessions/status')).toHaveText('All your other sessions are signed out.');
  await expect(page.getByTestId('sessions/other')).toHaveCount(0);
  for (const d of devices) {
    await d.page.reload();
    await expect(d.page.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await d.context.close();
  }
  await page.reload();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email); // this device stays signed in
});

test('with no other session, "Sign out everywhere else" is not on the page', async ({ page }) => {
  await signUpWithPassword(page, uniqueEmail('alone'));
  await expect(page.getByTestId('sessions/status')).toHaveText('You are not signed in anywhere else.');
  await expect(page.getByTestId('sessions/revoke-others')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(1);
});

test('an admin with TOTP signed in with the password alone opening /admin gives the second factor first (whoami?tokenize_as 403 session_aal2_required), then lands on the admin page', async ({ page }) => {
  test.setTimeout(90_000);
  const email = uniqueEmail('aal2admin');
  await signUpWithPassword(page, email);
  const totp = await enrolTotp(page);
  await setAdminRole(urls.kratosAdmin, email);
  await signOut(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/aal=aal2/);

  await page.goto('/admin?view=messages');
  await expect(page).toHaveURL(/\/login\?.*aal=aal2.*return_to=.*%2Fadmin%3Fview%3Dmessages/);
  await page.getByLabel('Authentication code').fill(totp.generate());
  await page.getByRole('button', { name: 'Use Authenticator' }).click();
  await expect(page).toHaveURL(/\/admin\?view=messages$/);
  await expect(page.getByLabel('Find by recipient')).toBeVisible();
});
