// A Kratos client for checks that act as a native app would: JSON to Kratos's public and admin
// APIs, session tokens instead of cookies (or a cookie jar where a browser's cookies matter).
// infra/checks/upgrade.spec.mjs and infra/checks/restore.spec.mjs make and sign in people with it.

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

/** A password sign-up by the API flow: the new identity (status 200), or throws with Kratos's messages. */
export async function signUpByApi(kratosPublic, email, password, traits = {}) {
  const flow = await call('GET', `${kratosPublic}/self-service/registration/api`);
  if (flow.status !== 200) throw new Error(`registration flow: ${flow.status} ${why(flow)}`);
  const r = await call('POST', flow.body.ui.action, { body: { method: 'password', password, traits: { email, ...traits } } });
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
