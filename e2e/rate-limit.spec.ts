// A submit the Gateway's rate limit refuses (issue 35): the 429 Envoy sends itself, as Envoy
// Gateway v1.9.1 configures it for the kratos-public route. infra/checks/edge.spec.mjs shows, in
// the translator's xDS, the CORS policy on that route (the rendered SecurityPolicy's origins,
// credentials and exposed headers) running before the local rate limit, whose refusals carry
// X-RateLimit-Reset (enable_x_ratelimit_headers DRAFT_VERSION_03). Envoy's local reply is status
// 429 with the text "local_rate_limited". The refusal below is that response, sent in place of
// the real Kratos's answer; everything else is the real stack.
import { readFileSync } from 'node:fs';
import type { Page, Route } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { expect, test } from './fixtures';
import { holdClock, uniqueEmail, urls } from './helpers';

/** The headers the rendered SecurityPolicy tells Envoy's CORS filter to expose. */
function exposedByTheGateway(): string[] {
  const policies = parseAllDocuments(readFileSync(new URL('../infra/k8s/generated/gateway-policies.yaml', import.meta.url), 'utf8')).map((d) => d.toJS());
  return policies.find((p) => p.kind === 'SecurityPolicy').spec.cors.exposeHeaders;
}

/** Envoy's refusal: CORS headers from the CORS filter (when `cors`), the local rate limit's own. */
function refusal(route: Route, { cors, reset }: { cors: boolean; reset: number }) {
  return route.fulfill({
    status: 429,
    contentType: 'text/plain',
    body: 'local_rate_limited',
    headers: {
      'x-ratelimit-limit': '20',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
      ...(cors ? { 'access-control-allow-origin': urls.spa, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': exposedByTheGateway().join(', ') } : {}),
    },
  });
}

const SUBMIT = /\/self-service\/login\?flow=/;

async function fillAndSubmit(page: Page, email: string) {
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Password').fill('typed before the refusal');
  await page.getByRole('button', { name: 'Sign in with password' }).click();
}

test('a sign-in the Gateway refuses says how long to wait, keeps what was typed, and sends nothing until then', async ({ page }) => {
  await holdClock(page);
  await page.goto('/login');
  let posts = 0;
  await page.route(SUBMIT, (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts += 1;
    return refusal(route, { cors: true, reset: 42 });
  });
  const email = uniqueEmail('limited');
  await fillAndSubmit(page, email);

  await expect(page.getByTestId('app/notice/error')).toHaveText(/Too many attempts .* in 42 s/);
  await expect(page.getByLabel('E-Mail')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('typed before the refusal');
  const button = page.getByRole('button', { name: 'Sign in with password' });
  await expect(button).toBeDisabled();
  await page.getByLabel('Password').press('Enter');
  await page.clock.runFor(41_000);
  await expect(button).toBeDisabled();
  expect(posts).toBe(1);

  await page.clock.runFor(1_000);
  await expect(page.getByTestId('app/notice/info')).toHaveText('You can send the form again now.');
  await expect(button).toBeEnabled();
  await page.unroute(SUBMIT);
  const answer = page.waitForResponse((r) => SUBMIT.test(r.url()) && r.request().method() === 'POST');
  await button.click();
  // The real Kratos answers now: no such account (400), with what was typed still there.
  expect((await answer).status()).toBe(400);
  await expect(page.getByLabel('E-Mail')).toHaveValue(email);
  expect(posts).toBe(1);
});

test('the wait is read in Arabic too, right to left', async ({ page }) => {
  await holdClock(page);
  await page.addInitScript(() => localStorage.setItem('kratos-spa.lang', 'ar'));
  await page.goto('/login');
  await page.route(SUBMIT, (route) => (route.request().method() === 'POST' ? refusal(route, { cors: true, reset: 30 }) : route.continue()));
  await page.locator('input[name="identifier"]').fill(uniqueEmail('limited-ar'));
  await page.locator('input[name="password"]').fill('typed before the refusal');
  await page.locator('button[type="submit"][value="password"]').click();
  await expect(page.getByTestId('app/notice/error')).toHaveText(/محاولات كثيرة جدًا.*30/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
});

test('controls: without the Gateway\'s CORS headers the refusal is unreadable (a network failure); without X-RateLimit-Reset exposed the app waits its default minute', async ({ page }) => {
  await holdClock(page);
  await page.goto('/login');
  await page.route(SUBMIT, (route) => (route.request().method() === 'POST' ? refusal(route, { cors: false, reset: 42 }) : route.continue()));
  await fillAndSubmit(page, uniqueEmail('limited-nocors'));
  await expect(page.getByTestId('app/notice/error')).toContainText('could not reach the account service');
  await expect(page.getByTestId('app/notice/error')).not.toContainText('Too many attempts');

  await page.unroute(SUBMIT);
  await page.route(SUBMIT, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 429, contentType: 'text/plain', body: 'local_rate_limited', headers: { 'x-ratelimit-reset': '42', 'access-control-allow-origin': urls.spa, 'access-control-allow-credentials': 'true' } })
      : route.continue(),
  );
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('app/notice/error')).toHaveText(/Too many attempts .* in 60 s/);
});
