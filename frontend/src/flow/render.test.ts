// The generic renderer against flows captured from the real Kratos v1.3.1
// (frontend/src/fixtures, written by infra/local/capture-fixtures.mjs).
import {
  LoginFlowFromJSON,
  RecoveryFlowFromJSON,
  RegistrationFlowFromJSON,
  SettingsFlowFromJSON,
  VerificationFlowFromJSON,
  type UiContainer,
} from '@ory/client-fetch';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import loginBrowser from '../fixtures/login-browser.json';
import loginCodeSent from '../fixtures/login-code-sent.json';
import loginIdentifierFirst from '../fixtures/login-identifier-first.json';
import loginIdentifierFirstPassword from '../fixtures/login-identifier-first-password.json';
import loginInvalid from '../fixtures/login-invalid-credentials.json';
import recoverySent from '../fixtures/recovery-sent-email.json';
import everyInput from '../fixtures/registration-every-input-type.json';
import registrationDuplicate from '../fixtures/registration-duplicate.json';
import registrationHookRefused from '../fixtures/registration-hook-refused.json';
import registrationMissingEmail from '../fixtures/registration-missing-email.json';
import registrationStepTwo from '../fixtures/registration-step-two.json';
import registrationHookRefusedV1 from '../fixtures/v1.3.1/registration-hook-refused.json';
import registrationStepTwoV1 from '../fixtures/v1.3.1/registration-step-two.json';
import settingsBrowser from '../fixtures/settings-browser.json';
import settingsLookup from '../fixtures/v1.3.1/settings-lookup-secrets-generated.json';
import settingsFactorsOn from '../fixtures/v1.3.1/settings-second-factors-on.json';
import settingsFactorsOnV26 from '../fixtures/settings-second-factors-on.json';
import settingsLookupV26 from '../fixtures/settings-lookup-secrets-generated.json';
import verificationPassed from '../fixtures/verification-passed.json';
import { addStrings } from '../i18n/catalog';
import { SETTINGS_CATALOGS } from '../i18n/settings';
import { renderFlow, type RenderFlowOptions } from './render';
import type { FlowBody } from './values';

const KRATOS_ORIGIN = 'http://127.0.0.1:14433';

const ui = {
  login: LoginFlowFromJSON(loginBrowser.body).ui,
  loginInvalid: LoginFlowFromJSON(loginInvalid.body).ui,
  everyInput: RegistrationFlowFromJSON(everyInput.body).ui,
  duplicate: RegistrationFlowFromJSON(registrationDuplicate.body).ui,
  missingEmail: RegistrationFlowFromJSON(registrationMissingEmail.body).ui,
  stepTwo: RegistrationFlowFromJSON(registrationStepTwo.body).ui,
  settings: SettingsFlowFromJSON(settingsBrowser.body).ui,
  lookup: SettingsFlowFromJSON(settingsLookup.body).ui,
  verified: VerificationFlowFromJSON(verificationPassed.body).ui,
  loginCodeSent: LoginFlowFromJSON(loginCodeSent.body).ui,
  hookRefused: RegistrationFlowFromJSON(registrationHookRefused.body).ui,
  hookRefusedV1: RegistrationFlowFromJSON(registrationHookRefusedV1.body).ui,
  stepTwoV1: RegistrationFlowFromJSON(registrationStepTwoV1.body).ui,
  recoverySent: RecoveryFlowFromJSON(recoverySent.body).ui,
};

function mount(container: UiContainer, options: Partial<RenderFlowOptions> = {}) {
  const submitted: FlowBody[] = [];
  const el = renderFlow(container, {
    kratosOrigin: KRATOS_ORIGIN,
    onSubmit: (body) => submitted.push(body),
    ...options,
  });
  document.body.replaceChildren(el);
  const form = el.querySelector('form')!;
  const field = (name: string) => form.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const button = (name: string, value: string) =>
    [...form.querySelectorAll('button')].find((b) => b.name === name && b.value === value)!;
  const labelOf = (input: HTMLInputElement) => document.querySelector(`label[for="${input.id}"]`)?.textContent;
  return { el, form, submitted, field, button, labelOf };
}

function csrfOf(container: UiContainer): unknown {
  const node = container.nodes.find((n) => n.attributes.node_type === 'input' && n.attributes.name === 'csrf_token')!;
  return (node.attributes as { value: unknown }).value;
}

beforeEach(() => document.body.replaceChildren());

