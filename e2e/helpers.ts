// Shared steps of the end-to-end tests. Everything here goes through the real stack: the SPA in
// Chromium, the real Kratos, and mail delivered over SMTP to the sink.
import { expect, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { oathkeeperCleansPaths } from '../oathkeeper/rule-table.mjs';
import { ensureBinary } from '../infra/local/binaries.mjs';
import { kratosMajorUnderTest } from '../infra/local/kratos.mjs';
import { createByAdmin } from '../infra/local/kratos-api.mjs';
import { mailedCode } from '../infra/local/mail-sink.mjs';
import { rawRequest } from '../infra/local/processes.mjs';
import { PAGES_BASE } from '../infra/local/stack.mjs';
import { stackSettings } from '../infra/local/settings.mjs';

export const { urls } = stackSettings('test');
export const PAGES_URL = urls.pages + PAGES_BASE.replace(/\/$/, '');

export const PASSWORD = 'correct horse battery staple';

/**
 * Whether the stack's Kratos (the pinned v26.2.0, or the one `npm run compat` runs) is at
 * least `major`: tests whose expectation depends on the version say so with this.
 */
export function kratosAtLeast(major: number): boolean {
  return kratosMajorUnderTest() >= major;
}

/**
 * Whether the stack's Oathkeeper (v26.2.0, or v0.40.9 under `npm run compat`) matches its rules
 * against the cleaned path, so a "../" reaches the rule of the path it cleans to
 * (oathkeeper/rule-table.mjs).
 */
export async function oathkeeperCleans(): Promise<boolean> {
  return oathkeeperCleansPaths(await ensureBinary('oathkeeper', { log: () => {} }));
}

/** GET `path` of `origin` with the path sent byte for byte (no "../" resolved: rawRequest). */
export async function rawGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  const { status, text } = await rawRequest({ host: hostname, port: Number(port), path, headers });
  return { status, body: text };
}

let counter = 0;
/** An address no other test uses (tests run in parallel against one Kratos). */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${process.pid}-${counter}@example.com`.toLowerCase();
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/** Waits for mail to `to` that Kratos delivered over SMTP, newest first. */
export async function mailTo(to: string, { count = 1, timeoutMs = 20_000 } = {}): Promise<Mail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${urls.mailUi}/api/messages?to=${encodeURIComponent(to)}`);
    const messages = (await res.json()) as Mail[];
    if (messages.length >= count) return messages;
    if (Date.now() > deadline) throw new Error(`no mail for ${to} within ${timeoutMs / 1000}s (have ${messages.length})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The six-digit code in the newest mail to `to` (waiting for the `count`th mail). */
export function codeFor(to: string, count = 1): Promise<string> {
  return mailedCode(urls.mailUi, to, { count, timeoutMs: 20_000 });
}

/**
 * Stops or starts a part of the running test stack through its control endpoint
 * (e2e/global-setup.ts): the real Kratos, the registration web hooks' receiver, and on
 * PostgreSQL the second replica (kill, start) and the database (stop, start).
 */
export async function stackPart(part: 'kratos' | 'hooks' | 'replica' | 'postgres', action: 'stop' | 'start' | 'kill'): Promise<void> {
  const res = await fetch(`${urls.control}/${part}/${action}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`${part} ${action}: ${res.status} ${await res.text()}`);
}

interface HookCall {
  at: string;
  body: { event?: string; email?: string; email_verified?: boolean; account_type?: string | null; identity_id?: string; name?: unknown; language?: string | null; previous?: { email?: string | null; account_type?: string | null } };
}
export interface ReceivedHooks {
  check: HookCall[];
  notify: HookCall[];
  unauthorized: number;
}

/**
 * What the stack's registration web hook receiver (infra/local/hook-receiver.mjs) has got, once
 * `until` holds for it (the notification arrives in the background, after the sign-up answered).
 */
