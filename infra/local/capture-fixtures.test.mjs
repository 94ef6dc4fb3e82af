// @vitest-environment node
// The unit tests' Kratos answers are current: captured from the Kratos and the configuration the
// project has today (like the message list's check in infra/checks/i18n.spec.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureInputsHash, CAPTURE_INPUTS, OUT } from './capture-fixtures.mjs';

// Every capture, the newer Kratos's under their version's folder (v26.2.0/) included.
const fixtures = readdirSync(OUT, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));

describe('the captured fixtures (frontend/src/fixtures/)', () => {
  it('were all captured from what decides Kratos\'s answers today; if not: npm run capture-fixtures', () => {
    const today = captureInputsHash();
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.filter((f) => f.startsWith('v26.2.0/')).length).toBeGreaterThanOrEqual(20);
    const stale = fixtures.filter((f) => JSON.parse(readFileSync(join(OUT, f), 'utf8'))._provenance?.inputs !== today);
    expect(stale, `stale fixtures (captured before a change to ${CAPTURE_INPUTS.join(', ')})`).toEqual([]);
  });

  it('say where they came from: the Kratos, the request and the status', () => {
    for (const f of fixtures) {
      const { _provenance: p, status } = JSON.parse(readFileSync(join(OUT, f), 'utf8'));
      // v1.3.1 from its Go module; a newer Kratos from Ory's repository at its tag, in a folder of that version.
      expect(p.source, f).toMatch(/^Ory Kratos v\d+\.\d+\.\d+, built from (the Go module|Ory's repository at tag v\d+\.\d+\.\d+)/);
      const version = /^Ory Kratos (v\d+\.\d+\.\d+)/.exec(p.source)[1];
      expect(f.includes('/') ? f.split('/')[0] : 'v1.3.1', f).toBe(version);
      expect(p.request, f).toMatch(/^(GET|POST|PATCH|DELETE) \//);
      expect(p.status, f).toBe(status);
    }
  });
});
