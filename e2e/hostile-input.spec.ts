// The hostile corpus through the real Kratos, in Chromium, under the production CSP (issue 7):
// as name traits Kratos stores and hands back, as values typed into a form and echoed by Kratos,
// and as return_to. Nothing may run (no dialog, window.__pwned stays unset), no element may be
// injected, and the browser may only ever go to http(s) addresses.
import type { Page } from '@playwright/test';
import { HOSTILE } from '../frontend/src/fixtures/hostile-inputs';
import { expect, test, unwatch } from './fixtures';
import { signUpWithPassword, uniqueEmail, urls } from './helpers';

async function assertInert(page: Page, where: string): Promise<void> {
  const state = await page.evaluate(async () => {
    // The build's own inline script (the early flow request) and stylesheet are the ones the
    // policy names by their hashes (script-src, style-src); any other inline one counts as injected.
    const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
    const directive = (name: string) => policy.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1) ?? [];
    const allowed = async (e: Element): Promise<boolean> => {
      const sources = e.tagName === 'SCRIPT' ? directive('script-src') : e.tagName === 'STYLE' ? directive('style-src') : [];
      if (sources.length === 0 || e.parentElement !== document.head) return false;
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(e.textContent ?? ''));
      return sources.includes(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    };
    const suspects = [...document.querySelectorAll('script:not([src]), iframe, object, embed, svg, math, style, base, details, noscript, meta[http-equiv="refresh" i]')];
    const injected: string[] = [];
    // The home page's own "Technical details" (pages/home.ts) is the one <details> the app draws:
    // allowed once, where the app puts it; any other, or a second, counts as injected.
    const ownDetails = document.querySelectorAll('main > .page-content > details[data-testid="home/details"]');
    const appDetails = ownDetails.length === 1 ? ownDetails[0] : null;
    for (const e of suspects) if (e !== appDetails && !(await allowed(e))) injected.push(e.tagName);
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      injected,
      handlers: [...document.querySelectorAll('*')].filter((e) => e.getAttributeNames().some((a) => a.toLowerCase().startsWith('on'))).map((e) => e.tagName),
      links: [...document.querySelectorAll('a')].map((a) => a.protocol),
    };
  });
  expect(state.pwned, `${where}: script ran`).toBeUndefined();
  expect(state.injected, `${where}: injected elements`).toEqual([]);
  expect(state.handlers, `${where}: elements with on* attributes`).toEqual([]);
  for (const protocol of state.links) expect(['http:', 'https:'], `${where}: link protocol`).toContain(protocol);
}

function watchNavigations(page: Page): string[] {
  const bad: string[] = [];
  page.on('framenavigated', (frame) => {
    const url = frame.url();
    if (!/^https?:\/\//.test(url) && url !== 'about:blank') bad.push(url);
  });
  return bad;
}

/** The home page cell of a trait, and the field in settings, show exactly what Kratos stored. */
async function identityId(page: Page): Promise<string> {
  return page.getByTestId('home/identity-id').textContent().then((id) => id ?? '');
}

test('the inertness check is real: a stylesheet and an svg the build did not write are reported, the build\'s own are not', async ({ page }) => {
  unwatch(page); // the planted stylesheet is refused by the CSP, which is what it is for
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
  await assertInert(page, 'as built'); // its inline script and stylesheet are the policy's
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'main { display: none }';
    document.head.append(style);
    document.querySelector('main')!.append(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
  });
  await expect(assertInert(page, 'planted')).rejects.toThrow(/injected elements[^]*"STYLE",[^]*"svg"/);
});

test('hostile names stored by the real Kratos show as text on the home page and in settings', async ({ page, request }) => {
  test.setTimeout(240_000);
  const bad = watchNavigations(page);
  await signUpWithPassword(page, uniqueEmail('hostile-traits'));
  const id = await identityId(page);
  const fits = HOSTILE.filter((h) => h.payload.length <= 256); // the schema's maxLength for names
  const refused: string[] = [];
  for (let i = 0; i < fits.length; i += 2) {
    const [first, last = 'Last'] = [fits[i]!.payload, fits[i + 1]?.payload];
    const res = await request.patch(`${urls.kratosAdmin}/admin/identities/${id}`, {
      data: [{ op: 'replace', path: '/traits/name', value: { first, last } }],
    });
    if (res.status() !== 200) {
      refused.push(`${res.status()} ${JSON.stringify(first)}`);
      continue;
    }
    await page.goto('/');
    await expect(page.getByTestId('home/trait/name.first')).toHaveText(first, { useInnerText: false });
    await expect(page.getByTestId('home/trait/name.last')).toHaveText(last, { useInnerText: false });
    await assertInert(page, `home, payload ${i + 1}`);
    await page.goto('/settings');
    await expect(page.getByLabel('First name')).toHaveValue(first.replace(/[\r\n]/g, ''));
    await assertInert(page, `settings, payload ${i + 1}`);
  }
  // Kratos takes every payload that fits the schema: none is refused, so all were rendered.
  expect(refused).toEqual([]);
  expect(bad).toEqual([]);
});

