// Signing out: create a logout flow, call its logout URL, and land on /login with a notice.
//
// The app's own "Sign out" button navigates here with { logout: true } in history.state (only
// this origin's script can set it). Anyone else can link to /logout, so a visit without that
// mark asks first: a link on another site cannot sign people out.
import { t } from '../i18n/catalog';
import { tp } from '../i18n/pages';
import { call, kratos, KratosUnreachable, requestInit } from '../kratos/client';
import { classify } from '../kratos/outcome';
import type { Route, RouteContext } from '../router';
import { h } from '../ui/dom';
import { link, showPage, unreachableMessage, type PageView } from '../ui/page';

function isConfirmed(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as { logout?: unknown }).logout === true;
}

async function signOut(ctx: RouteContext, view: PageView): Promise<void> {
  const { router, signal } = ctx;
  view.setBusy(true);
  view.replace(h('p', { class: 'loading' }, tp('app.logout.inProgress')));
  try {
    const created = await call(() => kratos.get('/self-service/logout/browser', {}, requestInit(signal)));
    if (signal.aborted) return;
    if (created.status === 401) {
      return router.navigate('/login', { replace: true, state: { notice: 'app.logout.notSignedIn' } });
    }
    const token = (created.body as { logout_token?: unknown } | null)?.logout_token;
    if (created.status !== 200 || typeof token !== 'string') return problem(view, created.status, created.body);
    const done = await call(() => kratos.get('/self-service/logout', { token }, requestInit(signal)));
    if (signal.aborted) return;
    if (done.status !== 204 && done.status !== 200) return problem(view, done.status, done.body);
    router.navigate('/login', { replace: true, state: { notice: 'app.logout.done' } });
  } catch (err) {
    if (signal.aborted) return;
    if (!(err instanceof KratosUnreachable)) throw err;
    view.offerRetry(unreachableMessage(err), () => void signOut(ctx, view));
  }
}

function problem(view: PageView, status: number, body: unknown): void {
  const outcome = classify({ status, body });
  const message = outcome.type === 'error' ? (outcome.error.reason ?? outcome.error.message) : `HTTP ${status}`;
  view.setBusy(false);
  view.notice(`${t('app.error.status', { code: status })}: ${message}`, 'error');
  view.replace();
}

export const logoutRoute: Route = async (ctx) => {
  const view = showPage(tp('app.logout.title'));
  if (isConfirmed(ctx.state)) return signOut(ctx, view);
  view.replace(
    h('p', {}, tp('app.logout.confirm')),
    h(
      'p',
      { class: 'actions' },
      h(
        'button',
        { class: 'button', attrs: { type: 'button' }, data: { testid: 'logout/confirm' }, on: { click: () => void signOut(ctx, view) } },
        t('app.nav.signOut'),
      ),
      link(ctx.router.href('/'), t('app.nav.home')),
    ),
  );
};
