// JSON schemas for kubeconform, made from the real sources, offline:
//
//   Flux HelmRelease v2       github.com/fluxcd/helm-controller   config/crd/bases/*.yaml
//   Flux HelmRepository v1    github.com/fluxcd/source-controller config/crd/bases/*.yaml
//   Flux Kustomization v1     github.com/fluxcd/kustomize-controller config/crd/bases/*.yaml
//   Gateway API HTTPRoute v1  sigs.k8s.io/gateway-api             config/crd/standard/*.yaml
//   Envoy Gateway BackendTrafficPolicy  github.com/envoyproxy/gateway  charts/…/crds/generated/*.yaml
//   CloudNativePG Cluster, ScheduledBackup, Backup  github.com/cloudnative-pg/cloudnative-pg  config/crd/bases/*.yaml
//   Barman Cloud ObjectStore  github.com/cloudnative-pg/plugin-barman-cloud  config/crd/bases/*.yaml
//   built-in kinds            k8s.io/kubernetes                   api/openapi-spec/swagger.json
//     (core, apps, batch, networking, policy: what infra/k8s and the rendered charts contain)
//
// The Go module proxy serves these repositories as modules, so `go mod download` fetches the
// files. The conversion follows kubeconform's openapi2jsonschema: CRD openAPIV3Schema as it is,
// swagger definitions with their $refs inlined, int-or-string as string|integer, and (strict)
// every object that lists its properties refuses others.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cacheDir } from '../local/paths.mjs';

export const SCHEMA_SOURCES = {
  crds: [
    { module: 'github.com/fluxcd/helm-controller', version: 'v1.6.3', file: 'config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml' },
    { module: 'github.com/fluxcd/source-controller', version: 'v1.9.6', file: 'config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml' },
    { module: 'github.com/fluxcd/kustomize-controller', version: 'v1.9.4', file: 'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml' },
    { module: 'sigs.k8s.io/gateway-api', version: 'v1.6.3', file: 'config/crd/standard/gateway.networking.k8s.io_httproutes.yaml' },
    { module: 'sigs.k8s.io/gateway-api', version: 'v1.6.3', file: 'config/crd/standard/gateway.networking.k8s.io_gateways.yaml' },
    ...['backendtrafficpolicies', 'securitypolicies', 'clienttrafficpolicies', 'envoyproxies'].map((kind) => ({
      module: 'github.com/envoyproxy/gateway',
      version: 'v1.9.1',
      file: `charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_${kind}.yaml`,
    })),
    { module: 'github.com/cloudnative-pg/cloudnative-pg', version: 'v1.30.1', file: 'config/crd/bases/postgresql.cnpg.io_clusters.yaml' },
    { module: 'github.com/cloudnative-pg/cloudnative-pg', version: 'v1.30.1', file: 'config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml' },
    { module: 'github.com/cloudnative-pg/cloudnative-pg', version: 'v1.30.1', file: 'config/crd/bases/postgresql.cnpg.io_backups.yaml' },
    { module: 'github.com/cloudnative-pg/plugin-barman-cloud', version: 'v0.15.0', file: 'config/crd/bases/barmancloud.cnpg.io_objectstores.yaml' },
  ],
  core: {
    module: 'k8s.io/kubernetes',
    version: 'v1.34.2',
    file: 'api/openapi-spec/swagger.json',
    kinds: [
      'core.v1.Namespace', 'core.v1.ConfigMap', 'core.v1.Secret', 'core.v1.Service', 'core.v1.ServiceAccount', 'core.v1.Pod',
      'apps.v1.Deployment', 'apps.v1.StatefulSet', 'batch.v1.Job', 'batch.v1.CronJob',
      'networking.v1.NetworkPolicy', 'networking.v1.Ingress', 'policy.v1.PodDisruptionBudget',
      'autoscaling.v2.HorizontalPodAutoscaler', 'rbac.v1.Role', 'rbac.v1.RoleBinding',
    ],
  },
};

/** kubeconform's {{ .Group }}: the apiVersion's part before "/", or the whole "v1" of the core group. */
const API_GROUP = { core: 'v1', apps: 'apps', batch: 'batch', networking: 'networking.k8s.io', policy: 'policy', autoscaling: 'autoscaling', rbac: 'rbac.authorization.k8s.io' };

