// One Kratos UI node → DOM. Everything Kratos sends is untrusted: text goes in as text,
// URLs are checked (kratos/urls.ts), script nodes are never loaded, and an input's legacy
// onclick/onload JavaScript strings are never run.
import type {
  UiNode,
  UiNodeAnchorAttributes,
  UiNodeImageAttributes,
  UiNodeInputAttributes,
  UiNodeTextAttributes,
  UiText,
} from '@ory/client-fetch';
import { kratosText, t } from '../i18n/catalog';
import { httpUrl, safeImageSrc } from '../kratos/urls';
import { copyButton } from '../ui/copy';
import { h, uniqueId } from '../ui/dom';
import { isPasskeyButton, providerOf, type ButtonRole } from './layout';

const INPUT_TYPES = new Set(['text', 'password', 'number', 'checkbox', 'hidden', 'email', 'tel', 'submit', 'button', 'datetime-local', 'date', 'url']);

export interface NodeContext {
  kratosOrigin: string;
  /** A value the user typed earlier for this name, shown where Kratos sends none. */
  kept(name: string): string | undefined;
  /** Handlers for onclickTrigger names (WebAuthn, passkeys: see triggers.ts). */
  triggers: Partial<Record<string, (button: HTMLButtonElement, node: UiNode, flow: TriggerContext) => void>>;
  flow: TriggerContext;
  /** How a button looks, and the label that replaces Kratos's where the layout names the action. */
  button(node: UiNode): { role: ButtonRole; label?: string };
}

/** What a trigger may do with the flow its button is in. */
export interface TriggerContext {
  nodes: UiNode[];
  form: HTMLFormElement;
  /** Sends the form for `group` (plus the default group), with `values` set. */
  submit(group: string, values: Record<string, string>): void;
  /** Says, on the form, why something did not work. */
  problem(text: string): void;
  /** Aborted when this form is no longer the one to act on (replaced, submitted, page left). */
  signal: AbortSignal;
}

export function nodeLabel(node: UiNode): string {
  if (node.meta?.label) return kratosText(node.meta.label);
  const attrs = node.attributes as Partial<UiNodeInputAttributes>;
  if (attrs.label) return kratosText(attrs.label);
  return attrs.name ?? '';
}

export function inputType(attrs: UiNodeInputAttributes): string {
  return INPUT_TYPES.has(attrs.type) ? attrs.type : 'text';
}

/** Trait names (the last part of traits.*) that have an autocomplete token of their own. */
const TRAIT_AUTOCOMPLETE: Record<string, string> = {
  first: 'given-name',
  given_name: 'given-name',
  last: 'family-name',
  family_name: 'family-name',
  phone: 'tel',
  username: 'username',
};

/** Kratos leaves some autocomplete hints out; these help password managers and OTP autofill. */
export function autocompleteFor(attrs: UiNodeInputAttributes): string | undefined {
  if (attrs.autocomplete) return attrs.autocomplete;
  if (attrs.name === 'identifier') return 'username';
  if (['code', 'totp_code', 'lookup_secret'].includes(attrs.name)) return 'one-time-code';
  if (attrs.name.startsWith('traits.')) return TRAIT_AUTOCOMPLETE[attrs.name.split('.').pop()!];
  return undefined;
}

/** Codes Kratos sends as digits: phones show a number pad for them (backup codes have letters). */
const NUMERIC_CODES = new Set(['code', 'totp_code']);
/** Fields that hold an address or a name as typed: no capital letter or spelling fix added by a phone. */
const AS_TYPED = new Set(['identifier', 'email', 'traits.email', 'traits.username']);

/**
 * Hints for phones and right-to-left pages that Kratos does not send: a number pad for codes,
 * the address as typed, `email` autocomplete for recovery's and verification's address, and the
 * direction of what is typed taken from the text itself (a Latin name in an Arabic page keeps its
 * full stop at its end).
 */
export function typingHints(attrs: UiNodeInputAttributes, type: string): Record<string, string | undefined> {
  const hints: Record<string, string | undefined> = {};
  if (NUMERIC_CODES.has(attrs.name)) hints.inputmode = 'numeric';
  if (AS_TYPED.has(attrs.name)) {
    hints.autocapitalize = 'none';
    hints.spellcheck = 'false';
  }
  if (attrs.name === 'email' && !attrs.autocomplete) hints.autocomplete = 'email';
  if (['text', 'email', 'tel', 'url'].includes(type)) hints.dir = 'auto';
  return hints;
}

