import { defineConfig } from 'vitest/config';

// Unit tests: happy-dom for the SPA, Node for the infra scripts (per-file environment comment).
export default defineConfig({
  define: {
    // What a local build bakes in; the tests that need Kratos's origin read it from config.ts.
    'import.meta.env.VITE_KRATOS_HOST': JSON.stringify('http://127.0.0.1:4433'),
    'import.meta.env.VITE_API_URL': JSON.stringify('http://127.0.0.1:4455'),
  },
  test: {
    environment: 'happy-dom',
    // Unit tests never leave the page: links and location changes do not load anything.
    environmentOptions: {
      happyDOM: {
        settings: {
          navigation: { disableMainFrameNavigation: true, disableChildPageNavigation: true, disableChildFrameNavigation: true },
        },
      },
    },
    include: ['frontend/**/*.test.ts', 'e2e/**/*.test.ts', 'infra/**/*.test.mjs', 'oathkeeper/**/*.test.mjs', 'docs/**/*.test.mjs'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
