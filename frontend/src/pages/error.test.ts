// The error page's own words for the errors it knows, over Kratos's answers captured from the
// real Kratos (both versions, infra/local/capture-fixtures.mjs).
import { describe, expect, it } from 'vitest';
import template from '../../../kratos/hooks/address-proven.jsonnet?raw';
import refused from '../fixtures/registration-address-not-proven.json';
import refusedV1 from '../fixtures/v1.3.1/registration-address-not-proven.json';
import stub from '../fixtures/error-stub.json';
import { ADDRESS_NOT_PROVEN, knownError } from './error';

describe('knownError', () => {
  it('recognises the refusal of a sign-up whose address nothing proved (kratos/hooks/address-proven.jsonnet), as both Kratos versions pass it on', () => {
    expect(template).toContain(`error '${ADDRESS_NOT_PROVEN}`);
    for (const answer of [refused, refusedV1]) {
      expect(answer.status).toBe(500);
      expect(knownError(answer.body.error)).toBe('app.error.addressNotProven');
    }
  });

  it('leaves every other error to Kratos\'s own words', () => {
    expect(knownError(stub.body.error)).toBeNull();
    expect(knownError({ message: 'An internal server error occurred, please contact the system administrator' })).toBeNull();
  });
});
