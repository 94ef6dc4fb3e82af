import { defineConfig } from '@playwright/test';
import { chromiumPath, chromiumArgs } from './e2e/chromium';
import { PINNED } from './infra/local/binaries.mjs';
import { stackSettings } from './infra/local/settings.mjs';
import { POSTGRES_FAULTS, POSTGRES_ONLY, POSTGRES_PASS } from './e2e/passes.mjs';

const { urls, database } = stackSettings('test');

/** The version `npm run compat` runs instead of the pinned one (infra/local/compat.mjs), if any. */
const OTHER_KRATOS = /^v\d+\.\d+\.\d+$/.test(process.env.KRATOS_VERSION_UNDER_TEST ?? '') && process.env.KRATOS_VERSION_UNDER_TEST !== PINNED.kratos.version ? process.env.KRATOS_VERSION_UNDER_TEST : null;


// End-to-end tests: Debian's Chromium against the real stack (Kratos, mail sink, SPA), which
// e2e/global-setup.ts starts on the test ports. There is no browser download on this machine.
export default defineConfig({
  testDir: 'e2e',
  // Specs only: e2e/*.test.ts are unit tests of the e2e helpers (vitest).
  testMatch: /\.spec\.ts$/,
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  // The look's baselines (e2e/look.spec.ts), one per state: `npm run screenshots:baseline` refreshes them.
  // Another Kratos (`npm run compat`) draws some pages differently (v1.3.1 offers no social sign-up
  // on the password step): its baselines sit in a folder of its version.
  snapshotPathTemplate: `{testDir}/screenshots/${OTHER_KRATOS ? `${OTHER_KRATOS}/` : ''}{arg}{ext}`,
  // In CI a missing baseline fails the run; locally it is written (and shows in git status), never overwritten.
  updateSnapshots: process.env.CI ? 'none' : 'missing',
  reporter: [['list'], ['json', { outputFile: database === 'postgres' ? 'test-results/e2e-postgres.json' : 'test-results/e2e.json' }]],
  outputDir: database === 'postgres' ? 'test-results/e2e-postgres' : 'test-results/e2e',
  projects: database === 'postgres' ? [
    { name: 'postgres', testMatch: POSTGRES_PASS, testIgnore: POSTGRES_FAULTS },
    { name: 'postgres-faults', testMatch: POSTGRES_FAULTS, dependencies: ['postgres'], fullyParallel: false, workers: 1 },
  ] : [
    { name: 'flows', testIgnore: [/\.config\.spec\.ts$/, POSTGRES_ONLY] },
    // Tests that switch Kratos's configuration: after all others, one at a time.
    { name: 'kratos-config', testMatch: /\.config\.spec\.ts$/, dependencies: ['flows'], fullyParallel: false, workers: 1 },
  ],
  use: {
    baseURL: urls.spa,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
