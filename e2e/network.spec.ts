// Slow and failing networks between the browser and Kratos (issue 7): a request that never
// answers, a 503 from whatever stands in front of Kratos, and impatient double clicks.
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PASSWORD, holdClock, signUpWithPassword, uniqueEmail, urls } from './helpers';

test('a request to Kratos that never answers times out with a clear message, and the page recovers by itself', async ({ page }) => {
  test.setTimeout(60_000);
  await page.route('**/self-service/login/browser**', () => {
    /* never answered */
  });
  const started = Date.now();
  await page.goto('/login');
  await expect(page.getByTestId('app/notice/error')).toContainText('could not reach', { timeout: 25_000 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(14_000); // the 15 s request timeout
  await page.unroute('**/self-service/login/browser**');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible({ timeout: 20_000 });
});

test('a 503 in front of Kratos when a page loads: the status is named, with a retry that then works', async ({ page }) => {
  // The page also retries by itself (after 1 s, 2 s, …). To prove the button works, the page's
  // clock stands still, so the automatic retry never fires and only the click can fetch the flow.
  await holdClock(page);
  let failures = 0;
  await page.route('**/self-service/registration/browser**', async (route) => {
    failures += 1;
    await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":503,"message":"upstream unavailable"}}' });
  });
  await page.goto('/registration');
  await expect(page.getByTestId('app/notice/error')).toContainText('HTTP 503');
  await expect(page.getByTestId('app/retry-countdown')).toContainText('Trying again by itself in 1 s');
  expect(failures).toBe(1);
  await page.unroute('**/self-service/registration/browser**');
  // From here on, every flow request is counted: the click must make exactly one.
  let afterClick = 0;
  page.on('request', (r) => {
    if (r.url().includes('/self-service/registration/browser')) afterClick += 1;
  });
  await page.getByTestId('app/retry').click();
  await expect(page.getByLabel('Email')).toBeVisible();
  expect(afterClick).toBe(1);
  expect(failures).toBe(1);
});

test('a 502 on submit keeps the form as typed (except the password) and the next try goes through', async ({ page }) => {
  const email = uniqueEmail('bad-gateway');
  await signUpWithPassword(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.route('**/self-service/login?flow=*', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }), { times: 1 });
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByTestId('app/notice/error')).toContainText('HTTP 502');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(urls.spa + '/');
});

test('a double click on sign-up\'s "Continue" sends one request to Kratos', async ({ page }) => {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/self-service/registration?flow=')) posts.push(r.url());
  });
  // Kratos answers a little late, as over a slow network, so the second click lands meanwhile.
  await page.route('**/self-service/registration?flow=*', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await page.goto('/registration');
  await page.getByLabel('Email').fill(uniqueEmail('dblclick'));
  await page.getByRole('button', { name: 'Continue', exact: true }).dblclick();
  await expect(page.getByRole('button', { name: 'Send sign-up code' })).toBeVisible();
  expect(posts).toHaveLength(1);
});

test('while Kratos answers a sign-in, the pressed button shows a spinner and every button is off; afterwards the form is usable again', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/self-service/login?flow=*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(uniqueEmail('busy'));
  await page.getByLabel('Password').fill('not the password');
  const button = page.getByRole('button', { name: 'Sign in with password' });
  await button.click();
  await expect(button).toHaveAttribute('data-busy', 'true');
  await expect(button).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send sign-in code' })).toBeDisabled();
  await expect(page.locator('form')).toHaveAttribute('aria-busy', 'true');
  expect(await button.evaluate((b) => getComputedStyle(b, '::after').animationName)).toBe('spin');
  release();
  await expect(page.getByTestId('ui/message/4000006')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Sign in with password' })).not.toHaveAttribute('data-busy');
});

test('a German visitor\'s flow request leaves without waiting for the German catalog (the catalog is off the critical path)', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  let flowRequested = (): void => {};
  const flowSeen = new Promise<'flow request first'>((resolve) => (flowRequested = () => resolve('flow request first')));
  page.on('request', (r) => {
    if (r.url().includes('/self-service/login/browser')) flowRequested();
  });
  // The catalog is held until the flow request has left. An app that waited for the catalog
  // before asking Kratos would hold itself up here until the 10 s give-up.
  let released = '';
  await page.route(/\/assets\/de-[\w-]+\.js$/, async (route) => {
    released = await Promise.race([flowSeen, new Promise<string>((r) => setTimeout(() => r('gave up after 10 s'), 10_000))]);
    await route.continue();
  });
  await page.goto(`${urls.spa}/login`);
  await expect(page.getByRole('button', { name: 'Mit Passwort anmelden' })).toBeVisible({ timeout: 20_000 });
  expect(released).toBe('flow request first');
  await context.close();
});

