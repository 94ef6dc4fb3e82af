// Kratos's button triggers (onclickTrigger names) for WebAuthn and passkeys, done natively (see
// webauthn.ts, fetched when such a button is pressed, or for passkey autofill when the browser
// offers it). A trigger not listed here has no button on the page: it would need Kratos's script.
import type { UiNode } from '@ory/client-fetch';
import { t } from '../i18n/catalog';
import { afterPaint } from '../ui/dom';
import type { NodeContext, TriggerContext } from './nodes';
import type { Ceremony } from './webauthn';

/** Where Kratos puts the options: the button's own value, or a hidden input of the flow. */
const CEREMONIES: Record<string, { kind: Ceremony; optionsFrom: 'button' | string }> = {
  oryWebAuthnRegistration: { kind: 'webauthn-register', optionsFrom: 'button' },
  oryWebAuthnLogin: { kind: 'webauthn-login', optionsFrom: 'button' },
  oryPasskeyRegistration: { kind: 'passkey-register', optionsFrom: 'passkey_create_data' },
  oryPasskeySettingsRegistration: { kind: 'passkey-settings-register', optionsFrom: 'passkey_create_data' },
  oryPasskeyLogin: { kind: 'passkey-login', optionsFrom: 'passkey_challenge' },
};

function hiddenValue(nodes: UiNode[], name: string): string | null {
  for (const n of nodes) {
    const a = n.attributes;
    if (a.node_type === 'input' && a.name === name && typeof a.value === 'string') return a.value;
  }
  return null;
}

/**
 * Whether Kratos asks for passkeys in the identifier's autofill with this passkey button: v1.3.1
 * marks the button itself and the hidden passkey_login input with onloadTrigger
 * oryPasskeyLoginAutocompleteInit, newer Kratos (v26) only the hidden input of the button's group.
 */
export function asksForAutofill(node: UiNode, nodes: UiNode[]): boolean {
  return [node, ...nodes.filter((n) => n.group === node.group)].some((n) => n.attributes.node_type === 'input' && n.attributes.onloadTrigger === 'oryPasskeyLoginAutocompleteInit');
}

function trigger(name: string, spec: (typeof CEREMONIES)[string]): NodeContext['triggers'][string] {
  return (button: HTMLButtonElement, node: UiNode, flow: TriggerContext) => {
    if (!('PublicKeyCredential' in window)) {
      button.disabled = true;
      button.title = t('app.webauthn.unsupported');
      return;
    }
    if (spec.kind === 'passkey-login' && asksForAutofill(node, flow.nodes)) {
      // Passkeys in the identifier's autofill (webauthn.ts), once the form is on screen.
      afterPaint(() => void import('./webauthn').then((m) => m.startAutofill(node.group, hiddenValue(flow.nodes, 'passkey_challenge'), flow)));
    }
    button.addEventListener('click', async () => {
      const options = spec.optionsFrom === 'button' ? button.value : hiddenValue(flow.nodes, spec.optionsFrom);
      if (!options) return flow.problem(t('app.webauthn.failed', { reason: `${name}: no options` }));
      try {
        const { ceremony, endAutofill } = await import('./webauthn');
        // A browser takes one request at a time: the modal one replaces the autofill's.
        endAutofill(flow.form);
        const result = await ceremony(spec.kind, options, flow.form);
        flow.submit(node.group, { [result.name]: result.value });
      } catch (err) {
        // NotAllowedError: cancelled, timed out, or no matching key. Nothing was sent.
        flow.problem(t('app.webauthn.failed', { reason: err instanceof Error ? err.message : String(err) }));
      }
    });
  };
}

export const WEBAUTHN_TRIGGERS: NodeContext['triggers'] = Object.fromEntries(
  Object.entries(CEREMONIES).map(([name, spec]) => [name, trigger(name, spec)]),
);
