// A person's browser against a Kratos, for the checks that boot production from its rendering
// (charts.spec.mjs, rotation.spec.mjs): an identity made by the admin API, signed in through the
// browser flow (its session cookie), and an authenticator app turned on through settings.
import { Secret, TOTP } from 'otpauth';
import { createByAdmin } from '../local/kratos-api.mjs';

/** A browser-style sign-in against the rendered Kratos: the session cookie it sets. */
export async function signInCookie(kratosPublic, kratosAdmin, email, password, extra = {}) {
  const identity = await createByAdmin(kratosAdmin, email, password, extra);
  const start = await fetch(`${kratosPublic}/self-service/login/browser`, { headers: { Accept: 'application/json' } });
  const cookies = start.headers.getSetCookie().map((c) => c.split(';')[0]);
  const flow = await start.json();
  const csrf = flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token').attributes.value;
  const login = await fetch(`${kratosPublic}/self-service/login?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: cookies.join('; ') },
    body: JSON.stringify({ method: 'password', identifier: email, password, csrf_token: csrf }),
  });
  if (login.status !== 200) throw new Error(`signing in: ${login.status} ${await login.text()}`);
  const session = login.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='));
  return { identity, cookie: session.split(';')[0] };
}

/**
 * Turns on an authenticator app for the session in `cookie` through Kratos's settings flow (as
 * the settings page does), which Kratos counts as a second factor for that session (AAL2).
 * Returns the app's TOTP generator.
 */
export async function turnOnTotp(kratosPublic, cookie) {
  const start = await fetch(`${kratosPublic}/self-service/settings/browser`, { headers: { Accept: 'application/json', Cookie: cookie } });
  if (start.status !== 200) throw new Error(`settings flow: ${start.status} ${await start.text()}`);
  const cookies = [cookie, ...start.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
  const flow = await start.json();
  const node = (name) => flow.ui.nodes.find((n) => n.attributes.name === name || n.attributes.id === name);
  const secret = node('totp_secret_key').attributes.text.text;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  const saved = await fetch(`${kratosPublic}/self-service/settings?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: cookies },
    body: JSON.stringify({ method: 'totp', totp_code: totp.generate(), csrf_token: node('csrf_token').attributes.value }),
  });
  if (saved.status !== 200) throw new Error(`turning on TOTP: ${saved.status} ${await saved.text()}`);
  return totp;
}
