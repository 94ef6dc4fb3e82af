// The JSON ↔ WebAuthn conversions, with the options the real Kratos v1.3.1 sent for a security
// key (settings-browser.json, captured with WebAuthn on). The ceremonies themselves run in
// Chromium against the real Kratos (e2e/webauthn.spec.ts).
import { describe, expect, it } from 'vitest';
import settings from '../fixtures/settings-browser.json';
import { assertionJson, creationOptions, fromBase64Url, toBase64Url } from './webauthn';

const trigger = settings.body.ui.nodes.find((n) => 'name' in n.attributes && n.attributes.name === 'webauthn_register_trigger')!;
const kratosOptions = JSON.parse((trigger.attributes as { value: string }).value);

describe('base64url', () => {
  it('round-trips every byte value, without padding', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes.buffer);
    expect(text).not.toMatch(/[+/=]/);
    expect([...fromBase64Url(text)]).toEqual([...bytes]);
  });
});

describe('creationOptions (Kratos\'s JSON → navigator.credentials.create)', () => {
  it('turns the challenge and the user id into bytes and keeps the rest as Kratos sent it', () => {
    const { publicKey } = creationOptions(kratosOptions);
    expect(toBase64Url((publicKey!.challenge as Uint8Array).buffer as ArrayBuffer)).toBe(kratosOptions.publicKey.challenge);
    expect(toBase64Url((publicKey!.user.id as Uint8Array).buffer as ArrayBuffer)).toBe(kratosOptions.publicKey.user.id);
    expect(publicKey!.rp).toEqual({ name: 'Kratos SPA', id: 'localhost' });
    expect(publicKey!.pubKeyCredParams).toEqual(kratosOptions.publicKey.pubKeyCredParams);
  });

  it('names the user after the passkey display name when one is given', () => {
    expect(creationOptions(kratosOptions, 'ada@example.com').publicKey!.user).toMatchObject({ name: 'ada@example.com', displayName: 'ada@example.com' });
  });
});

describe('assertionJson (a credential → what Kratos reads)', () => {
  it('encodes every part base64url, and an absent user handle as ""', () => {
    const buf = (...b: number[]) => Uint8Array.from(b).buffer;
    const credential = {
      id: 'cred-1',
      rawId: buf(1, 2, 3),
      type: 'public-key',
      response: { authenticatorData: buf(4), clientDataJSON: buf(5), signature: buf(6), userHandle: null },
    } as unknown as PublicKeyCredential;
    expect(JSON.parse(assertionJson(credential))).toEqual({
      id: 'cred-1',
      rawId: 'AQID',
      type: 'public-key',
      response: { authenticatorData: 'BA', clientDataJSON: 'BQ', signature: 'Bg', userHandle: '' },
    });
  });
});
