import { SessionFromJSON } from '@ory/client-fetch';
import { describe, expect, it, vi } from 'vitest';
import whoami from '../fixtures/session-whoami.json';
import { addressOf, deviceName, methodName, sessionRow, sessionsCard } from './sessions-card';

describe('deviceName (the sessions list\'s short device label)', () => {
  it('names the browser and the system of common user agents', () => {
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36')).toBe('Chrome · Windows');
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36')).toBe('Chrome · Linux');
    expect(deviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox · macOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130 Safari/537.36 Edg/130.0')).toBe('Edge · Windows');
    expect(deviceName('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36')).toBe('Chrome · Android');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari · iOS');
  });

  it('gives null for an empty or unknown agent, so the page says "Unknown device"', () => {
    expect(deviceName(undefined)).toBeNull();
    expect(deviceName('curl/8.5.0')).toBeNull();
  });
});

describe('sessionsCard', () => {
  it('leaving home while the sessions list loads ends quietly: no unhandled "signal is aborted" error', async () => {
    // fetch as the browser does it: rejects with the signal's reason when the signal aborts.
    const pending: Promise<never>[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      const p = new Promise<never>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
      pending.push(p);
      return p;
    });
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const route = new AbortController();
      const card = sessionsCard(SessionFromJSON(whoami), route.signal, () => 'now');
      await vi.waitFor(() => expect(pending).toHaveLength(1));
      route.abort(); // the router does this when the visitor goes elsewhere
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      expect(card.querySelector('[data-testid="sessions/status"]')?.textContent).toBe('');
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('sessionRow (one row of the sessions list)', () => {
  it('names the sign-in methods as the session card does, not by Kratos\'s ids (review finding 6)', () => {
    const session = SessionFromJSON(whoami.body);
    expect(session.authentication_methods?.map((m) => m.method)).toEqual(['code']);
    expect(sessionRow(session, () => 'at noon', 'row').textContent).toContain('with One-time code');
    expect(methodName('totp')).toBe('Authenticator app');
    expect(methodName('something_new')).toBe('something_new');
  });

  it('shows the device, then when, how and from which address, and the action at the end (review finding 27)', () => {
    const session = SessionFromJSON(whoami.body);
    expect(session.devices?.[0]?.ip_address).toMatch(/^127\.0\.0\.1:\d+$/); // as Kratos recorded it, with the port
    const action = document.createElement('button');
    const row = sessionRow(session, () => 'at noon', 'row', action);
    expect([...row.querySelector('.session-text')!.children].map((c) => c.textContent)).toEqual(['Unknown device', 'Signed in at noon with One-time code · 127.0.0.1']);
    expect(row.lastElementChild).toBe(action);
  });

  it('reads a recorded address without its port, IPv6 too, and keeps a bare one as it is', () => {
    expect(addressOf('127.0.0.1:52180')).toBe('127.0.0.1');
    expect(addressOf('[2001:db8::1]:52180')).toBe('2001:db8::1');
    expect(addressOf('2001:db8::1')).toBe('2001:db8::1');
    expect(addressOf('203.0.113.7')).toBe('203.0.113.7');
    expect(addressOf(undefined)).toBeNull();
  });
});
