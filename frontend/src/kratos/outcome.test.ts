// What the app reads from each kind of answer the real Kratos v1.3.1 gave (fixtures captured
// by infra/local/capture-fixtures.mjs).
import { describe, expect, it } from 'vitest';
import loginAlready from '../fixtures/login-session-already-available.json';
import loginInvalid from '../fixtures/login-invalid-credentials.json';
import loginUnknown from '../fixtures/login-unknown-flow.json';
import registrationStepTwo from '../fixtures/registration-step-two.json';
import registrationSuccess from '../fixtures/registration-success.json';
import anonymous from '../fixtures/session-whoami-anonymous.json';
import verificationPassed from '../fixtures/verification-passed.json';
import { FLOWS } from './flows';
import { classify, DEFAULT_WAIT_SECONDS, waitSeconds } from './outcome';

describe('classify', () => {
  it('reads a 400 with a flow (wrong password) as a flow to show again, as Kratos sent it', () => {
    const o = classify(loginInvalid, FLOWS.login.fromJSON);
    expect(o.type).toBe('flow');
    if (o.type !== 'flow') return;
    expect(o.status).toBe(400);
    expect(o.flow.ui.messages?.[0]?.id).toBe(4000006);
    expect(o.flow).toEqual(loginInvalid.body);
  });

  it('reads the two-step registration\'s 400 (message 1040009) as the next screen of the same flow', () => {
    const o = classify(registrationStepTwo, FLOWS.registration.fromJSON);
    expect(o.type === 'flow' && o.flow.ui.messages?.[0]?.id).toBe(1040009);
  });

  it('reads a registration success (by code: the address is proven, so no verification screen) as done, with the redirect in continue_with', () => {
    const o = classify(registrationSuccess, FLOWS.registration.fromJSON);
    expect(o.type).toBe('done');
    if (o.type !== 'done') return;
    expect(o.continueWith.map((c) => c.action)).toEqual(['redirect_browser_to']);
  });

  it('reads the passed verification (200 flow with a GET form and a continue link) as a flow', () => {
    const o = classify(verificationPassed, FLOWS.verification.fromJSON);
    expect(o.type === 'flow' && o.flow.state).toBe('passed_challenge');
  });

  it('reads session_already_available as an error with its id', () => {
    const o = classify(loginAlready, FLOWS.login.fromJSON);
    expect(o).toMatchObject({ type: 'error', status: 400, error: { id: 'session_already_available' }, useFlowId: null });
  });

  it('reads an unknown flow id as a 404 error without an id', () => {
    const o = classify(loginUnknown, FLOWS.login.fromJSON);
    expect(o).toMatchObject({ type: 'error', status: 404 });
    expect(o.type === 'error' && o.error.id).toBeUndefined();
  });

  it('reads whoami without a session as a 401 error (Kratos gives no error id there)', () => {
    expect(classify(anonymous)).toMatchObject({ type: 'error', status: 401, error: { code: 401 } });
  });

  it('does not take a flow-shaped body for a flow where no flow is expected', () => {
    expect(classify(loginInvalid).type).toBe('error');
  });

  it('reads 410 use_flow_id and 422 redirect_browser_to in the shape Kratos documents', () => {
    // Shapes from Kratos v1.3.1 selfservice/flow/error.go (the e2e tests exercise them live).
    const expired = { status: 410, body: { error: { id: 'self_service_flow_expired', code: 410, message: 'expired' }, use_flow_id: 'new-id' } };
    expect(classify(expired, FLOWS.login.fromJSON)).toMatchObject({ type: 'error', useFlowId: 'new-id' });
    const move = { status: 422, body: { error: { id: 'browser_location_change_required', code: 422, message: 'go' }, redirect_browser_to: 'https://x.example/y' } };
    expect(classify(move, FLOWS.login.fromJSON)).toEqual({ type: 'redirect', status: 422, to: 'https://x.example/y' });
  });

  it('turns a non-JSON failure status into an error with the status', () => {
    expect(classify({ status: 502, body: null })).toMatchObject({ type: 'error', status: 502, error: { code: 502 } });
  });
});

// A refusal by the Gateway's rate limit: Envoy's local reply (status 429, body "local_rate_limited",
// envoy source/extensions/filters/http/local_ratelimit/local_ratelimit.cc), with the wait in
// X-RateLimit-Reset (Envoy Gateway sets enable_x_ratelimit_headers DRAFT_VERSION_03:
// internal/xds/translator/local_ratelimit.go) or Retry-After.
describe('a refusal to take more requests (429)', () => {
  const refusal = (wait: string | null) => ({ status: 429, body: null, wait });

  it('is "limited", whatever the body, with the wait in seconds from Retry-After or X-RateLimit-Reset', () => {
    expect(classify(refusal('37'), FLOWS.login.fromJSON)).toEqual({ type: 'limited', status: 429, seconds: 37 });
    expect(classify(refusal('1'))).toEqual({ type: 'limited', status: 429, seconds: 1 });
  });

  it('reads Retry-After as an HTTP date too', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(waitSeconds('Mon, 07 Dec 2026 10:00:42 GMT', now)).toBe(42);
  });

  it('waits a minute (the limits count per minute) when no wait is given or it cannot be read, and never less than 1 s or more than an hour', () => {
    expect(waitSeconds(null)).toBe(DEFAULT_WAIT_SECONDS);
    expect(waitSeconds('soon')).toBe(DEFAULT_WAIT_SECONDS);
    expect(waitSeconds('0')).toBe(1);
    expect(waitSeconds('-5')).toBe(DEFAULT_WAIT_SECONDS);
    expect(waitSeconds('999999')).toBe(3600);
    expect(waitSeconds('Mon, 07 Dec 2026 09:59:00 GMT', Date.parse('2026-12-07T10:00:00Z'))).toBe(1);
  });
});
