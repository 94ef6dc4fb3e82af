// `npm test`: every check the project has, in order, stopping at the first failure.
//
//   1. typecheck   tsc --noEmit (strict)
//   2. unit        vitest (happy-dom for the SPA, node for infra)
//   3. infra       the production setup checked offline by the real tools (infra/checks/)
//   4. e2e         Playwright in Debian's Chromium against the real stack: all of it on SQLite,
//                  then the core, flow and second-factor specs and the replica tests on
//                  PostgreSQL with two Kratos replicas
// What the machine lacks is installed first: Chromium, gcc, shellcheck and PostgreSQL from Debian's packages
// (as root or with passwordless sudo; otherwise it says what to run), then Kratos, Oathkeeper and
// the infra tools from their Go modules.
//
// A run with a skipped, pending or todo test fails too: a check that did not run is not a pass.
// Extra arguments go to Playwright, e.g. `npm test -- -g "deep link"` (unit tests still run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BuildError, ensureBinary } from './binaries.mjs';
import { ensureSystemPackages } from './system-packages.mjs';
import { EVIDENCE_FILE, ROOT } from './paths.mjs';

const RESULTS = join(ROOT, 'test-results');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function step(title, cmd, args, env = {}, afterFailure = () => {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    afterFailure();
    fail(`${title} failed (exit ${r.status ?? r.signal}) after ${seconds}s.`);
  }
  console.log(`✔ ${title} (${seconds}s)`);
}

function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

/**
 * The evidence of each failed e2e test (e2e/fixtures.ts), printed again after Playwright's summary:
 * printed only beside the test, it scrolls out of a CI log that keeps the last part.
 */
function printEvidence(outputDir) {
  const files = existsSync(outputDir)
    ? readdirSync(outputDir, { recursive: true }).filter((f) => basename(String(f)) === EVIDENCE_FILE).map((f) => join(outputDir, String(f)))
    : [];
  if (files.length === 0) return;
  console.log(`\nWhat the failed tests left (${files.length}; also beside each test above):`);
  for (const file of files.sort()) console.log(readFileSync(file, 'utf8'));
}

function unitCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    total: report.numTotalTests,
    notRun: report.numPendingTests + report.numTodoTests,
    names: report.testResults.flatMap((f) =>
      f.assertionResults.filter((t) => t.status !== 'passed' && t.status !== 'failed').map((t) => `${f.name}: ${t.fullName} (${t.status})`),
    ),
  };
}

function e2eCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const names = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === 'skipped') names.push(`${spec.file}: ${spec.title}`);
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const s of report.suites ?? []) walk(s);
  // playwright.config.ts has retries: 0, so a test that fails once fails the run (no "flaky").
  const { expected = 0, unexpected = 0, skipped = 0 } = report.stats ?? {};
  return { total: expected + unexpected + skipped, notRun: skipped, names };
}

function requireAllRan(kind, counts) {
  if (counts.total === 0) fail(`${kind}: no tests ran. Is the test file pattern right?`);
  if (counts.notRun > 0) fail(`${kind}: ${counts.notRun} test(s) did not run:\n  ${counts.names.join('\n  ')}`);
  console.log(`  ${counts.total} ${kind} tests, none skipped.`);
}

rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

// First what the machine lacks: a unit test starts the real PostgreSQL (infra/local/postgres.test.mjs).
const systemProblem = ensureSystemPackages();
if (systemProblem) fail(systemProblem);

step('Type check (tsc --noEmit, strict)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);

const unitReport = join(RESULTS, 'unit.json');
step('Unit tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${unitReport}`]);
requireAllRan('unit', unitCounts(unitReport));

try {
  for (const name of ['kratos', 'oathkeeper', 'helm', 'kustomize', 'kubeconform', 'actionlint', 'tofu']) await ensureBinary(name);
} catch (err) {
  fail(err instanceof BuildError ? err.message : String(err));
}

const infraReport = join(RESULTS, 'infra.json');
step('Infrastructure checks (the charts rendered by Helm and booted, kustomize, kubeconform, actionlint, OpenTofu)', bin('vitest'), [
  'run',
  '--config',
  'infra/checks/vitest.config.mjs',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${infraReport}`,
]);
requireAllRan('infrastructure', unitCounts(infraReport));

const e2eReport = join(RESULTS, 'e2e.json');
// playwright.config.ts writes its JSON report to test-results/e2e.json (e2e-postgres.json), and
// each failed test's output folder under test-results/e2e (e2e-postgres).
step('End-to-end tests (Playwright + Chromium, real Kratos on SQLite)', bin('playwright'), ['test', ...process.argv.slice(2)], {}, () =>
  printEvidence(join(RESULTS, 'e2e')),
);
requireAllRan('end-to-end', e2eCounts(e2eReport));

// The same flows on PostgreSQL with two Kratos replicas, and the replica tests. With arguments
// for Playwright (a file, -g …) this pass runs only when they name something it has.
const postgresArgs = process.argv.slice(2);
step(
  'End-to-end tests on PostgreSQL with two Kratos replicas',
  bin('playwright'),
  ['test', ...postgresArgs, ...(postgresArgs.length ? ['--pass-with-no-tests'] : [])],
  { KRATOS_DB: 'postgres' },
  () => printEvidence(join(RESULTS, 'e2e-postgres')),
);
if (postgresArgs.length === 0) requireAllRan('end-to-end (PostgreSQL)', e2eCounts(join(RESULTS, 'e2e-postgres.json')));

console.log('\nAll checks passed.');
