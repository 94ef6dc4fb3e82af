// Performance benchmark (issue 8), a script and not a test: the production build served as
// GitHub Pages would (404.html for a deep link) against the real local Kratos, in Chromium.
// For /login, /registration and /settings, RUNS cold visits each (a new browser context: empty
// cache): the gzipped bytes of HTML/CSS/JS the page fetched, the number of requests (all, and
// to Kratos), and the time from navigation start to an interactive form (its submit button in
// the document and enabled). Median and p95.
//
//   npm run benchmark            (RUNS=50 npm run benchmark for more)
//
// Writes docs/benchmark.json and docs/benchmark.md, and puts the table into README.md between
// the benchmark markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { ROOT } from './paths.mjs';
import { startStack } from './stack.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const PASSWORD = 'correct horse battery staple';
const PAGES = [
  { path: '/login', ready: 'button[name="method"][value="password"]' },
  { path: '/registration', ready: 'button[name="method"][value="profile"]' },
  { path: '/settings', ready: 'button[name="method"][value="profile"]', signedIn: true },
];

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Records, in every document, when the form's submit button is there and enabled. */
function readyProbe(selector) {
  const mark = () => {
    const button = document.querySelector(selector);
    if (button && !button.disabled && !window.__formReadyAt) window.__formReadyAt = performance.timeOrigin + performance.now();
    return Boolean(window.__formReadyAt);
  };
  new MutationObserver((_, observer) => mark() && observer.disconnect()).observe(document, { childList: true, subtree: true, attributes: true });
}

async function visit(browser, url, page, storageState, spaOrigin, kratosOrigin) {
  const context = await browser.newContext({ storageState });
  const tab = await context.newPage();
  await tab.addInitScript(readyProbe, page.ready);
  const responses = [];
  tab.on('response', (r) => responses.push({ r, body: r.body().catch(() => null) }));
  const start = Date.now();
  await tab.goto(url);
  await tab.waitForFunction(() => Boolean(window.__formReadyAt));
  const readyAt = await tab.evaluate(() => window.__formReadyAt);
  const bytes = { html: 0, css: 0, js: 0 };
  let kratosRequests = 0;
  for (const { r, body } of responses) {
    const origin = new URL(r.url()).origin;
    if (origin === kratosOrigin) kratosRequests += 1;
    if (origin !== spaOrigin) continue;
    const type = (r.headers()['content-type'] ?? '').split(';')[0];
    const kind = type === 'text/html' ? 'html' : type === 'text/css' ? 'css' : /javascript/.test(type) ? 'js' : null;
    if (!kind) continue;
    // Chromium drops a document's body once it navigates away (404.html does, at once); the
    // static server gives the same bytes again.
    const content = (await body) ?? Buffer.from(await (await fetch(r.url())).arrayBuffer());
    bytes[kind] += gzipSync(content, { level: 9 }).length;
  }
  await context.close();
  return { ms: Math.round(readyAt - start), bytes, requests: responses.length, kratosRequests };
}

async function main() {
  const stack = await startStack('test', { log: () => {} });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const { spa, kratosPublic: kratos } = stack.settings.urls;
  const kratosOrigin = new URL(kratos).origin;
  try {
    // One account, signed in once; its cookies are given to every /settings visit.
    const setup = await browser.newContext();
    const tab = await setup.newPage();
    await tab.goto(`${spa}/registration`);
    await tab.getByLabel('E-Mail').fill(`bench.${Date.now()}@example.com`);
    await tab.getByRole('button', { name: 'Sign up', exact: true }).click();
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign up', exact: true }).click();
    await tab.getByRole('link', { name: 'Skip for now' }).click();
    await tab.getByTestId('home/trait/email').waitFor();
    const signedIn = await setup.storageState();
    await setup.close();

    const results = [];
    for (const page of PAGES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await visit(browser, `${spa}${page.path}`, page, page.signedIn ? signedIn : undefined, new URL(spa).origin, kratosOrigin));
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      const last = runs.at(-1);
      results.push({
        page: page.path,
        runs: RUNS,
        medianMs: quantile(ms, 0.5),
        p95Ms: quantile(ms, 0.95),
        gzipBytes: { ...last.bytes, total: last.bytes.html + last.bytes.css + last.bytes.js },
        requests: last.requests,
        kratosRequests: last.kratosRequests,
      });
      console.log(`${page.path}: median ${quantile(ms, 0.5)} ms, p95 ${quantile(ms, 0.95)} ms, ${kb(last.bytes.js)} JS, ${last.requests} requests`);
    }
    const chromiumVersion = browser.version();
    const report = { measuredAt: new Date().toISOString(), chromium: chromiumVersion, kratos: 'v1.3.1 (local, SQLite)', served: 'production build, pages server on loopback (404.html for deep links)', results };
    writeFileSync(join(ROOT, 'docs', 'benchmark.json'), `${JSON.stringify(report, null, 2)}\n`);
    const table = [
      `Measured ${report.measuredAt.slice(0, 10)} by \`npm run benchmark\`: ${RUNS} cold visits per page (empty cache), Chromium ${chromiumVersion}, Kratos ${report.kratos}, ${report.served}. Time is from navigation start to an enabled submit button; sizes are what the page fetched from the SPA's origin, gzipped.`,
      '',
      '| page | JS | CSS | HTML | total | requests (to Kratos) | median | p95 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...results.map(
        (r) =>
          `| \`${r.page}\` | ${kb(r.gzipBytes.js)} | ${kb(r.gzipBytes.css)} | ${kb(r.gzipBytes.html)} | ${kb(r.gzipBytes.total)} | ${r.requests} (${r.kratosRequests}) | ${r.medianMs} ms | ${r.p95Ms} ms |`,
      ),
    ].join('\n');
    writeFileSync(join(ROOT, 'docs', 'benchmark.md'), `# Benchmark\n\n${table}\n`);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const marked = /<!-- benchmark:start -->[\s\S]*<!-- benchmark:end -->/;
    if (marked.test(readme)) writeFileSync(join(ROOT, 'README.md'), readme.replace(marked, `<!-- benchmark:start -->\n${table}\n<!-- benchmark:end -->`));
    console.log('wrote docs/benchmark.json, docs/benchmark.md and the table in README.md');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
