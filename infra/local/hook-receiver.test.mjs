// @vitest-environment node
// The local web hook receiver, over HTTP: only Kratos's key is let in; a blocked domain gets the
// error shape Kratos v1.3.1 parses (selfservice/hook/web_hook.go parseWebhookResponse).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRATION_HOOK_USER } from '../render-config.mjs';
import { ACCOUNT_TYPE_CHANGE_MESSAGE_ID, BLOCKED_DOMAIN_MESSAGE_ID, checkSignUp, HOOK_PATHS, startHookReceiver } from './hook-receiver.mjs';
import { freePort } from './processes.mjs';

const KEY = 'a-test-key-of-24-letters';
const basic = (user, key) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

describe('the registration web hook receiver', () => {
  let receiver;
  beforeAll(async () => {
    receiver = await startHookReceiver({ host: '127.0.0.1', port: await freePort(), key: KEY, blockedDomains: ['blocked.example'] });
  });
  afterAll(() => receiver.stop());
  const post = (path, body, authorization = basic(REGISTRATION_HOOK_USER, KEY)) =>
    fetch(`${receiver.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) }, body: JSON.stringify(body) });

  it('refuses calls without the key, with another key or another user, and records none of them', async () => {
    for (const auth of [null, basic(REGISTRATION_HOOK_USER, 'another-key-of-24-letters'), basic('admin', KEY), `Bearer ${KEY}`]) {
      expect((await post(HOOK_PATHS.notify, { email: 'a@example.com' }, auth)).status).toBe(401);
    }
    expect(receiver.received.notify).toEqual([]);
    expect(receiver.received.unauthorized).toBe(4);
  });

  it('records a notification and lets an allowed sign-up pass with no body', async () => {
    const notified = await post(HOOK_PATHS.notify, { email: 'teacher@example.com', account_type: 'educator' });
    expect(notified.status).toBe(204);
    expect(receiver.received.notify.at(-1).body).toEqual({ email: 'teacher@example.com', account_type: 'educator' });
    const allowed = await post(HOOK_PATHS.check, { email: 'someone@example.com' });
    expect(allowed.status).toBe(204);
  });

  it('refuses a blocked domain (any case) with Kratos\'s web hook error shape on the e-mail trait, in the person\'s language', async () => {
    const res = await post(HOOK_PATHS.check, { email: 'Someone@Blocked.Example', language: 'de-DE,de;q=0.9' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      messages: [
        {
          instance_ptr: '#/traits/email',
          messages: [{ id: BLOCKED_DOMAIN_MESSAGE_ID, type: 'error', context: { domain: 'blocked.example' }, text: expect.stringContaining('blocked.example ist keine Anmeldung möglich') }],
        },
      ],
    });
    expect(checkSignUp({ email: 'x@blocked.example' }, ['blocked.example']).messages[0].messages[0].text).toMatch(/^Sign-ups with addresses at blocked\.example are not accepted/);
    expect(checkSignUp({ email: 'x@notblocked.example' }, ['blocked.example'])).toBeNull();
    expect(checkSignUp({ email: 'x@sub.blocked.example' }, ['blocked.example'])).toBeNull();
  });

  it('judges a settings change like a sign-up, and refuses becoming an educator there, on its field (the sign-up decides it); the other way is fine', () => {
    const previous = { email: 'x@example.com', account_type: 'student' };
    expect(checkSignUp({ event: 'settings', email: 'x@example.com', account_type: 'student', previous }, ['blocked.example'])).toBeNull();
    expect(checkSignUp({ event: 'settings', email: 'y@example.com', account_type: 'student', previous }, ['blocked.example'])).toBeNull();
    expect(checkSignUp({ event: 'settings', email: 'x@example.com', account_type: 'student', previous: { ...previous, account_type: 'educator' } }, ['blocked.example'])).toBeNull();
    expect(checkSignUp({ event: 'settings', email: 'x@example.com', account_type: 'educator', previous: { ...previous, account_type: 'educator' } }, ['blocked.example'])).toBeNull();
    const changed = checkSignUp({ event: 'settings', email: 'x@blocked.example', account_type: 'educator', previous, language: 'de-DE' }, ['blocked.example']);
    expect(changed.messages.map((m) => [m.instance_ptr, m.messages[0].id])).toEqual([
      ['#/traits/email', BLOCKED_DOMAIN_MESSAGE_ID],
      ['#/traits/account_type', ACCOUNT_TYPE_CHANGE_MESSAGE_ID],
    ]);
    expect(changed.messages[1].messages[0].text).toBe('Ein Konto wird nur bei der Registrierung zum Lehrkraft-Konto. Bitte bitten Sie uns, es zu ändern.');
    // At sign-up the account type is chosen, not changed.
    expect(checkSignUp({ event: 'sign_up', email: 'x@example.com', account_type: 'educator' }, ['blocked.example'])).toBeNull();
  });

  it('answers 404 to other paths and methods, and refuses to start with a short key', async () => {
    expect((await post('/hooks/other', {})).status).toBe(404);
    expect((await fetch(`${receiver.url}${HOOK_PATHS.check}`)).status).toBe(404);
    await expect(startHookReceiver({ host: '127.0.0.1', port: await freePort(), key: 'short', blockedDomains: [] })).rejects.toThrow(/at least 16 characters/);
  });
});
