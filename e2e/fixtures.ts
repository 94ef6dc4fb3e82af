// The `test` every spec uses: Playwright's, plus a watch on each page for what must never
// happen in this app: a Content-Security-Policy or Trusted Types violation, a JavaScript dialog
// (an injected alert()), or an uncaught exception. Any of them fails the test that caused it.
import { expect, test as base } from '@playwright/test';

export const test = base.extend<{ pageWatch: void }>({
  pageWatch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        const text = msg.text();
        if (/Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript|CSP violation/i.test(text)) problems.push(`console: ${text}`);
      });
      page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
      page.on('dialog', (dialog) => {
        problems.push(`dialog: ${dialog.type()} "${dialog.message()}"`);
        void dialog.dismiss();
      });
      // Runs before any page script (and is not subject to the page's CSP).
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      await use();
      expect(problems, 'CSP/Trusted Types violations, dialogs or uncaught errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
