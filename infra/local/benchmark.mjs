// Performance benchmark, a script and not a test: this app against the reference UI people would
// pick instead, kratos-selfservice-ui-node at the pinned Kratos's tag, side by side, in one run,
// interleaved, on one machine, each against its own pinned Kratos with the same configuration.
//
//   npm run benchmark                         this app alone (and it says so)
//   NODE_UI_DIR=/path/to/kratos-selfservice-ui-node npm run benchmark
//                                             both; NODE_UI_DIR is a built checkout of the
//                                             public repository ory/kratos-selfservice-ui-node at
//                                             the pinned Kratos's tag (lib/index.js), installed from its own
//                                             package-lock, outside this repository
//   RUNS=30 …                                 cold visits per page, app and latency (default 20)
//
// This app is the production build served as GitHub Pages serves it (login.html for /login). For
// /login, /registration and /settings, at 0 ms and 40 ms of added latency per request (Chromium's
// network emulation), each visit in a new browser context (empty cache): the time from navigation
// start to an interactive form (its submit button enabled and painted), the gzipped bytes of every
// response, all requests and those on the critical path (the longest chain of requests each of
// which started only after the one before it had finished, up to the form), and the ratio of the
// medians. In the same rounds it visits a bare page that fetches the same flow (floorPage): the
// floor, on this machine, under the app's time from Kratos's answer to its form; and a page that
// only reads the answer and appends the one button (handOverPage): the browser's hand-over. Writes
// docs/benchmark.json and docs/benchmark.md, and the table into README.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { ensureBinary, PINNED } from './binaries.mjs';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { startKratos } from './kratos.mjs';
import { mailedCode } from './mail-sink.mjs';
import { ROOT, cacheDir } from './paths.mjs';
import { waitForHttp } from './processes.mjs';
import { stackSettings } from './settings.mjs';
import { startStack } from './stack.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const LATENCIES = [0, 40];
const PASSWORD = 'correct horse battery staple';
/** A page's submit button (`submit`), and the selector that finds it (`ready`). */
export const submitButton = (name, value) => ({ submit: { name, value }, ready: `button[name="${name}"][value="${value}"]` });
const PAGES = [
  { path: '/login', ...submitButton('method', 'password') },
  { path: '/registration', ...submitButton('method', 'profile') },
  { path: '/settings', ...submitButton('method', 'profile'), signedIn: true },
];
/** The reference UI and its own Kratos, on ports of their own. */
const NODE_UI = { port: 14600, kratosPublic: 14633, kratosAdmin: 14634 };

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/**
 * Records, in every document, when the form's submit button is there and enabled (`inDom`) and
 * when a frame first shows it so (`painted`): the later of its Element Timing paint (every
 * element of the button is marked before it can be painted) and the frame after it was
 * enabled. A server-rendered button sits in the DOM long before its render-blocking styles and
 * fonts let it be painted; a person can use it only once it is on screen, so `painted` is the
 * figure compared. When both are known, one console line tells the script (no evaluation in the
 * page while it loads: that would take the page's main thread). It also hands over the page's
 * own timing marks (`marks`: this app's, see TIMING_MARKS) and when each response the page had
 * ended (`responses`: its document's and each resource's, from Navigation and Resource Timing),
 * all as times since the epoch on the page's one clock: a request's end as the browser's network
 * side reports it to the test is on another clock, and on this machine the two drifted by up to
 * 20 ms, more than the times after an answer they would be subtracted from.
 */
function readyProbe({ selector, marks }) {
  const seen = { inDom: 0, element: 0, frame: 0 };
  const report = () => {
    if (window.__formReady || !seen.inDom || !seen.element || !seen.frame) return;
    const at = (ms) => performance.timeOrigin + ms;
    const marked = {};
    for (const name of marks) {
      const entry = performance.getEntriesByName(name, 'mark')[0];
      if (entry) marked[name] = at(entry.startTime);
    }
    const responses = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .filter((entry) => entry.responseEnd > 0)
      .map((entry) => ({ url: entry.name, end: at(entry.responseEnd) }));
    window.__formReady = { inDom: at(seen.inDom), painted: at(Math.max(seen.element, seen.frame)), marks: marked, responses };
    console.debug('bench:form-ready');
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.identifier === 'bench-form' && !seen.element) seen.element = entry.renderTime || entry.loadTime;
    report();
  }).observe({ type: 'element', buffered: true });
  const mark = () => {
    const button = document.querySelector(selector);
    if (!button) return false;
    for (const el of [button, ...button.querySelectorAll('*')]) el.setAttribute('elementtiming', 'bench-form');
    if (button.disabled) return false;
    seen.inDom = performance.now();
    // The frame that shows the enabled button: its rendering steps run after this callback.
    requestAnimationFrame(() => setTimeout(() => ((seen.frame = performance.now()), report())));
    return true;
  };
  new MutationObserver((_, observer) => mark() && observer.disconnect()).observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * Whether a request or response is the page's own: the browser's own requests for the tab's icon
 * (resource type "other") are not. They are counted in requests and bytes, not in the times.
 */
