// The generic flow renderer: any Kratos flow's `ui` → messages + accessible forms.
//
// Groups are shown in a fixed order (identifier and profile first, then each method, social
// sign-in last); within a group Kratos's order is kept. How they are arranged is flow/layout.ts:
// one primary method with the others under an "or", or (settings) one titled section and form
// per group. Navigation buttons ("Back") come last. Enter in a field submits that field's own
// method, not whichever button happens to be first.
import type { UiContainer, UiNode } from '@ory/client-fetch';
import { t } from '../i18n/catalog';
import { h } from '../ui/dom';
import { actionLabel, buttonRole, FIXED_IN_SETTINGS, isButton, isNavigation, isOn, leadingGroup, leadsSection, SECTIONS, setsUpAlone, type FlowLayout } from './layout';
import { messageList, nodeLabel, renderNode, type NodeContext } from './nodes';
import { collectBody, fieldsToValidate, inputAttrs, type FlowBody } from './values';

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
  /** "choose" (default): one leading method, the rest under an "or"; "sections": settings. */
  layout?: FlowLayout;
  /** Aborted when the rendered form is no longer the one to act on (see TriggerContext). */
  signal?: AbortSignal;
  /** The page's way to change an identity the flow has hidden (see identitySummary), if it has one. */
  changeIdentity?: () => HTMLElement;
  /** Sections: only this group's section (a group set up on a flow of its own, flow/layout.ts). */
  section?: string;
  /** Sections: what takes the place of a section set up on a flow of its own (the way to open it). */
  openSection?: (group: string) => HTMLElement;
  /**
   * The group whose form was just sent. Sections: the flow's success messages ("Your changes have
   * been saved!") are shown in that section, under its button, where the person is looking,
   * instead of at the top of a long page. Otherwise: an alternative's fields never wait behind
   * its button when it was the one just used.
   */
  sentGroup?: string;
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

/** Identity fields a flow hides once they are given: the sign-in identifier, a sign-up's address or username. */
const IDENTITY_FIELDS = ['identifier', 'traits.email', 'traits.username'];

/**
 * A form that goes on with an identity it no longer lets the person edit (identifier-first's
 * second step, a sign-in code sent or refused, the password step of a two-step sign-up: Kratos
 * sends the field hidden) shows it: its label and value, the field's messages under it (a refusal
 * of the address belongs there, not above the form), and the page's way to change it.
 */
function identitySummary(nodes: UiNode[], change: RenderFlowOptions['changeIdentity']): { node: UiNode; summary: HTMLElement } | null {
  const node = nodes.find((n) => {
    const a = inputAttrs(n);
    return a?.type === 'hidden' && IDENTITY_FIELDS.includes(a.name) && typeof a.value === 'string' && a.value !== '';
  });
  const attrs = node && inputAttrs(node);
  if (!node || !attrs || nodes.some((n) => n !== node && inputAttrs(n)?.name === attrs.name)) return null;
  const summary = h(
    'div',
    { class: 'flow-identity', data: { testid: 'flow/identity' } },
    // v1.3.1 sends a sign-up's hidden address without a label.
    h('span', { class: 'flow-identity-label' }, node.meta?.label ? nodeLabel(node) : t('app.flow.account')),
    ' ',
    h('strong', { data: { testid: 'flow/identity/value' } }, String(attrs.value)),
    change ? ' ' : null,
    change ? change() : null,
    messageList(node.messages),
  );
  return { node, summary };
}

/**
 * A settings field the person cannot change there (FIXED_IN_SETTINGS): read-only (still sent, so
 * the rest of its section saves), with the reason under it, which the field names as its
 * description.
 */
