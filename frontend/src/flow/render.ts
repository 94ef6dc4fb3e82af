// The generic flow renderer: any Kratos flow's `ui` → messages + one accessible form.
//
// Groups are shown in a fixed order (identifier and profile first, then each method, social
// sign-in last); within a group Kratos's order is kept. Navigation buttons ("Back") come last.
// Enter in a field submits that field's own method, not whichever button happens to be first.
import type { UiContainer, UiNode } from '@ory/client-fetch';
import { h } from '../ui/dom';
import { messageList, renderNode, type NodeContext } from './nodes';
import { collectBody, fieldsToValidate, type FlowBody } from './values';

export const GROUP_ORDER = [
  'default',
  'identifier_first',
  'profile',
  'password',
  'code',
  'link',
  'totp',
  'lookup_secret',
  'webauthn',
  'passkey',
  'oidc',
  'saml',
];

export interface RenderFlowOptions {
  kratosOrigin: string;
  /** Called with the JSON body and the clicked button after the browser's own checks pass. */
  onSubmit(body: FlowBody, submitter: HTMLButtonElement | null): void;
  /** Values the user typed before (never secrets), shown where Kratos sends none. */
  kept?: Record<string, string>;
  triggers?: NodeContext['triggers'];
}

export function orderNodes(nodes: UiNode[]): UiNode[] {
  const rank = (node: UiNode): number => {
    const attrs = node.attributes;
    if (attrs.node_type === 'input' && attrs.name === 'screen') return GROUP_ORDER.length + 1;
    const i = GROUP_ORDER.indexOf(node.group);
    return i === -1 ? GROUP_ORDER.length : i;
  };
  // Array.prototype.sort is stable: Kratos's order holds inside a group.
  return [...nodes].sort((a, b) => rank(a) - rank(b));
}

/**
 * Password managers save a password with the account it belongs to. Where the form asks for a
 * password but shows no username field (the second step of sign-up, where the e-mail is a
 * hidden trait, or a password change in settings), a hidden, unnamed field says which account
 * it is. It is never sent: only nodes' names are.
 */
function usernameHint(nodes: UiNode[], form: HTMLFormElement): HTMLInputElement | null {
  if (!form.querySelector('input[type="password"]') || form.querySelector('input[autocomplete~="username"]')) return null;
  const identifier = nodes.find((n) => {
    const a = n.attributes;
    return a.node_type === 'input' && (a.name === 'identifier' || a.name === 'traits.email' || a.name === 'traits.username') && typeof a.value === 'string' && a.value !== '';
  });
  if (!identifier || identifier.attributes.node_type !== 'input') return null;
  return h('input', {
    attrs: { type: 'text', hidden: true, autocomplete: 'username', value: String(identifier.attributes.value), tabindex: '-1', 'aria-hidden': 'true' },
    data: { testid: 'flow/username-hint' },
  });
}

export function renderFlow(ui: UiContainer, options: RenderFlowOptions): HTMLElement {
  // Messages on hidden nodes have no field to sit under; they join the flow's messages.
  const hiddenMessages = ui.nodes.flatMap((n) =>
    n.attributes.node_type === 'input' && n.attributes.type === 'hidden' ? n.messages : [],
  );
  const messages = h('div', { class: 'flow-messages', attrs: { 'aria-live': 'polite' } }, messageList([...(ui.messages ?? []), ...hiddenMessages]));

  const form = h('form', { class: 'flow-form', attrs: { method: 'post', novalidate: true } });
  const ctx: NodeContext = {
    kratosOrigin: options.kratosOrigin,
    kept: (name) => options.kept?.[name],
    triggers: options.triggers ?? {},
    flow: {
      nodes: ui.nodes,
      form,
      submit: (group, values) => options.onSubmit({ ...collectBody(ui.nodes, form, null, group), ...values }, null),
      problem: (text) =>
        messages.replaceChildren(h('p', { class: 'message message-error', attrs: { role: 'alert' }, data: { testid: 'flow/problem' } }, text)),
    },
  };
  let currentGroup: string | null = null;
  let section: HTMLElement | null = null;
  for (const node of orderNodes(ui.nodes)) {
    const el = renderNode(node, ctx);
    if (!el) continue;
    if (node.attributes.node_type === 'input' && node.attributes.type === 'hidden') {
      form.append(el);
      continue;
    }
    if (node.group !== currentGroup || !section) {
      currentGroup = node.group;
      section = h('div', { class: `group group-${node.group}`, data: { testid: `group/${node.group}` } });
      form.append(section);
    }
    section.append(el);
  }

  const hint = usernameHint(ui.nodes, form);
  if (hint) form.prepend(hint);

  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.target instanceof HTMLInputElement)) return;
    const input = event.target;
    if (['submit', 'button', 'checkbox'].includes(input.type)) return;
    const group = input.dataset.group;
    const own = [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')].find(
      (b) => !b.disabled && b.dataset.group === group,
    );
    if (own) {
      event.preventDefault();
      form.requestSubmit(own);
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
    const invalid = fieldsToValidate(form, submitter).find((input) => !input.checkValidity());
    if (invalid) {
      invalid.reportValidity();
      invalid.focus();
      return;
    }
    options.onSubmit(collectBody(ui.nodes, form, submitter), submitter);
  });

  return h('div', { class: 'flow' }, messages, form);
}
