// Captures the Kratos answers the unit tests use, from the real Kratos (never hand-written).
//
//   npm run capture-fixtures                 Kratos v26.2.0 (the pinned one) → fixtures/
//   npm run capture-fixtures -- --compat     Kratos v1.3.1 (npm run compat's) → fixtures/v1.3.1/
//
// Starts Kratos and the mail sink on the test ports with a scratch database, walks the
// flows the way the SPA does (JSON, cookies, CSRF token from the form), and writes each answer
// to frontend/src/fixtures/<name>.json with where it came from. TOTP, lookup secrets and
// WebAuthn are switched on for the capture so that every node type (img, text, script) appears.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import { deepMerge, OPTIONS } from '../render-config.mjs';
import { ensureBinary, PINNED, reportedVersion } from './binaries.mjs';
import { startLocalHookReceiver } from './hook-receiver.mjs';
import { startKratos } from './kratos.mjs';
import { codeInMessages, startMailSink } from './mail-sink.mjs';
import { cacheDir, ROOT } from './paths.mjs';
import { stackSettings } from './settings.mjs';

export const OUT = join(ROOT, 'frontend', 'src', 'fixtures');
/**
 * `--compat` captures from Kratos v1.3.1 (infra/local/binaries.mjs kratos-compat) into
 * fixtures/v1.3.1/, for the unit tests that run over every version's answers; `--kratos <binary>`
 * from any other Kratos binary into fixtures/<its version>/.
 */
const OTHER_KRATOS = (() => {
  const i = process.argv.indexOf('--kratos');
  return i > 0 ? process.argv[i + 1] : null;
})();
const COMPAT = process.argv.includes('--compat');
const EVERY_INPUT_SCHEMA = join(ROOT, 'infra', 'local', 'capture', 'every-input.schema.json');

const CAPTURE_OVERLAY = {
  selfservice: {
    methods: {
      totp: { enabled: true, config: { issuer: 'Kratos SPA' } },
      lookup_secret: { enabled: true },
      webauthn: {
        enabled: true,
        config: { passwordless: false, rp: { id: 'localhost', display_name: 'Kratos SPA', origins: ['http://localhost:15173'] } },
      },
    },
  },
};

// Strings a user might type that must stay text: they go through Kratos and come back in flows.
export const HOSTILE_FIRST_NAME = '<img src=x onerror="alert(1)">Ada';
export const HOSTILE_LAST_NAME = '</label><script>alert(2)</script>';

/**
 * Everything that decides what the capture gets from Kratos: the pinned Kratos, its whole
 * configuration source (kratos/), how the local stack renders it, and this script. A fixture
 * records the hash of these; when it differs from today's, the fixtures are stale
 * (capture-fixtures.test.mjs), as Kratos would now answer differently or the capture has changed.
 */
export const CAPTURE_INPUTS = ['kratos', 'infra/render-config.mjs', 'infra/local/kratos.mjs', 'infra/local/settings.mjs', 'infra/local/capture-fixtures.mjs', 'infra/local/capture'];

function filesUnder(path) {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((name) => filesUnder(join(path, name)));
}