const pageOwn = (r) => r.type !== 'other';

/**
 * The longest chain of the page's own requests each started after the previous one finished, all
 * started before `neededBy` (the enabled button is in the DOM: a request that starts later cannot
 * be one it waited for, such as code a page loads once its form is drawn) and finished before
 * `until`.
 */
export function criticalPath(requests, neededBy, until) {
  const done = requests.filter((r) => r.start < neededBy && r.end <= until && pageOwn(r)).sort((a, b) => a.start - b.start);
  const depth = done.map(() => 1);
  for (let i = 0; i < done.length; i++) {
    for (let j = 0; j < i; j++) if (done[j].end <= done[i].start && depth[j] + 1 > depth[i]) depth[i] = depth[j] + 1;
  }
  return Math.max(0, ...depth);
}

/**
 * How long after the last response it had (of the page's own `responses`, those `isAnswer` picks)
 * the enabled button was in the DOM: the work the page did once everything it waited for was
 * there. Null when no such response finished before.
 */
export function afterAnswer(responses, inDom, isAnswer = () => true) {
  const end = lastEnd(responses, inDom, isAnswer);
  return end === null ? null : Math.round(inDom - end);
}

/** The end of the last of the page's own responses `isAnswer` picks that finished before `inDom`, or null. */
function lastEnd(responses, inDom, isAnswer) {
  const ends = responses.filter((r) => r.end <= inDom && pageOwn(r) && isAnswer(r)).map((r) => r.end);
  return ends.length ? Math.max(...ends) : null;
}

/**
 * The page's own marks (frontend/src/timing.ts; benchmark.test.mjs keeps these names equal to
 * its TIMING_MARKS): when its script has Kratos's answer read whole, and when the app's code starts.
 */
export const TIMING_MARKS = { flowAnswer: 'kratos-spa:flow-answer', appStart: 'kratos-spa:app-start' };

/**
 * How the time from the end of Kratos's answer (`kratosEnd`, from the page's Resource Timing) to
 * the enabled button in the DOM (`inDom`) splits, from the page's marks: until its script has the answer
 * (the browser hands it over), then until the app's code starts if it had not yet (the code is
 * still arriving or waits its turn), then the app's own work to the form. Null without the marks
 * (the reference UI has none) or without the answer.
 */
export function answerSplit(kratosEnd, inDom, marks) {
  const answer = marks[TIMING_MARKS.flowAnswer];
  const start = marks[TIMING_MARKS.appStart];
  if (kratosEnd === null || answer === undefined || start === undefined) return null;
  return {
    toScriptMs: Math.round(answer - kratosEnd),
    codeWaitMs: Math.round(Math.max(0, start - answer)),
    appWorkMs: Math.round(inDom - Math.max(answer, start)),
  };
}

/**
 * The floor under "after Kratos's answer" on the machine that runs the benchmark: a bare page whose
 * one inline script asks Kratos for the same flow (as the app's early request does: cookies, JSON)
 * and appends the flow's inputs and buttons as plain elements, with no styles, frame, modules or
 * anything else to wait for. Its time from the answer to the button in the DOM is the browser's
 * own hand-over and drawing, which any page pays; it is measured in the same run, beside
 * the app, because absolute times on a shared machine mean little. Served from the app's origin
 * (Kratos allows its CORS requests) under FLOOR_DIR.
 */
