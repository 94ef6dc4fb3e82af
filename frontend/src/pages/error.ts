// /error?id=… — Kratos sends the browser here when a plain navigation (an e-mail link, a
// social sign-in callback) ends in an error; the details are fetched by id.
import { t } from '../i18n/catalog';
import { tp, type PageMessageId } from '../i18n/pages';
import { call, kratos, KratosUnreachable, requestInit } from '../kratos/client';
import type { Route } from '../router';
import { h } from '../ui/dom';
import { link, showPage, unreachableMessage } from '../ui/page';

interface ErrorContent {
  code?: unknown;
  status?: unknown;
  message?: unknown;
  reason?: unknown;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * How kratos/hooks/address-proven.jsonnet's refusal begins: Kratos hands it on as the error's
 * message (with the template's location, a path or the whole template inlined), never meant for a
 * person. A social sign-up whose provider did not vouch for the address ends here.
 */
export const ADDRESS_NOT_PROVEN = 'address_not_proven:';

/** What the page says instead of Kratos's words, for the errors it knows; null for the others. */
export function knownError(error: ErrorContent): PageMessageId | null {
  return [error.message, error.reason].some((v) => typeof v === 'string' && v.includes(ADDRESS_NOT_PROVEN)) ? 'app.error.addressNotProven' : null;
}

export const errorRoute: Route = async (ctx) => {
  const view = showPage(t('app.error.title'));
  const home = h('p', {}, link(ctx.router.href('/'), tp('app.error.backHome'), 'link/home'));
  const id = ctx.query.get('id');
  if (!id) {
    view.notice(tp('app.error.missingId'), 'info');
    view.replace(home);
    return;
  }
  view.setBusy(true);
  let failures = 0;
  const failed = (err: { status?: number }) => view.offerRetry(unreachableMessage(err), () => void load(), [home], { attempt: failures++, signal: ctx.signal });
  const load = async (): Promise<void> => {
    try {
      const reply = await call(() => kratos.get('/self-service/errors', { id }, requestInit(ctx.signal)));
      if (ctx.signal.aborted) return;
      if (reply.status >= 500) return failed({ status: reply.status });
      view.setBusy(false);
      const error = (reply.body as { error?: ErrorContent } | null)?.error;
      if (reply.status !== 200 || !error) {
        view.notice(tp('app.error.unknown'), 'info');
        view.replace(home);
        return;
      }
      const known = knownError(error);
      if (known) {
        view.replace(
          h('div', { class: 'card', data: { testid: 'ui/error' } }, h('p', { data: { testid: 'ui/error/known' } }, tp(known))),
          h('p', {}, link(ctx.router.href('/registration'), tp('app.error.signUpByCode'), 'link/registration')),
          home,
        );
        return;
      }
      const code = typeof error.code === 'number' ? error.code : null;
      view.replace(
        h(
          'div',
          { class: 'card', data: { testid: 'ui/error' } },
          code ? h('p', { class: 'error-code', data: { testid: 'ui/error/code' } }, t('app.error.status', { code })) : null,
          text(error.message) ? h('p', { data: { testid: 'ui/error/message' } }, text(error.message)!) : null,
          text(error.reason) ? h('p', { class: 'error-reason', data: { testid: 'ui/error/reason' } }, text(error.reason)!) : null,
        ),
        home,
      );
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (!(err instanceof KratosUnreachable)) throw err;
      failed(err);
    }
  };
  await load();
};

export const notFoundRoute: Route = (ctx) => {
  const view = showPage(tp('app.notFound.title'));
  view.replace(h('p', {}, tp('app.notFound.text')), h('p', {}, link(ctx.router.href('/'), tp('app.error.backHome'), 'link/home')));
};
