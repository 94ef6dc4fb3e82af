// @vitest-environment node
// How `npm run load` reads k6's results and decides what held: per-step percentiles from a
// summary k6 wrote (fixture), failures counted per step, the last level held, the report's verdict.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heldLevel, levelResult, reportMarkdown, saturation } from './load.mjs';
import { STEPS } from './load/steps.js';
import { ROOT } from './paths.mjs';

const summary = JSON.parse(readFileSync(join(ROOT, 'infra', 'local', 'load', 'fixtures', 'k6-summary-sqlite-2vus.json'), 'utf8'));
const cpu = { kratos: 17.6, postgres: 0, oathkeeper: 0.3, k6: 0.4, node: 0.6 };

describe('one concurrency level, read from what k6 wrote', () => {
  it('gives each step its p50, p95 and p99 in step order, and journeys per second over the level', () => {
    const level = levelResult({ vus: 2, seconds: 10, summary, lines: [], cpu });
    expect(Object.keys(level.steps)).toEqual(STEPS);
    const submit = summary.metrics.step_1.values;
    expect(level.steps['sign-up: submit']).toEqual({ p50: Math.round(submit.med), p95: Math.round(submit['p(95)']), p99: Math.round(submit['p(99)']), count: submit.count });
    expect(level.journeysPerSecond).toBe(3.4);
    expect(level.slowestP95).toBe(Math.max(...Object.values(level.steps).map((s) => s.p95)));
    expect(level.cpuCores).toEqual({ kratos: 1.76, postgres: 0, oathkeeper: 0.03, k6: 0.04, node: 0.06 });
  });

  it('counts failures per step and keeps the addresses Kratos said "signed up" to', () => {
    const lines = [
      { signedUp: 'a@load.example.com' },
      { passwordSet: 'a@load.example.com' },
      { signedUp: 'b@load.example.com' },
      { failed: 'sign-in: submit', status: 0, error: 'request timeout' },
      { failed: 'sign-in: submit', status: 500 },
      { failed: 'sign-up: submit', status: 500 },
      { other: 'a line k6 wrote itself' },
    ];
    const level = levelResult({ vus: 8, seconds: 10, summary, lines, cpu });
    expect(level.errors).toBe(3);
    expect(level.failures).toEqual({ 'sign-in: submit': 2, 'sign-up: submit': 1 });
    expect(level.signUps).toEqual(['a@load.example.com', 'b@load.example.com']);
    // b's password step failed: it is checked by a mailed code instead.
    expect(level.accounts).toEqual([{ email: 'a@load.example.com', by: 'password' }, { email: 'b@load.example.com', by: 'code' }]);
    expect(level.signUpsPerSecond).toBe(0.2);
  });
});

describe('what held', () => {
  const level = (vus, slowestP95, errors) => ({ vus, slowestP95, errors });

  it('is the largest level with no error and every p95 within 1 s, even when a smaller one follows a failure', () => {
    expect(heldLevel([level(1, 300, 0), level(2, 400, 0), level(4, 800, 0), level(8, 1300, 0)]).vus).toBe(4);
    expect(heldLevel([level(1, 300, 0), level(2, 400, 0), level(4, 700, 2)]).vus).toBe(2);
    expect(heldLevel([level(1, 1200, 0)])).toBeNull();
  });

  it('names the CPU as what saturated when it was full, and not the CPU when requests failed on an idle machine', () => {
    const busy = { vus: 8, errors: 0, failures: {}, sample: [], cpuCores: { kratos: 1.74, postgres: 0.08, oathkeeper: 0.03, k6: 0.05, node: 0.06 } };
    expect(saturation([busy], 2)).toBe('the CPU: at 8 virtual users the measured processes used 1.96 of 2 cores, kratos 1.74');
    const waiting = { vus: 2, errors: 2, failures: { 'sign-up: submit': 2 }, sample: [{ failed: 'sign-up: submit', status: 0, error: 'request timeout' }], cpuCores: { kratos: 0.06, postgres: 0, oathkeeper: 0, k6: 0.01, node: 0.01 } };
    expect(saturation([waiting], 2)).toMatch(/^not the CPU: .* requests failed \(sign-up: submit: 2; first: .*request timeout/);
  });

  it('the report says how many accounts were lost and what held, per setup', () => {
    const row = { ...levelResult({ vus: 2, seconds: 10, summary, lines: [], cpu }), peakMiB: { kratos: 90, postgres: 0, oathkeeper: 50 } };
    const report = {
      measuredAt: '2026-11-23T00:00:00Z', k6: 'v1.8.1', machine: '2 × CPU', cores: 2, kratos: 'v1.3.1', oathkeeper: 'v0.40.9',
      hasher: 'bcrypt cost 12', hasherSource: 'test', seconds: 10,
      setups: [{ title: 'SQLite, one Kratos', levels: [row], accounts: 68, lost: 1 }],
    };
    const text = reportMarkdown(report);
    expect(text).toContain('#### SQLite, one Kratos');
    expect(text).toContain('lost (cannot sign in afterwards): **1**');
    expect(text).toContain('**2 virtual users, 3.4 journeys/s');
    expect(text).toContain('| 90 / 0 / 50 |');
  });
});