export function captureInputsHash() {
  const hash = createHash('sha256').update(`${PINNED.kratos.module}@${PINNED.kratos.version} ${JSON.stringify(PINNED.kratos)}\n`);
  for (const file of CAPTURE_INPUTS.flatMap(filesUnder)) {
    hash.update(`${file}\n`).update(readFileSync(join(ROOT, file))).update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

class Browser {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  async request(method, path, body) {
    const url = path.startsWith('http') ? path : this.base + path;
    const headers = { Accept: 'application/json' };
    if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined, redirect: 'follow' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
}

const csrf = (flow) => flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token').attributes.value;
const pathOf = (action) => new URL(action).pathname + new URL(action).search;

const INPUTS_HASH = captureInputsHash();

let out = OUT;
let source = `Ory Kratos ${PINNED.kratos.version}, built from its released source (sha256 ${PINNED.kratos.source.sha256}; infra/local/binaries.mjs)`;

function save(name, request, reply) {
  const fixture = {
    _provenance: {
      source,
      config: 'kratos/kratos.yml + the local overlay (infra/local/kratos.mjs) + totp, lookup_secret and webauthn enabled (CAPTURE_OVERLAY)',
      captured_by: 'infra/local/capture-fixtures.mjs (npm run capture-fixtures)',
      captured_at: new Date().toISOString(),
      // sha256 of CAPTURE_INPUTS when captured: the fixtures are current while it matches.
      inputs: INPUTS_HASH,
      request,
      status: reply.status,
    },
    status: reply.status,
    body: reply.body,
  };
  writeFileSync(join(out, `${name}.json`), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`  ${name}.json  ← ${request} (${reply.status})`);
}

function expectStatus(reply, status, what) {
  if (reply.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${reply.status}: ${JSON.stringify(reply.body).slice(0, 500)}`);
}

/**
 * A sign-up's last steps from its second step (`flow`), as the app sends them: the code asked for,
 * then the code from the `nth` mail to the address. Returns the answer to the code.
 */
async function signUpByCode(b, sink, flow, traits, nth = 1) {
  let r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'code', ...traits });
  expectStatus(r, 400, 'registration code sent');
  const sent = r.body;
  return b.request('POST', pathOf(sent.ui.action), { csrf_token: csrf(sent), method: 'code', code: await codeInMessages(sink.messages, traits['traits.email'], { nth }), ...traits });
}

async function capture(kratosUrl, kratosAdminUrl, sink) {
  const email = 'ada@example.com';
  const password = 'correct horse battery staple';
  const b = new Browser(kratosUrl);

  // Registration, two steps, with HTML in the name traits.
  let r = await b.request('GET', '/self-service/registration/browser');
  expectStatus(r, 200, 'create registration');
  save('registration-browser', 'GET /self-service/registration/browser', r);
  let flow = r.body;

  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'profile', 'traits.email': '' });
  expectStatus(r, 400, 'registration without email');
  save('registration-missing-email', 'POST /self-service/registration?flow=<id> {method: profile, traits.email: ""}', r);

  r = await b.request('POST', pathOf(flow.ui.action), {
    csrf_token: csrf(flow),
    method: 'profile',
    'traits.email': email,
    'traits.name.first': HOSTILE_FIRST_NAME,
    'traits.name.last': HOSTILE_LAST_NAME,
  });
  expectStatus(r, 400, 'registration profile step');
  save('registration-step-two', 'POST /self-service/registration?flow=<id> {method: profile, traits with HTML in the names}', r);
  flow = r.body;

  const traits = { 'traits.email': email, 'traits.name.first': HOSTILE_FIRST_NAME, 'traits.name.last': HOSTILE_LAST_NAME };
  // A password there, as Kratos offers it: refused, since nothing has proven the address
  // (kratos/hooks/address-proven.jsonnet), and nothing is stored.
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'password', password, ...traits });
  expectStatus(r, 500, 'password sign-up refused');
  if (!String(r.body?.error?.message).includes('address_not_proven:')) throw new Error(`the password sign-up was not refused for its unproven address: ${JSON.stringify(r.body).slice(0, 300)}`);
  save('registration-address-not-proven', 'POST /self-service/registration?flow=<id> {method: password} (refused: the sign-up has not proven the address)', r);

  r = await signUpByCode(b, sink, flow, traits);
  expectStatus(r, 200, 'registration by code');
  save('registration-success', 'POST /self-service/registration?flow=<id> {method: code, code from the e-mail}', r);

  r = await b.request('GET', '/sessions/whoami');
  expectStatus(r, 200, 'whoami');
  save('session-whoami', 'GET /sessions/whoami (just registered, names with HTML)', r);
  const identityId = r.body.identity.id;

  // An administrator's edit that the identity schema refuses: Kratos's JSON-Schema reason, two
  // fields wrong at once (pages/admin.ts shows it per field).
  r = await new Browser(kratosAdminUrl).request('PATCH', `/admin/identities/${identityId}`, [
    { op: 'replace', path: '/traits/email', value: 'not an address' },
    { op: 'replace', path: '/traits/account_type', value: 'teacher' },
  ]);
  expectStatus(r, 400, 'admin patch refused by the schema');
  save('admin-identity-patch-invalid', 'PATCH /admin/identities/<id> [traits.email "not an address", traits.account_type "teacher"] (admin API)', r);

  r = await b.request('GET', '/self-service/login/browser');
  expectStatus(r, 400, 'login while signed in');
  save('login-session-already-available', 'GET /self-service/login/browser with a session', r);

  // Verification, asked for (sign-up has verified the address already; Kratos verifies it again),
  // with the code from the real mail.
  // With the app's home as return_to, as after a sign-up: the passed flow then links back to it.
  r = await b.request('GET', `/self-service/verification/browser?return_to=${encodeURIComponent(stackSettings('test').urls.spa + '/')}`);
  expectStatus(r, 200, 'create verification');
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'code', email });
  expectStatus(r, 200, 'verification code sent');
  save('verification-sent-email', 'POST /self-service/verification?flow=<id> {method: code, email} (flow made with return_to: the app\'s home)', r);
  flow = r.body;
  const code = await codeInMessages(sink.messages, email, { nth: 2 });
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'code', code });
  expectStatus(r, 200, 'verify with code');
  if (r.body.state !== 'passed_challenge') throw new Error(`verification did not pass: ${JSON.stringify(r.body.ui.messages)}`);
  save('verification-passed', 'POST /self-service/verification?flow=<id> {method: code, code from the e-mail}', r);

  // A password, chosen in settings (the way to one once sign-up has proven the address).
  r = await b.request('GET', '/self-service/settings/browser');
  expectStatus(r, 200, 'create settings for a password');
  r = await b.request('POST', pathOf(r.body.ui.action), { csrf_token: csrf(r.body), method: 'password', password });
  expectStatus(r, 200, 'choose a password');

  // Settings: profile, password, TOTP (img + text), lookup secrets, WebAuthn (script).
  r = await b.request('GET', '/self-service/settings/browser');
  expectStatus(r, 200, 'create settings');
  save('settings-browser', 'GET /self-service/settings/browser (totp, lookup_secret, webauthn enabled)', r);
  flow = r.body;
  // Exactly what the SPA sends for that button: the default group and the button's name/value.
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), lookup_secret_regenerate: 'true' });
  expectStatus(r, 200, 'generate lookup secrets');
  save('settings-lookup-secrets-generated', 'POST /self-service/settings?flow=<id> {lookup_secret_regenerate: "true"} (the button alone, as the SPA sends it)', r);
  // Both second factors on: the codes confirmed, the app set up with a code from its secret.
  r = await b.request('POST', pathOf(r.body.ui.action), { csrf_token: csrf(r.body), lookup_secret_confirm: 'true' });
  expectStatus(r, 200, 'confirm lookup secrets');
  r = await b.request('GET', '/self-service/settings/browser');
  expectStatus(r, 200, 'create settings for TOTP');
  const secret = r.body.ui.nodes.find((n) => n.attributes.id === 'totp_secret_key')?.attributes.text.context.secret;
  if (!secret) throw new Error('no totp_secret_key in the settings flow');
  const totpCode = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
  r = await b.request('POST', pathOf(r.body.ui.action), { csrf_token: csrf(r.body), method: 'totp', totp_code: totpCode });
  expectStatus(r, 200, 'set up TOTP');
  r = await b.request('GET', '/self-service/settings/browser');
  expectStatus(r, 200, 'create settings with both factors on');
  save('settings-second-factors-on', 'GET /self-service/settings/browser (after backup codes were confirmed and the authenticator app set up)', r);

  // Logout.
  r = await b.request('GET', '/self-service/logout/browser');
  expectStatus(r, 200, 'create logout');
  save('logout-browser', 'GET /self-service/logout/browser', r);
  r = await b.request('GET', `/self-service/logout?token=${r.body.logout_token}`);
  expectStatus(r, 204, 'logout');

  // Signing in: the form, then a wrong password.
  r = await b.request('GET', '/self-service/login/browser');
  expectStatus(r, 200, 'create login');
  save('login-browser', 'GET /self-service/login/browser', r);
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'password', identifier: email, password: 'not the password' });
  expectStatus(r, 400, 'login with a wrong password');
  save('login-invalid-credentials', 'POST /self-service/login?flow=<id> {method: password, wrong password}', r);

  // A one-time code by e-mail, and recovery: both wait for a code with a "Resend code" button.
  r = await b.request('GET', '/self-service/login/browser');
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'code', identifier: email });
  expectStatus(r, 400, 'login code sent');
  save('login-code-sent', 'POST /self-service/login?flow=<id> {method: code, identifier}', r);
  r = await b.request('GET', '/self-service/recovery/browser');
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'code', email });
  expectStatus(r, 200, 'recovery code sent');
  save('recovery-sent-email', 'POST /self-service/recovery?flow=<id> {method: code, email}', r);

  // A second sign-up with the same address.
  r = await b.request('GET', '/self-service/registration/browser');
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'profile', 'traits.email': email });
  flow = r.body;
  r = await signUpByCode(b, sink, flow, { 'traits.email': email }, 5);
  expectStatus(r, 400, 'duplicate registration');
  save('registration-duplicate', 'POST /self-service/registration?flow=<id> {method: code, code from the e-mail} for an address that has an account', r);

  // A sign-up the registration web hook refuses (an address at a blocked domain: hook-receiver.mjs).
  // Refused, so nothing is created: the same address every capture.
  const blocked = `refused@${stackSettings('test').blockedSignUpDomains[0]}`;
  r = await b.request('GET', '/self-service/registration/browser');
  flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'profile', 'traits.email': blocked });
  flow = r.body;
  r = await signUpByCode(b, sink, flow, { 'traits.email': blocked });
  expectStatus(r, 400, 'registration refused by the web hook');
  save('registration-hook-refused', 'POST /self-service/registration?flow=<id> {method: code, code from the e-mail} for an address the sign-up check refuses', r);

  r = await b.request('GET', '/self-service/errors?id=stub:500');
  expectStatus(r, 200, 'stub error');
  save('error-stub', 'GET /self-service/errors?id=stub:500', r);

  r = await b.request('GET', '/self-service/login/flows?id=00000000-0000-0000-0000-000000000000');
  save('login-unknown-flow', 'GET /self-service/login/flows?id=<a flow id that does not exist>', r);

  r = await b.request('GET', '/sessions/whoami');
  expectStatus(r, 401, 'whoami without a session');
  save('session-whoami-anonymous', 'GET /sessions/whoami without a session', r);

  r = await b.request('GET', '/schemas');
  expectStatus(r, 200, 'identity schemas');
  save('schemas', 'GET /schemas (kratos/identity.schema.json as "default")', r);
}

/** Sign-in in identifier-first style (OPTIONS.identifierFirst): the identifier, then the password. */
async function captureIdentifierFirst(kratosUrl) {
  const b = new Browser(kratosUrl);
  let r = await b.request('GET', '/self-service/login/browser');
  expectStatus(r, 200, 'create login (identifier first)');
  save('login-identifier-first', 'GET /self-service/login/browser with selfservice.flows.login.style: identifier_first', r);
  const flow = r.body;
  r = await b.request('POST', pathOf(flow.ui.action), { csrf_token: csrf(flow), method: 'identifier_first', identifier: 'ada@example.com' });
  expectStatus(r, 400, 'identifier first: the identifier');
  save('login-identifier-first-password', 'POST /self-service/login?flow=<id> {method: identifier_first, identifier of an account with a password} (identifier_first style)', r);
}

/** Registration with a schema that has one trait per input type Kratos renders. */
async function captureEveryInput(kratosUrl) {
  const b = new Browser(kratosUrl);
  const r = await b.request('GET', '/self-service/registration/browser');
  expectStatus(r, 200, 'create registration (every input type)');
  save('registration-every-input-type', 'GET /self-service/registration/browser with infra/local/capture/every-input.schema.json as the identity schema', r);
}

async function main() {
  const base = stackSettings('test');
  const settings = { ...base, dataDir: join(cacheDir(), 'stack-capture'), freshData: true };
  let bin;
  if (COMPAT) {
    const { module, version } = PINNED['kratos-compat'];
    bin = await ensureBinary('kratos-compat');
    out = join(OUT, version);
    source = `Ory Kratos ${version}, built from the Go module ${module}@${version} (infra/local/binaries.mjs)`;
    process.env.KRATOS_VERSION_UNDER_TEST = version;
  } else if (OTHER_KRATOS) {
    const v = reportedVersion(OTHER_KRATOS);
    if (!v || !/^v\d+\.\d+\.\d+$/.test(v)) throw new Error(`${OTHER_KRATOS} reports no release version (${v}); build it with its version in the ldflags.`);
    bin = OTHER_KRATOS;
    out = join(OUT, v);
    source = `Ory Kratos ${v}, built from Ory's repository at tag ${v} (npm run capture-fixtures -- --kratos <binary>)`;
    process.env.KRATOS_VERSION_UNDER_TEST = v;
  } else {
    bin = await ensureBinary('kratos');
  }
  mkdirSync(out, { recursive: true });
  const sink = await startMailSink({ host: settings.host, smtpPort: settings.ports.smtp, httpPort: settings.ports.mailUi });
  // Kratos runs with the stack's registration web hooks: their receiver has to answer.
  const receiver = await startLocalHookReceiver(settings);
  let kratos;
  try {
    kratos = await startKratos(settings, {
      bin,
      overlay: CAPTURE_OVERLAY,
      onUnexpectedExit: (err) => {
        console.error(err.message);
        process.exit(1);
      },
    });
    console.log(`Capturing from Kratos at ${settings.urls.kratosPublic} into ${out}`);
    await capture(settings.urls.kratosPublic, settings.urls.kratosAdmin, sink);
    await kratos.stop();
    kratos = await startKratos({ ...settings, freshData: false }, {
      bin,
      overlay: deepMerge(CAPTURE_OVERLAY, OPTIONS.identifierFirst),
      onUnexpectedExit: (err) => {
        console.error(err.message);
        process.exit(1);
      },
    });
    await captureIdentifierFirst(settings.urls.kratosPublic);
    await kratos.stop();
    kratos = await startKratos(settings, {
      bin,
      overlay: {
        ...CAPTURE_OVERLAY,
        identity: { default_schema_id: 'every-input', schemas: [{ id: 'every-input', url: pathToFileURL(EVERY_INPUT_SCHEMA).href }] },
      },
      onUnexpectedExit: (err) => {
        console.error(err.message);
        process.exit(1);
      },
    });
    await captureEveryInput(settings.urls.kratosPublic);
  } finally {
    await kratos?.stop();
    await receiver.stop();
    await sink.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
