// What one person does, for k6 (run by infra/local/load.mjs, `npm run load`; k6's own JavaScript
// runtime, not Node). Kratos's browser flows as the SPA drives them: JSON in and out, the CSRF
// token from the flow's nodes and Kratos's cookies in the virtual user's jar.
//
//   MODE=journey  sign up (create flow, ask for a code, the code from the mail sink, submit it)
//                 → choose a password in settings → whoami through Oathkeeper's API host
//                 → sign out → sign in (create flow, submit) → whoami through Oathkeeper → sign out;
//                 after a failed step, a second's pause before the next person
//   MODE=verify   sign in to each account a journey was told "signed up" for (ACCOUNTS_FILE:
//                 [{ email, by }]): by password where one was chosen, else by a mailed code
//
// Every Kratos request goes to the next of KRATOS_URLS in turn (several replicas behind one
// Gateway). Each step's time is a Trend of its own; a failed step is logged as one JSON line
// (`{"failed": step, …}`) and ends the iteration; a sign-up Kratos accepted is logged as
// `{"signedUp": email}`, a password chosen as `{"passwordSet": email}` and a code Kratos said it
// mailed as `{"asked": email}`, so the driver can
// check afterwards that nothing was lost. Every line carries `at`, the time in ms since the epoch.
import { sleep } from 'k6';
import http from 'k6/http';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Counter, Trend } from 'k6/metrics';
import { STEPS, VERIFY_STEPS } from './steps.js';

const KRATOS_URLS = (__ENV.KRATOS_URLS || '').split(',').filter(Boolean);
const API_URL = __ENV.API_URL;
const MAIL_URL = __ENV.MAIL_URL;
const PASSWORD = __ENV.PASSWORD;
const RUN = __ENV.RUN;
const MODE = __ENV.MODE || 'journey';
if (!KRATOS_URLS.length || !API_URL || !PASSWORD || !RUN || !MAIL_URL) throw new Error('KRATOS_URLS, API_URL, MAIL_URL, PASSWORD and RUN are required');

const trends = Object.fromEntries([...STEPS.map((step, i) => [step, new Trend(`step_${i}`, true)]), ...VERIFY_STEPS.map((step, i) => [step, new Trend(`verify_${i}`, true)])]);
const journeys = new Counter('journeys');
const failures = new Counter('failures');

const accounts = MODE === 'verify' ? new SharedArray('accounts', () => JSON.parse(open(__ENV.ACCOUNTS_FILE))) : [];

const VUS = Number(__ENV.VUS || 1);
export const options = {
  // localhost is where Kratos's cookies and CORS live; the stack listens on IPv4 loopback.
  hosts: { localhost: '127.0.0.1' },
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max', 'count'],
  scenarios:
    MODE === 'verify'
      ? { verify: { executor: 'shared-iterations', vus: VUS, iterations: Math.max(accounts.length, 1), maxDuration: '30m' } }
      : { journey: { executor: 'constant-vus', vus: VUS, duration: __ENV.DURATION || '30s', gracefulStop: '60s' } },
};

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };
const TIMEOUT = '30s';
let turn = -1;
const kratos = () => {
  if (turn < 0) turn = exec.vu.idInTest; // virtual users start on different replicas
  return KRATOS_URLS[turn++ % KRATOS_URLS.length];
};

function log(entry) {
  console.log(JSON.stringify({ ...entry, at: Date.now() }));
}

/** One timed request; false (and a log line) when the answer is not the expected status. */
function step(name, expectStatus, send) {
  const res = send();
  trends[name].add(res.timings.duration);
  if (res.status === expectStatus) return res;
  failures.add(1, { step: name });
  log({ failed: name, status: res.status, error: res.error || undefined, body: String(res.body || '').slice(0, 300) });
  return false;
}

function csrfToken(flow) {
  const node = flow.ui.nodes.find((n) => n.attributes && n.attributes.name === 'csrf_token');
  return node ? node.attributes.value : '';
}

function createFlow(name, kind) {
  return step(name, 200, () => http.get(`${kratos()}/self-service/${kind}/browser`, { headers: { Accept: 'application/json' }, timeout: TIMEOUT }));
}

function submit(name, kind, flow, body, expectStatus = 200) {
  return step(name, expectStatus, () =>
    http.post(`${kratos()}/self-service/${kind}?flow=${flow.id}`, JSON.stringify({ ...body, csrf_token: csrfToken(flow) }), { headers: JSON_HEADERS, timeout: TIMEOUT }),
  );
}

function whoami(identityId) {
  const res = step('whoami via Oathkeeper', 200, () => http.get(`${API_URL}/api/private/me`, { headers: { Accept: 'application/json' }, timeout: TIMEOUT }));
  if (!res) return false;
  if (res.json('subject') === identityId) return true;
  failures.add(1, { step: 'whoami via Oathkeeper' });
  log({ failed: 'whoami via Oathkeeper', status: res.status, body: 'another subject than the signed-in identity' });
  return false;
}

