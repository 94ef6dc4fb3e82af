// @vitest-environment node
// The unit tests' Kratos answers are current: captured from the Kratos and the configuration the
// project has today (like the message list's check in infra/checks/i18n.spec.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PINNED } from './binaries.mjs';
import { captureInputsHash, CAPTURE_INPUTS, OUT } from './capture-fixtures.mjs';

// Every capture: the pinned Kratos's (v26.2.0) at the top, an older one's in its version's folder (v1.3.1/).
const fixtures = readdirSync(OUT, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));

describe('the captured fixtures (frontend/src/fixtures/)', () => {
  it('were all captured from what decides Kratos\'s answers today; if not: npm run capture-fixtures', () => {
    const today = captureInputsHash();
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(fixtures.filter((f) => f.startsWith('v1.3.1/')).length).toBeGreaterThanOrEqual(20);
    expect(fixtures.filter((f) => !f.includes('/')).length).toBeGreaterThanOrEqual(20);
    const stale = fixtures.filter((f) => JSON.parse(readFileSync(join(OUT, f), 'utf8'))._provenance?.inputs !== today);
    expect(stale, `stale fixtures (captured before a change to ${CAPTURE_INPUTS.join(', ')})`).toEqual([]);
  });

  it('say where they came from: the Kratos, the request and the status', () => {
    for (const f of fixtures) {
      const { _provenance: p, status } = JSON.parse(readFileSync(join(OUT, f), 'utf8'));
      // v26.2.0 from its released source, v1.3.1 from its Go module, in a folder of its version.
      expect(p.source, f).toMatch(/^Ory Kratos v\d+\.\d+\.\d+, built from (its released source \(sha256 [0-9a-f]{64}|the Go module|Ory's repository at tag v\d+\.\d+\.\d+)/);
      const version = /^Ory Kratos (v\d+\.\d+\.\d+)/.exec(p.source)[1];
      expect(f.includes('/') ? f.split('/')[0] : PINNED.kratos.version, f).toBe(version);
      expect(p.request, f).toMatch(/^(GET|POST|PATCH|DELETE) \//);
      expect(p.status, f).toBe(status);
    }
  });
});