function fixField(el: HTMLElement, node: UiNode): void {
  const reason = FIXED_IN_SETTINGS[inputAttrs(node)?.name ?? ''];
  const input = reason && el.querySelector('input');
  if (!input) return;
  input.readOnly = true;
  const note = h('p', { class: 'field-note', attrs: { id: input.id + '-fixed' } }, t(reason));
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${note.id}`.trim());
  el.append(note);
}

/** Enter submits the field's own method; a submit is checked by the browser first, then sent. */
function wire(form: HTMLFormElement, ui: UiContainer, onSubmit: RenderFlowOptions['onSubmit']): void {
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
    // A password shown while typed (nodes.ts revealButton) is hidden again before it leaves.
    for (const shown of form.querySelectorAll<HTMLButtonElement>('button[aria-pressed="true"]')) shown.click();
    const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
    const invalid = fieldsToValidate(form, submitter).find((input) => !input.checkValidity());
    if (invalid) {
      invalid.reportValidity();
      invalid.focus();
      return;
    }
    onSubmit(collectBody(ui.nodes, form, submitter), submitter);
  });
}

export function renderFlow(ui: UiContainer, options: RenderFlowOptions): HTMLElement {
  const isHidden = (n: UiNode) => inputAttrs(n)?.type === 'hidden';
  const identity = options.layout === 'sections' ? null : identitySummary(ui.nodes, options.changeIdentity);
  // Messages on other hidden nodes have no field to sit under; they join the flow's messages.
  const hiddenMessages = ui.nodes.flatMap((n) => (isHidden(n) && n !== identity?.node ? n.messages : []));
  const savedIn = options.layout === 'sections' && options.sentGroup ? options.sentGroup : null;
  const successes = savedIn ? (ui.messages ?? []).filter((m) => m.type === 'success') : [];
  const messages = h(
    'div',
    { class: 'flow-messages', attrs: { 'aria-live': 'polite' } },
    messageList([...(ui.messages ?? []).filter((m) => !successes.includes(m)), ...hiddenMessages]),
  );
  const problem = (text: string) =>
    messages.replaceChildren(h('p', { class: 'message message-error', attrs: { role: 'alert' }, data: { testid: 'flow/problem' } }, text));

  const ordered = orderNodes(ui.nodes);
  const groups = [...new Set(ordered.map((n) => n.group))];
  const sections = options.layout === 'sections';
  const leading = sections ? null : leadingGroup(groups, ui.nodes);
  /** Per form: the first action button that is neither destructive nor a helper is its primary one. */
  const primaryTaken = new WeakSet<HTMLFormElement>();

  const contextFor = (form: HTMLFormElement): NodeContext => ({
    kratosOrigin: options.kratosOrigin,
    kept: (name) => options.kept?.[name],
    triggers: options.triggers ?? {},
    flow: {
      nodes: ui.nodes,
      form,
      submit: (group, values) => options.onSubmit({ ...collectBody(ui.nodes, form, null, group), ...values }, null),
      problem,
      signal: options.signal ?? new AbortController().signal,
    },
    button: (node) => {
      const leads = sections ? leadsSection(node) : node.group === leading;
      const role = buttonRole(node, leads && !primaryTaken.has(form));
      if (role === 'primary') primaryTaken.add(form);
      const label = actionLabel(node);
      return { role, label: label ? t(label) : undefined };
    },
  });

  const groupBox = (group: string) => h('div', { class: `group group-${group}`, data: { testid: `group/${group}` } });

  if (sections) {
    // Settings: one section and one form per group; the default group's hidden nodes (the CSRF
    // token) go into each form, as Kratos expects them with every method.
    const shared = ordered.filter((n) => n.group === 'default');
    const list = h('div', { class: 'sections' });
    // Found by its heading, not named as a landmark: seven "region" landmarks would crowd the
    // page's landmarks, and a region named "Password" would share its name with the field.
    const sectionOf = (group: string, body: HTMLElement) => {
      const section = SECTIONS[group];
      return h(
        'section',
        { class: 'section', data: { testid: `section/${group}` } },
        h('h2', {}, section ? t(section.title) : group),
        section ? h('p', { class: 'section-about' }, t(section.on && isOn(group, ordered) ? section.on : section.about)) : null,
        body,
      );
    };
    let placed = false;
    for (const group of groups.filter((g) => g !== 'default' && (options.section === undefined || g === options.section))) {
      const own = ordered.filter((n) => n.group === group);
      if (!own.some((n) => !isHidden(n) && n.attributes.node_type !== 'script')) continue;
      if (options.section === undefined && options.openSection && setsUpAlone(group, ui.nodes)) {
        list.append(sectionOf(group, h('div', { class: 'actions section-open' }, options.openSection(group))));
        continue;
      }
      const form = h('form', { class: 'flow-form', attrs: { method: 'post', novalidate: true } });
      const ctx = contextFor(form);
      const box = groupBox(group);
      for (const node of [...shared, ...own]) {
        const el = renderNode(node, ctx);
        if (!el) continue;
        fixField(el, node);
        if (isHidden(node)) form.append(el);
        else box.append(el);
      }
      if (!box.hasChildNodes()) continue;
      form.append(box);
      const hint = usernameHint(ui.nodes, form);
      if (hint) form.prepend(hint);
      wire(form, ui, options.onSubmit);
      list.append(sectionOf(group, form));
      if (group === savedIn && successes.length) {
        // Focused by the page once drawn (tabindex), so a screen reader reads it out.
        const saved = h('div', { class: 'section-saved', attrs: { role: 'status', tabindex: '-1' } }, messageList(successes));
        form.after(saved);
        placed = true;
      }
    }
    // The saved section may be gone from the answer: then the news goes at the top, as Kratos put it.
    if (successes.length && !placed) messages.append(messageList(successes)!);
    return h('div', { class: 'flow flow-sections' }, messages, list);
  }

  const form = h('form', { class: 'flow-form', attrs: { method: 'post', novalidate: true } });
  if (identity) form.append(identity.summary);
  const ctx = contextFor(form);
  const lead = h('div', { class: 'lead' });
  const alternatives = h('div', { class: 'alternatives', data: { testid: 'flow/alternatives' } });
  const navigation = h('div', { class: 'navigation' });
  // Per group: its box, and whether its fields wait behind its button. An alternative with fields
  // of its own (the backup code beside the authenticator app's code) keeps them there until the
  // button is pressed, so that the page asks for one code at a time (review finding 10); not when
  // it was the one just sent, nor where Kratos has something to say about it.
  const boxes = new Map<string, { box: HTMLElement; waiting: HTMLElement | null }>();
  for (const node of ordered) {
    const el = renderNode(node, ctx);
    if (!el) continue;
    if (isHidden(node)) {
      form.append(el);
      continue;
    }
    if (isNavigation(node)) {
      navigation.append(el);
      continue;
    }
    let group = boxes.get(node.group);
    if (!group) {
      const name = node.group;
      // The shared fields (identifier, traits) and the leading method first; every other method
      // that has something to press is an alternative.
      const other = name !== 'default' && name !== leading && ordered.some((n) => n.group === name && isButton(n) && !isNavigation(n));
      const waits = other && name !== options.sentGroup && !ordered.some((n) => n.group === name && n.messages.length);
      group = { box: groupBox(name), waiting: waits ? h('div', { attrs: { hidden: true } }) : null };
      boxes.set(name, group);
      (other ? alternatives : lead).append(group.box);
    }
    if (group.waiting && inputAttrs(node) && !isButton(node)) {
      if (!group.waiting.parentNode) group.box.append(group.waiting);
      group.waiting.append(el);
      continue;
    }
    group.box.append(el);
  }
  for (const { box, waiting: fields } of boxes.values()) {
    if (!fields?.hasChildNodes()) continue;
    for (const button of box.querySelectorAll('button')) {
      button.addEventListener('click', (event) => {
        if (!fields.hidden) return;
        event.preventDefault();
        fields.hidden = false;
        fields.querySelector<HTMLElement>('input, select')?.focus();
      });
    }
  }
  form.append(lead);
  if (alternatives.hasChildNodes()) {
    if (lead.hasChildNodes()) {
      // "or", drawn as a line with the word in it; one labelled separator for assistive technology.
      form.append(h('div', { class: 'or', attrs: { role: 'separator', 'aria-label': t('app.flow.or') } }, h('span', { attrs: { 'aria-hidden': 'true' } }, t('app.flow.or'))));
    }
    form.append(alternatives);
  }
  if (navigation.hasChildNodes()) form.append(navigation);

  const hint = usernameHint(ui.nodes, form);
  if (hint) form.prepend(hint);
  wire(form, ui, options.onSubmit);
  return h('div', { class: 'flow' }, messages, form);
}
