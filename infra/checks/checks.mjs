// Offline checks of everything production runs, each by the real tool:
//
//   kustomize build infra/k8s → kubeconform -strict against the real CRD/OpenAPI schemas
//   (the charts rendered and booted as the cluster runs them: charts.mjs)
//   .github/workflows → actionlint (with shellcheck when installed)
//   infra/dns → tofu fmt -check (parses and is formatted)
//
// Each returns { ok, output } (or throws only when the tool itself cannot run), so tests can
// show both a pass and the failure of a deliberately broken input.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { schemaLocation } from './schemas.mjs';

function run(cmd, args, { input, cwd } = {}) {
  const r = spawnSync(cmd, args, { input, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, stdout: r.stdout, output: `${r.stdout}${r.stderr}`.trim() };
}

export function kustomizeBuild(kustomize, dir) {
  return run(kustomize, ['build', dir]);
}

export function kubeconform(bin, schemaDir, manifests) {
  return run(bin, ['-strict', '-summary', '-schema-location', schemaLocation(schemaDir), '-'], { input: manifests });
}

export function actionlint(bin, files, cwd) {
  return run(bin, ['-no-color', ...files], { cwd });
}

export function tofuFmtCheck(tofu, dir) {
  return run(tofu, ['fmt', '-check', '-recursive', '-diff', dir]);
}

/** Variable names declared in .tf files (`variable "name" {`). */
export function declaredVariables(tfText) {
  return [...tfText.matchAll(/^variable\s+"([A-Za-z0-9_]+)"\s*\{/gm)].map((m) => m[1]);
}

export function readText(file) {
  return readFileSync(file, 'utf8');
}
