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
import { basename, join, relative } from 'node:path';
import { BuildError, ensureBinary } from './binaries.mjs';
import { ensureSystemPackages } from './system-packages.mjs';
import { EVIDENCE_FILE, ROOT } from './paths.mjs';
import { POSTGRES_ONLY, POSTGRES_PASS } from '../../e2e/passes.mjs';

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

/** The test files a vitest JSON report ran, relative to the repository. */
const unitFiles = (file) => JSON.parse(readFileSync(file, 'utf8')).testResults.map((t) => relative(ROOT, t.name));

/** The spec files a Playwright JSON report ran, relative to the repository. */
function e2eFiles(file) {
  const files = new Set();
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) files.add(join('e2e', spec.file));
    if (suite.file && (suite.specs?.length || suite.suites?.length)) files.add(join('e2e', suite.file));
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const s of JSON.parse(readFileSync(file, 'utf8')).suites ?? []) walk(s);
  return [...files];
}

/** The files under `dirs` whose path matches `pattern`, relative to the repository. */
function onDisk(dirs, pattern) {
  return dirs.flatMap((dir) => readdirSync(join(ROOT, dir), { recursive: true }).map(String).filter((f) => pattern.test(f) && !f.includes('node_modules')).map((f) => join(dir, f))).sort();
}

/**
 * Every test file on disk ran where it belongs: counting tests per runner would not notice a file
 * a pattern dropped (a typo in the PostgreSQL pass's list would silently drop replicas.spec.ts).
 */
function requireEveryFileRan(kind, ran, expected) {
  const missing = expected.filter((f) => !ran.includes(f));
  if (missing.length) fail(`${kind}: ${missing.length} test file(s) on disk did not run:\n  ${missing.join('\n  ')}`);
  console.log(`  every ${kind} test file ran (${expected.length}).`);
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
requireEveryFileRan('unit', unitFiles(unitReport), onDisk(['frontend', 'e2e', 'infra', 'oathkeeper', 'docs'], /\.test\.(ts|mjs)$/));

try {
  for (const name of ['kratos', 'oathkeeper', 'kratos-compat', 'helm', 'kustomize', 'kubeconform', 'actionlint', 'tofu', 'eg-translate', 'flux-health', 'sops', 'age-keygen']) await ensureBinary(name);
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
requireEveryFileRan('infrastructure', unitFiles(infraReport), onDisk(['infra/checks'], /\.spec\.mjs$/));

const e2eReport = join(RESULTS, 'e2e.json');
// playwright.config.ts writes its JSON report to test-results/e2e.json (e2e-postgres.json), and
// each failed test's output folder under test-results/e2e (e2e-postgres).
step('End-to-end tests (Playwright + Chromium, real Kratos on SQLite)', bin('playwright'), ['test', ...process.argv.slice(2)], {}, () =>
  printEvidence(join(RESULTS, 'e2e')),
);
requireAllRan('end-to-end', e2eCounts(e2eReport));
const specs = onDisk(['e2e'], /^[^/]+\.spec\.ts$/);
if (process.argv.length <= 2) requireEveryFileRan('end-to-end (SQLite)', e2eFiles(e2eReport), specs.filter((f) => !POSTGRES_ONLY.test(`/${f}`)));

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
if (postgresArgs.length === 0) {
  requireAllRan('end-to-end (PostgreSQL)', e2eCounts(join(RESULTS, 'e2e-postgres.json')));
  requireEveryFileRan('end-to-end (PostgreSQL)', e2eFiles(join(RESULTS, 'e2e-postgres.json')), specs.filter((f) => POSTGRES_PASS.test(`/${f}`)));
}

console.log('\nAll checks passed.');