export function floorPage(kratosUrl, flow) {
  return benchPage('Floor', kratosUrl, flow, `.then((response) => response.json())
  .then((body) => {
    const form = document.createElement('form');
    for (const node of body.ui.nodes) {
      const a = node.attributes;
      if (a.node_type !== 'input') continue;
      const input = document.createElement(a.type === 'submit' ? 'button' : 'input');
      input.name = a.name;
      if (a.type === 'submit') input.textContent = node.meta.label ? node.meta.label.text : a.value;
      else input.type = a.type;
      if (a.value !== undefined) input.value = String(a.value);
      form.append(input);
    }
    document.querySelector('main').append(form);
  });`, `<main><h1>${flow}</h1></main>`);
}

/**
 * Under the floor: a page that asks Kratos for the same flow, reads the answer whole and then
 * appends only the one button the benchmark waits for (`submit`, its value as its text), with
 * nothing else in the page to parse, draw or lay out. Its time from the answer to that button is
 * the browser handing an answer to a page's script on this machine and nothing more: the least
 * any page that waits for the answer pays.
 */
export function handOverPage(kratosUrl, flow, submit) {
  return benchPage('Hand-over', kratosUrl, flow, `.then((response) => response.text())
  .then(() => {
    const button = document.createElement('button');
    button.name = ${JSON.stringify(submit.name)};
    button.value = ${JSON.stringify(submit.value)};
    button.textContent = button.value; // a text to paint: the benchmark waits for its frame on screen
    document.body.append(button);
  });`, '');
}

/**
 * A bare page of the benchmark's own: one inline script that asks Kratos for `flow` as the app's
 * early request does (cookies, JSON) and goes on with `then` (its promise chain), over `body`.
 */
