// One HTML entry per app route: login.html, registration.html, … beside index.html.
//
// GitHub Pages answers /login with login.html (200) when it exists, and only otherwise with
// 404.html. Without these files every deep link (/login?flow=…) bounced through 404.html and a
// second document before the app could start. Each entry is index.html as built: the same
// scripts, styles and Content-Security-Policy. 404.html stays for addresses the app does not have.
import type { Plugin } from 'vite';
import { ROUTE_PATHS } from '../src/route-paths.ts';

/** The file each route is served from: "/" → index.html, "/login" → login.html. */
export const routeFile = (path: string): string => (path === '/' ? 'index.html' : `${path.slice(1)}.html`);

export function routePagesPlugin(): Plugin {
  return {
    name: 'kratos-spa-route-pages',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      if (!index || index.type !== 'asset') return this.error('route pages: index.html is not in the bundle');
      for (const path of ROUTE_PATHS) {
        if (path !== '/') this.emitFile({ type: 'asset', fileName: routeFile(path), source: index.source });
      }
    },
  };
}
