// WebAuthn and passkeys without Kratos's webauthn.js (which a strict CSP cannot load): the same
// exchange, natively. Kratos puts the credential options in a node (the trigger button's value,
// or the hidden passkey_create_data / passkey_challenge input); the browser's
// navigator.credentials makes or uses the credential; its JSON goes back in the hidden result
// input (webauthn_register, webauthn_login, passkey_register, passkey_login), as webauthn.js
// would post it. Loaded when such a button is pressed, or on a sign-in page that offers passkeys
// for the autofill (see triggers.ts).
import type { TriggerContext } from './nodes';

/** base64url → bytes (Kratos sends challenges, user ids and credential ids this way). */
export function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** bytes → base64url without padding. */
export function toBase64Url(value: ArrayBuffer | null): string {
  if (!value) return '';
  let binary = '';
  for (const byte of new Uint8Array(value)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface JsonCredentialDescriptor {
  id: string;
  type: PublicKeyCredentialType;
  transports?: AuthenticatorTransport[];
}

interface JsonCreationOptions {
  publicKey: Omit<PublicKeyCredentialCreationOptions, 'challenge' | 'user' | 'excludeCredentials'> & {
    challenge: string;
    user: { id: string; name: string; displayName: string };
    excludeCredentials?: JsonCredentialDescriptor[];
  };
}

interface JsonRequestOptions {
  publicKey: Omit<PublicKeyCredentialRequestOptions, 'challenge' | 'allowCredentials'> & {
    challenge: string;
    allowCredentials?: JsonCredentialDescriptor[];
  };
}

const descriptors = (list: JsonCredentialDescriptor[] | undefined): PublicKeyCredentialDescriptor[] | undefined =>
  list?.map((c) => ({ ...c, id: fromBase64Url(c.id) }));

/** Kratos's JSON creation options → the browser's; `name` replaces the user's name if given. */
export function creationOptions(json: JsonCreationOptions, name?: string): CredentialCreationOptions {
  const { publicKey } = json;
  return {
    publicKey: {
      ...publicKey,
      challenge: fromBase64Url(publicKey.challenge),
      user: { ...publicKey.user, id: fromBase64Url(publicKey.user.id), ...(name ? { name, displayName: name } : {}) },
      excludeCredentials: descriptors(publicKey.excludeCredentials),
    },
  };
}

export function requestOptions(json: JsonRequestOptions): CredentialRequestOptions {
  const { publicKey } = json;
  return { publicKey: { ...publicKey, challenge: fromBase64Url(publicKey.challenge), allowCredentials: descriptors(publicKey.allowCredentials) } };
}

/** A new credential as Kratos reads it. */
export function attestationJson(credential: PublicKeyCredential): string {
  const response = credential.response as AuthenticatorAttestationResponse;
  return JSON.stringify({
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: { attestationObject: toBase64Url(response.attestationObject), clientDataJSON: toBase64Url(response.clientDataJSON) },
  });
}

/** A sign-in with a credential as Kratos reads it. */
export function assertionJson(credential: PublicKeyCredential): string {
  const response = credential.response as AuthenticatorAssertionResponse;
  return JSON.stringify({
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: toBase64Url(response.authenticatorData),
      clientDataJSON: toBase64Url(response.clientDataJSON),
      signature: toBase64Url(response.signature),
      userHandle: toBase64Url(response.userHandle),
    },
  });
}

export type Ceremony = 'webauthn-register' | 'webauthn-login' | 'passkey-register' | 'passkey-settings-register' | 'passkey-login';

/**
 * Runs one ceremony. `options` is the JSON Kratos gave; `form` is the rendered form (for the
 * passkey's display name field). Returns the hidden input to fill and its value.
 */
export async function ceremony(
  kind: Ceremony,
  options: string,
  form: HTMLFormElement,
  /** For a passkey sign-in from the autofill: mediation "conditional", and the signal that ends it. */
  request: Pick<CredentialRequestOptions, 'mediation' | 'signal'> = {},
): Promise<{ name: string; value: string }> {
  const parsed: unknown = JSON.parse(options);
  switch (kind) {
    case 'webauthn-register': {
      const credential = await navigator.credentials.create(creationOptions(parsed as JsonCreationOptions));
      return { name: 'webauthn_register', value: attestationJson(credential as PublicKeyCredential) };
    }
    case 'passkey-register': {
      const data = parsed as { credentialOptions: JsonCreationOptions; displayNameFieldName?: string };
      const field = data.displayNameFieldName ? form.querySelector<HTMLInputElement>(`[name="${CSS.escape(data.displayNameFieldName)}"]`) : null;
      const credential = await navigator.credentials.create(creationOptions(data.credentialOptions, field?.value || undefined));
      return { name: 'passkey_register', value: attestationJson(credential as PublicKeyCredential) };
    }
    case 'passkey-settings-register': {
      // In settings, passkey_create_data holds the creation options themselves.
      const credential = await navigator.credentials.create(creationOptions(parsed as JsonCreationOptions));
      return { name: 'passkey_settings_register', value: attestationJson(credential as PublicKeyCredential) };
    }
    case 'webauthn-login': {
      const credential = await navigator.credentials.get(requestOptions(parsed as JsonRequestOptions));
      return { name: 'webauthn_login', value: assertionJson(credential as PublicKeyCredential) };
    }
    case 'passkey-login': {
      const credential = await navigator.credentials.get({ ...requestOptions(parsed as JsonRequestOptions), ...request });
      return { name: 'passkey_login', value: assertionJson(credential as PublicKeyCredential) };
    }
  }
}

/** The pending passkey autofill request of each form, which any other way of signing in ends. */
const autofills = new WeakMap<HTMLFormElement, AbortController>();

export function endAutofill(form: HTMLFormElement): void {
  autofills.get(form)?.abort();
}

/**
 * Passkeys in the identifier field's autofill (Kratos marks the passkey button with
 * onloadTrigger oryPasskeyLoginAutocompleteInit): a conditional request from the flow's own
 * challenge `options`, started only where the browser says it can, and ended when the person
 * types a password, chooses another method (a submit), presses the passkey button, or the form
 * goes. Choosing a passkey from the autofill signs in (`group`'s submit). Failures stay quiet:
 * nobody asked yet.
 */
export async function startAutofill(group: string, options: string | null, flow: TriggerContext): Promise<void> {
  if (!options || !(await PublicKeyCredential.isConditionalMediationAvailable?.().catch(() => false))) return;
  const stop = new AbortController();
  endAutofill(flow.form);
  autofills.set(flow.form, stop);
  const end = () => stop.abort();
  flow.form.addEventListener('submit', end, { capture: true });
  for (const field of flow.form.querySelectorAll('input[type="password"]')) field.addEventListener('input', end);
  const signal = AbortSignal.any([flow.signal, stop.signal]);
  try {
    const result = await ceremony('passkey-login', options, flow.form, { mediation: 'conditional', signal });
    if (!signal.aborted) flow.submit(group, { [result.name]: result.value });
  } catch {
    // Cancelled (another way was chosen, or the page moved on), or the browser refused.
  }
}
