import { fileURLToPath } from 'node:url';
import { defineConfig, loadEnv } from 'vite';
import { compileHints } from './build/compile-hints.ts';
import { cspPlugin } from './build/csp.ts';
import { EARLY_CHUNK, EARLY_MODULES, earlyInline } from './build/early-entry.ts';
import { inlineStyle } from './build/inline-style.ts';
import { parseApiUrl, parseBasePath, parseKratosHost } from './build/env.ts';
import { routePagesPlugin } from './build/route-pages.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The chunk with the app and everything it imports at start (named once: the compile hint goes by it). */
const APP_CHUNK = 'app';

export default defineConfig(({ mode }) => {
  // Process env wins over frontend/.env* files, as everywhere in Vite.
  const env = { ...loadEnv(mode, root, ''), ...process.env };
  const kratosHost = parseKratosHost(env.VITE_KRATOS_HOST);
  const apiUrl = parseApiUrl(env.VITE_API_URL);
  const base = parseBasePath(env.SPA_BASE_PATH);
  const early = earlyInline();
  const style = inlineStyle();
  return {
    root,
    base,
    envDir: root,
    plugins: [
      cspPlugin({ kratosHost, apiUrl }, early.scriptSources, style.styleSources),
      early.plugin,
      style.plugin,
      routePagesPlugin(),
      // The chunks every page starts with are compiled off the main thread as they stream in.
      compileHints([EARLY_CHUNK, APP_CHUNK]),
    ],
    // The normalised values replace whatever Vite would inline.
    define: {
      'import.meta.env.VITE_KRATOS_HOST': JSON.stringify(kratosHost),
      'import.meta.env.VITE_API_URL': JSON.stringify(apiUrl),
    },
    build: {
      outDir: fileURLToPath(new URL('../dist', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      // Every browser the app supports preloads modules itself: no polyfill chunk in each page.
      modulePreload: { polyfill: false },
      rollupOptions: {
        input: {
          index: fileURLToPath(new URL('index.html', import.meta.url)),
          404: fileURLToPath(new URL('404.html', import.meta.url)),
        },
        // Two chunks for a page's start: the modules the app shares with 404.html and the inline
        // early request (build/early-entry.ts), and the app with everything else it imports (one
        // request, not one per module shared with a lazy page). Pages and catalogs that are
        // imported lazily stay chunks of their own.
        output: {
          codeSplitting: {
            groups: [
              { name: EARLY_CHUNK, test: EARLY_MODULES, priority: 2 },
              { name: APP_CHUNK, test: /[\\/]src[\\/]main\.ts$/, priority: 1 },
            ],
          },
        },
      },
    },
    // Pre-bundled at start, so a first visit never triggers Vite's "optimised, reloading".
    optimizeDeps: { include: ['@ory/client-fetch'] },
    server: { host: '127.0.0.1', strictPort: true },
    preview: { host: '127.0.0.1', strictPort: true },
  };
});