export function messageList(messages: UiText[] | undefined, id?: string): HTMLElement | null {
  if (!messages || messages.length === 0) return null;
  const list = h('div', { class: 'messages', attrs: { id } });
  for (const m of messages) {
    list.append(
      h(
        'p',
        {
          class: `message message-${m.type === 'error' ? 'error' : m.type === 'success' ? 'success' : 'info'}`,
          data: { testid: `ui/message/${m.id}` },
          attrs: { role: m.type === 'error' ? 'alert' : null },
        },
        kratosText(m),
      ),
    );
  }
  return list;
}

function renderInput(node: UiNode, attrs: UiNodeInputAttributes, ctx: NodeContext): HTMLElement | null {
  const type = inputType(attrs);
  const label = nodeLabel(node);

  if (type === 'hidden') {
    return h('input', { attrs: { type: 'hidden', name: attrs.name, value: valueString(attrs.value) } });
  }

  if (type === 'submit' || type === 'button') {
    const trigger = attrs.onclickTrigger;
    if (type === 'button' && !(trigger && ctx.triggers[trigger])) {
      // A button that needs Kratos's script (or an unknown trigger) would do nothing here.
      return null;
    }
    const look = ctx.button(node);
    const provider = providerOf(node);
    const passkey = isPasskeyButton(node);
    const button = h(
      'button',
      {
        class: `button button-${look.role}${passkey ? ' button-passkey' : ''}${provider ? ' button-provider' : ''}`,
        attrs: {
          type: type === 'submit' ? 'submit' : 'button',
          name: attrs.name,
          value: valueString(attrs.value),
          disabled: attrs.disabled,
        },
        data: { group: node.group },
      },
      // The marks are decoration: the label already names the provider or says "passkey".
      provider ? h('span', { class: 'provider-mark', data: { provider }, attrs: { 'aria-hidden': 'true' } }, provider.slice(0, 1).toUpperCase()) : null,
      passkey ? h('span', { class: 'passkey-mark', attrs: { 'aria-hidden': 'true' } }) : null,
      look.label ?? label,
    );
    if (trigger && ctx.triggers[trigger]) ctx.triggers[trigger]!(button, node, ctx.flow);
    return h('div', { class: 'actions' }, button);
  }

  const id = uniqueId('field');
  const messagesId = node.messages.length ? `${id}-messages` : undefined;
  const hasError = node.messages.some((m) => m.type === 'error');
  const input = h('input', {
    attrs: {
      id,
      type,
      name: attrs.name,
      required: attrs.required,
      disabled: attrs.disabled,
      autocomplete: autocompleteFor(attrs),
      ...typingHints(attrs, type),
      pattern: attrs.pattern,
      maxlength: attrs.maxlength,
      'aria-describedby': messagesId,
      'aria-invalid': hasError ? 'true' : null,
    },
    data: { group: node.group },
  });

  // Ory's own UIs wrap a field's label, input and messages in node/input/<name>, which Ory's
  // end-to-end specs address (test/e2e/playwright/selectors/input.ts at Kratos v26.2.0).
  const testid = `node/input/${attrs.name}`;
  if (type === 'checkbox') {
    input.checked = attrs.value === true || attrs.value === 'true';
    return h(
      'div',
      { class: 'field field-checkbox', data: { testid } },
      input,
      h('label', { attrs: { for: id } }, label),
      messageList(node.messages, messagesId),
    );
  }

  // Secrets are never put back into a field: Kratos does not send them and we do not keep them.
  if (type !== 'password') {
    const value = attrs.value !== undefined && attrs.value !== null && attrs.value !== '' ? valueString(attrs.value) : ctx.kept(attrs.name);
    if (value !== undefined) input.value = value;
  }
  return h(
    'div',
    { class: 'field', data: { testid } },
    h('label', { attrs: { for: id } }, label, attrs.required ? h('span', { class: 'required', attrs: { 'aria-hidden': 'true' } }, ' *') : null),
    input,
    type === 'password' ? revealButton(input) : null,
    messageList(node.messages, messagesId),
  );
}

/**
 * "Show password" (review finding 17): a toggle (aria-pressed) that shows what was typed. The
 * form hides it again before it is sent (render.ts wire), so that nothing is sent or kept shown.
 */