test('hostile names too long for the schema are refused by Kratos, shown with its message, and kept as typed', async ({ page }) => {
  await signUpWithPassword(page, uniqueEmail('hostile-long'));
  for (const { payload } of HOSTILE.filter((h) => h.payload.length > 256)) {
    await page.goto('/settings');
    await page.getByLabel('First name').fill(payload);
    await page.locator('button[name="method"][value="profile"]').click();
    await expect(page.getByTestId('ui/message/4000017')).toBeVisible();
    await expect(page.getByLabel('First name')).toHaveValue(payload);
    await assertInert(page, `settings, ${payload.length} characters`);
  }
});

test('every hostile payload typed as the sign-in identifier comes back from Kratos as a value, never as markup', async ({ page }) => {
  test.setTimeout(180_000);
  const bad = watchNavigations(page);
  await page.goto('/login');
  for (const [i, { payload }] of HOSTILE.entries()) {
    await page.getByLabel('Email').fill(payload);
    await page.getByLabel('Password').fill('not the password');
    const answered = page.waitForResponse((r) => r.url().includes('/self-service/login?flow=') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    const reply = await answered;
    expect(reply.status(), `payload ${i + 1}`).toBe(400);
    const echoed = ((await reply.json()) as { ui: { nodes: { attributes: { name?: string; value?: string } }[] } }).ui.nodes.find(
      (n) => n.attributes.name === 'identifier',
    )?.attributes.value;
    await expect(page.getByTestId('ui/message/4000006')).toBeVisible();
    // The field holds exactly what Kratos sent back (a text input drops line breaks by itself).
    await expect(page.getByLabel('Email'), `payload ${i + 1}`).toHaveValue((echoed ?? '').replace(/[\r\n]/g, ''));
    await assertInert(page, `login, payload ${i + 1}`);
  }
  expect(bad).toEqual([]);
});

// Addresses have a size limit (our static server, like GitHub Pages, refuses headers over 16 KB):
// the long payloads reach Kratos as traits and identifiers above instead.
const FITS_IN_AN_ADDRESS = 2048;

test('every hostile payload that fits in an address, as return_to, is refused by Kratos (not allowed, or not a URL), named as text with the way on without it, and never followed', async ({ page }) => {
  test.setTimeout(240_000);
  const bad = watchNavigations(page);
  const tried = HOSTILE.filter(({ payload }) => encodeURIComponent(payload).length <= FITS_IN_AN_ADDRESS);
  expect(tried.length).toBeGreaterThanOrEqual(50);
  const classes: Record<string, number> = {};
  const dropped = new Set<string>();
  for (const [i, { payload }] of tried.entries()) {
    const label = `payload ${i + 1}`;
    const answered = page.waitForResponse((r) => r.url().includes('/self-service/login/browser'));
    await page.goto(`/login?return_to=${encodeURIComponent(payload)}`);
    const reply = await answered;
    const error = ((await reply.json()) as { error?: { id?: string; reason?: string } }).error ?? {};
    // Exactly one of the two refusals Kratos has for a return_to.
    const kind =
      error.id === 'self_service_flow_return_to_forbidden' && /^Requested return_to URL .* is not allowed\.$/s.test(error.reason ?? '')
        ? 'not allowed'
        : error.id === undefined && /^Unable to parse the return_to query parameter as an URL/.test(error.reason ?? '')
          ? 'not a URL'
          : `unexpected: ${reply.status()} ${error.id} ${error.reason}`;
    expect(reply.status(), label).toBe(400);
    classes[kind] = (classes[kind] ?? 0) + 1;
    const notice = page.getByTestId('app/notice/error');
    await expect(notice, label).toContainText(kind === 'not allowed' ? 'is not allowed' : 'Unable to parse the return_to');
    await expect(page.getByTestId('app/problem-action'), label).toHaveText('Continue without it');
    expect(new URL(page.url()).origin, label).toBe(urls.spa);
    await assertInert(page, `return_to, ${label}`);
    if (!dropped.has(kind)) {
      // The way on, once for each kind: the form without the return address.
      dropped.add(kind);
      await page.getByTestId('app/problem-action').click();
      await expect(page.getByRole('button', { name: 'Sign in with password' }), label).toBeVisible();
      expect(new URL(page.url()).searchParams.get('return_to'), label).toBeNull();
    }
  }
  expect(Object.keys(classes).sort()).toEqual(['not a URL', 'not allowed']);
  expect(classes['not allowed']! + classes['not a URL']!).toBe(tried.length);
  expect(bad).toEqual([]);
});