function benchPage(title, kratosUrl, flow, then, body) {
  const request = JSON.stringify(`${kratosUrl}/self-service/${flow}/browser`);
  const script = `fetch(${request}, { credentials: 'include', headers: { Accept: 'application/json' } })\n  ${then}`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title><script>${script}</script></head><body>${body}</body></html>\n`;
}

/** Where the floor pages and the hand-over pages are, under the served build ("/bench-floor/login"). */
const FLOOR_DIR = 'bench-floor';
const HAND_OVER_DIR = 'bench-hand-over';

async function visit(browser, url, page, storageState, latency, kratosOrigin) {
  const context = await browser.newContext({ storageState });
  const tab = await context.newPage();
  if (latency > 0) {
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
  }
  await tab.addInitScript(readyProbe, { selector: page.ready, marks: Object.values(TIMING_MARKS) });
  const requests = [];
  tab.on('requestfinished', (request) => {
    const timing = request.timing();
    requests.push({ request, url: request.url(), type: request.resourceType(), start: timing.startTime, end: timing.startTime + timing.responseEnd });
  });
  const ready = tab.waitForEvent('console', { predicate: (m) => m.text() === 'bench:form-ready', timeout: 30_000 });
  const start = Date.now();
  await tab.goto(url, { waitUntil: 'commit' });
  await ready;
  const { inDom, painted, marks, responses: ended } = await tab.evaluate(() => window.__formReady);
  await tab.waitForLoadState('load');
  let gzipped = 0;
  for (const { request } of requests) {
    const body = await (await request.response())?.body().catch(() => null);
    if (body) gzipped += gzipSync(body, { level: 9 }).length;
  }
  await context.close();
  // Resource Timing lists the tab's icon too: each response takes the type its request had.
  const typeOf = new Map(requests.map((r) => [r.url, r.type]));
  const responses = ended.map((r) => ({ ...r, type: typeOf.get(r.url) }));
  const kratosEnd = kratosOrigin ? lastEnd(responses, inDom, (r) => r.url.startsWith(`${kratosOrigin}/`)) : null;
  return {
    ms: Math.round(painted - start),
    inDomMs: Math.round(inDom - start),
    bytes: gzipped,
    requests: requests.length,
    sequential: criticalPath(requests, inDom, painted),
    afterLastMs: afterAnswer(responses, inDom),
    afterKratosMs: kratosEnd === null ? null : Math.round(inDom - kratosEnd),
    split: answerSplit(kratosEnd, inDom, marks),
  };
}

/** Signs up through this app's pages (by the code mailed to the address); returns the signed-in cookies. */
async function signedInHere(browser, spa, mailUi) {
  const setup = await browser.newContext();
  const tab = await setup.newPage();
  const email = `bench.${Date.now()}@example.com`;
  await tab.goto(`${spa}/registration`);
  // Inputs and buttons by Kratos's names and values: labels are the catalog's words and change with it.
  await tab.locator('input[name="traits.email"]').fill(email);
  await tab.locator('button[name="method"][value="profile"]').click();
  await tab.locator('button[name="method"][value="code"]').click();
  await tab.locator('input[name="code"]').fill(await mailedCode(mailUi, email));
  await tab.locator('button[name="method"][value="code"]').click();
  await tab.waitForURL(/\/verification\?flow=|\/$/);
  await tab.goto(`${spa}/`);
  await tab.getByTestId('home/trait/email').waitFor();
  const state = await setup.storageState();
  await setup.close();
  return state;
}

/** An account made on the reference UI's Kratos, signed in through the reference UI's form. */
async function signedInOnNodeUi(browser, nodeUi, kratosAdmin) {
  const email = `bench.node.${Date.now()}@example.com`;
  const res = await fetch(`${kratosAdmin}/admin/identities`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ schema_id: 'default', traits: { email }, credentials: { password: { config: { password: PASSWORD } } } }),
  });
  if (res.status !== 201) throw new Error(`node-ui account: Kratos answered ${res.status}: ${await res.text()}`);
  const setup = await browser.newContext();
  const tab = await setup.newPage();
  await tab.goto(`${nodeUi}/login`);
  // Its page has a code form and a password form; the password one is "login-flow".
  const form = tab.getByTestId('login-flow');
  await form.locator('input[name="identifier"]').fill(email);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await form.locator('button[name="method"][value="password"]').click();
  await tab.waitForURL((u) => !u.pathname.startsWith('/login'));
  const state = await setup.storageState();
  await setup.close();
  return state;
}

/** The reference UI with a Kratos of its own: same kratos/ config, its own UI URLs and data. */
export async function startNodeUi(dir, base) {
  if (!existsSync(join(dir, 'lib', 'index.js'))) throw new Error(`NODE_UI_DIR=${dir} has no lib/index.js: it must be a built checkout (npm ci && npm run build).`);
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies?.['@ory/client'];
  const url = (port) => `http://localhost:${port}`;
  const settings = {
    ...base,
    dataDir: join(cacheDir(), 'stack-bench-node-ui'),
    freshData: true,
    ports: { ...base.ports, kratosPublic: NODE_UI.kratosPublic, kratosAdmin: NODE_UI.kratosAdmin },
    urls: { ...base.urls, kratosPublic: url(NODE_UI.kratosPublic), kratosAdmin: url(NODE_UI.kratosAdmin), spa: url(NODE_UI.port) },
    spaOrigins: [url(NODE_UI.port)],
  };
  const kratos = await startKratos(settings, { bin: await ensureBinary('kratos'), onUnexpectedExit: (err) => console.error(err.message) });
  const child = spawn(process.execPath, ['lib/index.js'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(NODE_UI.port),
      KRATOS_PUBLIC_URL: settings.urls.kratosPublic,
      KRATOS_BROWSER_URL: settings.urls.kratosPublic,
      KRATOS_ADMIN_URL: settings.urls.kratosAdmin,
      COOKIE_SECRET: 'benchmark-cookie-secret-0123456789',
      CSRF_COOKIE_NAME: 'node-ui-csrf',
      CSRF_COOKIE_SECRET: 'benchmark-csrf-secret-0123456789',
      // Plain http on loopback: its CSRF cookie cannot be Secure here.
      DANGEROUSLY_DISABLE_SECURE_CSRF_COOKIES: 'true',
    },
  });
  await waitForHttp(`${url(NODE_UI.port)}/health/alive`, { what: 'kratos-selfservice-ui-node', timeoutMs: 30_000, logFile: '/dev/null' });
  return {
    url: url(NODE_UI.port),
    kratosAdmin: settings.urls.kratosAdmin,
    label: `kratos-selfservice-ui-node (@ory/client ${version})`,
    async stop() {
      child.kill('SIGTERM');
      await kratos.stop();
    },
  };
}

