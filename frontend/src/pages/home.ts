// The start page: who is signed in and how, or the way in for everyone else.
import { SessionFromJSON, type Session } from '@ory/client-fetch';
import { t, traitTitle, traitValue } from '../i18n/catalog';
import { tp, tpKnown } from '../i18n/pages';
import { call, kratos, KratosUnreachable, requestInit } from '../kratos/client';
import { classify } from '../kratos/outcome';
import type { Route, Router } from '../router';
import { h } from '../ui/dom';
import { formatTime } from '../ui/time';
import { link, noticeFromState, showPage, unreachableMessage, type PageView } from '../ui/page';
import { apiCard } from './api-card';
import { follow } from './navigation';
import { methodName, sessionsCard } from './sessions-card';

/** Traits as label/value rows: nested objects become dotted names ("name.first"). */
export function flattenTraits(traits: unknown, prefix = ''): [string, string][] {
  if (traits === null || traits === undefined) return [];
  if (typeof traits !== 'object') return [[prefix, String(traits)]];
  if (Array.isArray(traits)) return [[prefix, traits.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')]];
  return Object.entries(traits as Record<string, unknown>).flatMap(([k, v]) => flattenTraits(v, prefix ? `${prefix}.${k}` : k));
}

/** Whether public metadata names the admin role (kratos/admin-token.jsonnet reads the same). */
export function isAdmin(metadata: unknown): boolean {
  const roles = (metadata as { roles?: unknown } | null | undefined)?.roles;
  return Array.isArray(roles) && roles.includes('admin');
}

function row(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function sessionView(view: PageView, router: Router, session: Session, signOut: () => void, signal: AbortSignal): void {
  const identity = session.identity;
  const traits = flattenTraits(identity?.traits);
  const addresses = identity?.verifiable_addresses ?? [];
  const methods = (session.authentication_methods ?? []).map((m) => methodName(m.method));
  const aal = session.authenticator_assurance_level ?? 'aal0';

  // For the person first: who they are, what they can do, where they are signed in. What a
  // developer looks for (the account's id, the assurance level, the API's view) is behind a
  // disclosure (review finding 4).
  const actions = h(
    'nav',
    { class: 'actions', attrs: { 'aria-label': t('app.nav.mainLabel') } },
    link(router.href('/settings'), t('app.nav.settings'), 'link/settings'),
    // A convenience only: the gateway decides who may administer (pages/admin.ts).
    isAdmin(identity?.metadata_public) ? link(router.href('/admin'), tp('app.nav.admin'), 'link/admin') : null,
    h('button', { class: 'button button-secondary', attrs: { type: 'button' }, data: { testid: 'home/sign-out' }, on: { click: signOut } }, t('app.nav.signOut')),
  );
  view.replace(
    h(
      'section',
      { class: 'card', attrs: { 'aria-labelledby': 'home-profile' } },
      h('h2', { attrs: { id: 'home-profile' } }, tp('app.home.profile')),
      h(
        'dl',
        { class: 'facts', data: { testid: 'home/traits' } },
        ...traits.flatMap(([k, v]) => {
          const address = addresses.find((a) => a.value === v);
          return row(
            // The schema's title and value names from the catalogs, not "name.first" and "student".
            traitTitle(k),
            h('span', { data: { testid: `home/trait/${k}` }, attrs: { dir: 'auto' } }, traitValue(k, v)),
            address
              ? h('span', { class: 'badge', data: { testid: `home/trait/${k}/verification` } }, ` ${address.verified ? tp('app.home.verified') : tp('app.home.unverified')}`)
              : '',
            // A way back to verifying, with the address filled in (pages/flow-page.ts prefill).
            address && !address.verified
              ? link(router.href(`/verification?email=${encodeURIComponent(address.value)}`), tp('app.home.verifyNow'), `home/trait/${k}/verify`)
              : '',
          );
        }),
      ),
      actions,
    ),
    sessionsCard(session, signal, formatTime),
    h(
      'details',
      { class: 'card details', data: { testid: 'home/details' } },
      h('summary', {}, tp('app.home.details')),
      h(
        'dl',
        { class: 'facts' },
        ...row(tp('app.home.identityId'), h('code', { data: { testid: 'home/identity-id' } }, identity?.id ?? '')),
        ...row(tp('app.home.aal'), h('span', { data: { testid: 'home/aal' } }, tpKnown(`app.aal.${aal}`, aal))),
        ...row(tp('app.home.methods'), h('span', { data: { testid: 'home/methods' } }, methods.join(', ') || '—')),
        ...row(tp('app.home.authenticatedAt'), formatTime(session.authenticated_at)),
        ...row(tp('app.home.expiresAt'), h('span', { data: { testid: 'home/expires' } }, formatTime(session.expires_at))),
      ),
      apiCard(signal, formatTime),
    ),
  );
}

function anonymousView(view: PageView, router: Router): void {
  view.setTitle(tp('app.home.welcomeTitle'));
  view.replace(
    h('p', {}, tp('app.home.welcomeText')),
    h(
      'nav',
      { class: 'actions', attrs: { 'aria-label': t('app.nav.mainLabel') } },
      link(router.href('/login'), t('app.nav.signIn'), 'link/login'),
      link(router.href('/registration'), t('app.nav.signUp'), 'link/registration'),
    ),
  );
}

export const homeRoute: Route = async (ctx) => {
  const view = showPage(tp('app.home.title'));
  const notice = noticeFromState(ctx.state);
  if (notice) view.notice(t(notice), 'success');
  view.setBusy(true);
  let failures = 0;
  const failed = (err: { status?: number }) => view.offerRetry(unreachableMessage(err), () => void load(), [], { attempt: failures++, signal: ctx.signal });
  const load = async (): Promise<void> => {
    try {
      const reply = await call(() => kratos.get('/sessions/whoami', {}, requestInit(ctx.signal)));
      if (ctx.signal.aborted) return;
      if (reply.status >= 500) return failed({ status: reply.status });
      view.setBusy(false);
      if (reply.status === 200) {
        sessionView(view, ctx.router, SessionFromJSON(reply.body), () => ctx.router.navigate('/logout', { state: { logout: true } }), ctx.signal);
        return;
      }
      if (reply.status === 401) return anonymousView(view, ctx.router);
      const outcome = classify(reply);
      if (outcome.type === 'error' && outcome.redirectTo && follow(ctx.router, outcome.redirectTo)) return;
      if (outcome.type === 'redirect' && follow(ctx.router, outcome.to)) return;
      view.notice(t('app.network.unexpected', { status: reply.status }), 'error');
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (!(err instanceof KratosUnreachable)) throw err;
      failed(err);
    }
  };
  await load();
};
