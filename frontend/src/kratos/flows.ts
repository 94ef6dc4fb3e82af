// The five self-service flows, described once: which requests open one (data in requests.ts,
// sent here through the SDK), how to read one, and which of its methods it offers.
import type { LoginFlow, RecoveryFlow, RegistrationFlow, SettingsFlow, UiContainer, VerificationFlow } from '@ory/client-fetch';
import { call, kratos, requestInit, type KratosReply } from './client';
import type { FlowKind, FlowRequest } from './requests';

export type { FlowKind } from './requests';
export type Flow = LoginFlow | RegistrationFlow | RecoveryFlow | VerificationFlow | SettingsFlow;

export interface FlowSpec {
  kind: FlowKind;
  fromJSON(json: unknown): Flow;
  /** Groups of Kratos's answer this flow does not offer (their nodes are left out of the form). */
  hiddenGroups: ReadonlySet<string>;
}

/**
 * Sign-up methods that would store a way in before the address is proven: anyone can type
 * someone else's address there. Kratos refuses them (kratos/hooks/address-proven.jsonnet,
 * SECURITY.md: address squatting), so sign-up does not offer them; settings does, once the
 * sign-up has proven the address.
 */
export const UNPROVEN_SIGN_UP: ReadonlySet<string> = new Set(['password', 'passkey', 'webauthn']);

/** Sends a flow request (requests.ts) through the SDK. */
export const sendFlowRequest = (request: FlowRequest, signal: AbortSignal): Promise<KratosReply> =>
  call(() => kratos.get(request.path, request.query, requestInit(signal)));

/**
 * A flow is read as Kratos sent it (classify has checked it has `ui`). The SDK's *FromJSON
 * converters would only turn its timestamps into Dates, which the app never reads, and drop
 * every field the SDK does not know (a newer Kratos's); with the model graph they pull in
 * (OAuth2 clients and all) they cost about 3 KB gzipped of /login's budget. So `expires_at` and
 * `issued_at` stay the strings Kratos sent, whatever the SDK's types say.
 */
const asFlow = (json: unknown): Flow => json as Flow;

const spec = (kind: FlowKind, hiddenGroups: ReadonlySet<string> = new Set()): FlowSpec => ({ kind, fromJSON: asFlow, hiddenGroups });

export const FLOWS: Record<FlowKind, FlowSpec> = {
  login: spec('login'),
  registration: spec('registration', UNPROVEN_SIGN_UP),
  recovery: spec('recovery'),
  verification: spec('verification'),
  settings: spec('settings'),
};

/** What of a flow's `ui` the flow offers: without the nodes of its hidden groups. */
export function offered(spec: FlowSpec, ui: UiContainer): UiContainer {
  return spec.hiddenGroups.size ? { ...ui, nodes: ui.nodes.filter((n) => !spec.hiddenGroups.has(n.group)) } : ui;
}
