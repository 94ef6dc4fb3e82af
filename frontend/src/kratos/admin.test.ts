// Kratos's admin answers as the administration pages read them, from answers captured from the
// real Kratos (frontend/src/fixtures, infra/local/capture-fixtures.mjs), v1.3.1 and v26.2.0.
import { describe, expect, it } from 'vitest';
import refused from '../fixtures/v1.3.1/admin-identity-patch-invalid.json';
import refusedNewer from '../fixtures/admin-identity-patch-invalid.json';
import { schemaReason } from './admin';

describe('schemaReason', () => {
  it('reads the schema\'s refusal of an identity as one finding per field, without the JSON pointers, "validation failed" or repeats (review finding 32)', () => {
    // By field, whatever order Kratos listed them in (it keeps none).
    for (const [fixture, order] of [
      [refused, ['account_type', 'email']],
      [refusedNewer, ['account_type', 'email']],
    ] as const) {
      const reason = fixture.body.error.reason;
      expect(reason).toContain('I[#/traits/email] S[#/properties/traits/properties/email/format]');
      const findings: Record<string, string> = {
        account_type: 'traits.account_type: value must be one of "educator", "student"',
        email: 'traits.email: "not an address" is not valid "email"',
      };
      expect(schemaReason(reason)).toBe(order.map((k) => findings[k]).join('; '));
    }
  });

  it('leaves any other reason as it came', () => {
    expect(schemaReason('The request was malformed or contained invalid parameters')).toBe('The request was malformed or contained invalid parameters');
  });
});