export async function receivedHooks(until: (r: ReceivedHooks) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedHooks> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = (await (await fetch(`${urls.hookReceiver}/hooks/received`)).json()) as ReceivedHooks;
    if (until(received)) return received;
    if (Date.now() > deadline) throw new Error(`the hook receiver did not get what was expected within ${timeoutMs / 1000}s: ${JSON.stringify(received).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A sign-up's first steps: the address (and profile), Continue, "Send sign-up code"; the mailed code. */
export async function askForSignUpCode(page: Page, email: string, profile: { first?: string; accountType?: string } = {}): Promise<string> {
  await page.goto('/registration');
  await page.getByLabel('Email').fill(email);
  if (profile.first) await page.getByLabel('First name').fill(profile.first);
  if (profile.accountType) await page.getByLabel('Account type').selectOption(profile.accountType);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Send sign-up code' }).click();
  return codeFor(email);
}

/**
 * Sign-up as the app offers it (SECURITY.md, address squatting): the profile, then a code mailed
 * to the address, then the code. Ends signed in on the home page, the address proven, with no
 * password yet (settings adds one: signUpWithPassword). The code mail is the address's first.
 */
export async function signUp(page: Page, email: string, profile: { first?: string; accountType?: string } = {}): Promise<void> {
  await page.getByLabel('Registration code').fill(await askForSignUpCode(page, email, profile));
  await page.getByRole('button', { name: 'Continue' }).click();
  // Kratos v1.3.1 offers verification after a code sign-up too (of an address already verified).
  await expect(page).toHaveURL(/\/verification\?flow=|\/$/);
  if (!page.url().endsWith('/')) await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
}

/** A password for the signed-in person, chosen in settings; back on the home page. */
export async function choosePassword(page: Page, password = PASSWORD): Promise<void> {
  await page.goto('/settings');
  await page.getByLabel('Password').fill(password);
  await page.locator('button[name="method"][value="password"]').click();
  await expect(page.getByTestId('ui/message/1050001')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('home/trait/email')).toBeVisible();
}

/** Signs up (by code), then chooses a password: signed in on the home page, address verified. */
export async function signUpWithPassword(page: Page, email: string, password = PASSWORD): Promise<void> {
  await signUp(page, email);
  await choosePassword(page, password);
}

/**
 * A signed-in person whose address `email` is not verified, with a password. Every sign-up proves
 * its address and settings cannot change it (SECURITY.md, address squatting), so such an account
 * is one an operator imported (the admin API, address unverified); the person signs in on the
 * app's page. No mail has gone to `email` yet.
 */
export async function signedInUnverified(page: Page, email: string, password = PASSWORD): Promise<void> {
  await createByAdmin(urls.kratosAdmin, email, password, { verified: false });
  await signIn(page, email, password);
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
  await expect(page.getByTestId('home/trait/email/verification')).toHaveText('not verified');
}

/**
 * The signed-in person's profile sent straight to Kratos with `traits`, as a script would (not the
 * app's form): a settings flow with the page's cookies and its CSRF token. Kratos's answer.
 */
export async function sendProfileAsScript(page: Page, traits: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const flow = await (await page.request.get(`${urls.kratosPublic}/self-service/settings/browser`, { headers: { Accept: 'application/json' } })).json();
  const csrf = flow.ui.nodes.find((n: { attributes: { name?: string } }) => n.attributes.name === 'csrf_token').attributes.value;
  const res = await page.request.post(flow.ui.action, { headers: { Accept: 'application/json' }, data: { method: 'profile', csrf_token: csrf, traits } });
  return { status: res.status(), body: await res.json() };
}

/** Asks /verification for a code for `email` (the signed-in person's unverified address). */
export async function askForVerificationCode(page: Page, email: string): Promise<void> {
  await page.goto('/verification');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('ui/message/1080003')).toBeVisible();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
}

/** Signs out with the home page's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('home/sign-out').click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * The id of the flow on screen, once the page has put it into the address: it does so a frame
 * after the form is drawn (pages/flow-page.ts), and a new flow first takes the old id out, so a
 * test that has just seen a form waits for it; reading the address once raced that (a CSRF test
 * read "/login" with no id, once in a full run). With `other`, waits for an id that is not that
 * one (a new flow replacing it).
 */
export async function flowIdShown(page: Page, other?: string): Promise<string> {
  let id: string | null = null;
  await expect
    .poll(() => {
      id = new URL(page.url()).searchParams.get('flow');
      return id !== null && id !== other;
    }, { message: `a flow id${other ? ` other than ${other}` : ''} in the address (${page.url()})` })
    .toBe(true);
  return id!;
}

/**
 * Stops the page's clock before it loads: timers (the automatic retry's 1 s, 2 s, …) never fire,
 * so a test decides what happens next. Requests and their own timeouts are not affected.
 */
export async function holdClock(page: Page): Promise<void> {
  const now = Date.now();
  await page.clock.install({ time: now });
  await page.clock.pauseAt(now + 1000);
}

/** Codes of the authenticator app whose secret Kratos showed (otpauth, as the app would compute them). */
export function totpFor(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
}

/**
 * Turns on an authenticator app for the signed-in person (settings, its own set-up page) and
 * returns it. Kratos counts the set-up as a second factor for the session (AAL2).
 */
export async function turnOnAuthenticatorApp(page: Page): Promise<TOTP> {
  await page.goto('/settings?section=totp');
  const secret = (await page.getByTestId('node/text/totp_secret_key/text').textContent())!.replace(/\s/g, '');
  const totp = totpFor(secret);
  await page.getByLabel('Code from your authenticator app').fill(totp.generate());
  await page.locator('button[name="method"][value="totp"]').click();
  await expect(page.getByRole('button', { name: 'Turn off authenticator app' })).toBeVisible();
  return totp;
}
