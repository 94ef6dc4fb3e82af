// Shared steps of the end-to-end tests. Everything here goes through the real stack: the SPA in
// Chromium, the real Kratos, and mail delivered over SMTP to the sink.
import { request as httpRequest } from 'node:http';
import { expect, type Page } from '@playwright/test';
import { PAGES_BASE } from '../infra/local/stack.mjs';
import { stackSettings } from '../infra/local/settings.mjs';

export const { urls } = stackSettings('test');
export const PAGES_URL = urls.pages + PAGES_BASE.replace(/\/$/, '');

export const PASSWORD = 'correct horse battery staple';

/**
 * The Kratos version the stack runs: the pinned v1.3.1, or the one `npm run compat` was given
 * (infra/local/compat.mjs). Tests whose expectation depends on the version ask this, by name.
 */
export function kratosVersion(): string {
  return process.env.KRATOS_VERSION_UNDER_TEST ?? 'v1.3.1';
}

/** Whether the stack's Kratos is at least `major` (v1.3.1 → 1; v26.2.0 → 26). */
export function kratosAtLeast(major: number): boolean {
  const m = /^v?(\d+)\./.exec(kratosVersion());
  return m ? Number(m[1]) >= major : false;
}

/**
 * A request with the path sent byte for byte. Browsers and Playwright's request context resolve
 * "../" and "%2e%2e" before sending, so a test of how a server treats dot segments needs this.
 */
export function rawGet(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
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
export async function codeFor(to: string, count = 1): Promise<string> {
  const [latest] = await mailTo(to, { count });
  const code = /\b(\d{6})\b/.exec(latest!.text)?.[1];
  if (!code) throw new Error(`no code in the mail to ${to}: ${latest!.text}`);
  return code;
}

/** Kratos's default two-step sign-up through the SPA: e-mail first, then the password. */
export async function signUp(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/registration');
  await page.getByLabel('E-Mail').fill(email);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
}

/** Signs up and skips verification, landing signed in on the home page. */
export async function signUpAndSkipVerification(page: Page, email: string, password = PASSWORD): Promise<void> {
  await signUp(page, email, password);
  await expect(page).toHaveURL(/\/verification\?flow=/);
  await page.getByRole('link', { name: 'Skip for now' }).click();
  await expect(page.getByTestId('home/trait/email')).toHaveText(email);
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
}

/** Signs out with the home page's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('home/sign-out').click();
  await expect(page).toHaveURL(/\/login/);
}

/** The id of the flow the page shows, from its address. */
export function flowId(page: Page): string {
  const id = new URL(page.url()).searchParams.get('flow');
  if (!id) throw new Error(`no ?flow= in ${page.url()}`);
  return id;
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