describe('renderFlow: inputs', () => {
  it('turns the real login flow into labelled identifier and password fields and a "Sign in with password" button', () => {
    const { field, button, labelOf } = mount(ui.login);
    expect(labelOf(field('identifier'))).toContain('Email');
    expect(field('identifier').required).toBe(true);
    // With passkeys on, Kratos marks the identifier for the browser's passkey autofill too.
    expect(field('identifier').autocomplete).toBe('username webauthn');
    expect(field('password').type).toBe('password');
    expect(field('password').autocomplete).toBe('current-password');
    expect(labelOf(field('password'))).toContain('Password');
    expect(button('method', 'password').textContent).toBe('Sign in with password');
    expect(field('csrf_token').type).toBe('hidden');
  });

  it('renders every input type Kratos produces from an identity schema (email, tel, url, date, datetime-local, number, checkbox, text with pattern)', () => {
    const { field, labelOf } = mount(ui.everyInput);
    const types = Object.fromEntries(
      ['email', 'phone', 'website', 'birthday', 'meeting', 'age', 'newsletter', 'nickname'].map((n) => [n, field(`traits.${n}`).type]),
    );
    expect(types).toEqual({
      email: 'email',
      phone: 'tel',
      website: 'url',
      birthday: 'date',
      meeting: 'datetime-local',
      age: 'number',
      newsletter: 'checkbox',
      nickname: 'text',
    });
    expect(field('traits.nickname').pattern).toBe('^[a-z]+$');
    expect(field('traits.phone').autocomplete).toBe('tel');
    expect(labelOf(field('traits.newsletter'))).toBe('Send me the newsletter');
    // Every visible input has a label tied to it.
    for (const input of document.querySelectorAll<HTMLInputElement>('input:not([type=hidden])')) {
      expect(labelOf(input), input.name).toBeTruthy();
    }
  });

  it('sends number fields as numbers and checkboxes as booleans, as Kratos validates them against the schema', () => {
    const { form, field, button, submitted } = mount(ui.everyInput);
    field('traits.email').value = 'ada@example.com';
    field('traits.age').value = '36';
    field('traits.newsletter').checked = true;
    form.requestSubmit(button('method', 'profile'));
    expect(submitted[0]).toMatchObject({ 'traits.email': 'ada@example.com', 'traits.age': 36, 'traits.newsletter': true, method: 'profile' });
  });

  it('shows a typed password on "Show password" (a toggle) and hides it again before the form is sent (review finding 17)', () => {
    const { form, field, button, submitted } = mount(ui.login);
    const reveal = [...form.querySelectorAll<HTMLButtonElement>('button[type="button"]')].find((b) => b.textContent === 'Show password')!;
    expect(reveal.getAttribute('aria-controls')).toBe(field('password').id);
    expect(reveal.getAttribute('aria-pressed')).toBe('false');
    field('identifier').value = 'ada@example.com';
    field('password').value = 'correct horse';
    reveal.click();
    expect([field('password').type, reveal.getAttribute('aria-pressed')]).toEqual(['text', 'true']);
    form.requestSubmit(button('method', 'password'));
    expect([field('password').type, reveal.getAttribute('aria-pressed')]).toEqual(['password', 'false']);
    expect(submitted[0]).toMatchObject({ method: 'password', password: 'correct horse' });
  });

  it('never puts a value back into a password field, even when one is handed to it as kept', () => {
    const { field } = mount(ui.loginInvalid, { kept: { password: 'secret secret', identifier: 'other@example.com' } });
    expect(field('password').value).toBe('');
    // Kratos's own value wins over a kept one.
    expect(field('identifier').value).toBe('ada@example.com');
  });
});

describe('renderFlow: the attributes Ory\'s own end-to-end specs address (Kratos v26.2.0 test/e2e/playwright)', () => {
  it('wraps each visible field of the real flows in node/input/<name> holding its one label, its input and its messages as <p> (selectors/input.ts)', () => {
    for (const container of [ui.login, ui.missingEmail, ui.stepTwo, ui.settings, ui.loginInvalid]) {
      const { el } = mount(container);
      const visible = container.nodes.filter((n) => n.attributes.node_type === 'input' && !['hidden', 'submit', 'button'].includes((n.attributes as { type: string }).type));
      expect(visible.length).toBeGreaterThan(0);
      for (const node of visible) {
        const name = (node.attributes as { name: string }).name;
        const wrapper = el.querySelector(`[data-testid="node/input/${name}"]`);
        expect(wrapper, name).not.toBeNull();
        expect([...wrapper!.querySelectorAll('input')].map((i) => i.name)).toEqual([name]);
        expect(wrapper!.querySelectorAll('label')).toHaveLength(1);
        expect([...wrapper!.querySelectorAll('p')].map((p) => p.dataset.testid)).toEqual(node.messages.map((m) => `ui/message/${m.id}`));
      }
    }
  });

  it('gives each submit button the name and value Kratos sent (the specs click [name="method"][value="password"], [name="provider"][value=…])', () => {
    for (const container of [ui.login, ui.stepTwo]) {
      const { el } = mount(container);
      const submits = container.nodes.filter((n) => n.attributes.node_type === 'input' && (n.attributes as { type: string }).type === 'submit');
      for (const node of submits) {
        const { name, value } = node.attributes as { name: string; value: unknown };
        expect(el.querySelector(`button[type="submit"][name="${name}"][value="${String(value)}"]`), `${name}=${String(value)}`).not.toBeNull();
      }
    }
  });
});

