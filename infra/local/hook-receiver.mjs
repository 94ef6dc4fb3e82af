// The local stack's stand-in for a team's own backend receiving Kratos's registration web hooks
// (kratos/hooks/, infra/render-config.mjs withRegistrationHooks). It is a real HTTP service that
// Kratos calls; it trusts only calls carrying the key (HTTP Basic), and keeps what it got in memory.
//
//   POST /hooks/sign-up/check     before Kratos creates an identity, or saves a profile changed
//                                 in settings (`event: "settings"`): refuses an address whose
//                                 domain is on the block list, and in settings a change to
//                                 "educator", with a Kratos-shaped error that Kratos puts on
//                                 that field; anything else passes (204)
//   POST /hooks/sign-up/educator  an educator signed up: recorded (204)
//   GET  /hooks/received          what was received, for the tests and for a look in `npm start`
//
// It also keeps the local stack's side of the hooks: the key (made once per data folder) and the
// URLs the local Kratos is given (infra/local/kratos.mjs).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { REGISTRATION_HOOK_USER } from '../render-config.mjs';
import { listen } from './processes.mjs';

export const HOOK_PATHS = { check: '/hooks/sign-up/check', notify: '/hooks/sign-up/educator' };

/** Refusals carry ids of the receiver's own, outside Kratos's ids, so no catalog mistakes them for Kratos's. */
export const BLOCKED_DOMAIN_MESSAGE_ID = 4900001;
export const ACCOUNT_TYPE_CHANGE_MESSAGE_ID = 4900002;

/** Texts per language, chosen from the Accept-Language Kratos passes on (kratos/hooks/*-check.jsonnet). */
const BLOCKED_TEXT = {
  en: 'Sign-ups with addresses at {domain} are not accepted. Please use another address.',
  de: 'Mit Adressen bei {domain} ist keine Anmeldung möglich. Bitte verwenden Sie eine andere Adresse.',
};
const ACCOUNT_TYPE_TEXT = {
  en: 'An account becomes an educator account only at sign-up. Please ask us to change it.',
  de: 'Ein Konto wird nur bei der Registrierung zum Lehrkraft-Konto. Bitte bitten Sie uns, es zu ändern.',
};

/** Whether an Authorization header is Basic with Kratos's user and the key as password. */
function authorized(header, key) {
  const a = Buffer.from(String(header ?? ''));
  const b = Buffer.from(`Basic ${Buffer.from(`${REGISTRATION_HOOK_USER}:${key}`).toString('base64')}`);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The answer to a check: null to let the sign-up or settings change go ahead, else Kratos's web
 * hook error shape, one entry per refused field.
 */
export function checkSignUp({ event, email, account_type: accountType, previous, language }, blockedDomains) {
  const lang = String(language ?? '').toLowerCase().startsWith('de') ? 'de' : 'en';
  const messages = [];
  const domain = String(email ?? '').split('@').pop()?.toLowerCase() ?? '';
  if (blockedDomains.includes(domain)) {
    messages.push({
      instance_ptr: '#/traits/email',
      messages: [{ id: BLOCKED_DOMAIN_MESSAGE_ID, text: BLOCKED_TEXT[lang].replace('{domain}', domain), type: 'error', context: { domain } }],
    });
  }
  // Who is an educator is decided at sign-up (and told to the backend then): settings cannot make one.
  if (event === 'settings' && accountType === 'educator' && previous?.account_type !== 'educator') {
    messages.push({
      instance_ptr: '#/traits/account_type',
      messages: [{ id: ACCOUNT_TYPE_CHANGE_MESSAGE_ID, text: ACCOUNT_TYPE_TEXT[lang], type: 'error', context: { from: previous?.account_type ?? null, to: accountType ?? null } }],
    });
  }
  return messages.length ? { messages } : null;
}

async function readJson(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/**
 * @param {{ host: string, port: number, key: string, blockedDomains: string[], received?: object, delay?: { ms: number } }} opts
 *   received: where to keep what arrives (a receiver started again keeps what it had)
 *   delay: how long it takes over each hook call, read per call (`npm run faults` slows it down)
 * @returns {Promise<{ url: string, stop(): Promise<void>, received: { check: object[], notify: object[], unauthorized: number } }>}
 */
export async function startHookReceiver({ host, port, key, blockedDomains, received = { check: [], notify: [], unauthorized: 0 }, delay = { ms: 0 } }) {
  if (!key || key.length < 16) throw new Error('hook receiver: a key of at least 16 characters is needed');
  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', `http://${host}`).pathname;
    if (req.method === 'GET' && path === '/hooks/received') return send(200, received);
    const kind = req.method === 'POST' ? Object.keys(HOOK_PATHS).find((k) => HOOK_PATHS[k] === path) : undefined;
    if (!kind) return send(404, { error: 'not_found' });
    if (!authorized(req.headers.authorization, key)) {
      received.unauthorized++;
      return send(401, { error: 'unauthorized' });
    }
    let body;
    try {
      body = await readJson(req);
    } catch {
      return send(400, { error: 'bad_json' });
    }
    received[kind].push({ at: new Date().toISOString(), body });
    if (delay.ms > 0) await new Promise((r) => setTimeout(r, delay.ms));
    if (kind === 'check') {
      const refusal = checkSignUp(body, blockedDomains);
      if (refusal) return send(400, refusal);
    }
    return send(204);
  });
  await listen(server, port, host, 'hook receiver');
  const stop = () =>
    new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections(); // Kratos keeps connections open; stopped means refusing now
    });
  return { url: `http://${host}:${port}`, received, stop };
}

/**
 * The key Kratos sends with its registration web hooks and the local receiver checks, made once
 * per data folder (production: the kratos Secret's registrationHookKey).
 */
export function registrationHookKey(dataDir) {
  const file = join(dataDir, 'registration-hook.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** Where the local Kratos sends its registration web hooks: the stack's receiver (hook-receiver.mjs). */
export function localRegistrationHooks(settings) {
  const base = `http://${settings.host}:${settings.ports.hookReceiver}`;
  return { check: `${base}${HOOK_PATHS.check}`, notify: `${base}${HOOK_PATHS.notify}` };
}

/** The stack's receiver, as the local Kratos is told to call it (`received`, `delay`: see startHookReceiver). */
export function startLocalHookReceiver(settings, received, delay) {
  return startHookReceiver({ host: settings.host, port: settings.ports.hookReceiver, key: registrationHookKey(settings.dataDir), blockedDomains: settings.blockedSignUpDomains, received, delay });
}
