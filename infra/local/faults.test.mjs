// @vitest-environment node
// How `npm run faults` turns one fault's run into its figures: failures by step from k6's lines,
// the longest wait from k6's summary (the load tool's fixture, written by k6), how long errors
// went on after the fault, and mails counted per address; and the table row it writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTS, faultFigures, reliabilityMarkdown, soakMarkdown } from './faults.mjs';
import { ROOT } from './paths.mjs';

const summary = JSON.parse(readFileSync(join(ROOT, 'infra', 'local', 'load', 'fixtures', 'k6-summary-sqlite-2vus.json'), 'utf8'));
const injectedAt = 1_000_000;

describe("one fault's figures", () => {
  const lines = [
    { signedUp: 'a@load.example.com', at: injectedAt - 500 },
    { failed: 'sign-in: submit', status: 0, error: 'EOF', at: injectedAt + 200 },
    { failed: 'whoami via Oathkeeper', status: 502, at: injectedAt + 2400 },
    { failed: 'sign-in: submit', status: 503, at: injectedAt + 900 },
    { other: 'a line k6 wrote itself' },
  ];
  const figures = faultFigures({ lines, summary, injectedAt, lost: 1, sessionsLost: 0, mailCounts: new Map([['a@x', 1], ['b@x', 0], ['c@x', 2]]) });

  it('counts failed requests by step and how long after the fault the last one failed', () => {
    expect(figures.requestsFailed).toBe(3);
    expect(figures.failures).toEqual({ 'sign-in: submit': 2, 'whoami via Oathkeeper': 1 });
    expect(figures.errorsUntilMs).toBe(2400);
  });

  it("takes the longest wait from the slowest step's maximum in k6's summary", () => {
    expect(figures.longestWaitMs).toBe(Math.round(summary.metrics.step_5.values.max));
  });

  it('counts a mail that never came as lost and one that came twice as doubled', () => {
    expect(figures).toMatchObject({ mailsAsked: 3, mailsLost: 1, mailsDoubled: 1, accountsLost: 1, signUps: 1, journeys: 34 });
  });

  it('has no error time when nothing failed', () => {
    expect(faultFigures({ lines: [], summary, injectedAt, lost: 0, sessionsLost: 0, mailCounts: new Map() }).errorsUntilMs).toBe(0);
  });
});

describe('the report', () => {
  it('has a row per fault with what was lost, and the doubled identities', () => {
    const figures = faultFigures({ lines: [{ failed: 'sign-up: submit', status: 500, at: injectedAt + 1500 }], summary, injectedAt, lost: 0, sessionsLost: 2, mailCounts: new Map([['a@x', 0]]) });
    const text = reliabilityMarkdown({
      measuredAt: '2026-12-07T00:00:00Z', machine: '2 × CPU', kratos: 'v26.2.0', oathkeeper: 'v26.2.0', k6: 'v1.8.1', hasher: 'bcrypt cost 12', vus: 2, afterSeconds: 30,
      faults: [{ ...figures, title: FAULTS[1].title, faultMs: 5200 }], identities: 40, doubledIdentities: [],
    });
    expect(text).toContain(`| ${FAULTS[1].title} | 5.2 | 1 (sign-up: submit: 1) | 0.3 | 1.5 | 0 of 0 | 2 of 6 | 1 of 1 / 0 |`);
    expect(text).toContain('addresses with more than one identity: **0**');
  });

  it('knows every fault the issue asks for, each by a name of its own', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['kratos-sigkill', 'kratos-sigterm', 'oathkeeper-sigkill', 'postgres-restart', 'postgres-unreachable', 'smtp-down', 'hook-slow', 'hook-down']));
  });
});

describe('the soak', () => {
  it('states each process\'s memory before the load, after the first minute and at the end, with the growth per minute after the first minute, and the database connections', () => {
    const sample = (second, kratos, connections) => ({ second, rssMiB: { kratos, 'kratos replica': 40, oathkeeper: 30, postgres: 50 }, databaseConnections: connections });
    const text = soakMarkdown({
      measuredAt: '2026-12-07T00:00:00Z', machine: '2 × CPU',
      soak: { seconds: 600, vus: 2, journeys: 900, requestsFailed: 0, samples: [sample(0, 40, 3), sample(60, 60, 9), sample(600, 69, 8)], growthMiBPerMinute: { kratos: 1, 'kratos replica': 0, oathkeeper: 0, postgres: 0 }, connections: { start: 3, max: 9, end: 8 } },
    });
    expect(text).toContain('| kratos | 40 | 60 | 69 | 1 |');
    expect(text).toContain('MiB after 60 s');
    expect(text).toContain('3 before the load, at most 9 during it, 8 at the end');
  });
});
