// A Kratos client for checks that act as a native app would: JSON to Kratos's public and admin
// APIs, session tokens instead of cookies (or a cookie jar where a browser's cookies matter).
// infra/checks/ (restore, the rendered boots) and the e2e helpers make and sign in people with it.

import { codeInMessages } from './mail-sink.mjs';

/**
 * One JSON request. `cookies`: a Map kept up to date from Set-Cookie (a browser's jar).
 * @returns {Promise<{ status: number, body: any, location: string|null }>}
 */
export async function call(method, url, { body, token, cookies } = {}) {
  const headers = { Accept: 'application/json' };
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers['X-Session-Token'] = token;
  if (cookies?.size) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined, redirect: 'manual' });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    cookies?.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* a redirect's HTML */
  }
  return { status: res.status, body: json, location: res.headers.get('location') };
}

/** Why a flow answer is not what was expected, for a failure message. */
const why = (r) => JSON.stringify(r.body?.ui?.messages ?? r.body?.ui?.nodes?.flatMap((n) => n.messages ?? []) ?? r.body);

/**
 * An account made by the admin API, with a password and (unless `verified` is false) its address
 * verified: for checks about what Kratos keeps or serves (a backup, a rendered boot, an imported
 * account), not about how a person signs up (only by a mailed code: signUpByCode). `extra`: more
 * of the identity (metadata). Returns the new identity, or throws with Kratos's answer.
 */
export async function createByAdmin(kratosAdmin, email, password, { traits = {}, verified = true, ...extra } = {}) {
  const r = await call('POST', `${kratosAdmin}/admin/identities`, {
    body: {
      ...extra,
      schema_id: 'default',
      traits: { email, ...traits },
      ...(verified ? { verifiable_addresses: [{ value: email, via: 'email', verified: true, status: 'completed' }] } : {}),
      credentials: { password: { config: { password } } },
    },
  });
  if (r.status !== 201) throw new Error(`creating ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * A sign-up as a person makes one, by the API flow: the code Kratos mails to the address, read
 * from `mails` (a mail sink's messages, newest first), then the code. Returns the new identity,
 * or throws with Kratos's messages.
 */
export async function signUpByCode(kratosPublic, mails, email, traits = {}) {
  const flow = await call('GET', `${kratosPublic}/self-service/registration/api`);
  if (flow.status !== 200) throw new Error(`registration flow: ${flow.status} ${why(flow)}`);
  const body = { method: 'code', traits: { email, ...traits } };
  // Kratos's own address for the form is its public base URL, which a rendered boot does not serve.
  const action = `${kratosPublic}/self-service/registration?flow=${flow.body.id}`;
  const sent = await call('POST', action, { body });
  if (sent.status !== 400 || sent.body?.state !== 'sent_email') throw new Error(`sign-up code for ${email}: ${sent.status} ${why(sent)}`);
  const code = await codeInMessages(mails, email);
  const r = await call('POST', action, { body: { ...body, code } });
  if (r.status !== 200) throw new Error(`sign-up of ${email}: ${r.status} ${why(r)}`);
  return r.body.identity;
}

/** A password sign-in by the API flow: { status, token } (token only on 200). */
export async function signInByApi(kratosPublic, email, password) {
  const flow = await call('GET', `${kratosPublic}/self-service/login/api`);
  if (flow.status !== 200) throw new Error(`login flow: ${flow.status} ${why(flow)}`);
  const r = await call('POST', flow.body.ui.action, { body: { method: 'password', identifier: email, password } });
  return { status: r.status, token: r.body?.session_token, messages: why(r) };
}
