// "What the API sees": the home page calls the team's API through Oathkeeper with the session
// cookie, and shows what the backend verified from Oathkeeper's id_token. Only when the build
// has an API (VITE_API_URL).
import { API_URL } from '../config';
import { REQUEST_TIMEOUT_MS } from '../kratos/client';
import { t } from '../i18n/catalog';
import { tp } from '../i18n/pages';
import { h } from '../ui/dom';

interface ApiMe {
  subject?: unknown;
  email?: unknown;
  email_verified?: unknown;
  expires_at?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '—');

function facts(me: ApiMe, formatTime: (d: Date) => string): HTMLElement {
  const expires = typeof me.expires_at === 'number' ? formatTime(new Date(me.expires_at * 1000)) : '—';
  const row = (term: string, testid: string, value: string) => [h('dt', {}, term), h('dd', { data: { testid } }, value)];
  return h(
    'dl',
    { class: 'facts' },
    ...row(tp('app.api.subject'), 'api/subject', text(me.subject)),
    ...row(
      tp('app.api.email'),
      'api/email',
      `${text(me.email)} (${me.email_verified === true ? tp('app.home.verified') : tp('app.home.unverified')})`,
    ),
    ...row(tp('app.api.tokenExpires'), 'api/expires', expires),
  );
}

export function apiCard(signal: AbortSignal, formatTime: (d: Date) => string): HTMLElement | null {
  if (!API_URL) return null;
  const body = h('div', {}, h('p', { class: 'loading' }, t('app.loading')));
  const card = h(
    'section',
    { class: 'card', attrs: { 'aria-labelledby': 'home-api' }, data: { testid: 'home/api' } },
    h('h2', { attrs: { id: 'home-api' } }, tp('app.api.title')),
    h('p', { class: 'muted' }, tp('app.api.explain')),
    body,
  );
  const load = async (): Promise<void> => {
    body.replaceChildren(h('p', { class: 'loading' }, t('app.loading')));
    try {
      const res = await fetch(`${API_URL}/api/private/me`, {
        credentials: 'include',
        headers: { Accept: 'application/json' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      if (signal.aborted) return;
      if (res.ok) {
        body.replaceChildren(facts((await res.json()) as ApiMe, formatTime));
      } else {
        body.replaceChildren(h('p', { class: 'message message-error', data: { testid: 'api/error' } }, tp('app.api.refused', { status: res.status })));
      }
    } catch {
      if (signal.aborted) return;
      body.replaceChildren(
        h('p', { class: 'message message-error', data: { testid: 'api/error' } }, tp('app.api.unreachable')),
        h('button', { class: 'button button-secondary', attrs: { type: 'button' }, on: { click: () => void load() } }, t('app.retry')),
      );
    }
  };
  void load();
  return card;
}