test('the flow request leaves before the app\'s code has arrived, and the app takes its answer over: one flow, return_to kept', async ({ page }) => {
  const returnTo = `${urls.spa}/settings`;
  const flowRequests: string[] = [];
  let flowRequested = (): void => {};
  const flowSeen = new Promise<'flow request first'>((resolve) => (flowRequested = () => resolve('flow request first')));
  page.on('request', (r) => {
    if (r.url().includes('/self-service/login/')) {
      flowRequests.push(r.url());
      flowRequested();
    }
  });
  // The app's script is held until the flow request has left. An app that asked Kratos only
  // from its own code would hold itself up here until the 10 s give-up.
  let released = '';
  await page.route(/\/assets\/app-[\w-]+\.js$/, async (route) => {
    released = await Promise.race([flowSeen, new Promise<string>((r) => setTimeout(() => r('gave up after 10 s'), 10_000))]);
    await route.continue();
  });
  await page.goto(`/login?return_to=${encodeURIComponent(returnTo)}`);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled({ timeout: 20_000 });
  expect(released).toBe('flow request first');
  // The page used that answer: no second flow was created for it.
  expect(flowRequests).toEqual([`${urls.kratosPublic}/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`]);
  await expect(page).toHaveURL(/[?&]flow=[\w-]+/);
});

/** The boxes of the frame's parts (JavaScript off) and of the sign-in form's (JavaScript on), in one viewport. */
async function frameAndForm(browser: Browser, viewport: { width: number; height: number }) {
  const box = async (locator: Locator) => {
    const b = await locator.boundingBox();
    if (!b) throw new Error(`no box for ${locator}`);
    return b;
  };
  const still = await browser.newContext({ javaScriptEnabled: false, viewport });
  const bare = await still.newPage();
  await bare.goto(`${urls.spa}/login`);
  await expect(bare.locator('header .brand')).toBeVisible();
  const frame = {
    title: await box(bare.locator('.frame-title')),
    identifier: await box(bare.locator('.frame-input').nth(0)),
    password: await box(bare.locator('.frame-input').nth(1)),
    button: await box(bare.locator('.frame-button')),
  };
  await still.close();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${urls.spa}/login`);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
  const form = {
    title: await box(page.getByRole('heading', { level: 1 })),
    identifier: await box(page.locator('input[name="identifier"]')),
    password: await box(page.locator('input[name="password"]')),
    button: await box(page.getByRole('button', { name: 'Sign in with password' })),
  };
  await context.close();
  return { frame, form };
}

/** Where two boxes differ by more than `px` (top and height; left and width too unless `vertical`). */
function apart(a: { x: number; y: number; width: number; height: number }, b: typeof a, px: number, vertical = false): string[] {
  const keys = vertical ? (['y', 'height'] as const) : (['x', 'y', 'width', 'height'] as const);
  return keys.filter((k) => Math.abs(a[k] - b[k]) > px).map((k) => `${k} ${a[k].toFixed(1)} vs ${b[k].toFixed(1)}`);
}

for (const [device, viewport] of [['desktop', { width: 900, height: 760 }], ['phone', { width: 360, height: 740 }]] as const) {
  test(`HTML and CSS alone paint the page frame where the sign-in form comes: heading, fields and button within 2 px (${device})`, async ({ browser }) => {
    const { frame, form } = await frameAndForm(browser, viewport);
    const problems = {
      // The heading's text is shorter than the frame's bar: its top and height are what hold the rest.
      title: apart(frame.title, form.title, 2, true),
      identifier: apart(frame.identifier, form.identifier, 2),
      password: apart(frame.password, form.password, 2),
      button: apart(frame.button, form.button, 2),
    };
    expect(problems).toEqual({ title: [], identifier: [], password: [], button: [] });
  });
}

test('the frame check is real: a frame field 6 px shorter than the form\'s is reported', () => {
  const field = { x: 37, y: 212.4, width: 286, height: 45.2 };
  expect(apart({ ...field, height: 39.2 }, field, 2)).toEqual(['height 39.2 vs 45.2']);
  expect(apart({ ...field, y: 204.4 }, field, 2)).toEqual(['y 204.4 vs 212.4']);
  expect(apart({ ...field, width: 100 }, field, 2, true)).toEqual([]);
});

test('the form replaces the frame without a layout shift (CLS 0), and a real shift is counted (the control)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await watchLayoutShifts(page);
  await page.goto(`${urls.spa}/login`);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
  await expect(page.locator('.page-frame')).toHaveCount(0);
  expect(await layoutShift(page)).toBe(0);
  // Control: content pushed down under the person's eyes counts.
  await page.evaluate(() => document.querySelector('main')!.prepend(Object.assign(document.createElement('div'), { style: 'height:120px' })));
  expect(await layoutShift(page)).toBeGreaterThan(0);
  await context.close();
});

test('a visitor who chose a right-to-left language gets the page frame painted right to left from the first frame: nothing jumps when the app starts (CLS 0)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => localStorage.setItem('kratos-spa.lang', 'ar'));
  await watchLayoutShifts(page);
  await page.goto(`${urls.spa}/login`);
  await expect(page.locator('button[name="method"][value="password"]')).toBeEnabled();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.getByTestId('app/language')).toHaveValue('ar');
  expect(await layoutShift(page)).toBe(0);
  await context.close();
});

/** Sums the page's layout shifts not caused by input (CLS), from its first frame. */
async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { __cls: number }).__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The page's CLS once what was drawn has been painted and reported (two frames on; no fixed wait). */
async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve((window as unknown as { __cls: number }).__cls), 0))),
      ),
  );
}
