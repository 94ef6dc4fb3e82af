// Entry point. The deep-link restore runs first, before the router reads the address.
import './styles.css';
import { BASE_PATH } from './config';
import { restoreDeepLink } from './deep-link';
import { isFramed, showFramedNotice } from './frame-guard';
import { t } from './i18n/catalog';
import { errorRoute, notFoundRoute } from './pages/error';
import { flowRoute } from './pages/flow-page';
import { homeRoute } from './pages/home';
import { logoutRoute } from './pages/logout';
import { createRouter } from './router';
import { showPage } from './ui/page';

restoreDeepLink(window, BASE_PATH);

const router = createRouter({
  base: BASE_PATH,
  routes: {
    '/': homeRoute,
    '/login': flowRoute('login'),
    '/registration': flowRoute('registration'),
    '/recovery': flowRoute('recovery'),
    '/verification': flowRoute('verification'),
    '/settings': flowRoute('settings'),
    '/logout': logoutRoute,
    '/error': errorRoute,
  },
  notFound: notFoundRoute,
  onError(error) {
    console.error(error);
    showPage(t('app.error.title')).notice(String(error instanceof Error ? error.message : error), 'error');
  },
});

const brand = document.querySelector<HTMLAnchorElement>('[data-brand]');
if (brand) {
  brand.href = router.href('/');
  brand.textContent = t('app.name');
}

if (isFramed(window)) showFramedNotice(document.getElementById('main')!, window.location.href);
else router.start();
