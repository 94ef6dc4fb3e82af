// How a flow's groups are laid out, decided from its nodes alone (no page knows a method):
//
// - "choose" (sign-in, sign-up, recovery, verification): the method the flow leads with is the
//   one primary action; every other method is a secondary choice under an "or".
// - "sections" (settings): each group is a titled section with its own form and one action
//   that says what it does.
//
// Also which buttons are secondary or destructive, and what social sign-in and passkey buttons
// carry. Strings are ids in the catalog; this file holds data and small rules, no DOM.
import type { UiNode } from '@ory/client-fetch';
import type { TextId } from '../i18n/catalog';
import type { SettingsMessageId } from '../i18n/settings-en';
import { inputAttrs as input } from './values';

export type FlowLayout = 'choose' | 'sections';
export type ButtonRole = 'primary' | 'secondary' | 'danger';

/** Buttons that take something away: removing a key, unlinking a provider or an app. */
const DESTRUCTIVE = new Set(['unlink', 'webauthn_remove', 'passkey_remove', 'totp_unlink', 'lookup_secret_disable']);
/** Buttons that help along the main action but are not it: "Back", "Resend code". */
const SUPPORTING = new Set(['screen', 'resend', 'email']);
/** Kratos's generic "Save" label (1070003), which settings replaces with the group's own action. */
const GENERIC_SAVE = 1070003;
/** Kratos's "Sign up" (1040001), on every sign-up method's button and on the profile step's. */
const SIGN_UP = 1040001;

/**
 * The settings sections Kratos v1.3.1 has; a group not listed here gets a section titled by its name.
 * `on`: what the section says instead of `about` once the method is on (it offers its removal).
 * `setUp`: the group is set up on a settings flow of its own, opened from a link with this text.
 * TOTP: Kratos makes a new secret for a settings flow whenever the flow is saved (flow/settings/
 * hook.go: a saved flow gets a new flow's UI and internal context), so a QR code scanned on the
 * page of every section dies when anything else on it is saved first.
 */
export const SECTIONS: Record<string, { title: SettingsMessageId; about: SettingsMessageId; on?: SettingsMessageId; save?: SettingsMessageId; setUp?: SettingsMessageId }> = {
  profile: { title: 'app.settings.profile.title', about: 'app.settings.profile.about', save: 'app.settings.profile.save' },
  password: { title: 'app.settings.password.title', about: 'app.settings.password.about', save: 'app.settings.password.save' },
  totp: { title: 'app.settings.totp.title', about: 'app.settings.totp.about', on: 'app.settings.totp.on', save: 'app.settings.totp.save', setUp: 'app.settings.totp.setUp' },
  lookup_secret: { title: 'app.settings.lookup.title', about: 'app.settings.lookup.about' },
  webauthn: { title: 'app.settings.webauthn.title', about: 'app.settings.webauthn.about' },
  passkey: { title: 'app.settings.passkey.title', about: 'app.settings.passkey.about' },
  oidc: { title: 'app.settings.oidc.title', about: 'app.settings.oidc.about' },
  saml: { title: 'app.settings.oidc.title', about: 'app.settings.oidc.about' },
};

/**
 * Settings fields a person cannot change there, with what the page says under them. The address
 * stays the one sign-up proved: Kratos refuses a changed one (kratos/hooks/address-unchanged.jsonnet,
 * SECURITY.md: address squatting).
 */
export const FIXED_IN_SETTINGS: Record<string, SettingsMessageId> = { 'traits.email': 'app.settings.profile.addressFixed' };

export function isButton(node: UiNode): boolean {
  const a = input(node);
  return !!a && (a.type === 'submit' || a.type === 'button');
}

/** A field a person fills in (not hidden, not a button). */
function isField(node: UiNode): boolean {
  const a = input(node);
  return !!a && a.type !== 'hidden' && !isButton(node);
}

/**
 * Whether a settings group is to be set up on a flow of its own now: it is one of those (SECTIONS
 * setUp) and its nodes ask for something (the set-up form; once set up, only a removal button).
 */
export function setsUpAlone(group: string, nodes: UiNode[]): boolean {
  return !!SECTIONS[group]?.setUp && nodes.some((n) => n.group === group && isField(n));
}

/** "Back" to the previous step: after every method, never one of them. */
export function isNavigation(node: UiNode): boolean {
  return input(node)?.name === 'screen';
}

/**
 * The group the flow leads with: the first (in display order) that asks for something of its
 * own (the password beside the identifier; the code once it was sent; the identifier in
 * identifier-first style); where none does (sign-up's first step), the first that has a button.
 * `groups` are in display order; `default` never leads, its fields come first anyway.
 */
export function leadingGroup(groups: string[], nodes: UiNode[]): string | null {
  const methods = groups.filter((g) => g !== 'default');
  const has = (group: string, test: (n: UiNode) => boolean) => nodes.some((n) => n.group === group && test(n));
  const hasAction = (n: UiNode) => isButton(n) && !isNavigation(n);
  return methods.find((g) => has(g, isField) && has(g, hasAction)) ?? methods.find((g) => has(g, hasAction)) ?? null;
}

/**
 * Settings: the sections whose action is the point of the page lead with a primary button (save
 * the profile, change the password, turn on the app, confirm new backup codes); adding a key or
 * linking an account is a quieter choice, so that the page is not a wall of equal buttons
 * (review finding 20).
 */
export function leadsSection(node: UiNode): boolean {
  return !!SECTIONS[node.group]?.save || input(node)?.name === 'lookup_secret_confirm';
}

/** Whether a settings group's method is on: it offers its removal (a red button). */
export function isOn(group: string, nodes: UiNode[]): boolean {
  return nodes.some((n) => n.group === group && DESTRUCTIVE.has(input(n)?.name ?? ''));
}

/** How a button looks: destructive ones in red, the helpers beside a main action quieter. */
export function buttonRole(node: UiNode, leads: boolean): ButtonRole {
  const name = input(node)?.name ?? '';
  if (DESTRUCTIVE.has(name)) return 'danger';
  if (SUPPORTING.has(name) || !leads) return 'secondary';
  return 'primary';
}

/**
 * A button's label where Kratos's does not say what it does: in settings, "Save" becomes the
 * section's action ("Change password"); the first step of a profile-first sign-up says
 * "Continue", not "Sign up" (1040001), since nobody is signed up yet (review finding 7).
 */
export function actionLabel(node: UiNode): TextId | null {
  if (!isButton(node)) return null;
  const id = node.meta?.label?.id;
  if (id === GENERIC_SAVE) return SECTIONS[node.group]?.save ?? null;
  if (id === SIGN_UP && node.group === 'profile' && input(node)?.value === 'profile') return 'app.registration.continue';
  return null;
}

/** A social sign-in button names its provider; the provider id keys its mark (styles.css). */
export function providerOf(node: UiNode): string | null {
  const a = input(node);
  if (!a || (node.group !== 'oidc' && node.group !== 'saml') || !isButton(node)) return null;
  return typeof a.value === 'string' && a.value !== '' ? a.value : null;
}

/** Passkey buttons carry the passkey mark, so people recognise them. */
export function isPasskeyButton(node: UiNode): boolean {
  return node.group === 'passkey' && isButton(node);
}
