// What a flow form sends: the JSON body Kratos expects for the method the user chose.
//
// Only the `default` group (CSRF token, identifier, traits) and the group of the clicked button
// are sent, as an HTML form per method would: a password typed before choosing "email me a
// code" is not sent, and the several hidden `method` inputs of a settings page never collide.
// In identifier-first style Kratos keeps the identifier of the first step as a hidden node of
// the `identifier_first` group, which every method of the second step reads: it is shared too.
// Names stay flat ("traits.email"): Kratos reads JSON keys the way it reads form fields.
import type { UiNode, UiNodeInputAttributes } from '@ory/client-fetch';

export type FlowBody = Record<string, unknown>;

/** Hidden nodes of these groups go with every method, whichever button was clicked. */
const SHARED_HIDDEN = new Set(['default', 'identifier_first']);

/** An input node's attributes, or null for text, images, links and scripts. */
export function inputAttrs(node: UiNode): UiNodeInputAttributes | null {
  return node.attributes.node_type === 'input' ? node.attributes : null;
}

/**
 * @param nodes    the flow's nodes
 * @param form     the rendered form (for what the user typed)
 * @param submitter the button that was clicked, if any
 * @param group     the method's group (by default the clicked button's)
 */
export function collectBody(nodes: UiNode[], form: HTMLFormElement, submitter: HTMLButtonElement | null, group = submitter?.dataset.group ?? null): FlowBody {
  const body: FlowBody = {};
  for (const node of nodes) {
    const attrs = inputAttrs(node);
    if (!attrs || attrs.disabled) continue;
    const shared = node.group === 'default' || (attrs.type === 'hidden' && SHARED_HIDDEN.has(node.group));
    if (!shared && node.group !== group) continue;
    if (attrs.type === 'submit' || attrs.type === 'button') continue;
    if (attrs.type === 'hidden') {
      // Kratos's own value, with its JSON type (booleans and numbers stay what they are).
      body[attrs.name] = attrs.value ?? '';
      continue;
    }
    const field = form.querySelector<HTMLInputElement | HTMLSelectElement>(`:is(input, select)[name="${CSS.escape(attrs.name)}"][data-group="${CSS.escape(node.group)}"]`);
    if (!field) continue;
    if (attrs.type === 'checkbox' && field instanceof HTMLInputElement) body[attrs.name] = field.checked;
    else if (attrs.type === 'number') {
      if (field.value !== '') body[attrs.name] = Number(field.value);
    } else body[attrs.name] = field.value;
  }
  if (submitter && submitter.name) body[submitter.name] = submitter.value;
  return body;
}

/**
 * The fields checked in the browser before a submit: those that are sent, and only for a
 * method's main button (name "method"). Other buttons ("Resend code", "Back", "Generate new
 * codes") must work while a required field of their group is still empty; Kratos checks anyway.
 */
export function fieldsToValidate(form: HTMLFormElement, submitter: HTMLButtonElement | null): (HTMLInputElement | HTMLSelectElement)[] {
  if (submitter && submitter.name !== 'method') return [];
  const group = submitter?.dataset.group ?? null;
  return [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[data-group], select[data-group]')].filter(
    (input) => input.dataset.group === 'default' || input.dataset.group === group,
  );
}

/** One-time codes are secrets too: a wrong one is not put back. */
const ONE_TIME_CODES = new Set(['code', 'totp_code', 'lookup_secret']);

/** Non-secret values the user typed, to put back if the next form lacks them. */
export function keepableValues(nodes: UiNode[], body: FlowBody): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const node of nodes) {
    const attrs = inputAttrs(node);
    if (!attrs || ['password', 'hidden', 'submit', 'button', 'checkbox'].includes(attrs.type)) continue;
    if (ONE_TIME_CODES.has(attrs.name)) continue;
    const v = body[attrs.name];
    if (typeof v === 'string' || typeof v === 'number') kept[attrs.name] = String(v);
  }
  return kept;
}
