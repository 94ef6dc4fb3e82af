// Entry point. The deep-link restore runs first, before the router reads the address.
import './app-start';
import './styles.css';
import { BASE_PATH } from './config';
import { restoreDeepLink } from './deep-link';
import { isFramed, showFramedNotice } from './frame-guard';
import { t } from './i18n/catalog';
import { useLanguage } from './i18n/languages';
import { decideLanguage, LANGUAGES, type Lang } from './i18n/preference';
import { flowRoute } from './pages/flow-page';
import { createRouter, type Route } from './router';
import type { RoutePath } from './route-paths';
import { afterPaint, h } from './ui/dom';
import { showPage } from './ui/page';

restoreDeepLink(window, BASE_PATH);

/**
 * A page whose code is fetched when it is first opened: /login carries only the flow page
 * (see the size budget in frontend/build/budget.test.ts).
 */
const lazy =
  (load: () => Promise<Route>): Route =>
  async (ctx) =>
    (await load())(ctx);

const router = createRouter({
  base: BASE_PATH,
  routes: {
    '/': lazy(async () => (await import('./pages/home')).homeRoute),
    '/login': flowRoute('login'),
    '/registration': flowRoute('registration'),
    '/recovery': flowRoute('recovery'),
    '/verification': flowRoute('verification'),
    '/settings': flowRoute('settings'),
    '/logout': lazy(async () => (await import('./pages/logout')).logoutRoute),
    '/error': lazy(async () => (await import('./pages/error')).errorRoute),
    '/admin': lazy(async () => (await import('./pages/admin')).adminRoute),
  } satisfies Record<RoutePath, Route>,
  notFound: lazy(async () => (await import('./pages/error')).notFoundRoute),
  onError(error) {
    // The end-to-end tests fail on this line (e2e/fixtures.ts): a route must never crash.
    console.error('route crashed:', error);
    showPage(t('app.error.title')).notice(String(error instanceof Error ? error.message : error), 'error');
  },
});

// The page's flow request left before this code arrived (kratos/early.ts), and the early script
// decided the language; its catalog loads while the request is under way (a German visitor's
// catalog is not on the critical path).
const framed = isFramed(window);
await useLanguage(decideLanguage());

const brand = document.querySelector<HTMLAnchorElement>('[data-brand]');

/** The header's brand: the home link, in the current language. */
function drawBrand(): void {
  if (!brand) return;
  brand.href = router.href('/');
  brand.textContent = t('app.name');
}

/** The header's language menu, in the current language (drawn again when the language changes). */
function drawLanguageMenu(): void {
  if (!brand) return;
  const select = h(
    'select',
    { attrs: { id: 'language', autocomplete: 'off' }, data: { testid: 'app/language' } },
    ...Object.entries(LANGUAGES).map(([code, name]) =>
      h('option', { attrs: { value: code, lang: code, selected: code === document.documentElement.lang } }, name),
    ),
  );
  select.addEventListener('change', async () => {
    await useLanguage(select.value as Lang, true);
    drawBrand();
    drawLanguageMenu();
    // The page is drawn again in the new language; the flow id in the address keeps the flow.
    const here = new URL(window.location.href);
    router.navigate(`${router.appPath(here) ?? '/'}${here.search}`, { replace: true });
  });
  const menu = h('div', { class: 'language' }, h('label', { attrs: { for: 'language' } }, t('app.language.label')), select);
  brand.parentElement?.querySelector('.language')?.remove();
  brand.after(menu);
}

if (framed) showFramedNotice(document.getElementById('main')!, window.location.href);
else {
  drawBrand();
  router.start();
  // Not needed to sign in: drawn once the page is on screen, where it takes no time from the form
  // (the header keeps its height, so nothing moves when it comes).
  afterPaint(drawLanguageMenu);
}
