// One HTML entry per app route: login.html, registration.html, … beside index.html.
//
// GitHub Pages answers /login with login.html (200) when it exists, and only otherwise with
// 404.html. Without these files every deep link (/login?flow=…) bounced through 404.html and a
// second document before the app could start. Each entry is index.html as built: the same
// scripts, styles and Content-Security-Policy. 404.html stays for addresses the app does not have.
//
// One addition per page, where the page's form waits for a chunk the app would only ask for
// once its own script runs: settings.html preloads the settings strings (src/i18n/settings.ts),
// so they arrive beside the app instead of after it (one sequential request fewer).
import type { Plugin } from 'vite';
import { ROUTE_PATHS, type RoutePath } from '../src/route-paths.ts';

/** The file each route is served from: "/" → index.html, "/login" → login.html. */
export const routeFile = (path: string): string => (path === '/' ? 'index.html' : `${path.slice(1)}.html`);

/** The lazily imported module each page's form waits for, by the module's path under src/. */
export const PAGE_PRELOADS: Partial<Record<RoutePath, string>> = { '/settings': 'i18n/settings.ts' };

export function routePagesPlugin(): Plugin {
  let base = '/';
  return {
    name: 'kratos-spa-route-pages',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      if (!index || index.type !== 'asset') return this.error('route pages: index.html is not in the bundle');
      const html = String(index.source);
      for (const path of ROUTE_PATHS) {
        if (path === '/') continue;
        const module = PAGE_PRELOADS[path];
        let source = html;
        if (module) {
          // The emitted file of the chunk whose entry is src/<module>.
          const file = Object.values(bundle).find((item) => item.type === 'chunk' && item.facadeModuleId?.replaceAll('\\', '/').endsWith(`/src/${module}`))?.fileName;
          if (!file) return this.error(`route pages: no chunk for src/${module} (${path} preloads it)`);
          // Right after the app's module scripts, so it never goes before them.
          const at = html.lastIndexOf('</script>', html.indexOf('<script>')) + '</script>'.length;
          if (at < '</script>'.length) return this.error('route pages: index.html has no module script to preload after');
          source = `${html.slice(0, at)}\n    <link rel="modulepreload" crossorigin href="${base}${file}">${html.slice(at)}`;
        }
        this.emitFile({ type: 'asset', fileName: routeFile(path), source });
      }
    },
  };
}
