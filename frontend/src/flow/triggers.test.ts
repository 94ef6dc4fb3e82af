// When the passkey button starts the browser's passkey autofill, read from sign-in forms captured
// from the real Kratos v1.3.1 and v26.2.0 (which mark it on different nodes).
import type { UiNode } from '@ory/client-fetch';
import { describe, expect, it } from 'vitest';
import loginV1 from '../fixtures/v1.3.1/login-browser.json';
import registrationV1 from '../fixtures/v1.3.1/registration-step-two.json';
import loginV26 from '../fixtures/login-browser.json';
import registrationV26 from '../fixtures/registration-step-two.json';
import { asksForAutofill } from './triggers';

const nodesOf = (fixture: { body: unknown }) => (fixture.body as { ui: { nodes: UiNode[] } }).ui.nodes;
const button = (nodes: UiNode[], name: string) => nodes.find((n) => n.attributes.node_type === 'input' && n.attributes.name === name)!;

describe('asksForAutofill', () => {
  it('is asked for on sign-in by Kratos v1.3.1 (the button is marked) and v26.2.0 (only the hidden passkey_login input is)', () => {
    const v1 = nodesOf(loginV1);
    const v26 = nodesOf(loginV26);
    expect((button(v1, 'passkey_login_trigger').attributes as { onloadTrigger?: string }).onloadTrigger).toBe('oryPasskeyLoginAutocompleteInit');
    expect((button(v26, 'passkey_login_trigger').attributes as { onloadTrigger?: string }).onloadTrigger).toBeUndefined();
    expect(asksForAutofill(button(v1, 'passkey_login_trigger'), v1)).toBe(true);
    expect(asksForAutofill(button(v26, 'passkey_login_trigger'), v26)).toBe(true);
  });

  it('is not asked for at sign-up (a passkey is made there, not chosen)', () => {
    for (const nodes of [nodesOf(registrationV1), nodesOf(registrationV26)]) {
      const passkey = nodes.find((n) => n.group === 'passkey' && n.attributes.node_type === 'input' && (n.attributes.type === 'button' || n.attributes.type === 'submit'))!;
      expect(passkey).toBeTruthy();
      expect(asksForAutofill(passkey, nodes)).toBe(false);
    }
  });
});
