// Address squatting, played as an attack (issue 39): someone signs up with another person's
// address and a password of their own (or moves their own account onto it in settings), then
// waits for the owner to prove the address, by signing in or up by code, by recovering, or by
// verifying it. Kratos verifies an address on each of these
// without touching the password, so a password stored before that would then sign in to the
// owner's account. Every sign-up proves its address first (kratos/hooks/address-proven.jsonnet):
// the squatter's sign-up is refused before anything is stored, and each path of the owner's ends
// with the squatter's password signing in to nothing; and an address never changes in settings
// (kratos/hooks/address-unchanged.jsonnet).
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { choosePassword, mailTo, PASSWORD, sendProfileAsScript, signIn, signOut, signUp, signUpWithPassword, uniqueEmail, urls } from './helpers';

const SQUATTER_PASSWORD = 'the squatter chose this one';

/** The identities Kratos has for `email` (admin API). */
async function identitiesOf(email: string): Promise<{ id: string; credentials?: { password?: { config?: { hashed_password?: string } } } }[]> {
  return (await fetch(`${urls.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}&include_credential=password`)).json();
}

/**
 * The squatter's sign-up with a password, sent straight to Kratos as a script would (the app
 * does not offer it): the browser flow with its CSRF cookie (`request`, the page's cookies), and
 * the API flow a native app uses (no cookies). Returns each answer's status and error message.
 */
async function squat(request: APIRequestContext, email: string): Promise<{ status: number; message: string }[]> {
  const body = { method: 'password', password: SQUATTER_PASSWORD, traits: { email } };
  const browserFlow = await (await request.get(`${urls.kratosPublic}/self-service/registration/browser`, { headers: { Accept: 'application/json' } })).json();
  const csrf = browserFlow.ui.nodes.find((n: { attributes: { name?: string } }) => n.attributes.name === 'csrf_token').attributes.value;
  const byBrowser = await request.post(browserFlow.ui.action, { headers: { Accept: 'application/json' }, data: { ...body, csrf_token: csrf } });
  const apiFlow = await (await fetch(`${urls.kratosPublic}/self-service/registration/api`, { headers: { Accept: 'application/json' } })).json();
  const byApi = await fetch(apiFlow.ui.action, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return [
    { status: byBrowser.status(), message: String((await byBrowser.json()).error?.message ?? '') },
    { status: byApi.status, message: String(((await byApi.json()) as { error?: { message?: string } }).error?.message ?? '') },
  ];
}

/** The squatter tries their password on the sign-in page: Kratos's 4000006, no session. */
async function squatterSignInFails(page: Page, email: string): Promise<void> {
  await signIn(page, email, SQUATTER_PASSWORD);
  await expect(page.getByTestId('ui/message/4000006')).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible();
}

test('the squatter\'s password sign-up is refused before Kratos stores anything, by the browser flow and the API flow alike, and mails the owner nothing', async ({ page }) => {
  const owner = uniqueEmail('squatted');
  for (const answer of await squat(page.request, owner)) {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.message).toContain('address_not_proven:');
  }
  expect(await identitiesOf(owner)).toEqual([]);
  await squatterSignInFails(page, owner);
  // A mail to another address asked for now arrives; one to the owner would have come before it.
  const witness = uniqueEmail('witness');
  await page.goto('/registration');
  await page.getByLabel('Email').fill(witness);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Send sign-up code' }).click();
  await mailTo(witness);
  expect(await (await fetch(`${urls.mailUi}/api/messages?to=${encodeURIComponent(owner)}`)).json()).toEqual([]);
});

test('path 1, the owner signs up by code: their account has no password but the one they choose, and the squatter\'s signs in to nothing', async ({ page, browser }) => {
  const owner = uniqueEmail('squat-code');
  await squat(page.request, owner);

  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signUp(ownerPage, owner);
  const [identity] = await identitiesOf(owner);
  // Kratos keeps an empty password credential for the address (the schema's identifier): no hash.
  expect(identity!.credentials?.password?.config?.hashed_password).toBeUndefined();
  await squatterSignInFails(page, owner);

  await choosePassword(ownerPage, PASSWORD);
  expect((await identitiesOf(owner))[0]!.credentials?.password?.config?.hashed_password).toMatch(/^\$/);
  await squatterSignInFails(page, owner);
  await signOut(ownerPage);
  await signIn(ownerPage, owner, PASSWORD);
  await expect(ownerPage.getByTestId('home/trait/email')).toHaveText(owner);
  await ownerContext.close();
});

test('path 2, the owner recovers the address: there is no account to recover, and the squatter\'s password signs in to nothing', async ({ page }) => {
  const owner = uniqueEmail('squat-recover');
  await squat(page.request, owner);
  await page.goto('/recovery');
  await page.getByLabel('Email').fill(owner);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1060003')).toBeVisible();
  expect(await identitiesOf(owner)).toEqual([]);
  await squatterSignInFails(page, owner);
});

test('path 3, the owner verifies the address: nothing is verified into anyone\'s account, and the squatter\'s password signs in to nothing', async ({ page }) => {
  const owner = uniqueEmail('squat-verify');
  await squat(page.request, owner);
  await page.goto('/verification');
  await page.getByLabel('Email').fill(owner);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080003')).toBeVisible();
  expect(await identitiesOf(owner)).toEqual([]);
  await squatterSignInFails(page, owner);
  // The owner can still sign up, by code, and is then the only one with a way in.
  await signUp(page, owner);
  const [identity] = await identitiesOf(owner);
  expect(identity!.credentials?.password?.config?.hashed_password).toBeUndefined();
});

test('path 4, through settings: a squatter with an account of their own moves it onto the owner\'s address: refused, nothing saved; the owner\'s code then signs them up, not into the squatter\'s account', async ({ page, browser }) => {
  const squatter = uniqueEmail('squatter-own');
  const owner = uniqueEmail('squat-settings');
  await signUpWithPassword(page, squatter, SQUATTER_PASSWORD);
  const moved = await sendProfileAsScript(page, { email: owner });
  expect(moved.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(moved.body)).toContain('address_fixed:');
  expect(await identitiesOf(owner)).toEqual([]);
  // No verification mail to the owner: nothing unsolicited to confirm.
  expect(await (await fetch(`${urls.mailUi}/api/messages?to=${encodeURIComponent(owner)}`)).json()).toEqual([]);
  await signOut(page);
  await squatterSignInFails(page, owner);

  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signUp(ownerPage, owner);
  const [ownersOwn] = await identitiesOf(owner);
  const [squattersOwn] = await identitiesOf(squatter);
  expect(ownersOwn!.id).not.toBe(squattersOwn!.id);
  await squatterSignInFails(page, owner);
  await ownerContext.close();
});