function revealButton(input: HTMLInputElement): HTMLElement {
  const button: HTMLButtonElement = h(
    'button',
    {
      class: 'reveal',
      attrs: { type: 'button', 'aria-pressed': 'false', 'aria-controls': input.id },
      on: {
        click: () => {
          const show = input.type === 'password';
          input.type = show ? 'text' : 'password';
          button.setAttribute('aria-pressed', String(show));
        },
      },
    },
    t('app.password.show'),
  );
  return button;
}

function renderImage(node: UiNode, attrs: UiNodeImageAttributes, ctx: NodeContext): HTMLElement | null {
  const src = safeImageSrc(attrs.src, ctx.kratosOrigin);
  const label = nodeLabel(node);
  if (!src) return label ? h('p', { class: 'field' }, label) : null;
  return h(
    'figure',
    { class: 'field field-image', data: { testid: `node/image/${attrs.id}` } },
    h('img', { attrs: { src, alt: label, width: attrs.width || null, height: attrs.height || null } }),
    label ? h('figcaption', {}, label) : null,
    messageList(node.messages),
  );
}

/** A button that saves `lines` as a text file (a blob: link made when clicked, revoked after). */
function downloadButton(filename: string, lines: string[], testid: string): HTMLElement {
  return h(
    'button',
    {
      class: 'button button-secondary button-small',
      attrs: { type: 'button' },
      data: { testid },
      on: {
        click: () => {
          const url = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/plain' }));
          const a = h('a', { attrs: { href: url, download: filename, hidden: true } });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 0);
        },
      },
    },
    t('app.settings.lookup.download'),
  );
}

/** A secret to type by hand, in groups of four ("JBSW Y3DP …"), as authenticator apps take it (review finding 19). */
function inFours(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

function renderText(node: UiNode, attrs: UiNodeTextAttributes): HTMLElement {
  const label = node.meta?.label ? kratosText(node.meta.label) : null;
  const context = (attrs.text.context ?? {}) as { secrets?: unknown; secret?: unknown };
  // Lookup secrets (recovery codes) come as a list of texts in the context.
  const secrets = Array.isArray(context.secrets)
    ? (context.secrets as UiText[]).filter((s) => s && typeof s.text === 'string')
    : null;
  const codes = secrets ? secrets.map((s) => kratosText(s)) : null;
  // The authenticator app's secret, for people who cannot scan the QR code.
  const secret = !codes && attrs.id === 'totp_secret_key' ? (typeof context.secret === 'string' ? context.secret : attrs.text.text) : null;
  const tools = codes
    ? [copyButton(codes.join('\n'), t('app.settings.lookup.copy'), 'codes/copy'), downloadButton('backup-codes.txt', codes, 'codes/download')]
    : secret
      ? [copyButton(secret, t('app.settings.totp.copySecret'), 'totp/copy-secret')]
      : [];
  return h(
    'div',
    { class: 'field field-text', data: { testid: `node/text/${attrs.id}` } },
    label ? h('p', { class: 'field-text-label' }, label) : null,
    codes
      ? h('ul', { class: 'secrets' }, ...codes.map((code) => h('li', {}, h('code', {}, code))))
      : h('p', {}, h('code', { data: { testid: `node/text/${attrs.id}/text` } }, secret && attrs.text.text === secret ? inFours(secret) : kratosText(attrs.text))),
    tools.length > 0 ? h('div', { class: 'tools' }, ...tools) : null,
    messageList(node.messages),
  );
}

function renderAnchor(node: UiNode, attrs: UiNodeAnchorAttributes): HTMLElement {
  const url = httpUrl(attrs.href);
  const text = kratosText(attrs.title);
  const testid = `node/anchor/${attrs.id}`;
  if (!url) return h('p', { class: 'field', data: { testid } }, text);
  return h('p', { class: 'field' }, h('a', { class: 'button button-link', attrs: { href: url.href }, data: { testid } }, text));
}

function valueString(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The element for one node, or null for nodes that show nothing (scripts, unusable buttons). */
export function renderNode(node: UiNode, ctx: NodeContext): HTMLElement | null {
  const attrs = node.attributes;
  switch (attrs.node_type) {
    case 'input':
      return renderInput(node, attrs, ctx);
    case 'img':
      return renderImage(node, attrs, ctx);
    case 'text':
      return renderText(node, attrs);
    case 'a':
      return renderAnchor(node, attrs);
    case 'script':
      // Never loaded: the CSP allows only our own scripts, and WebAuthn is implemented natively.
      return null;
    default:
      return null;
  }
}