describe('renderFlow: messages', () => {
  it('shows Kratos\'s "invalid credentials" message (4000006) as an alert with the reference UIs\' test id', () => {
    const { el } = mount(ui.loginInvalid);
    const message = el.querySelector('[data-testid="ui/message/4000006"]')!;
    expect(message.textContent).toContain('The provided credentials are invalid');
    expect(message.getAttribute('role')).toBe('alert');
  });

  it('puts a field\'s message (4000002 "Property email is missing.") under the field, tied with aria-describedby and aria-invalid', () => {
    const { field } = mount(ui.missingEmail);
    const email = field('traits.email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const described = document.getElementById(email.getAttribute('aria-describedby')!)!;
    expect(described.textContent).toBe('Property email is missing.');
    expect(described.querySelector('[data-testid="ui/message/4000002"]')).not.toBeNull();
  });

  it('shows the duplicate-account message (4000007) of a second sign-up with the same address, in this product\'s words (an email address, no phone or username)', () => {
    const { el } = mount(ui.duplicate);
    expect(registrationDuplicate.body.ui.messages?.[0]?.text).toContain('(email, phone, username, ...)');
    expect(el.querySelector('[data-testid="ui/message/4000007"]')?.textContent).toBe('There is already an account with this email address.');
  });

  it('reads a message through the catalog when it has an entry, with the context filled in', async () => {
    const { setCatalog } = await import('../i18n/catalog');
    const { en } = await import('../i18n/en');
    setCatalog('de', { ...en, '4000002': 'Das Feld {property} fehlt.' });
    try {
      const { el } = mount(ui.missingEmail);
      expect(el.querySelector('[data-testid="ui/message/4000002"]')?.textContent).toBe('Das Feld email fehlt.');
    } finally {
      setCatalog('en', en);
    }
  });
});

describe('renderFlow: img, text, a and script nodes', () => {
  it('shows the TOTP QR code (img node) as a data: image with its label as alt text', () => {
    const { el } = mount(ui.settings);
    const img = el.querySelector<HTMLImageElement>('[data-testid="node/image/totp_qr"] img')!;
    expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(img.alt).toBe('Authenticator app QR code');
  });

  it('shows the TOTP secret (text node) under its label in groups of four, to type by hand (review finding 19)', () => {
    const { el } = mount(ui.settings);
    const node = el.querySelector('[data-testid="node/text/totp_secret_key"]')!;
    expect(node.textContent).toContain('This is your authenticator app secret');
    const sent = settingsBrowser.body.ui.nodes.find((n) => 'id' in n.attributes && n.attributes.id === 'totp_secret_key')!.attributes as { text: { text: string } };
    expect(sent.text.text).toMatch(/^[A-Z2-7]{32}$/);
    expect(node.querySelector('code')?.textContent).toBe(sent.text.text.match(/.{4}/g)!.join(' '));
  });

  it('lists the twelve generated backup codes (text node with secrets in its context)', () => {
    const { el } = mount(ui.lookup);
    const codes = [...el.querySelectorAll('[data-testid="node/text/lookup_secret_codes"] li')].map((li) => li.textContent);
    expect(codes).toHaveLength(12);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{8}$/);
  });

  it('shows the "Continue" link (a node) after verification with the reference UIs\' test id', () => {
    const { el } = mount(ui.verified);
    const a = el.querySelector<HTMLAnchorElement>('[data-testid="node/anchor/continue"]')!;
    expect(a.tagName).toBe('A');
    expect(a.getAttribute('href')).toBe('http://localhost:15173/');
    expect(a.textContent).toBe('Continue');
    expect(el.querySelector('[data-testid="ui/message/1080002"]')?.textContent).toBe('You successfully verified your email address.');
  });

  it('never loads the script node Kratos sends for WebAuthn', () => {
    const { el } = mount(ui.settings);
    expect(el.querySelector('script')).toBeNull();
    expect(document.querySelectorAll('script')).toHaveLength(0);
  });

  it('leaves out a WebAuthn button that needs Kratos\'s script when no native handler is registered', () => {
    const { el } = mount(ui.settings);
    expect(el.querySelector('button[name="webauthn_register_trigger"]')).toBeNull();
  });

  it('wires a WebAuthn button to a native handler registered for its onclickTrigger', () => {
    const seen: string[] = [];
    const { el } = mount(ui.settings, { triggers: { oryWebAuthnRegistration: (_button, node) => seen.push(node.group) } });
    expect(el.querySelector('button[name="webauthn_register_trigger"]')).not.toBeNull();
    expect(seen).toEqual(['webauthn']);
  });
});

describe('renderFlow: untrusted text stays text', () => {
  it('shows traits that contain HTML as the literal text the user typed, creating no elements', () => {
    const { el, field } = mount(ui.settings);
    expect(field('traits.name.first').value).toBe('<img src=x onerror="alert(1)">Ada');
    expect(field('traits.name.last').value).toBe('</label><script>alert(2)</script>');
    expect(el.querySelector('img[src="x"]')).toBeNull();
    expect(document.querySelector('script')).toBeNull();
  });

  it('keeps HTML in hidden trait values of the second registration step as plain attribute values', () => {
    const { form } = mount(ui.stepTwo);
    const hidden = form.querySelector<HTMLInputElement>('input[name="traits.name.first"]')!;
    expect(hidden.type).toBe('hidden');
    expect(hidden.value).toBe('<img src=x onerror="alert(1)">Ada');
    expect(form.querySelector('img')).toBeNull();
  });

  it('renders a message whose text is HTML as text', () => {
    const hostile: UiContainer = {
      ...ui.loginInvalid,
      messages: [{ id: 4000006, type: 'error', text: '<img src=x onerror=alert(1)><b>bold</b>' }],
    };
    const { el } = mount(hostile);
    const message = el.querySelector('[data-testid="ui/message/4000006"]')!;
    expect(message.textContent).toBe('<img src=x onerror=alert(1)><b>bold</b>');
    expect(message.children).toHaveLength(0);
  });

  it('does not link an anchor node whose href is javascript:, nor load an image from another origin', () => {
    const verified = structuredClone(verificationPassed.body) as { ui: { nodes: { attributes: Record<string, unknown> }[] } };
    verified.ui.nodes.find((n) => n.attributes.node_type === 'a')!.attributes.href = 'javascript:alert(1)';
    const settings = structuredClone(settingsBrowser.body) as typeof verified;
    settings.ui.nodes.find((n) => n.attributes.node_type === 'img')!.attributes.src = 'https://evil.example/qr.png';
    const a = mount(VerificationFlowFromJSON(verified).ui).el;
    expect(a.querySelector('a')).toBeNull();
    expect(a.querySelector('[data-testid="node/anchor/continue"]')?.textContent).toBe('Continue');
    const img = mount(SettingsFlowFromJSON(settings).ui).el;
    expect(img.querySelector('img')).toBeNull();
  });
});

