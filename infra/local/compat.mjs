// `npm run compat`: the end-to-end suite against the Ory release before the current one.
//
// The project runs Kratos and Oathkeeper v26.2.0 (chart 0.62.1; `npm start`, `npm test` and CI).
// Teams that have not upgraded run Kratos v1.3.1 and Oathkeeper v0.40.9 (chart 0.59.0): this
// builds those from their Go modules (infra/local/binaries.mjs, `kratos-compat`,
// `oathkeeper-compat`) and runs every end-to-end test with them as the stack's Kratos and
// Oathkeeper, on SQLite and then on PostgreSQL with two replicas, as `npm test` does, with the same
// kratos/ config (less what v1.3.1 refuses: forOlderKratos in infra/render-config.mjs). A
// difference shows as a failing test; tests whose expectation depends on the version ask
// `kratosAtLeast()` (e2e/helpers.ts).
//
//   npm run compat                          v1.3.1 + v0.40.9, both passes
//   npm run compat -- -g "sign up"          arguments after -- go to Playwright
//   npm run compat -- --kratos <binary> …   another Kratos binary (any version) instead of v1.3.1
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { BuildError, ensureBinary, reportedVersion } from './binaries.mjs';
import { ROOT } from './paths.mjs';

const args = process.argv.slice(2);
let kratos = null;
const at = args.indexOf('--kratos');
if (at >= 0) {
  kratos = args[at + 1];
  args.splice(at, 2);
  try {
    accessSync(kratos ?? '', constants.X_OK);
  } catch {
    console.error(`--kratos ${kratos ?? ''}: not an executable file.\nusage: npm run compat [-- [--kratos <kratos binary>] [playwright arguments]]`);
    process.exit(2);
  }
}
let oathkeeper;
try {
  kratos ??= await ensureBinary('kratos-compat');
  oathkeeper = await ensureBinary('oathkeeper-compat');
} catch (err) {
  console.error(err instanceof BuildError ? err.message : err);
  process.exit(1);
}
const version = reportedVersion(kratos) ?? 'unknown';
console.log(`Running the end-to-end suite against Kratos ${version} (${kratos}) and Oathkeeper ${reportedVersion(oathkeeper) ?? 'unknown'}; the project runs v26.2.0.`);
const env = { ...process.env, KRATOS_BIN: kratos, OATHKEEPER_BIN: oathkeeper, KRATOS_VERSION_UNDER_TEST: version };
const playwright = join(ROOT, 'node_modules', '.bin', 'playwright');
// Projects named with --project decide the passes: "postgres" is the PostgreSQL pass's only one.
const projects = args.flatMap((a, i) => (a.startsWith('--project=') ? [a.slice(10)] : a === '--project' ? [args[i + 1]] : []));
const passes = [
  ...(projects.length === 0 || projects.some((p) => p !== 'postgres') ? [{ name: 'SQLite', env }] : []),
  // With two Kratos replicas, as npm test runs it (infra/local/test.mjs).
  ...(projects.length === 0 || projects.includes('postgres') ? [{ name: 'PostgreSQL', env: { ...env, KRATOS_DB: 'postgres' } }] : []),
];
let failed = false;
for (const pass of passes) {
  console.log(`\n${pass.name} pass`);
  const r = spawnSync(playwright, ['test', ...args, ...(args.length ? ['--pass-with-no-tests'] : [])], { cwd: ROOT, stdio: 'inherit', env: pass.env });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
