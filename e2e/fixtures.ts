// The `test` every spec uses: Playwright's, plus a watch on every page of every browser context a
// test opens (its own `page`, and pages of contexts it makes with `browser.newContext()`) for what
// must never happen in this app: a Content-Security-Policy or Trusted Types violation, a
// JavaScript dialog (an injected alert()), an uncaught exception, or a route that crashed (the
// router's onError, which the app logs as "route crashed"). Any of them fails the test.
//
// A test that provokes them on purpose reads and clears `pageProblems` itself, or takes a page out
// of the watch with `unwatch(page)`.
//
// A test that failed also leaves its evidence in the printed output (evidence.ts): its pages as
// they were, what they sent and said, and what Kratos logged meanwhile.
import { writeFileSync } from 'node:fs';
import { expect, test as base, type BrowserContext, type Page } from '@playwright/test';
import { EVIDENCE_FILE } from '../infra/local/paths.mjs';
import { BrowserJournal, kratosLogDuring, pagesNow } from './evidence';

/** Console lines that are problems: violations the browser reports, and the app's route crashes. */
export const PROBLEM_CONSOLE = /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript|CSP violation|^route crashed/i;

const unwatched = new WeakSet<Page>();

/** Leaves `page` out of the watch (for a test that provokes violations to see them refused). */
export function unwatch(page: Page): void {
  unwatched.add(page);
}

function watchPage(page: Page, problems: string[], journal: BrowserJournal): void {
  const report = (what: string) => {
    if (!unwatched.has(page)) problems.push(what);
  };
  page.on('console', (msg) => {
    const text = msg.text();
    journal.console(msg.type(), text);
    if (PROBLEM_CONSOLE.test(text)) report(`console: ${text}`);
  });
  page.on('request', (r) => journal.sent(r, { method: r.method(), url: r.url(), type: r.resourceType() }));
  page.on('requestfinished', (r) => {
    r.response().then(
      (answer) => journal.ended(r, answer?.status() ?? '?'),
      () => journal.ended(r, '?'),
    );
  });
  page.on('requestfailed', (r) => journal.ended(r, `failed (${r.failure()?.errorText ?? '?'})`));
  page.on('pageerror', (err) => report(`uncaught: ${err.message}`));
  page.on('dialog', (dialog) => {
    report(`dialog: ${dialog.type()} "${dialog.message()}"`);
    void dialog.dismiss();
  });
}

async function watchContext(context: BrowserContext, problems: string[], journal: BrowserJournal): Promise<void> {
  // Runs before any page script (and is not subject to the page's CSP).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  for (const page of context.pages()) watchPage(page, problems, journal);
  context.on('page', (page) => watchPage(page, problems, journal));
}

export const test = base.extend<{ pageProblems: string[]; pageWatch: void }>({
  pageProblems: async ({}, use) => {
    await use([]);
  },
  pageWatch: [
    async ({ context, browser, pageProblems }, use, testInfo) => {
      const started = new Date();
      const journal = new BrowserJournal(started.getTime());
      const contexts = [context];
      await watchContext(context, pageProblems, journal);
      // Contexts the test makes itself are watched the same way, for as long as the test runs.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const made = await newContext(...args);
        await watchContext(made, pageProblems, journal);
        contexts.push(made);
        return made;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      if (testInfo.status !== testInfo.expectedStatus) {
        // Printed whole (the reporter cuts a text attachment after 300 characters), and kept as
        // evidence.txt beside the trace: `npm test` prints those again at the end of a failed run,
        // where a CI log that keeps only its last part still has them.
        const logged = kratosLogDuring(started, new Date());
        const evidence = [
          `── evidence: ${testInfo.titlePath.slice(1).join(' › ')} ──`,
          'pages at the end:',
          await pagesNow(contexts),
          'the browser meanwhile (documents and fetches with their answers, console errors and warnings):',
          journal.said(),
          'Kratos meanwhile (POSTs, refusals, slow requests, warnings):',
          logged.join('\n') || '(nothing)',
          '── end of evidence ──',
        ].join('\n');
        console.log(evidence);
        writeFileSync(testInfo.outputPath(EVIDENCE_FILE), `${evidence}\n`);
      }
      expect(pageProblems, 'CSP/Trusted Types violations, dialogs, uncaught errors or route crashes on a page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
