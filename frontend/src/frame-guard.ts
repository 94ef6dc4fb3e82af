// Clickjacking defence for static hosting. GitHub Pages cannot send X-Frame-Options or a CSP
// header, and a <meta> CSP cannot carry frame-ancestors, so a sign-in form could be framed by
// another site and clicked through. Framed, the app renders no form, only a way out.
import { t } from './i18n/catalog';
import { h } from './ui/dom';

export { isFramed } from './framed';

export function showFramedNotice(main: HTMLElement, href: string): void {
  main.replaceChildren(
    h('h1', {}, t('app.framed.title')),
    h('p', {}, t('app.framed.text')),
    h('p', {}, h('a', { attrs: { href, target: '_top', rel: 'noopener' }, data: { testid: 'app/framed-open' } }, t('app.framed.open'))),
  );
  main.setAttribute('aria-busy', 'false');
}