/** Writes docs/benchmark.json, docs/benchmark.md and the table in README.md from one run's report. */
export function writeReport(report) {
  const { results } = report;
  const nodeUi = results.some((r) => r.apps['node-ui']);
  writeFileSync(join(ROOT, 'docs', 'benchmark.json'), `${JSON.stringify(report, null, 2)}\n`);
  const header = nodeUi
    ? '| page | latency | this app: median / p95 | node-ui: median / p95 | ratio | in the DOM, median (app / node-ui) | in the DOM after the last response (app / node-ui) | after Kratos\'s answer (app): in all: script has it · code starts · app\'s work | after Kratos\'s answer: a bare page (the floor) · the hand-over alone | sequential requests (app / node-ui) | requests | bytes, gzipped |'
    : '| page | latency | median / p95 | after the last response | after Kratos\'s answer: in all: script has it · code starts · app\'s work | after Kratos\'s answer: a bare page (the floor) · the hand-over alone | sequential requests | requests | bytes, gzipped |';
  const cells = (a) => `${a.medianMs} / ${a.p95Ms} ms`;
  const afterKratos = (a) =>
    a.appWorkMedianMs === undefined ? `${a.afterKratosMedianMs} ms` : `${a.afterKratosMedianMs} ms: ${a.answerToScriptMedianMs} · ${a.codeWaitMedianMs} · ${a.appWorkMedianMs} ms`;
  const table = [
    `Measured ${report.measuredAt.slice(0, 10)} by \`npm run benchmark\` on ${report.machine}: ${report.runs} cold visits per page and latency${nodeUi ? ', the two UIs interleaved' : ''} (empty cache), Chromium ${report.chromium}, Kratos ${report.kratos}. This app: the production build served as GitHub Pages serves it. Compared with: ${report.compared}. Time from navigation start until the enabled submit button is painted (its first frame on screen; "in the DOM" is when it is there, painted or not); "after the last response" is from the end of the last response the page had then (script, stylesheet, Kratos's answer; the ends as the page's own Navigation and Resource Timing give them, on the clock of its marks) to the button in the DOM, "after Kratos's answer" from the end of Kratos's last answer, with its parts (medians each, so they need not add up), from the page's own timing marks (frontend/src/timing.ts): until the page's script has the answer read whole (the browser hands it over), then until the app's code starts if it had not yet (the code still arriving or waiting its turn), then the app's own work to the button in the DOM; "a bare page" is the same time for a page whose one inline script fetches the same flow and appends its inputs as plain elements (no styles, frame or modules), visited in the same rounds: the browser's own share, which any page pays; "the hand-over alone" is a page that only reads the answer whole and appends that one button (nothing else in it to draw): the browser handing the answer to a page's script; latency is added to every request by Chromium's network emulation.`,
    '',
    header,
    `|${' --- |'.repeat(header.split(' | ').length)}`,
    ...results.map((r) => {
      const a = r.apps['this app'];
      const floor = `${r.apps.floor.afterKratosMedianMs} · ${r.apps['hand-over'].afterKratosMedianMs} ms`;
      if (!nodeUi) return `| \`${r.page}\` | ${r.latencyMs} ms | ${cells(a)} | ${a.afterLastMedianMs} ms | ${afterKratos(a)} | ${floor} | ${a.sequential} | ${a.requests} | ${kb(a.gzipBytes)} |`;
      const n = r.apps['node-ui'];
      return `| \`${r.page}\` | ${r.latencyMs} ms | ${cells(a)} | ${cells(n)} | ${r.ratio} | ${a.inDomMedianMs} / ${n.inDomMedianMs} ms | ${a.afterLastMedianMs} / ${n.afterLastMedianMs} ms | ${afterKratos(a)} | ${floor} | ${a.sequential} / ${n.sequential} | ${a.requests} / ${n.requests} | ${kb(a.gzipBytes)} / ${kb(n.gzipBytes)} |`;
    }),
  ].join('\n');
  writeFileSync(join(ROOT, 'docs', 'benchmark.md'), `# Benchmark\n\n${table}\n`);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const marked = /<!-- benchmark:start -->[\s\S]*<!-- benchmark:end -->/;
  if (marked.test(readme)) writeFileSync(join(ROOT, 'README.md'), readme.replace(marked, `<!-- benchmark:start -->\n${table}\n<!-- benchmark:end -->`));
}

