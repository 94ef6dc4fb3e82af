// A submit the Gateway's rate limit refuses (issue 35): the 429 Envoy sends itself, as Envoy
// Gateway v1.9.1 configures it for the kratos-public route. infra/checks/edge.spec.mjs shows, in
// the translator's xDS, the CORS policy on that route (the rendered SecurityPolicy's origins,
// credentials and exposed headers) running before the local rate limit, whose refusals carry
// X-RateLimit-Reset (enable_x_ratelimit_headers DRAFT_VERSION_03). Envoy's local reply is status
// 429 with the text "local_rate_limited". A small server here answers the submit that way, over
// the network (a response made up by Playwright's route.fulfill is not held to CORS by Chromium);
// everything else is the real stack.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { expect, test } from './fixtures';
import { holdClock, uniqueEmail, urls } from './helpers';

/** The headers the rendered SecurityPolicy tells Envoy's CORS filter to expose. */
function exposedByTheGateway(): string[] {
  const policies = parseAllDocuments(readFileSync(new URL('../infra/k8s/generated/gateway-policies.yaml', import.meta.url), 'utf8')).map((d) => d.toJS());
  return policies.find((p) => p.kind === 'SecurityPolicy').spec.cors.exposeHeaders;
}

type Refusal = { cors: 'gateway' | 'none' | 'no-expose'; reset: number };

/**
 * Envoy's refusal, from a real socket: the local rate limit's headers, and CORS as the CORS filter
 * adds it (the rendered policy's exposed headers), or none, or without the exposed headers.
 */
let server: Server;
let refusalUrl: string;
test.beforeAll(async () => {
  server = createServer((req, res) => {
    const { cors, reset } = JSON.parse(decodeURIComponent(new URL(req.url!, 'http://x').searchParams.get('as')!)) as Refusal;
    const headers: Record<string, string> = { 'content-type': 'text/plain', 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) };
    if (cors !== 'none') Object.assign(headers, { 'access-control-allow-origin': urls.spa, 'access-control-allow-credentials': 'true', vary: 'Origin' });
    if (cors === 'gateway') headers['access-control-expose-headers'] = exposedByTheGateway().join(', ');
    res.writeHead(429, headers).end('local_rate_limited');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  refusalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** From now on the page's sign-in submits are answered by the Gateway's refusal; returns how many were sent. */
async function refuse(page: Page, as: Refusal): Promise<{ count: number }> {
  const sent = { count: 0 };
  await page.route(SUBMIT, (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    sent.count += 1;
    return route.continue({ url: `${refusalUrl}?as=${encodeURIComponent(JSON.stringify(as))}` });
  });
  return sent;
}

const SUBMIT = /\/self-service\/login\?flow=/;

async function fillAndSubmit(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('typed before the refusal');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
}

test('a sign-in the Gateway refuses says how long to wait, keeps what was typed, and sends nothing until then', async ({ page }) => {
  await holdClock(page);
  await page.goto('/login');
  const posts = await refuse(page, { cors: 'gateway', reset: 42 });
  const email = uniqueEmail('limited');
  await fillAndSubmit(page, email);

  await expect(page.getByTestId('app/notice/error')).toHaveText(/Too many attempts .* in 42 s/);
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('typed before the refusal');
  const button = page.getByRole('button', { name: 'Sign in with password' });
  await expect(button).toBeDisabled();
  await page.getByLabel('Password').press('Enter');
  await page.clock.runFor(41_000);
  await expect(button).toBeDisabled();
  expect(posts.count).toBe(1);

  await page.clock.runFor(1_000);
  await expect(page.getByTestId('app/notice/info')).toHaveText('You can send the form again now.');
  await expect(button).toBeEnabled();
  await page.unroute(SUBMIT);
  const answer = page.waitForResponse((r) => SUBMIT.test(r.url()) && r.request().method() === 'POST');
  await button.click();
  // The real Kratos answers now: no such account (400), with what was typed still there.
  expect((await answer).status()).toBe(400);
  await expect(page.getByLabel('Email')).toHaveValue(email);
  expect(posts.count).toBe(1);
});

test('the wait is read in Arabic too, right to left', async ({ page }) => {
  await holdClock(page);
  await page.addInitScript(() => localStorage.setItem('kratos-spa.lang', 'ar'));
  await page.goto('/login');
  await refuse(page, { cors: 'gateway', reset: 30 });
  await page.locator('input[name="identifier"]').fill(uniqueEmail('limited-ar'));
  await page.locator('input[name="password"]').fill('typed before the refusal');
  await page.locator('button[type="submit"][value="password"]').click();
  await expect(page.getByTestId('app/notice/error')).toHaveText(/محاولات كثيرة جدًا.*30/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
});

test('controls: without the Gateway\'s CORS headers the refusal is unreadable (a network failure); without X-RateLimit-Reset exposed the app waits its default minute', async ({ page }) => {
  await holdClock(page);
  await page.goto('/login');
  await refuse(page, { cors: 'none', reset: 42 });
  await fillAndSubmit(page, uniqueEmail('limited-nocors'));
  await expect(page.getByTestId('app/notice/error')).toContainText('could not reach the account service');
  await expect(page.getByTestId('app/notice/error')).not.toContainText('Too many attempts');

  await page.unroute(SUBMIT);
  await refuse(page, { cors: 'no-expose', reset: 42 });
  await page.getByLabel('Password').fill('typed before the refusal');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('app/notice/error')).toHaveText(/Too many attempts .* in 60 s/);
});
