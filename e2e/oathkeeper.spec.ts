// Oathkeeper in front of the demo API, with the real Kratos and the real Oathkeeper (issue 4).
// The access-rule table (exactly one rule per URL) is checked in infra/checks/infra.spec.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { stackSettings } from '../infra/local/settings.mjs';
import { oathkeeperCleans, PASSWORD, rawGet, signUp, signUpWithPassword, uniqueEmail, urls } from './helpers';

const API_ME = `${urls.api}/api/private/me`;

test('an anonymous fetch from the app to a protected route gets a JSON 401 the app can read (CORS)', async ({ page }) => {
  await page.goto('/');
  const answer = await page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } });
    return { status: res.status, body: (await res.json()) as { error?: { code?: number } } };
  }, API_ME);
  expect(answer.status).toBe(401);
  expect(answer.body.error?.code).toBe(401);
});

test('a browser opening a protected API page without a session signs in first and comes back to that page', async ({ page, browser }) => {
  const email = uniqueEmail('apinav');
  const setup = await browser.newContext();
  await signUpWithPassword(await setup.newPage(), email);
  await setup.close();

  await page.goto(API_ME);
  await expect(page).toHaveURL(new RegExp(`^${urls.spa}/login\\?return_to=${encodeURIComponent(API_ME)}&flow=`));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page).toHaveURL(API_ME);
  const seen = JSON.parse((await page.locator('body').innerText()).trim()) as { email: string; subject: string };
  expect(seen.email).toBe(email);
});

test('signed in, the home page shows what the API verified from Oathkeeper\'s id_token: this identity\'s id and e-mail', async ({ page }) => {
  const email = uniqueEmail('apiclaims');
  await signUp(page, email);

  const identityId = await page.getByTestId('home/identity-id').textContent().then((id) => id ?? '');
  await expect(page.getByTestId('api/subject')).toHaveText(identityId);
  await expect(page.getByTestId('api/email')).toHaveText(`${email} (verified)`);
  await expect(page.getByTestId('api/expires')).not.toHaveText('—');

  // The same through the proxy, field by field.
  const me = await page.evaluate(async (url) => (await fetch(url, { credentials: 'include' })).json(), API_ME);
  expect(me).toMatchObject({ subject: identityId, email, email_verified: true, issuer: `${urls.api}/`, headers: { 'x-user-id': identityId, 'x-user-email': email } });
  expect(me.expires_at - me.issued_at).toBe(120);
});

test('the optional route greets the signed-in person by e-mail and everyone else as "guest"', async ({ page }) => {
  await page.goto('/');
  const anonymous = await page.evaluate(async (url) => (await fetch(url, { credentials: 'include' })).json(), `${urls.api}/api/optional/greeting`);
  expect(anonymous).toEqual({ subject: 'guest', greeting: 'Hello, guest!' });
  const email = uniqueEmail('optional');
  await signUpWithPassword(page, email);
  const known = await page.evaluate(async (url) => (await fetch(url, { credentials: 'include' })).json(), `${urls.api}/api/optional/greeting`);
  expect(known.greeting).toBe(`Hello, ${email}!`);
});

test('after signing out, the next API call is a 401', async ({ page }) => {
  await signUpWithPassword(page, uniqueEmail('apilogout'));
  const call = () => page.evaluate(async (url) => (await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })).status, API_ME);
  expect(await call()).toBe(200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await call()).toBe(401);
});

test('the Kratos admin API cannot be reached through the proxy without an admin token (while it answers on its own port)', async ({ request }) => {
  const direct = await request.get(`${urls.kratosAdmin}/admin/identities`);
  expect(direct.status()).toBe(200);
  // The admin pages' rule (admin-identities) wants an admin token (e2e/admin.spec.ts).
  const gated = await rawGet(urls.api, '/admin/identities', { Accept: 'application/json' });
  expect(gated.status).toBe(401);
  expect(gated.body).not.toContain(urls.kratosAdmin);
  // Oathkeeper v26 takes these by the path they clean to, /admin/identities: its rule wants a token
  // (401). v0.40.9 matched them as sent, and no rule took them (404).
  const cleaned = (await oathkeeperCleans()) ? 401 : 404;
  for (const path of ['/admin/identities/', '/admin/identities/../identities']) {
    const res = await rawGet(urls.api, path, { Accept: 'application/json' });
    expect(res.status, path).toBe(cleaned);
    expect(res.body, path).not.toContain(urls.kratosAdmin);
  }
  for (const path of [
    '/.ory/kratos/public/admin/identities',
    '/.ory/kratos/public/identities',
    '/.ory/kratos/admin/identities',
    // Sent raw: a browser would resolve these before sending.
    '/.ory/kratos/public/health/../admin/identities',
    '/.ory/kratos/public/self-service/%2e%2e/%2e%2e/admin/identities',
    '/api/public/../../.ory/kratos/public/../admin/identities',
  ]) {
    const res = await rawGet(urls.api, path, { Accept: 'application/json' });
    expect(res.status, path).toBe(404);
    expect(res.body, path).not.toContain(urls.kratosAdmin);
  }
});

test('a raw "../" cannot walk from a public route to a private one, and forged X-User-* headers never reach the API', async () => {
  // Control: the private route refuses an anonymous caller, and the public one answers.
  expect((await rawGet(urls.api, '/api/private/me', { Accept: 'application/json' })).status).toBe(401);
  const pub = await rawGet(urls.api, '/api/public/hello', { Accept: 'application/json', 'X-User-Id': 'forged', 'X-User-Email': 'forged@evil.example' });
  expect(pub.status).toBe(200);
  expect((JSON.parse(pub.body) as { headers: object }).headers).toEqual({ 'x-user-id': 'guest', 'x-user-email': '' });
  // Oathkeeper v26 takes each by the path it cleans to, /api/private/me: its rule refuses the
  // anonymous caller (401). v0.40.9 matched them as sent, and no rule took them (404).
  const cleaned = (await oathkeeperCleans()) ? 401 : 404;
  for (const path of ['/api/public/../private/me', '/api/public/%2e%2e/private/me', '/api/optional/./../private/me']) {
    const res = await rawGet(urls.api, path, { Accept: 'application/json' });
    expect(res.status, path).toBe(cleaned);
  }
});