function signOut() {
  const name = 'sign-out';
  const started = Date.now();
  const url = http.get(`${kratos()}/self-service/logout/browser`, { headers: { Accept: 'application/json' }, timeout: TIMEOUT });
  if (url.status !== 200) {
    trends[name].add(Date.now() - started);
    failures.add(1, { step: name });
    log({ failed: name, status: url.status, body: String(url.body || '').slice(0, 300) });
    return false;
  }
  const done = http.get(`${kratos()}/self-service/logout?token=${encodeURIComponent(url.json('logout_token'))}`, { headers: { Accept: 'application/json' }, timeout: TIMEOUT });
  // Both requests: what "sign out" costs a person.
  trends[name].add(url.timings.duration + done.timings.duration);
  if (done.status === 204) return true;
  failures.add(1, { step: name });
  log({ failed: name, status: done.status, body: String(done.body || '').slice(0, 300) });
  return false;
}

function signIn(email) {
  const flow = createFlow('sign-in: create flow', 'login');
  if (!flow) return null;
  const done = submit('sign-in: submit', 'login', flow.json(), { method: 'password', identifier: email, password: PASSWORD });
  return done ? done.json('session.identity.id') : null;
}

/** The mails the sink holds for `email`, newest first (null when the sink did not answer). */
function mails(email) {
  const res = http.get(`${MAIL_URL}/api/messages?to=${encodeURIComponent(email)}`, { headers: { Accept: 'application/json' }, timeout: TIMEOUT });
  return res.status === 200 ? res.json() : null;
}

/**
 * The code in the `nth` mail to `email`, read from the mail sink's API as a person reads their
 * inbox: the time from asking to having it is the step's time (the courier's delivery).
 */
function mailedCode(email, askedAt, name = 'sign-up: code mailed', nth = 1) {
  for (let i = 0; i < 300; i++) {
    const inbox = mails(email);
    const mail = inbox && inbox.length >= nth ? inbox[0] : null;
    const code = mail ? (/\b(\d{6})\b/.exec(mail.text) || [])[1] : null;
    if (code) {
      trends[name].add(Date.now() - askedAt);
      return code;
    }
    sleep(0.1);
  }
  trends[name].add(Date.now() - askedAt);
  failures.add(1, { step: name });
  log({ failed: name, status: 0, body: `no code for ${email} within 30 s` });
  return null;
}

/** Sign-up as a person makes one: the address first, proven by the mailed code. The identity's id. */
function signUp(email) {
  const flow = createFlow('sign-up: create flow', 'registration');
  if (!flow) return null;
  const askedAt = Date.now();
  const sent = submit('sign-up: ask for code', 'registration', flow.json(), { method: 'code', traits: { email } }, 400);
  if (!sent) return null;
  log({ asked: email });
  const code = mailedCode(email, askedAt);
  if (!code) return null;
  const created = submit('sign-up: submit', 'registration', sent.json(), { method: 'code', code, traits: { email } });
  return created ? created.json('identity.id') : null;
}

/** A password for the signed-in person, chosen in settings. */
function choosePassword() {
  const flow = createFlow('password: create flow', 'settings');
  return flow && submit('password: submit', 'settings', flow.json(), { method: 'password', password: PASSWORD });
}

/** One person's journey: true when every step succeeded. */
function journey() {
  const email = `${RUN}-${exec.vu.idInTest}-${exec.vu.iterationInScenario}@load.example.com`;
  const id = signUp(email);
  if (!id) return false;
  log({ signedUp: email });
  if (!choosePassword()) return false;
  log({ passwordSet: email });
  if (!whoami(id) || !signOut()) return false;
  const again = signIn(email);
  if (!again || !whoami(again) || !signOut()) return false;
  journeys.add(1);
  return true;
}

/** A sign-in by a code mailed to `email` (an account whose password step failed has none). */
function signInByCode(email) {
  const flow = createFlow('sign-in: create flow', 'login');
  if (!flow) return null;
  const before = (mails(email) || []).length;
  const sent = submit('sign-in: ask for code', 'login', flow.json(), { method: 'code', identifier: email }, 400);
  if (!sent) return null;
  const code = mailedCode(email, Date.now(), 'sign-in: code mailed', before + 1);
  if (!code) return null;
  const done = submit('sign-in: submit code', 'login', sent.json(), { method: 'code', identifier: email, code });
  return done ? done.json('session.identity.id') : null;
}

function verify() {
  const account = accounts[exec.scenario.iterationInTest];
  if (!account) return;
  const id = account.by === 'code' ? signInByCode(account.email) : signIn(account.email);
  if (!id) log({ lost: account.email });
  else signOut();
}

// k6 empties the cookie jar before each iteration: each iteration is a new person.
export default function () {
  if (MODE === 'verify') verify();
  // A person who meets an error reads it before trying again: no tight loop of failures while a
  // part is down (`npm run faults` counts failed requests).
  else if (!journey()) sleep(1);
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY_FILE]: JSON.stringify(data) };
}
