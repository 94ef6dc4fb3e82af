// @vitest-environment node
// What a failed e2e test prints (evidence.ts): of Kratos's log, over lines of the real Kratos's
// log, and of the browser's requests and console.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserJournal, kratosLogDuring, kratosLogLine, requestLine } from './evidence';

const SAMPLE = readFileSync(new URL('./kratos-log.sample.txt', import.meta.url), 'utf8');
const lines = SAMPLE.split('\n').filter((l) => l.startsWith('time='));

describe('kratosLogLine', () => {
  it('says the POSTs with their status and time, and leaves out quick reads and preflights', () => {
    expect(lines.map(kratosLogLine).filter(Boolean)).toEqual([
      '2026-12-04T20:59:01Z error: Webhook request failed: 1 validation errors occurred:',
      expect.stringMatching(/^2026-12-04T20:59:\d\dZ POST \/self-service\/registration → 400 in \d+ ms$/),
      expect.stringMatching(/^2026-12-04T20:59:\d\dZ POST \/self-service\/registration → 200 in \d+ ms$/),
    ]);
  });

  it('reads the request\'s own method, not a preflight\'s access-control-request-method header', () => {
    const preflight = lines.find((l) => / method:OPTIONS /.test(l))!;
    expect(preflight).toContain('access-control-request-method:POST');
    expect(kratosLogLine(preflight)).toBeNull();
  });

  it('says a slow read, and any refusal', () => {
    const read = lines.find((l) => / method:GET /.test(l))!;
    expect(kratosLogLine(read)).toBeNull();
    expect(kratosLogLine(read.replace(/took:[\d.]+ms/, 'took:1.5s'))).toMatch(/GET \/self-service\/registration\/browser → 200 in 1500 ms$/);
    expect(kratosLogLine(read.replace(' status:200 text_status:OK', ' status:410 text_status:Gone'))).toMatch(/→ 410 in \d+ ms$/);
  });
});

describe('kratosLogDuring', () => {
  it('keeps the lines of the window, whole seconds included, from every replica\'s log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    writeFileSync(join(dir, 'kratos.log'), SAMPLE);
    writeFileSync(join(dir, 'kratos-2.log'), lines.filter((l) => / status:400 /.test(l)).join('\n'));
    writeFileSync(join(dir, 'oathkeeper.log'), SAMPLE);
    // 20:58:58 and 20:58:59 are before it; the window's start and end widen to 20:59:00 and 20:59:02.
    const said = kratosLogDuring(new Date('2026-12-04T20:59:00.400Z'), new Date('2026-12-04T20:59:01.600Z'), dir);
    expect(said.filter((l) => l.startsWith('kratos.log:'))).toEqual([
      'kratos.log: 2026-12-04T20:59:01Z error: Webhook request failed: 1 validation errors occurred:',
      // Kratos stamps a request with its start and logs it when it ends.
      expect.stringMatching(/^kratos\.log: 2026-12-04T20:59:00Z POST .* → 400 /),
      expect.stringMatching(/^kratos\.log: 2026-12-04T20:59:01Z POST .* → 200 /),
    ]);
    expect(said.filter((l) => l.startsWith('kratos-2.log:'))).toEqual([expect.stringMatching(/ → 400 /)]);
    expect(said.some((l) => l.startsWith('oathkeeper'))).toBe(false);
    expect(kratosLogDuring(new Date('2026-12-04T21:00:00Z'), new Date('2026-12-04T21:00:05Z'), dir)).toEqual([]);
    expect(kratosLogDuring(new Date(), new Date(), join(dir, 'missing'))[0]).toMatch(/^\(no Kratos log in /);
  });
});

describe('BrowserJournal', () => {
  const login = { method: 'POST', url: 'http://localhost:14433/self-service/login?flow=baf44e42-ea7f-4a30-ba58-c61b3c348951', type: 'fetch' };

  it('says each document and fetch with its answer and time, and leaves scripts and styles out', () => {
    let now = 1000;
    const journal = new BrowserJournal(1000, () => now);
    const page = { method: 'GET', url: 'http://localhost:15173/login', type: 'document' };
    const script = { method: 'GET', url: 'http://localhost:15173/assets/app-x.js', type: 'script' };
    const [answered, hung, scriptKey, refused] = [{}, {}, {}, {}];
    journal.sent(answered, page);
    journal.sent(hung, page);
    journal.sent(scriptKey, script);
    now = 1250;
    journal.ended(answered, 200);
    journal.ended(scriptKey, 200);
    journal.sent(refused, login);
    now = 3400;
    journal.ended(refused, 'failed (net::ERR_ABORTED)');
    journal.console('log', 'said in passing');
    journal.console('error', 'Failed to load resource');
    expect(journal.said().split('\n')).toEqual([
      '+0.3s GET localhost:15173/login → 200',
      '+2.4s POST localhost:14433/self-service/login?flow=baf44e42-ea7f-4a30-ba58-c61b3c348951 → failed (net::ERR_ABORTED)',
      '+2.4s console error: Failed to load resource',
      // Sent at the start and never answered: it is the one a hang leaves.
      '+0.0s GET localhost:15173/login → no answer yet',
    ]);
  });

  it('keeps the last lines, nearest the failure, and says how many went', () => {
    const journal = new BrowserJournal(0, () => 0);
    for (let i = 0; i < 45; i += 1) journal.console('warning', `w${i}`);
    const said = journal.said().split('\n');
    expect(said[0]).toBe('(5 earlier lines left out)');
    expect(said[1]).toBe('+0.0s console warning: w5');
    expect(said.at(-1)).toBe('+0.0s console warning: w44');
    expect(new BrowserJournal(0).said()).toBe('(nothing)');
  });

  it('cuts a long query, not the path', () => {
    const line = requestLine({ ...login, url: `http://localhost:14433/self-service/login/browser?return_to=${'x'.repeat(200)}` }, 200);
    expect(line).toMatch(/^POST localhost:14433\/self-service\/login\/browser\?return_to=x+… → 200$/);
    expect(line.length).toBeLessThan(150);
  });
});
