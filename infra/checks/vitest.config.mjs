import { defineConfig } from 'vitest/config';

// The offline infrastructure checks: real tools (kustomize, kubeconform, actionlint, OpenTofu,
// Kratos, Oathkeeper), so they run after `npm test` has built them.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    environment: 'node',
    include: ['infra/checks/**/*.spec.mjs'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
