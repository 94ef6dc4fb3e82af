import { describe, expect, it, vi } from 'vitest';
import { KRATOS_URL } from '../config';
import { reply } from './client';
import { flowPageAt, startEarly, takeEarly } from './early';
import { FLOWS, sendFlowRequest } from './flows';
import { openingRequest } from './requests';
import { TIMING_MARKS } from '../timing';

/**
 * A window at `href` whose fetch records what it was asked and answers with `answer` (at once,
 * unless told otherwise), and whose timeline records the marks set on it.
 */
function windowAt(href: string, framed = false, answer = () => Promise.resolve(new Response('{"id":"f1"}', { status: 200 }))) {
  const sent: { url: string; init: RequestInit }[] = [];
  const marks: string[] = [];
  const win: Record<string, unknown> = {
    location: { href },
    fetch: (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return answer();
    },
    performance: { mark: (name: string) => void marks.push(name) },
  };
  win.self = win;
  win.top = framed ? {} : win;
  return { win: win as unknown as Window, sent, marks };
}

describe('early flow request', () => {
  it('knows the flow pages by path under the base, and nothing else', () => {
    const at = (p: string, base = '/') => flowPageAt(new URL(p, 'https://id.example.com'), base);
    expect(at('/login')).toBe('login');
    expect(at('/settings?flow=1')).toBe('settings');
    expect(at('/repo/registration', '/repo/')).toBe('registration');
    expect(at('/registration', '/repo/')).toBeNull();
    expect(at('/')).toBeNull();
    expect(at('/login/')).toBeNull();
    expect(at('/logout')).toBeNull();
    expect(at('/error')).toBeNull();
    expect(at('/constructor')).toBeNull(); // not a key of the table, though every object has it
  });

  it('sends the opening request of a flow page with cookies and JSON, as the SDK would, and hands the answer over once', async () => {
    const { win, sent } = windowAt('https://id.example.com/login?return_to=https%3A%2F%2Fapp.example.com%2F&aal=aal2&flowless=1');
    startEarly(win, '/');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${KRATOS_URL}/self-service/login/browser?return_to=https%3A%2F%2Fapp.example.com%2F&aal=aal2`);
    expect(sent[0]!.init).toMatchObject({ credentials: 'include', headers: { Accept: 'application/json' } });
    expect(sent[0]!.init.signal).toBeInstanceOf(AbortSignal);

    const page = new URLSearchParams('return_to=https%3A%2F%2Fapp.example.com%2F&aal=aal2&flowless=1');
    expect(takeEarly('registration', openingRequest('registration', null, page), win)).toBeNull();
    startEarly(win, '/');
    expect(takeEarly('login', openingRequest('login', null, page))).toBeNull(); // another window's
    const taken = takeEarly('login', openingRequest('login', null, page), win);
    expect(taken).not.toBeNull();
    expect(await reply(taken!)).toEqual({ status: 200, body: { id: 'f1' } });
    expect(takeEarly('login', openingRequest('login', null, page), win)).toBeNull(); // given out once
  });

  it('marks the moment the answer has been read whole, and not before (timing.ts)', async () => {
    let answer!: (r: Response) => void;
    const { win, marks } = windowAt('https://id.example.com/login', false, () => new Promise<Response>((resolve) => (answer = resolve)));
    startEarly(win, '/');
    const taken = takeEarly('login', openingRequest('login', null, new URLSearchParams()), win)!;
    await Promise.resolve();
    expect(marks).toEqual([]);
    answer(new Response('{"id":"f1"}', { status: 200 }));
    expect(await taken).toEqual({ status: 200, text: '{"id":"f1"}' });
    expect(marks).toEqual([TIMING_MARKS.flowAnswer]);
  });

  it('fetches the flow named in the address instead of creating one', () => {
    const { win, sent } = windowAt('https://id.example.com/settings?flow=abc-123');
    startEarly(win, '/');
    expect(sent.map((s) => s.url)).toEqual([`${KRATOS_URL}/self-service/settings/flows?id=abc-123`]);
    expect(takeEarly('settings', openingRequest('settings', null, new URLSearchParams()), win)).toBeNull(); // a new flow is another request
  });

  it('sends nothing for a page that is not a flow, or in a frame (the framed page shows no form)', () => {
    for (const [href, framed] of [
      ['https://id.example.com/', false],
      ['https://id.example.com/logout', false],
      ['https://id.example.com/login', true],
    ] as const) {
      const { win, sent } = windowAt(href, framed);
      startEarly(win, '/');
      expect(sent, href).toEqual([]);
      expect(takeEarly('login', openingRequest('login', null, new URLSearchParams()), win), href).toBeNull();
    }
  });

  it('sends exactly the URL the flow page would send through the SDK, for every flow', async () => {
    const viaSdk: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      viaSdk.push(String(url));
      return Promise.resolve(new Response('{}', { status: 200 }));
    });
    const page = new URLSearchParams('return_to=https://app.example.com/a b?c=d&refresh=true&login_challenge=x&organization=o&via=email&after_verification_return_to=/z');
    for (const kind of Object.keys(FLOWS) as (keyof typeof FLOWS)[]) {
      const { win, sent } = windowAt(`https://id.example.com/${kind}?${page}`);
      startEarly(win, '/');
      await sendFlowRequest(openingRequest(kind, null, page), new AbortController().signal);
      expect(sent[0]!.url, kind).toBe(viaSdk.at(-1));
      const byId = windowAt(`https://id.example.com/${kind}?flow=id-1`);
      startEarly(byId.win, '/');
      await sendFlowRequest(openingRequest(kind, 'id-1', page), new AbortController().signal);
      expect(byId.sent[0]!.url, kind).toBe(viaSdk.at(-1));
      expect(takeEarly(kind, openingRequest(kind, 'id-1', new URLSearchParams()), byId.win)).not.toBeNull();
    }
    expect(viaSdk).toContain(`${KRATOS_URL}/self-service/login/flows?id=id-1`);
    expect(viaSdk).toContain(`${KRATOS_URL}/self-service/login/browser?return_to=https%3A%2F%2Fapp.example.com%2Fa%20b%3Fc%3Dd&refresh=true&login_challenge=x&organization=o&via=email`);
  });
});