test('the API accepts only tokens Oathkeeper signed: missing, expired, tampered, foreign-key and wrong-audience tokens are refused', async ({ request }) => {
  const { dataDir } = stackSettings('test');
  const jwks = JSON.parse(readFileSync(join(dataDir, 'oathkeeper', 'id_token.jwks.json'), 'utf8')) as { keys: JWK[] };
  const oathkeeperKey = jwks.keys[0]!;
  const sign = async (key: Parameters<SignJWT['sign']>[0], kid: string, claims: { aud?: string; exp?: number }) =>
    new SignJWT({ email: 'mallory@example.com', email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('someone')
      .setIssuer(`${urls.api}/`)
      .setAudience(claims.aud ?? 'kratos-spa-api')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 60)
      .sign(key);
  const realKey = await importJWK(oathkeeperKey, 'RS256');
  const foreign = await generateKeyPair('RS256');
  const call = (token?: string) =>
    request.get(`${urls.demoApi}/api/private/me`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  // Control: a token made the way Oathkeeper makes it is accepted, so the refusals below are about the token.
  const good = await sign(realKey, oathkeeperKey.kid!, {});
  expect((await call(good)).status()).toBe(200);

  const [header, payload, signature] = good.split('.');
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${signature}`;
  const cases: [string, string | undefined, string][] = [
    ['missing', undefined, 'missing_token'],
    ['expired', await sign(realKey, oathkeeperKey.kid!, { exp: Math.floor(Date.now() / 1000) - 10 }), 'token_expired'],
    ['tampered', tampered, 'invalid_token'],
    ['signed with another key under Oathkeeper\'s kid', await sign(foreign.privateKey, oathkeeperKey.kid!, {}), 'invalid_token'],
    ['signed with another key and kid', await sign(foreign.privateKey, 'not-oathkeeper', {}), 'invalid_token'],
    ['for another audience', await sign(realKey, oathkeeperKey.kid!, { aud: 'another-api' }), 'invalid_token'],
  ];
  for (const [name, token, error] of cases) {
    const res = await call(token);
    expect(res.status(), name).toBe(401);
    expect(((await res.json()) as { error: string }).error, name).toBe(error);
  }
});

test('the API host does not reach Kratos: its old /.ory/kratos/public/ path matches no rule (the Gateway\'s Kratos route, where the rate limits are, is the one way in)', async ({ request }) => {
  for (const [method, path] of [['GET', '/.ory/kratos/public/self-service/login/browser'], ['POST', '/.ory/kratos/public/self-service/login?flow=00000000-0000-0000-0000-000000000000']] as const) {
    const res = await request.fetch(`${urls.api}${path}`, { method, headers: { Accept: 'application/json' }, data: method === 'POST' ? { method: 'password' } : undefined });
    expect(res.status(), `${method} ${path}`).toBe(404);
  }
  // Kratos itself still answers on its own host.
  expect((await request.get(`${urls.kratosPublic}/self-service/login/browser`, { headers: { Accept: 'application/json' } })).status()).toBe(200);
});

test('a cookie-authenticated state change is taken only as JSON from the SPA: a sibling origin on the same site, which gets the cookie too, cannot make one', async ({ page }) => {
  const email = uniqueEmail('csrf');
  await signUpWithPassword(page, email);
  const notes = `${urls.api}/api/private/notes`;
  const fromApp = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'from the app' }) });
    return res.status;
  }, notes);
  expect(fromApp).toBe(201);

  // The session cookie is SameSite=Lax: a page on another host (here another port) of the same
  // site sends it along. Only the API's own rule stands between such a page and a state change.
  const cookie = (await page.context().cookies(urls.api)).map((c) => `${c.name}=${c.value}`).join('; ');
  const post = (headers: Record<string, string>, body: string) =>
    fetch(notes, { method: 'POST', headers: { Cookie: cookie, Accept: 'application/json', ...headers }, body });
  const sibling = urls.mailUi;
  const attempts = {
    'text/plain from a sibling': (await post({ 'Content-Type': 'text/plain', Origin: sibling }, JSON.stringify({ text: 'forged 1' }))).status,
    'form from a sibling': (await post({ 'Content-Type': 'application/x-www-form-urlencoded', Origin: sibling }, 'text=forged+2')).status,
    'JSON from a sibling': (await post({ 'Content-Type': 'application/json', Origin: sibling }, JSON.stringify({ text: 'forged 3' }))).status,
    'JSON without an origin': (await post({ 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-site' }, JSON.stringify({ text: 'forged 4' }))).status,
    // Control: the same cookie, as JSON from the SPA's origin, is accepted, so the refusals are the rule's.
    'JSON from the SPA': (await post({ 'Content-Type': 'application/json', Origin: urls.spa }, JSON.stringify({ text: 'from the app, again' }))).status,
  };
  expect(attempts).toEqual({
    'text/plain from a sibling': 415,
    'form from a sibling': 415,
    'JSON from a sibling': 403,
    'JSON without an origin': 403,
    'JSON from the SPA': 201,
  });
  const listed = await page.evaluate(async (url) => (await (await fetch(url, { credentials: 'include' })).json()) as { notes: string[] }, notes);
  expect(listed.notes).toEqual(['from the app', 'from the app, again']);
});