describe('renderFlow: order of groups', () => {
  it('orders the settings page profile, password, totp, lookup_secret, webauthn, oidc whatever order Kratos sends', () => {
    const { el } = mount(ui.settings);
    const groups = [...el.querySelectorAll<HTMLElement>('.group')].map((g) => g.dataset.testid);
    expect(groups).toEqual(['group/profile', 'group/password', 'group/totp', 'group/lookup_secret', 'group/webauthn', 'group/oidc']);
  });

  it('puts the password before the code option (and v26.2.0\'s social sign-up) and "Back" last on the second registration step', () => {
    for (const [stepTwo, expected] of [
      [ui.stepTwo, ['Sign up', 'Send sign-up code', 'LSign up with local-idp', 'Back']],
      [ui.stepTwoV1, ['Sign up', 'Send sign-up code', 'Back']],
    ] as const) {
      const { form } = mount(stepTwo);
      expect([...form.querySelectorAll('button[type="submit"]')].map((b) => b.textContent)).toEqual(expected);
    }
  });
});

describe('renderFlow: what is sent', () => {
  it('sends identifier, password, CSRF token and the clicked button for a password sign-in', () => {
    const { form, field, button, submitted } = mount(ui.login);
    field('identifier').value = 'ada@example.com';
    field('password').value = 'secret secret';
    form.requestSubmit(button('method', 'password'));
    expect(submitted).toEqual([
      { csrf_token: csrfOf(ui.login), identifier: 'ada@example.com', password: 'secret secret', method: 'password' },
    ]);
  });

  it('sends only the password form when the settings page\'s password "Save" is clicked (no traits, no other method)', () => {
    const { form, field, button, submitted } = mount(ui.settings);
    field('password').value = 'a brand new passphrase';
    field('totp_code').value = '123456';
    form.requestSubmit(button('method', 'password'));
    expect(submitted).toEqual([{ csrf_token: csrfOf(ui.settings), password: 'a brand new passphrase', method: 'password' }]);
  });

  it('sends the traits and not the password when the profile "Save" is clicked', () => {
    const { form, field, button, submitted } = mount(ui.settings);
    field('password').value = 'should not leave';
    form.requestSubmit(button('method', 'profile'));
    expect(submitted[0]).toMatchObject({ method: 'profile', 'traits.email': 'ada@example.com' });
    expect(submitted[0]).not.toHaveProperty('password');
  });

  it('sends the hidden traits and screen=previous, without the password, for "Back" on the second registration step', () => {
    // v26.2.0 keeps the account type nobody chose as a hidden trait without a value (sent empty,
    // as an HTML form would; Kratos takes an empty trait as none); v1.3.1 leaves it out.
    for (const [stepTwo, unchosen] of [[ui.stepTwo, { 'traits.account_type': '' }], [ui.stepTwoV1, {}]] as const) {
      const { form, field, button, submitted } = mount(stepTwo);
      field('password').value = 'typed then went back';
      form.requestSubmit(button('screen', 'previous'));
      expect(submitted).toEqual([
        {
          ...unchosen,
          'traits.email': 'ada@example.com',
          'traits.name.first': '<img src=x onerror="alert(1)">Ada',
          'traits.name.last': '</label><script>alert(2)</script>',
          csrf_token: csrfOf(stepTwo),
          screen: 'previous',
        },
      ]);
    }
  });

  it('sends a button-only action (generate backup codes) as the button\'s name and value with the CSRF token', () => {
    const { form, button, submitted } = mount(ui.settings);
    form.requestSubmit(button('lookup_secret_regenerate', 'true'));
    expect(submitted).toEqual([{ csrf_token: csrfOf(ui.settings), lookup_secret_regenerate: 'true' }]);
  });

  it('sends "Resend code" on recovery (email=<address> as a button) while the required code field is still empty', () => {
    const { form, button, submitted } = mount(ui.recoverySent);
    form.requestSubmit(button('email', 'ada@example.com'));
    expect(submitted).toEqual([{ csrf_token: csrfOf(ui.recoverySent), code: '', method: 'code', email: 'ada@example.com' }]);
  });

  it('sends "Resend code" on a code sign-in (resend=code) without the code, but holds "Continue" until a code is typed', () => {
    const { form, field, button, submitted } = mount(ui.loginCodeSent);
    form.requestSubmit(button('method', 'code'));
    expect(submitted).toEqual([]);
    form.requestSubmit(button('resend', 'code'));
    expect(submitted).toEqual([{ identifier: 'ada@example.com', method: 'code', code: '', resend: 'code', csrf_token: csrfOf(ui.loginCodeSent) }]);
    field('code').value = '123456';
    form.requestSubmit(button('method', 'code'));
    expect(submitted[1]).toMatchObject({ method: 'code', code: '123456', identifier: 'ada@example.com' });
  });

  it('does not submit while a required field of the chosen method is empty, and focuses it', () => {
    const { form, field, button, submitted } = mount(ui.login);
    field('password').value = 'x';
    form.requestSubmit(button('method', 'password'));
    expect(submitted).toEqual([]);
    expect(document.activeElement).toBe(field('identifier'));
  });

  it('submits the settings password form when Enter is pressed in the password field, not the first form on the page', () => {
    const { field, submitted } = mount(ui.settings);
    const password = field('password');
    password.value = 'a brand new passphrase';
    password.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ method: 'password', password: 'a brand new passphrase' });
  });

  it('puts back a value the user typed when Kratos\'s next form has none for that field', () => {
    const { field } = mount(ui.missingEmail, { kept: { 'traits.email': 'typo@', 'traits.name.first': 'Ada' } });
    expect(field('traits.email').value).toBe('typo@');
    expect(field('traits.name.first').value).toBe('Ada');
  });

  it('hands the body to onSubmit only after the browser-side checks (spy)', () => {
    const onSubmit = vi.fn();
    const { form, field, button } = mount(ui.login, { onSubmit });
    field('identifier').value = 'ada@example.com';
    field('password').value = 'pw';
    form.requestSubmit(button('method', 'password'));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]![1]).toBe(button('method', 'password'));
  });
});