/** kubeconform -schema-location for the folder ensureSchemas() returns. */
export const schemaLocation = (dir) => `${dir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;

/** The folder of a Go module's source in the module cache (downloaded through the module proxy). */
export function moduleDir(module, version) {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const info = JSON.parse(out);
  if (info.Error) throw new Error(`go mod download ${module}@${version}: ${info.Error}`);
  return info.Dir;
}

/**
 * Adds additionalProperties: false where properties are listed; int-or-string → string|integer.
 * With `nullable` (the built-in kinds, as openapi2jsonschema makes them), an optional property may
 * also be null, as the API server accepts (charts render `annotations:` with nothing after it).
 */
export function strictify(node, { nullable = false } = {}) {
  const again = (n) => strictify(n, { nullable });
  if (Array.isArray(node)) return node.map(again);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = again(v);
  if (nullable && out.properties && typeof out.properties === 'object' && !Array.isArray(out.properties)) {
    const required = new Set(out.required ?? []);
    for (const [name, prop] of Object.entries(out.properties)) {
      if (required.has(name) || !prop || typeof prop !== 'object') continue;
      if (typeof prop.type === 'string') out.properties[name] = { ...prop, type: [prop.type, 'null'] };
      else if (Array.isArray(prop.oneOf)) out.properties[name] = { ...prop, oneOf: [...prop.oneOf, { type: 'null' }] };
    }
  }
  if (out['x-kubernetes-int-or-string'] === true || out.format === 'int-or-string') {
    delete out.type;
    delete out.format;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserves) out.additionalProperties = false;
  return out;
}

function crdSchemas(text) {
  const result = [];
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      if (!version.served || !version.schema?.openAPIV3Schema) continue;
      result.push({
        group: crd.spec.group,
        kind: crd.spec.names.kind.toLowerCase(),
        version: version.name,
        schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...strictify(version.schema.openAPIV3Schema) },
      });
    }
  }
  return result;
}

/** A swagger definition with every #/definitions/… reference inlined (recursion cut at repeats). */
function inline(definitions, node, seen = new Set()) {
  if (Array.isArray(node)) return node.map((n) => inline(definitions, n, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/definitions/', '');
    if (seen.has(name)) return {};
    return inline(definitions, definitions[name], new Set([...seen, name]));
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = inline(definitions, v, seen);
  return out;
}

function coreSchemas(swagger, kinds) {
  return kinds.map((entry) => {
    const [group, version, kind] = entry.split('.');
    const name = `io.k8s.api.${group}.${version}.${kind}`;
    if (!swagger.definitions[name]) throw new Error(`${name} is not in the Kubernetes OpenAPI spec`);
    return {
      group: API_GROUP[group],
      kind: kind.toLowerCase(),
      version,
      schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...strictify(inline(swagger.definitions, swagger.definitions[name], new Set([name])), { nullable: true }) },
    };
  });
}

/** Builds the schema folder once per set of sources (cached); returns its path. */
export function ensureSchemas() {
  const key = createHash('sha256').update(JSON.stringify(SCHEMA_SOURCES)).update(strictify.toString()).digest('hex').slice(0, 10);
  const dir = join(cacheDir(), 'schemas', key);
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const schemas = [];
  for (const src of SCHEMA_SOURCES.crds) {
    schemas.push(...crdSchemas(readFileSync(join(moduleDir(src.module, src.version), src.file), 'utf8')));
  }
  const { core } = SCHEMA_SOURCES;
  schemas.push(...coreSchemas(JSON.parse(readFileSync(join(moduleDir(core.module, core.version), core.file), 'utf8')), core.kinds));
  for (const s of schemas) {
    mkdirSync(join(tmp, s.group), { recursive: true });
    writeFileSync(join(tmp, s.group, `${s.kind}_${s.version}.json`), JSON.stringify(s.schema));
  }
  writeFileSync(join(tmp, '.complete'), `${schemas.length} schemas\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(tmp, dir);
  return dir;
}
