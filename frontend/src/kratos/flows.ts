// The five self-service flows, described once: how to create one, fetch one (the requests are
// data in requests.ts), and read one.
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
import { FLOW_REQUESTS, type FlowKind, type FlowRequest } from './requests';

export type { FlowKind } from './requests';
export type Flow = LoginFlow | RegistrationFlow | RecoveryFlow | VerificationFlow | SettingsFlow;

export interface FlowSpec {
  kind: FlowKind;
  create(params: URLSearchParams, signal: AbortSignal): Promise<KratosReply>;
  get(id: string, signal: AbortSignal): Promise<KratosReply>;
  fromJSON(json: unknown): Flow;
}

const send = (request: FlowRequest, signal: AbortSignal): Promise<KratosReply> =>
  call(() => kratos.get(request.path, request.query, requestInit(signal)));

const spec = (kind: FlowKind, fromJSON: (json: unknown) => Flow): FlowSpec => ({
  kind,
  create: (params, signal) => send(FLOW_REQUESTS[kind].create(params), signal),
  get: (id, signal) => send(FLOW_REQUESTS[kind].get(id), signal),
  fromJSON,
});

export const FLOWS: Record<FlowKind, FlowSpec> = {
  login: spec('login', LoginFlowFromJSON),
  registration: spec('registration', RegistrationFlowFromJSON),
  recovery: spec('recovery', RecoveryFlowFromJSON),
  verification: spec('verification', VerificationFlowFromJSON),
  settings: spec('settings', SettingsFlowFromJSON),
};