describe('autofill (password managers and one-time codes)', () => {
  const autocomplete = (el: HTMLElement, name: string) => el.querySelector(`input[name="${name}"]`)?.getAttribute('autocomplete');

  it('marks the sign-in fields username (with webauthn, as Kratos asks with passkeys on) and current-password, and names given-name and family-name', () => {
    const login = renderFlow(ui.login, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(autocomplete(login, 'identifier')).toBe('username webauthn');
    expect(autocomplete(login, 'password')).toBe('current-password');
    const settings = renderFlow(ui.settings, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(autocomplete(settings, 'traits.email')).toBe('email');
    expect(autocomplete(settings, 'traits.name.first')).toBe('given-name');
    expect(autocomplete(settings, 'traits.name.last')).toBe('family-name');
    expect(autocomplete(settings, 'totp_code')).toBe('one-time-code');
  });

  it('shows phones a number pad for digit codes, types addresses as typed, and lets text set its own direction (review finding 23, 24)', () => {
    const attr = (el: HTMLElement, name: string, a: string) => el.querySelector(`input[name="${name}"]`)?.getAttribute(a);
    const code = renderFlow(ui.loginCodeSent, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(attr(code, 'code', 'inputmode')).toBe('numeric');
    const settings = renderFlow(ui.settings, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(attr(settings, 'totp_code', 'inputmode')).toBe('numeric');
    expect(attr(settings, 'traits.email', 'autocapitalize')).toBe('none');
    expect(attr(settings, 'traits.email', 'spellcheck')).toBe('false');
    expect(attr(settings, 'traits.name.first', 'dir')).toBe('auto');
    expect(attr(settings, 'password', 'dir')).toBeNull();
    const login = renderFlow(ui.login, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(attr(login, 'identifier', 'autocapitalize')).toBe('none');
    expect(attr(login, 'identifier', 'inputmode')).toBeNull(); // it may be a username
  });

  it('gives sign-up step two (the e-mail is a hidden trait there) a hidden username for the new password, and never sends it', () => {
    const submitted = vi.fn<(body: FlowBody) => void>();
    const el = renderFlow(ui.stepTwo, { kratosOrigin: KRATOS_ORIGIN, onSubmit: submitted });
    const hint = el.querySelector<HTMLInputElement>('[data-testid="flow/username-hint"]')!;
    const email = ui.stepTwo.nodes.find((n) => n.attributes.node_type === 'input' && n.attributes.name === 'traits.email')!;
    expect(hint.value).toBe((email.attributes as { value: string }).value);
    expect(hint.autocomplete).toBe('username');
    expect(hint.hidden).toBe(true);
    expect(hint.name).toBe('');
    el.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'a long enough password';
    el.querySelector<HTMLFormElement>('form')!.requestSubmit(el.querySelector<HTMLButtonElement>('button[name="method"][value="password"]')!);
    // The hint sends nothing: what goes is Kratos's nodes (v26.2.0's unchosen account type among them).
    expect(Object.keys(submitted.mock.calls[0]![0]).sort()).toEqual(['csrf_token', 'method', 'password', 'traits.account_type', 'traits.email', 'traits.name.first', 'traits.name.last']);
    expect(Object.entries(submitted.mock.calls[0]![0]).filter(([, v]) => v === '')).toEqual([['traits.account_type', '']]);
  });

  it('adds no hint where a username field is already there (sign-in)', () => {
    const el = renderFlow(ui.login, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
    expect(el.querySelector('[data-testid="flow/username-hint"]')).toBeNull();
  });
});

describe('renderFlow: one clear action, the others under "or" (flow/layout.ts)', () => {
  const roles = (el: HTMLElement) =>
    [...el.querySelectorAll<HTMLButtonElement>('button[data-group]')].map((b) => `${b.textContent} ${b.className.match(/button-(primary|secondary|danger)/)?.[1]}`);
  const inAlternatives = (el: HTMLElement) => [...el.querySelectorAll('[data-testid="flow/alternatives"] button')].map((b) => b.textContent);

  it('leads sign-in with the password (identifier and password present) and offers code, passkey and social sign-in as secondary choices under "or"', () => {
    const { el } = mount(ui.login, { triggers: { oryPasskeyLogin: () => {} } });
    expect(roles(el)).toEqual([
      'Sign in with password primary',
      'Send sign-in code secondary',
      'Sign in with passkey secondary',
      'LSign in with local-idp secondary',
    ]);
    const or = el.querySelector('.or')!;
    expect(or.getAttribute('role')).toBe('separator');
    expect(or.getAttribute('aria-label')).toBe('or');
    // The separator sits between the password's button and the alternatives, in document order.
    const primary = el.querySelector('button.button-primary')!;
    expect(primary.compareDocumentPosition(or) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(inAlternatives(el)).toEqual(['Send sign-in code', 'Sign in with passkey', 'LSign in with local-idp']);
  });

  it('names the social provider on its button with a decorative mark keyed by its id, and marks the passkey button', () => {
    const { el, button } = mount(ui.login);
    const social = button('provider', 'local-idp');
    const mark = social.querySelector('.provider-mark')!;
    expect(mark.getAttribute('aria-hidden')).toBe('true');
    expect((mark as HTMLElement).dataset.provider).toBe('local-idp');
    expect(social.classList.contains('button-provider')).toBe(true);
    const passkey = [...el.querySelectorAll('button')].find((b) => b.name === 'passkey_login_trigger');
    // Without triggers (none passed here) the passkey button cannot work and is left out…
    expect(passkey).toBeUndefined();
    const withTriggers = mount(ui.login, { triggers: { oryPasskeyLogin: () => {} } }).el;
    const marked = [...withTriggers.querySelectorAll('button')].find((b) => b.name === 'passkey_login_trigger')!;
    // …with them it carries the passkey mark.
    expect(marked.classList.contains('button-passkey')).toBe(true);
    expect(marked.querySelector('.passkey-mark')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('leads sign-up\'s first step with "Continue" (nobody is signed up yet; Kratos labels it "Sign up", 1040001) and puts social sign-up under "or"', () => {
    const { el } = mount(RegistrationFlowFromJSON(registrationMissingEmail.body).ui);
    expect(roles(el)[0]).toBe('Continue primary');
    expect(inAlternatives(el)).toEqual(['LSign up with local-idp']);
    // The traits come before the button that sends them.
    const email = el.querySelector('input[name="traits.email"]')!;
    expect(email.compareDocumentPosition(el.querySelector('button.button-primary')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('leads sign-up\'s second step with the password, the code (and v26.2.0\'s social sign-up) as alternatives, and "Back" after all methods', () => {
    const { el, form } = mount(ui.stepTwo);
    expect(roles(el)).toEqual(['Sign up primary', 'Send sign-up code secondary', 'LSign up with local-idp secondary', 'Back secondary']);
    expect(inAlternatives(el)).toEqual(['Send sign-up code', 'LSign up with local-idp']);
    expect(form.lastElementChild?.classList.contains('navigation')).toBe(true);
    const v1 = mount(ui.stepTwoV1);
    expect(roles(v1.el)).toEqual(['Sign up primary', 'Send sign-up code secondary', 'Back secondary']);
    expect(inAlternatives(v1.el)).toEqual(['Send sign-up code']);
  });

  it('leads identifier-first sign-in with "Continue" for the identifier and puts social sign-in under "or"', () => {
    const { el, field } = mount(LoginFlowFromJSON(loginIdentifierFirst.body).ui);
    expect(field('identifier').type).toBe('text');
    expect(field('password')).toBeNull();
    expect(roles(el)).toEqual(['Continue primary', 'LSign in with local-idp secondary']);
    expect(inAlternatives(el)).toEqual(['LSign in with local-idp']);
  });

  it('leads identifier-first\'s second step with the password, keeps the identifier as sent and offers the other methods under "or"', () => {
    const { el, field, submitted, button } = mount(LoginFlowFromJSON(loginIdentifierFirstPassword.body).ui, { triggers: { oryPasskeyLogin: () => {} } });
    // The identifier from the first step travels on, hidden; the person types only the password.
    expect(field('identifier').type).toBe('hidden');
    expect(field('password').type).toBe('password');
    expect(roles(el)).toEqual(['Sign in with password primary', 'Send sign-in code secondary', 'Sign in with passkey secondary', 'LSign in with local-idp secondary']);
    expect(inAlternatives(el)).toEqual(['Send sign-in code', 'Sign in with passkey', 'LSign in with local-idp']);
    field('password').value = 'secret secret';
    button('method', 'password').click();
    // Kratos's password strategy reads the identifier from the body, so the hidden one goes along.
    const container = LoginFlowFromJSON(loginIdentifierFirstPassword.body).ui;
    expect(submitted[0]).toEqual({ csrf_token: csrfOf(container), identifier: 'ada@example.com', password: 'secret secret', method: 'password' });
  });

  it('has no "or" where there is one way forward: entering the code, with "Resend code" beside it, quieter', () => {
    for (const container of [ui.loginCodeSent, ui.recoverySent]) {
      const { el } = mount(container);
      expect(el.querySelector('.or')).toBeNull();
      expect(roles(el)).toEqual(['Continue primary', 'Resend code secondary']);
    }
  });
});

describe('renderFlow: settings in sections', () => {
  // As the settings page does before it renders (pages/flow-page.ts).
  beforeAll(() => addStrings(SETTINGS_CATALOGS));
  const mountSections = (container: UiContainer, options: Partial<RenderFlowOptions> = {}) => mount(container, { layout: 'sections', ...options });

  it('gives each method a section with a heading, one sentence and a form of its own, in the fixed order', () => {
    const { el } = mountSections(ui.settings);
    const sections = [...el.querySelectorAll<HTMLElement>('section')];
    expect(sections.map((s) => s.querySelector('h2')?.textContent)).toEqual(['Profile', 'Password', 'Authenticator app', 'Backup codes', 'Security keys', 'Sign-in with other accounts']);
    for (const section of sections) {
      // Headings, not landmarks: the section is not named, so it never shares a field's name.
      expect(section.hasAttribute('aria-labelledby')).toBe(false);
      expect(section.querySelector('.section-about')?.textContent).toMatch(/\.$/);
      expect(section.querySelectorAll('form')).toHaveLength(1);
      // Each form carries the CSRF token Kratos wants with every method.
      expect(section.querySelector<HTMLInputElement>('input[name="csrf_token"]')?.value).toBe(csrfOf(ui.settings));
    }
  });

  it('shows the address read-only with the reason under it (the field\'s description), still sent with the profile, while the other traits stay editable', () => {
    const { el } = mountSections(ui.settings);
    const email = el.querySelector<HTMLInputElement>('input[name="traits.email"]')!;
    expect(email.readOnly).toBe(true);
    const note = el.querySelector<HTMLElement>(`[id="${email.id}-fixed"]`)!;
    expect(note.textContent).toBe('This address cannot be changed here: it is the one your sign-up proved. An administrator can change it for you.');
    expect(email.getAttribute('aria-describedby')?.split(' ')).toContain(note.id);
    expect(el.querySelector<HTMLInputElement>('input[name="traits.name.first"]')!.readOnly).toBe(false);
    // Outside settings (sign-up), the same field is the person's to type.
    expect(mount(ui.missingEmail).el.querySelector<HTMLInputElement>('input[name="traits.email"]')!.readOnly).toBe(false);
  });

  it('names each action instead of Kratos\'s "Save", keeps Kratos\'s own names where they say what they do, and makes only the saving ones primary (review finding 20)', () => {
    const { el } = mountSections(ui.settings);
    const labels = [...el.querySelectorAll<HTMLButtonElement>('button[data-group]')].map((b) => `${b.textContent} ${b.className.match(/button-(primary|secondary|danger)/)?.[1]}`);
    expect(labels).toEqual([
      'Save profile primary',
      'Change password primary',
      'Turn on authenticator app primary',
      'Create backup codes secondary',
      'LLink local-idp secondary',
    ]);
  });

  it('makes confirming new backup codes the section\'s primary action (they work only once confirmed)', () => {
    const { el } = mountSections(ui.lookup);
    const confirm = el.querySelector<HTMLButtonElement>('button[name="lookup_secret_confirm"]')!;
    expect(confirm.classList.contains('button-primary')).toBe(true);
  });

  it('sends only its own section: "Change password" sends the password, the profile\'s Enter sends the profile', () => {
    const { el, submitted } = mountSections(ui.settings);
    const section = (group: string) => el.querySelector<HTMLElement>(`[data-testid="section/${group}"]`)!;
    section('password').querySelector<HTMLInputElement>('input[name="password"]')!.value = 'a brand new passphrase';
    section('totp').querySelector<HTMLInputElement>('input[name="totp_code"]')!.value = '123456';
    const passwordForm = section('password').querySelector('form')!;
    passwordForm.requestSubmit(passwordForm.querySelector<HTMLButtonElement>('button[name="method"]')!);
    expect(submitted).toEqual([{ csrf_token: csrfOf(ui.settings), password: 'a brand new passphrase', method: 'password' }]);

    const first = section('profile').querySelector<HTMLInputElement>('input[name="traits.name.first"]')!;
    first.value = 'Ada';
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(submitted[1]).toMatchObject({ method: 'profile', 'traits.name.first': 'Ada', csrf_token: csrfOf(ui.settings) });
    expect(submitted[1]).not.toHaveProperty('password');
  });

  it('sets the authenticator app up on a flow of its own: on the page of every section, a way to open it instead of its QR code and code field', () => {
    const opened: string[] = [];
    const openSection = (group: string) => {
      opened.push(group);
      return Object.assign(document.createElement('a'), { href: `/settings?section=${group}`, textContent: `open ${group}` });
    };
    const { el } = mountSections(ui.settings, { openSection });
    expect(opened).toEqual(['totp']);
    const totp = el.querySelector<HTMLElement>('[data-testid="section/totp"]')!;
    expect(totp.querySelector('h2')?.textContent).toBe('Authenticator app');
    expect(totp.querySelector('a')?.getAttribute('href')).toBe('/settings?section=totp');
    expect(totp.querySelector('form, img, input[name="totp_code"]')).toBeNull();
    // The other sections are as before.
    expect([...el.querySelectorAll('section')].map((s) => (s as HTMLElement).dataset.testid)).toEqual(['section/profile', 'section/password', 'section/totp', 'section/lookup_secret', 'section/webauthn', 'section/oidc']);
    expect(el.querySelector('[data-testid="section/password"] form')).not.toBeNull();
  });

  it('opened for one section, draws only that one, with its QR code, secret and code field, and sends only it', () => {
    const { el, submitted } = mountSections(ui.settings, { section: 'totp' });
    expect([...el.querySelectorAll('section')].map((s) => (s as HTMLElement).dataset.testid)).toEqual(['section/totp']);
    expect(el.querySelector('[data-testid="node/image/totp_qr"] img')).not.toBeNull();
    expect(el.querySelector('[data-testid="node/text/totp_secret_key"]')).not.toBeNull();
    el.querySelector<HTMLInputElement>('input[name="totp_code"]')!.value = '123456';
    const form = el.querySelector('form')!;
    form.requestSubmit(form.querySelector<HTMLButtonElement>('button[name="method"]')!);
    expect(submitted).toEqual([{ csrf_token: csrfOf(ui.settings), totp_code: '123456', method: 'totp' }]);
  });

  it('shows "saved" in the section that was sent, under its button, not at the top of the page (review finding 2)', () => {
    const saved = { ...ui.settings, messages: [{ id: 1050001, text: 'Your changes have been saved!', type: 'success' as const }] };
    const { el } = mountSections(saved, { sentGroup: 'password' });
    expect(el.querySelector('.flow-messages [data-testid="ui/message/1050001"]')).toBeNull();
    const news = el.querySelector<HTMLElement>('[data-testid="section/password"] .section-saved')!;
    expect(news.getAttribute('role')).toBe('status');
    expect(news.textContent).toBe('Your changes have been saved!');
    expect(news.previousElementSibling?.tagName).toBe('FORM');
    // Without a saved section, or when that section is gone from the answer, it stays at the top.
    for (const options of [{}, { sentGroup: 'no-such-group' }]) {
      const { el: top } = mountSections(saved, options);
      expect(top.querySelector('.flow-messages [data-testid="ui/message/1050001"]')).not.toBeNull();
      expect(top.querySelector('.section-saved')).toBeNull();
    }
  });

  it('tells a password manager whose password changes, in the password section only', () => {
    const { el } = mountSections(ui.settings);
    const hints = [...el.querySelectorAll<HTMLInputElement>('[data-testid="flow/username-hint"]')];
    expect(hints).toHaveLength(1);
    expect(hints[0]!.closest('section')?.dataset.testid).toBe('section/password');
    expect(hints[0]!.value).toBe('ada@example.com');
  });

  it('shows the backup codes in a grid with "Copy codes" (every code, one per line) and "Download codes"', async () => {
    const { el } = mountSections(ui.lookup);
    const codes = [...el.querySelectorAll('[data-testid="node/text/lookup_secret_codes"] .secrets li')].map((li) => li.textContent);
    expect(codes).toHaveLength(12);
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void written.push(text) } });
    el.querySelector<HTMLButtonElement>('[data-testid="codes/copy"]')!.click();
    await vi.waitFor(() => expect(written).toEqual([codes.join('\n')]));
    expect(el.querySelector('[data-testid="node/text/lookup_secret_codes"] [role="status"]')?.textContent).toBe('Copied.');
    expect(el.querySelector('[data-testid="codes/download"]')?.textContent).toBe('Download codes');
  });

  // Review finding 21: the words of the settings page, not Kratos's ("Unlink TOTP Authenticator
  // App", "Generate new backup recovery codes", "Disable this method"), on both versions' answers.
  for (const [version, on, generated] of [
    ['v1.3.1', settingsFactorsOn, settingsLookup],
    ['v26.2.0', settingsFactorsOnV26, settingsLookupV26],
  ] as const) {
    it(`says what each second-factor button does, and that the app is on once it is (Kratos ${version})`, () => {
      const { el } = mountSections(SettingsFlowFromJSON(on.body).ui);
      const section = (group: string) => el.querySelector<HTMLElement>(`[data-testid="section/${group}"]`)!;
      const buttons = (group: string) => [...section(group).querySelectorAll('button')].map((b) => b.textContent);
      expect(buttons('totp')).toEqual(['Turn off authenticator app']);
      expect(section('totp').querySelector('.section-about')?.textContent).toBe('On: when you sign in, a code from your authenticator app is the second step.');
      expect(buttons('lookup_secret')).toEqual(['Show backup codes', 'Turn off backup codes']);
      // Backup codes have one sentence, on or off: what they are.
      expect(section('lookup_secret').querySelector('.section-about')?.textContent).toMatch(/^One-time codes/);
    });

    it(`says new backup codes work only once saved, with the button that saves them (Kratos ${version})`, () => {
      const { el } = mountSections(SettingsFlowFromJSON(generated.body).ui);
      const section = el.querySelector<HTMLElement>('[data-testid="section/lookup_secret"]')!;
      expect(section.textContent).toContain('Save these codes somewhere safe, then press “I have saved them”: until then they do not work.');
      expect(section.querySelector('button[name="lookup_secret_confirm"]')?.textContent).toBe('I have saved them');
    });
  }

  it('offers "Copy secret" for the authenticator app\'s secret, and says so when the browser refuses', async () => {
    const { el } = mountSections(ui.settings);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async () => { throw new DOMException('denied', 'NotAllowedError'); } } });
    const copy = el.querySelector<HTMLButtonElement>('[data-testid="totp/copy-secret"]')!;
    expect(copy.textContent).toBe('Copy secret');
    copy.click();
    await vi.waitFor(() => expect(el.querySelector('[data-testid="node/text/totp_secret_key"] [role="status"]')?.textContent).toBe('Could not copy: please select the text instead.'));
  });
});

describe('renderFlow: an identity Kratos has hidden is shown, with its messages', () => {
  const another = () => Object.assign(document.createElement('a'), { href: '/login', textContent: 'Use another address' });
  const summaryOf = (el: HTMLElement) => el.querySelector<HTMLElement>('[data-testid="flow/identity"]');

  it('shows the address identifier-first\'s second step goes on with, under its label, with the page\'s way to change it', () => {
    const { el, field } = mount(LoginFlowFromJSON(loginIdentifierFirstPassword.body).ui, { changeIdentity: another });
    expect(field('identifier').type).toBe('hidden');
    expect(summaryOf(el)?.textContent).toBe('Email ada@example.com Use another address');
  });

  it('shows the address a code was sent to, and offers no change where the page gives none', () => {
    const { el } = mount(ui.loginCodeSent);
    expect(summaryOf(el)?.textContent).toBe('Email ada@example.com');
    expect(summaryOf(el)?.querySelector('a')).toBeNull();
  });

  it('puts the message of the web hook that refused a sign-up\'s hidden address under that address, not above the form', () => {
    // v26.2.0 labels the hidden address with the schema's title; v1.3.1 sends none: it is "Account".
    for (const [refused, label] of [[ui.hookRefused, 'Email'], [ui.hookRefusedV1, 'Account']] as const) {
      const { el } = mount(refused);
      const summary = summaryOf(el)!;
      expect(summary.querySelector('.flow-identity-label')?.textContent).toBe(label);
      expect(summary.querySelector('[data-testid="flow/identity/value"]')?.textContent).toBe('refused@blocked.example');
      expect(summary.querySelector('[data-testid="ui/message/4900001"]')?.getAttribute('role')).toBe('alert');
      expect(el.querySelectorAll('[data-testid="ui/message/4900001"]')).toHaveLength(1);
      expect(el.querySelector('.flow-messages')?.textContent).toBe('');
    }
  });

  it('shows no such line where the identity is a field (sign-in, sign-up\'s first step) or in settings', () => {
    for (const container of [ui.login, ui.missingEmail, ui.settings]) {
      const { el } = mount(container, { changeIdentity: another, layout: container === ui.settings ? 'sections' : 'choose' });
      expect(summaryOf(el)).toBeNull();
    }
  });

  it('writes a hostile hidden address as text', () => {
    const hostile = structuredClone(ui.hookRefused);
    const node = hostile.nodes.find((n) => n.attributes.node_type === 'input' && n.attributes.name === 'traits.email')!;
    (node.attributes as { value: unknown }).value = '<img src=x onerror=alert(1)>@blocked.example';
    const { el } = mount(hostile);
    expect(summaryOf(el)?.querySelector('[data-testid="flow/identity/value"]')?.textContent).toBe('<img src=x onerror=alert(1)>@blocked.example');
    expect(el.querySelector('img')).toBeNull();
  });
});
