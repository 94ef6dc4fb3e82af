// The early request's code (src/kratos/early.ts) as the first script of every app page.
//
// The early module and what it imports make a chunk of their own (the `EARLY_CHUNK` group in
// vite.config.ts), which the app's code imports like any other. This plugin also puts that chunk
// in the page as an `async` module script, ahead of the app's: it is the first request the page
// sends and runs the moment it arrives (an ordinary module script waits for the document's
// styles and for the whole module graph), so the flow request leaves while the rest of the app
// is still loading. The browser loads and runs the module once for both.
import type { Plugin } from 'vite';

export const EARLY_CHUNK = 'early';

/**
 * The early module and everything it imports, one chunk that needs no other request; with them
 * the deep-link restore, which also runs before the app and is all that 404.html needs.
 */
export const EARLY_MODULES = /[\\/]src[\\/](kratos[\\/]early|kratos[\\/]requests|framed|config|deep-link)\.ts$/;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function earlyEntryPlugin(): Plugin {
  let base = '/';
  return {
    name: 'kratos-spa-early-entry',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === EARLY_CHUNK);
        if (!chunk || chunk.type !== 'chunk' || !chunk.moduleIds.some((id) => /[\\/]kratos[\\/]early\.ts$/.test(id))) {
          throw new Error(`early entry: no "${EARLY_CHUNK}" chunk holding src/kratos/early.ts in the bundle`);
        }
        // Only the pages whose script loads it (not 404.html, which only redirects).
        const src = `${base}${chunk.fileName}`;
        const listed = new RegExp(`\\s*<(?:link rel="modulepreload"|script type="module") crossorigin (?:href|src)="${escape(src)}">(?:</script>)?`);
        if (!listed.test(html)) return html;
        // Vite lists it among the app's preloads or scripts; this tag takes that line's place.
        const page = html.replace(listed, '');
        const app = page.indexOf('<script type="module"');
        if (app < 0) throw new Error('early entry: the page has no module script');
        return `${page.slice(0, app)}<script type="module" async crossorigin src="${src}"></script>\n    ${page.slice(app)}`;
      },
    },
  };
}
