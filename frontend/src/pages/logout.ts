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

/**
 * Kratos's logout flow for this browser: its token, or null once the page has said what happened
 * instead (nobody signed in: to /login, told so; a refusal; Kratos out of reach, with a retry).
 */
async function logoutToken(ctx: RouteContext, view: PageView, retry: () => void): Promise<string | null> {
  const { router, signal } = ctx;
  try {
    const created = await call(() => kratos.get('/self-service/logout/browser', {}, requestInit(signal)));
    if (signal.aborted) return null;
    if (created.status === 401) {
      router.navigate('/login', { replace: true, state: { notice: 'app.logout.notSignedIn' } });
      return null;
    }
    const token = (created.body as { logout_token?: unknown } | null)?.logout_token;
    if (created.status === 200 && typeof token === 'string') return token;
    problem(view, created.status, created.body);
  } catch (err) {
    if (signal.aborted) return null;
    if (!(err instanceof KratosUnreachable)) throw err;
    view.offerRetry(unreachableMessage(err), retry);
  }
  return null;
}

async function signOut(ctx: RouteContext, view: PageView, known?: string): Promise<void> {
  const { router, signal } = ctx;
  view.setBusy(true);
  view.replace(h('p', { class: 'loading' }, tp('app.logout.inProgress')));
  const token = known ?? (await logoutToken(ctx, view, () => void signOut(ctx, view)));
  if (!token) return;
  try {
    const done = await call(() => kratos.get('/self-service/logout', { token }, requestInit(signal)));
    if (signal.aborted) return;
    if (done.status !== 204 && done.status !== 200) return problem(view, done.status, done.body);
    router.navigate('/login', { replace: true, state: { notice: 'app.logout.done' } });
  } catch (err) {
    if (signal.aborted) return;
    if (!(err instanceof KratosUnreachable)) throw err;
    view.offerRetry(unreachableMessage(err), () => void signOut(ctx, view, token));
  }
}

function problem(view: PageView, status: number, body: unknown): void {
  const outcome = classify({ status, body });
  const message = outcome.type === 'error' ? (outcome.error.reason ?? outcome.error.message) : `HTTP ${status}`;
  view.setBusy(false);
  view.notice(`${t('app.error.status', { code: status })}: ${message}`, 'error');
  view.replace();
}

/** Asks first where the visit was not the app's own button; asks only someone signed in (review finding 29). */
async function askFirst(ctx: RouteContext, view: PageView): Promise<void> {
  view.setBusy(true);
  const token = await logoutToken(ctx, view, () => void askFirst(ctx, view));
  if (!token) return;
  view.setBusy(false);
  view.replace(
    h('p', {}, tp('app.logout.confirm')),
    h(
      'p',
      { class: 'actions' },
      h(
        'button',
        { class: 'button', attrs: { type: 'button' }, data: { testid: 'logout/confirm' }, on: { click: () => void signOut(ctx, view, token) } },
        t('app.nav.signOut'),
      ),
      link(ctx.router.href('/'), t('app.nav.home')),
    ),
  );
}

export const logoutRoute: Route = async (ctx) => {
  const view = showPage(tp('app.logout.title'));
  return isConfirmed(ctx.state) ? signOut(ctx, view) : askFirst(ctx, view);
};
