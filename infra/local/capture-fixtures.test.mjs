// @vitest-environment node
// The unit tests' Kratos answers are current: captured from the Kratos and the configuration the
// project has today (like the message list's check in infra/checks/i18n.spec.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureInputsHash, CAPTURE_INPUTS, OUT } from './capture-fixtures.mjs';

const fixtures = readdirSync(OUT).filter((f) => f.endsWith('.json'));

describe('the captured fixtures (frontend/src/fixtures/)', () => {
  it('were all captured from what decides Kratos\'s answers today; if not: npm run capture-fixtures', () => {
    const today = captureInputsHash();
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const stale = fixtures.filter((f) => JSON.parse(readFileSync(join(OUT, f), 'utf8'))._provenance?.inputs !== today);
    expect(stale, `stale fixtures (captured before a change to ${CAPTURE_INPUTS.join(', ')})`).toEqual([]);
  });

  it('say where they came from: the Kratos, the request and the status', () => {
    for (const f of fixtures) {
      const { _provenance: p, status } = JSON.parse(readFileSync(join(OUT, f), 'utf8'));
      expect(p.source, f).toMatch(/^Ory Kratos v\d+\.\d+\.\d+, built from the Go module/);
      expect(p.request, f).toMatch(/^(GET|POST|DELETE) \//);
      expect(p.status, f).toBe(status);
    }
  });
});
