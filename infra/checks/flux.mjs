// Flux's health checks over our Kustomizations, read by kustomize-controller's own code (the
// "flux-health" binary, infra/checks/flux/health.go built inside the controller's module source).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Each Kustomization's status reader (cel.NewStatusReader over spec.healthCheckExprs, as the
 * reconciler builds it) applied to each object: { [name]: { error?, results: { '<Kind>/<name>':
 * { supported, status?, message?, error? } } } }. `supported: false`: the Kustomization has no
 * expression for that kind (the controller falls back to kstatus, or, without wait, to nothing).
 */
export function fluxHealth(bin, { kustomizations, objects, scratch, name = 'flux' }) {
  const ks = join(scratch, `${name}-kustomizations.yaml`);
  const objs = join(scratch, `${name}-objects.yaml`);
  writeFileSync(ks, kustomizations.map((o) => stringify(o)).join('---\n'));
  writeFileSync(objs, objects.map((o) => stringify(o)).join('---\n'));
  const r = spawnSync(bin, ['-kustomizations', ks, '-objects', objs], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kustomize-controller's health checks: ${r.stderr}`);
  const out = {};
  for (const k of JSON.parse(r.stdout).kustomizations) {
    out[k.name] = { error: k.error, results: Object.fromEntries((k.results ?? []).map((x) => [`${x.kind}/${x.name}`, x])) };
  }
  return out;
}

/**
 * An encrypted manifest decrypted as kustomize-controller decrypts what it applies: its
 * decryptor, for the first of `kustomizations` with spec.decryption, whose Secret holds the age
 * key in `ageKeyFile`. Returns the decrypted YAML, or throws with the controller's error.
 */
export function fluxDecrypt(bin, { kustomizations, file, ageKeyFile, scratch, name = 'decrypt' }) {
  const ks = join(scratch, `${name}-kustomizations.yaml`);
  writeFileSync(ks, kustomizations.map((o) => stringify(o)).join('---\n'));
  const r = spawnSync(bin, ['-kustomizations', ks, '-decrypt', file, '-age-key', ageKeyFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kustomize-controller's decryptor: ${r.stderr.trim()}`);
  return r.stdout;
}
