// The five self-service flows, described once: which requests open one (data in requests.ts,
// sent here through the SDK), and how to read one.
import {
  LoginFlowFromJSON,
  RecoveryFlowFromJSON,
  RegistrationFlowFromJSON,
  SettingsFlowFromJSON,
  VerificationFlowFromJSON,
  type LoginFlow,
  type RecoveryFlow,
  type RegistrationFlow,
  type SettingsFlow,
  type VerificationFlow,
} from '@ory/client-fetch';
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

const spec = (kind: FlowKind, fromJSON: (json: unknown) => Flow): FlowSpec => ({ kind, fromJSON });

export const FLOWS: Record<FlowKind, FlowSpec> = {
  login: spec('login', LoginFlowFromJSON),
  registration: spec('registration', RegistrationFlowFromJSON),
  recovery: spec('recovery', RecoveryFlowFromJSON),
  verification: spec('verification', VerificationFlowFromJSON),
  settings: spec('settings', SettingsFlowFromJSON),
};
