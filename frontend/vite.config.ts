import { fileURLToPath } from 'node:url';
import { defineConfig, loadEnv } from 'vite';
import { cspPlugin } from './build/csp.ts';
import { parseApiUrl, parseBasePath, parseKratosHost } from './build/env.ts';
import { routePagesPlugin } from './build/route-pages.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  // Process env wins over frontend/.env* files, as everywhere in Vite.
  const env = { ...loadEnv(mode, root, ''), ...process.env };
  const kratosHost = parseKratosHost(env.VITE_KRATOS_HOST);
  const apiUrl = parseApiUrl(env.VITE_API_URL);
  const base = parseBasePath(env.SPA_BASE_PATH);
  return {
    root,
    base,
    envDir: root,
    plugins: [cspPlugin({ kratosHost, apiUrl }), routePagesPlugin()],
    // The normalised values replace whatever Vite would inline.
    define: {
      'import.meta.env.VITE_KRATOS_HOST': JSON.stringify(kratosHost),
      'import.meta.env.VITE_API_URL': JSON.stringify(apiUrl),
    },
    build: {
      outDir: fileURLToPath(new URL('../dist', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: {
          index: fileURLToPath(new URL('index.html', import.meta.url)),
          404: fileURLToPath(new URL('404.html', import.meta.url)),
        },
      },
    },
    // Pre-bundled at start, so a first visit never triggers Vite's "optimised, reloading".
    optimizeDeps: { include: ['@ory/client-fetch'] },
    server: { host: '127.0.0.1', strictPort: true },
    preview: { host: '127.0.0.1', strictPort: true },
  };
});
