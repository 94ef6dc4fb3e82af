// `npm run compat -- <kratos binary>`: the end-to-end suite against another Kratos version.
//
// The project pins Kratos v1.3.1 (what chart 0.59.0 deploys; `npm test` and CI use it). Teams run
// newer ones; this runs every end-to-end test with the given binary as the stack's Kratos (the
// same kratos/ config), so a difference shows as a failing test. Build the binary from the
// version you run (Ory's repository, `go build -tags sqlite,json1`), outside this repository.
// Tests that depend on one version's behaviour ask `kratosAtLeast()` (e2e/helpers.ts).
//
// Extra arguments go to Playwright, e.g. `npm run compat -- ~/kratos-v26 -g "sign up"`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { reportedVersion } from './binaries.mjs';
import { ROOT } from './paths.mjs';

const [bin, ...rest] = process.argv.slice(2);
if (!bin) {
  console.error('usage: npm run compat -- <path to a kratos binary> [playwright arguments]');
  process.exit(2);
}
try {
  accessSync(bin, constants.X_OK);
} catch {
  console.error(`${bin} is not an executable file.`);
  process.exit(2);
}
const reported = reportedVersion(bin) ?? 'unknown';
console.log(`Running the end-to-end suite against Kratos ${reported} (${bin}); the project pins v1.3.1.`);
const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'playwright'), ['test', ...rest], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, KRATOS_BIN: bin, KRATOS_VERSION_UNDER_TEST: reported },
});
process.exit(r.status ?? 1);