async function main() {
  const stack = await startStack('test', { log: () => {} });
  const nodeUiDir = process.env.NODE_UI_DIR;
  let nodeUi = null;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    if (nodeUiDir) nodeUi = await startNodeUi(nodeUiDir, stackSettings('test'));
    else console.log('NODE_UI_DIR is not set: measuring this app alone (no comparison).');
    // Kratos's answers reach this app in the browser; node-ui asks its Kratos from its server.
    const { spa, kratosPublic } = stack.settings.urls;
    const signedIn = await signedInHere(browser, spa, stack.settings.urls.mailUi);
    const apps = [{ name: 'this app', url: spa, kratos: kratosPublic, signedIn }];
    if (nodeUi) apps.push({ name: 'node-ui', url: nodeUi.url, signedIn: await signedInOnNodeUi(browser, nodeUi.url, nodeUi.kratosAdmin) });
    for (const [name, dir, html] of [
      ['floor', FLOOR_DIR, (page) => floorPage(kratosPublic, page.path.slice(1))],
      ['hand-over', HAND_OVER_DIR, (page) => handOverPage(kratosPublic, page.path.slice(1), page.submit)],
    ]) {
      const at = join(stack.settings.dataDir, 'spa-dist', dir);
      mkdirSync(at, { recursive: true });
      for (const page of PAGES) writeFileSync(join(at, `${page.path.slice(1)}.html`), html(page));
      // Visited only to measure the floors beside the UIs.
      apps.push({ name, url: `${spa}/${dir}`, kratos: kratosPublic, signedIn, floor: true });
    }

    const results = [];
    for (const latency of LATENCIES) {
      for (const page of PAGES) {
        const runs = Object.fromEntries(apps.map((a) => [a.name, []]));
        for (let i = 0; i < RUNS; i++) {
          // Interleaved, the order switching every round, so drift on a shared machine hits both.
          const order = i % 2 === 0 ? apps : [...apps].reverse();
          for (const app of order) runs[app.name].push(await visit(browser, `${app.url}${page.path}`, page, page.signedIn ? app.signedIn : undefined, latency, app.kratos));
        }
        const row = { page: page.path, latencyMs: latency, runs: RUNS, apps: {} };
        for (const app of apps) {
          const r = runs[app.name];
          const ms = r.map((x) => x.ms).sort((a, b) => a - b);
          row.apps[app.name] = {
            medianMs: quantile(ms, 0.5),
            p95Ms: quantile(ms, 0.95),
            inDomMedianMs: median(r.map((x) => x.inDomMs)),
            afterLastMedianMs: median(r.map((x) => x.afterLastMs ?? 0)),
            ...(app.kratos ? { afterKratosMedianMs: median(r.map((x) => x.afterKratosMs ?? 0)) } : {}),
            ...(r.every((x) => x.split)
              ? {
                  answerToScriptMedianMs: median(r.map((x) => x.split.toScriptMs)),
                  codeWaitMedianMs: median(r.map((x) => x.split.codeWaitMs)),
                  appWorkMedianMs: median(r.map((x) => x.split.appWorkMs)),
                }
              : {}),
            sequential: median(r.map((x) => x.sequential)),
            requests: median(r.map((x) => x.requests)),
            gzipBytes: median(r.map((x) => x.bytes)),
          };
        }
        if (nodeUi) row.ratio = Number((row.apps['this app'].medianMs / row.apps['node-ui'].medianMs).toFixed(2));
        results.push(row);
        const uis = apps.filter((a) => !a.floor);
        console.log(
          `${page.path} +${latency} ms: ${uis.map((a) => `${a.name} ${row.apps[a.name].medianMs} ms (p95 ${row.apps[a.name].p95Ms})`).join(', ')}${row.ratio ? `, ratio ${row.ratio}` : ''}; after Kratos's answer: this app ${row.apps['this app'].afterKratosMedianMs} ms, a bare page ${row.apps.floor.afterKratosMedianMs} ms, the hand-over alone ${row.apps['hand-over'].afterKratosMedianMs} ms`,
        );
      }
    }
    const report = {
      measuredAt: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
      chromium: browser.version(),
      kratos: `${PINNED.kratos.version} (local, SQLite), one per UI, same kratos/ config`,
      compared: nodeUi ? nodeUi.label : 'nothing (NODE_UI_DIR not set)',
      runs: RUNS,
      results,
    };
    writeReport(report);
    console.log('wrote docs/benchmark.json, docs/benchmark.md and the table in README.md');
  } finally {
    await browser.close();
    await nodeUi?.stop();
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
