// The five self-service flows, described once: which requests open one (data in requests.ts,
// sent here through the SDK), and how to read one.
import type { LoginFlow, RecoveryFlow, RegistrationFlow, SettingsFlow, VerificationFlow } from '@ory/client-fetch';
import { call, kratos, requestInit, type KratosReply } from './client';
import type { FlowKind, FlowRequest } from './requests';

export type { FlowKind } from './requests';
export type Flow = LoginFlow | RegistrationFlow | RecoveryFlow | VerificationFlow | SettingsFlow;

export interface FlowSpec {
  kind: FlowKind;
  fromJSON(json: unknown): Flow;
}

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

const spec = (kind: FlowKind): FlowSpec => ({ kind, fromJSON: asFlow });

export const FLOWS: Record<FlowKind, FlowSpec> = {
  login: spec('login'),
  registration: spec('registration'),
  recovery: spec('recovery'),
  verification: spec('verification'),
  settings: spec('settings'),
};
