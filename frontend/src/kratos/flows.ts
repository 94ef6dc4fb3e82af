// The five self-service flows, described once: how to create one, fetch one, and read one.
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

export type FlowKind = 'login' | 'registration' | 'recovery' | 'verification' | 'settings';
export type Flow = LoginFlow | RegistrationFlow | RecoveryFlow | VerificationFlow | SettingsFlow;

export interface FlowSpec {
  kind: FlowKind;
  /** Query parameters of the page that are passed on when a flow is created. */
  createParams: readonly string[];
  create(params: URLSearchParams, signal: AbortSignal): Promise<KratosReply>;
  get(id: string, signal: AbortSignal): Promise<KratosReply>;
  fromJSON(json: unknown): Flow;
}

const opt = (params: URLSearchParams, name: string): string | undefined => params.get(name) ?? undefined;

export const FLOWS: Record<FlowKind, FlowSpec> = {
  login: {
    kind: 'login',
    createParams: ['return_to', 'refresh', 'aal', 'login_challenge', 'organization', 'via'],
    create: (p, signal) =>
      call(() =>
        kratos.get(
          '/self-service/login/browser',
          {
            return_to: opt(p, 'return_to'),
            refresh: p.get('refresh') === 'true' ? 'true' : undefined,
            aal: opt(p, 'aal'),
            login_challenge: opt(p, 'login_challenge'),
            organization: opt(p, 'organization'),
            via: opt(p, 'via'),
          },
          requestInit(signal),
        ),
      ),
    get: (id, signal) => call(() => kratos.get('/self-service/login/flows', { id }, requestInit(signal))),
    fromJSON: LoginFlowFromJSON,
  },
  registration: {
    kind: 'registration',
    createParams: ['return_to', 'login_challenge', 'after_verification_return_to', 'organization'],
    create: (p, signal) =>
      call(() =>
        kratos.get(
          '/self-service/registration/browser',
          {
            return_to: opt(p, 'return_to'),
            login_challenge: opt(p, 'login_challenge'),
            after_verification_return_to: opt(p, 'after_verification_return_to'),
            organization: opt(p, 'organization'),
          },
          requestInit(signal),
        ),
      ),
    get: (id, signal) => call(() => kratos.get('/self-service/registration/flows', { id }, requestInit(signal))),
    fromJSON: RegistrationFlowFromJSON,
  },
  recovery: {
    kind: 'recovery',
    createParams: ['return_to'],
    create: (p, signal) =>
      call(() => kratos.get('/self-service/recovery/browser', { return_to: opt(p, 'return_to') }, requestInit(signal))),
    get: (id, signal) => call(() => kratos.get('/self-service/recovery/flows', { id }, requestInit(signal))),
    fromJSON: RecoveryFlowFromJSON,
  },
  verification: {
    kind: 'verification',
    createParams: ['return_to'],
    create: (p, signal) =>
      call(() => kratos.get('/self-service/verification/browser', { return_to: opt(p, 'return_to') }, requestInit(signal))),
    get: (id, signal) => call(() => kratos.get('/self-service/verification/flows', { id }, requestInit(signal))),
    fromJSON: VerificationFlowFromJSON,
  },
  settings: {
    kind: 'settings',
    createParams: ['return_to'],
    create: (p, signal) =>
      call(() => kratos.get('/self-service/settings/browser', { return_to: opt(p, 'return_to') }, requestInit(signal))),
    get: (id, signal) => call(() => kratos.get('/self-service/settings/flows', { id }, requestInit(signal))),
    fromJSON: SettingsFlowFromJSON,
  },
};
