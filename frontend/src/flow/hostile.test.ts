// Every payload of the hostile corpus in every place a Kratos flow can carry text or a URL,
// rendered from flows captured from the real Kratos: it must stay text, create no element the
// renderer does not make itself, and never become a link or image it should not.
import {
  RegistrationFlowFromJSON,
  SettingsFlowFromJSON,
  LoginFlowFromJSON,
  VerificationFlowFromJSON,
  type UiContainer,
} from '@ory/client-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import loginInvalid from '../fixtures/login-invalid-credentials.json';
import registrationBrowser from '../fixtures/registration-browser.json';
import settingsBrowser from '../fixtures/settings-browser.json';
import verificationPassed from '../fixtures/verification-passed.json';
import { HOSTILE } from '../fixtures/hostile-inputs';
import { renderFlow } from './render';

const KRATOS_ORIGIN = 'http://127.0.0.1:14433';
const MADE_BY_RENDERER = new Set(['DIV', 'P', 'FORM', 'INPUT', 'LABEL', 'SPAN', 'BUTTON', 'A', 'IMG', 'FIGURE', 'FIGCAPTION', 'UL', 'LI', 'CODE']);

type Json = { ui: { messages?: { text: string }[]; nodes: { attributes: Record<string, unknown>; meta: { label?: { text: string } } }[] } };

function render(container: UiContainer): HTMLElement {
  const el = renderFlow(container, { kratosOrigin: KRATOS_ORIGIN, onSubmit: () => {} });
  document.body.replaceChildren(el);
  return el;
}

function assertInert(el: HTMLElement): void {
  for (const node of el.querySelectorAll('*')) {
    expect(MADE_BY_RENDERER.has(node.tagName), `unexpected <${node.tagName.toLowerCase()}>`).toBe(true);
    for (const attr of node.getAttributeNames()) expect(attr.startsWith('on'), `attribute ${attr}`).toBe(false);
  }
  for (const a of el.querySelectorAll('a')) expect(['http:', 'https:']).toContain(new URL(a.href).protocol);
  for (const img of el.querySelectorAll('img')) {
    const src = img.getAttribute('src')!;
    expect(src.startsWith('data:image/') || new URL(src).origin === KRATOS_ORIGIN, src).toBe(true);
  }
  expect((window as unknown as { __pwned?: unknown }).__pwned).toBeUndefined();
}

const cases = HOSTILE.map((h, i) => [`${i + 1} (${h.cls})`, h.payload] as const);

afterEach(() => document.body.replaceChildren());

describe('the hostile corpus in the renderer', () => {
  it('has at least 50 payloads in every class', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(50);
    expect(new Set(HOSTILE.map((h) => h.cls))).toEqual(new Set(['html', 'svg', 'url', 'unicode', 'long', 'control']));
  });

  it.each(cases)('payload %s as a field label and as a flow message is shown as text', (_n, payload) => {
    const flow = structuredClone(loginInvalid.body) as unknown as Json;
    flow.ui.messages![0]!.text = payload;
    flow.ui.nodes.find((n) => n.attributes.name === 'identifier')!.meta.label!.text = payload;
    const el = render(LoginFlowFromJSON(flow).ui);
    assertInert(el);
    expect(el.querySelector('[data-testid="ui/message/4000006"]')!.textContent).toBe(payload);
    const label = [...el.querySelectorAll('label')].find((l) => l.textContent!.startsWith(payload));
    expect(label, 'the label shows the payload').toBeDefined();
  });

  it.each(cases)('payload %s as a trait value and as a text node stays a value and text', (_n, payload) => {
    const flow = structuredClone(settingsBrowser.body) as unknown as Json;
    flow.ui.nodes.find((n) => n.attributes.name === 'traits.name.first')!.attributes.value = payload;
    const secret = flow.ui.nodes.find((n) => n.attributes.id === 'totp_secret_key')!;
    (secret.attributes.text as { text: string }).text = payload;
    const el = render(SettingsFlowFromJSON(flow).ui);
    assertInert(el);
    const input = el.querySelector<HTMLInputElement>('input[name="traits.name.first"]')!;
    // A text input drops line breaks from its value (HTML's value sanitisation); nothing else changes.
    expect(input.value).toBe(payload.replace(/[\r\n]/g, ''));
    expect(el.querySelector('[data-testid="node/text/totp_secret_key/text"]')!.textContent).toBe(payload);
  });

  it.each(cases)('payload %s as an anchor href becomes a link only if it is an http(s) URL', (_n, payload) => {
    const flow = structuredClone(verificationPassed.body) as unknown as Json;
    const a = flow.ui.nodes.find((n) => n.attributes.node_type === 'a')!;
    a.attributes.href = payload;
    (a.attributes.title as { text: string }).text = payload;
    const el = render(VerificationFlowFromJSON(flow).ui);
    assertInert(el);
    const node = el.querySelector('[data-testid="node/anchor/continue"]')!;
    expect(node.textContent).toBe(payload);
    let expectLink = false;
    try {
      expectLink = ['http:', 'https:'].includes(new URL(payload).protocol);
    } catch {
      expectLink = false;
    }
    expect(node.tagName).toBe(expectLink ? 'A' : 'P');
  });

  it.each(cases)('payload %s as an image source loads only a data: image or one from Kratos', (_n, payload) => {
    const flow = structuredClone(settingsBrowser.body) as unknown as Json;
    flow.ui.nodes.find((n) => n.attributes.node_type === 'img')!.attributes.src = payload;
    const el = render(SettingsFlowFromJSON(flow).ui);
    assertInert(el);
    const img = el.querySelector('img');
    // None of the payloads is on Kratos's origin: an image is drawn exactly for a data:image/ URL.
    expect(img !== null, 'an <img> was drawn').toBe(payload.startsWith('data:image/'));
    if (img) expect(img.getAttribute('src')).toBe(payload);
  });

  it.each(cases)('payload %s as a sign-up field label keeps the field labelled and tied to its input', (_n, payload) => {
    const flow = structuredClone(registrationBrowser.body) as unknown as Json;
    flow.ui.nodes.find((n) => n.attributes.name === 'traits.email')!.meta.label!.text = payload;
    const el = render(RegistrationFlowFromJSON(flow).ui);
    assertInert(el);
    const input = el.querySelector<HTMLInputElement>('input[name="traits.email"]')!;
    expect(el.querySelector(`label[for="${input.id}"]`)!.textContent!.startsWith(payload)).toBe(true);
  });
});
