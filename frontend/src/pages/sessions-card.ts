// "Where you are signed in": the signed-in person's other sessions from Kratos's frontend session
// API (GET /sessions lists all but the current one), each with a way to sign it out, and one
// button to sign out everywhere else.
import { SessionFromJSON, type Session } from '@ory/client-fetch';
import { tp, tpKnown } from '../i18n/pages';
import { call, kratos, KratosUnreachable, requestInit } from '../kratos/client';
import { confirmFirst } from '../ui/confirm';
import { h, type Child } from '../ui/dom';
import { unreachableMessage } from '../ui/page';

/** "Chrome on Linux" from a user agent, or null. Only for display; nothing depends on it. */
export function deviceName(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  // Most specific first: Edge's agent also says Chrome and Safari, Chrome's also says Safari.
  const first = (candidates: [RegExp, string][]) => candidates.find(([re]) => re.test(userAgent))?.[1] ?? null;
  const browser = first([
    [/\bEdg\//, 'Edge'],
    [/\bFirefox\//, 'Firefox'],
    [/(Chrome|Chromium)\//, 'Chrome'],
    [/\bSafari\//, 'Safari'],
  ]);
  const os = first([
    [/\bAndroid\b/, 'Android'],
    [/\b(iPhone|iPad)\b/, 'iOS'],
    [/\bCrOS\b/, 'ChromeOS'],
    [/\bWindows\b/, 'Windows'],
    [/\bMac OS X\b/, 'macOS'],
    [/\bLinux\b/, 'Linux'],
  ]);
  if (!browser && !os) return null;
  return [browser, os].filter(Boolean).join(' · ');
}

/** A sign-in method as people call it ("Password", "Authenticator app"), or Kratos's id for one the catalogs lack. */
export function methodName(method: string | undefined): string {
  return tpKnown(`app.method.${method ?? ''}`, method ?? '?');
}

/** An address as Kratos records a device's: without the port it sometimes carries ("127.0.0.1:52180", "[::1]:52180"). */
export function addressOf(recorded: string | undefined): string | null {
  if (!recorded) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(recorded);
  if (bracketed) return bracketed[1]!;
  return recorded.split(':').length === 2 ? recorded.replace(/:\d+$/, '') : recorded;
}

/**
 * One session as a list row (also pages/admin.ts), for people (review finding 27): the device
 * first, then when and how it signed in and from where; `end` (its action) at the row's end.
 */
export function sessionRow(session: Session, formatTime: (d: Date | undefined) => string, testid: string, ...end: Child[]): HTMLLIElement {
  const device = session.devices?.[0];
  // Named as the session card above names them (review finding 6), not Kratos's ids.
  const methods = (session.authentication_methods ?? []).filter((m) => m.method).map((m) => methodName(m.method)).join(', ');
  const where = [addressOf(device?.ip_address), device?.location].filter(Boolean);
  return h(
    'li',
    { class: 'session', data: { testid } },
    h(
      'span',
      { class: 'session-text' },
      h('strong', {}, deviceName(device?.user_agent) ?? tp('app.sessions.unknownDevice')),
      h('span', { class: 'muted' }, [tp('app.sessions.details', { time: formatTime(session.authenticated_at), methods: methods || '—' }), ...where].join(' · ')),
    ),
    ...end,
  );
}

export function sessionsCard(current: Session, signal: AbortSignal, formatTime: (d: Date | undefined) => string): HTMLElement {
  const list = h('ul', { class: 'sessions', data: { testid: 'sessions/list' } });
  const status = h('p', { class: 'muted', attrs: { role: 'status' }, data: { testid: 'sessions/status' } });
  const others = h('button', { class: 'button button-secondary', attrs: { type: 'button', hidden: true }, data: { testid: 'sessions/revoke-others' } }, tp('app.sessions.revokeOthers'));
  const card = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'home-sessions' } },
    h('h2', { attrs: { id: 'home-sessions' } }, tp('app.sessions.title')),
    list,
    status,
    h('p', {}, others),
  );

  const failed = (err: { status?: number }) => {
    status.textContent = err.status && err.status < 500 ? tp('app.sessions.failed', { status: err.status }) : unreachableMessage(err);
  };
  const run = async (request: () => Promise<Response>): Promise<{ status: number; body: unknown } | null> => {
    try {
      const reply = await call(request);
      if (reply.status >= 400) {
        failed(reply);
        return null;
      }
      return reply;
    } catch (err) {
      // Leaving the page aborts its requests: nothing to show, nothing to report.
      if (signal.aborted) return null;
      if (!(err instanceof KratosUnreachable)) throw err;
      failed(err);
      return null;
    }
  };

  const load = async (): Promise<void> => {
    const reply = await run(() => kratos.get('/sessions', {}, requestInit(signal)));
    if (!reply || signal.aborted) return;
    const sessions = (Array.isArray(reply.body) ? reply.body : []).map((s) => SessionFromJSON(s));
    list.replaceChildren(
      sessionRow(current, formatTime, 'sessions/current', h('span', { class: 'badge' }, tp('app.sessions.current'))),
      ...sessions.map((s) =>
        sessionRow(
          s,
          formatTime,
          'sessions/other',
          h(
            'button',
            {
              class: 'button button-secondary button-small',
              attrs: { type: 'button' },
              data: { testid: 'sessions/revoke' },
              on: {
                click: async (event) => {
                  if (!(await confirmFirst(event.currentTarget as HTMLButtonElement))) return;
                  if (await run(() => kratos.delete(`/sessions/${encodeURIComponent(s.id)}`, requestInit(signal)))) {
                    status.textContent = tp('app.sessions.revokedOne');
                    await load();
                  }
                },
              },
            },
            tp('app.sessions.revoke'),
          ),
        ),
      ),
    );
    others.hidden = sessions.length === 0;
    if (sessions.length === 0 && !status.textContent) status.textContent = tp('app.sessions.none');
  };

  others.addEventListener('click', async () => {
    if (!(await confirmFirst(others))) return;
    // Kratos's answer has a count, but it counts sessions signed out before too: not shown.
    if (!(await run(() => kratos.delete('/sessions', requestInit(signal))))) return;
    status.textContent = tp('app.sessions.revokedOthers');
    await load();
  });

  void load();
  return card;
}
