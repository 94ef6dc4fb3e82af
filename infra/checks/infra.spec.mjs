// Offline validation of the production setup with the real tools (issue 5). Each check is shown
// passing on what is committed, and failing on a deliberately broken copy.
//
// Runs as its own vitest suite after `npm test` has built the tools (infra/checks/vitest.config.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { checkRuleTable, oathkeeperCleansPaths } from '../../oathkeeper/rule-table.mjs';
import { ensureBinary } from '../local/binaries.mjs';
import { ROOT } from '../local/paths.mjs';
import * as renderModule from '../render-production.mjs';
import { EnvironmentError, FLUX, KEEP_WHEN_PRUNED, readEnvironment, renderProduction, staleFiles } from '../render-production.mjs';
import {
  actionlint,
  declaredVariables,
  kubeconform,
  kustomizeBuild,
  tofuFmtCheck,
} from './checks.mjs';
import { fluxHealth } from './flux.mjs';
import { ensureSchemas } from './schemas.mjs';

const K8S = join(ROOT, 'infra', 'k8s');
const DATABASE = join(K8S, 'database');
const DNS = join(ROOT, 'infra', 'dns');
const tools = {};
const scratch = [];

function scratchCopy(dir) {
  const copy = mkdtempSync(join(tmpdir(), 'infra-check-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  for (const name of ['kustomize', 'kubeconform', 'actionlint', 'tofu', 'oathkeeper']) tools[name] = await ensureBinary(name);
  tools.schemas = ensureSchemas();
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('one source of truth: the production rendering', () => {
  it('is current: rendering kratos/, oathkeeper/ and environment.yml again changes nothing that is committed', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('puts no secret value in the Helm values: DSN, secrets and the SMTP URI come from existing Secrets', () => {
    const kratos = parse(readFileSync(join(K8S, 'generated', 'kratos-values.yaml'), 'utf8'));
    expect(kratos.kratos.config.dsn).toBeUndefined();
    expect(kratos.kratos.config.secrets).toBeUndefined();
    expect(kratos.kratos.config.courier.smtp.connection_uri).toMatch(/\.invalid/);
    expect(kratos.secret).toEqual({ enabled: false, nameOverride: 'kratos-secrets' });
    const oathkeeper = parse(readFileSync(join(K8S, 'generated', 'oathkeeper-values.yaml'), 'utf8'));
    expect(oathkeeper.secret).toMatchObject({ enabled: true, nameOverride: 'oathkeeper-jwks' });
    expect(oathkeeper.oathkeeper.mutatorIdTokenJWKs).toBeUndefined();
    expect(readFileSync(join(K8S, 'generated', 'oathkeeper-values.yaml'), 'utf8')).not.toMatch(/"d"\s*:/);
  });

  it('refuses an environment whose Kratos or API host is not under the cookie domain, or whose SPA is another site (the host layout)', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8');
    const otherApi = text.replace('api_url: https://auth.example.com', 'api_url: https://api.example.com');
    expect(otherApi).not.toBe(text);
    expect(() => readEnvironment(otherApi)).toThrow(EnvironmentError);
    expect(() => readEnvironment(otherApi)).toThrow(/api: api\.example\.com is not under cookie_domain auth\.example\.com/);
    expect(() => readEnvironment(text.replace('spa_url: https://account.example.com', 'spa_url: https://example-org.github.io'))).toThrow(/spa_url: example-org\.github\.io is not in the DNS zone example\.com/);
  });

  it('reads registration_hooks: URLs without credentials, each optional, unknown keys refused; without the block no hook and no key is rendered', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8');
    expect(readEnvironment(text).registrationHooks).toEqual({
      check: 'http://backend.app.svc.cluster.local:8080/hooks/sign-up/check',
      notify: 'http://backend.app.svc.cluster.local:8080/hooks/sign-up/educator',
    });
    expect(() => readEnvironment(text.replace('check_url: http://backend', 'check_url: http://user:secret@backend'))).toThrow(/registration_hooks\.check_url must be an http\(s\) URL without credentials/);
    expect(() => readEnvironment(text.replace('notify_url: http://backend', 'notify_url: ftp://backend'))).toThrow(/registration_hooks\.notify_url must be an http\(s\) URL/);
    expect(() => readEnvironment(text.replace('  check_url:', '  chek_url:'))).toThrow(/registration_hooks: unknown key\(s\) chek_url/);
    const without = readEnvironment(text.replace(/\nregistration_hooks:\n(  .*\n)+/, '\n'));
    expect(without.registrationHooks).toEqual({});
    const values = parse(renderProduction(without, 'auth')['infra/k8s/generated/kratos-values.yaml']);
    // The only web hooks left are the refusals of an unproven or changed address (kratos.yml), never sent.
    const config = JSON.stringify(values.kratos.config);
    expect(config).not.toContain('basic_auth');
    expect(config).not.toContain('backend.app.svc');
    expect(config.split('"web_hook"').length - 1).toBe(Object.keys(values.kratos.config.selfservice.flows.registration.after).length + 1); // and the settings one
    expect((values.deployment.extraEnv ?? []).filter((e) => /_CONFIG_AUTH_CONFIG_PASSWORD$/.test(e.name))).toEqual([]);
  });

  it('reads options, refusing unknown keys and the gone verified_sign_up with what to do instead', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8');
    expect(readEnvironment(text).options).toEqual({ requireVerifiedAddress: true, loginStyle: 'unified' });
    expect(() => readEnvironment(text.replace('  require_verified_address: true', '  require_verified_address: true\n  verified_sign_up: true'))).toThrow(/options\.verified_sign_up is gone: every sign-up now proves its address/);
    expect(() => readEnvironment(text.replace('  require_verified_address: true', '  require_verified_adress: true'))).toThrow(/options: unknown key\(s\) require_verified_adress/);
  });

  it('refuses a single replica or a resource that is not a Kubernetes quantity, naming the key', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8');
    const oneReplica = text.replace(/(kratos:\n {4}replicas:) 2/, '$1 1');
    expect(oneReplica).not.toBe(text);
    expect(() => readEnvironment(oneReplica)).toThrow(/sizing\.kratos\.replicas must be a whole number from 2 to 50/);
    expect(() => readEnvironment(text.replace('cpu: 500m', 'cpu: half'))).toThrow(/sizing\.kratos\.cpu must be a Kubernetes cpu quantity/);
    expect(() => readEnvironment(text.replace('schedule: "0 0 3 * * *"', 'schedule: "0 3 * * *"'))).toThrow(/six fields, seconds first/);
  });

  it('lists the database in the kustomization exactly when environment.yml asks for CloudNativePG; external renders none', () => {
    const resources = parse(readFileSync(join(DATABASE, 'kustomization.yaml'), 'utf8')).resources;
    const env = readEnvironment();
    expect(resources.includes('generated/database.yaml')).toBe(env.database.kind === 'cloudnative-pg');
    const external = renderProduction(readEnvironment(readFileSync(join(K8S, 'environment.yml'), 'utf8').replace('kind: cloudnative-pg', 'kind: external')), 'auth');
    expect(external['infra/k8s/database/generated/database.yaml']).not.toMatch(/^kind:/m);
    expect(parseAllDocuments(external['infra/k8s/generated/networkpolicies.yaml']).map((d) => d.toJS().metadata.name)).not.toContain(env.database.cluster);
  });

  it('renders options.login_style identifier_first into Kratos\'s login style with account-enumeration mitigation, and refuses a style Kratos does not have', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8');
    const config = (t) => parse(renderProduction(readEnvironment(t), 'auth')['infra/k8s/generated/kratos-values.yaml']).kratos.config;
    expect(config(text).selfservice.flows.login.style).toBeUndefined();
    const idFirst = config(text.replace('login_style: unified', 'login_style: identifier_first'));
    expect(idFirst.selfservice.flows.login.style).toBe('identifier_first');
    // The first step must not tell whether an address has an account.
    expect(idFirst.security.account_enumeration.mitigate).toBe(true);
    expect(() => readEnvironment(text.replace('login_style: unified', 'login_style: two_step'))).toThrow(/options\.login_style must be unified or identifier_first/);
  });

  it('notices a stale rendering (a kratos/ edit not rendered)', () => {
    const env = readEnvironment(readFileSync(join(K8S, 'environment.yml'), 'utf8').replace('no-reply@example.com', 'changed@example.com'));
    const rendered = renderProduction(env, 'auth');
    expect(staleFiles(rendered)).toContain('infra/k8s/generated/kratos-values.yaml');
  });
});

describe('Kustomize and the manifests (kubeconform against the real Flux, Gateway API and Kubernetes schemas)', () => {
  it('kustomize builds both stages, infra/k8s/database (what holds data) and infra/k8s (the apps), in one namespace, and every manifest is valid', () => {
    const database = kustomizeBuild(tools.kustomize, DATABASE);
    expect(database.ok, database.output).toBe(true);
    expect([...database.stdout.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]).sort()).toEqual(['Cluster', 'Namespace', 'ObjectStore', 'ScheduledBackup']);
    const built = kustomizeBuild(tools.kustomize, K8S);
    expect(built.ok, built.output).toBe(true);
    const kinds = [...built.stdout.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]).sort();
    expect(kinds).toEqual([
      'BackendTrafficPolicy', 'BackendTrafficPolicy', 'ConfigMap', 'ConfigMap', 'HTTPRoute', 'HTTPRoute', 'HelmRelease', 'HelmRelease', 'HelmRepository',
      'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'SecurityPolicy',
    ]);
    expect(parse(readFileSync(join(DATABASE, 'kustomization.yaml'), 'utf8')).namespace).toBe(parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')).namespace);
    const result = kubeconform(tools.kubeconform, tools.schemas, built.stdout + '---\n' + database.stdout);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('Valid: 20, Invalid: 0, Errors: 0, Skipped: 0');
  });

  it('kustomize builds infra/k8s/gateway (the Gateway, its EnvoyProxy, its client-address policy) and each is valid against Gateway API v1.6.3 and Envoy Gateway v1.9.1', () => {
    const built = kustomizeBuild(tools.kustomize, join(K8S, 'gateway'));
    expect(built.ok, built.output).toBe(true);
    expect([...built.stdout.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]).sort()).toEqual(['ClientTrafficPolicy', 'EnvoyProxy', 'Gateway']);
    const result = kubeconform(tools.kubeconform, tools.schemas, built.stdout);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('Valid: 3, Invalid: 0, Errors: 0, Skipped: 0');
    const broken = kubeconform(tools.kubeconform, tools.schemas, built.stdout.replace('trustedCIDRs:', 'trustedCidrs:'));
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/ClientTrafficPolicy .* is invalid/);
  });

  it('the database (a CloudNativePG Cluster, its ScheduledBackup and the Barman Cloud plugin\'s ObjectStore) is checked against CloudNativePG v1.30.1\'s and plugin-barman-cloud v0.15.0\'s CRDs: a misspelt field and a wrong backup method fail', () => {
    for (const [from, to, error] of [
      ['  instances: 2\n', '  instance: 2\n', /additional properties 'instance' not allowed/],
      ['  method: plugin\n', '  method: barman\n', /ScheduledBackup kratos-db-scheduled is invalid: .* at '\/spec\/method': value must be one of 'barmanObjectStore', 'volumeSnapshot', 'plugin'/],
      ['  retentionPolicy: 30d\n', '  retention: 30d\n', /ObjectStore kratos-db-store is invalid: .*additional properties 'retention' not allowed/],
    ]) {
      const copy = scratchCopy(DATABASE);
      const file = join(copy, 'generated', 'database.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
      const result = kubeconform(tools.kubeconform, tools.schemas, kustomizeBuild(tools.kustomize, copy).stdout);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(error);
    }
  });

  it('backs up through the Barman Cloud plugin, not the in-tree barmanObjectStore CloudNativePG 1.31 removes (v1.30 release notes): WAL archived by the plugin to the ObjectStore, scheduled and on-demand backups by method plugin, the restore Cluster reading the same store; the old layout is caught', () => {
    const { BARMAN_CLOUD_PLUGIN } = renderModule;
    /** What stops working on CloudNativePG 1.31: in-tree Barman Cloud anywhere. */
    const removedIn131 = (objects) => objects.flatMap((o) => [
      ...(o.kind === 'Cluster' && o.spec?.backup?.barmanObjectStore ? [`${o.kind}/${o.metadata.name}: spec.backup.barmanObjectStore`] : []),
      ...(['ScheduledBackup', 'Backup'].includes(o.kind) && (o.spec?.method ?? 'barmanObjectStore') === 'barmanObjectStore' ? [`${o.kind}/${o.metadata.name}: method barmanObjectStore`] : []),
    ]);
    const read = (file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    const objects = [...read(join(DATABASE, 'generated', 'database.yaml')), ...read(join(K8S, 'generated', 'backup-before-upgrade.yaml')), ...read(join(K8S, 'generated', 'restore-cluster.yaml'))];
    expect(removedIn131(objects)).toEqual([]);
    const store = objects.find((o) => o.kind === 'ObjectStore').metadata.name;
    const cluster = objects.find((o) => o.kind === 'Cluster' && o.spec.bootstrap.initdb);
    expect(cluster.spec.plugins).toEqual([{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: store } }]);
    for (const b of objects.filter((o) => ['ScheduledBackup', 'Backup'].includes(o.kind))) expect(b.spec.pluginConfiguration).toEqual({ name: BARMAN_CLOUD_PLUGIN });
    const restore = objects.find((o) => o.kind === 'Cluster' && o.spec.bootstrap.recovery);
    expect(restore.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: store, serverName: cluster.metadata.name });
    // It archives under its own name, never over the backups it was restored from.
    expect(restore.spec.plugins[0].parameters.serverName).not.toBe(cluster.metadata.name);
    const valid = kubeconform(tools.kubeconform, tools.schemas, readFileSync(join(K8S, 'generated', 'restore-cluster.yaml'), 'utf8'));
    expect(valid.output).toContain('Valid: 1, Invalid: 0');
    // The layout before.
    const before = [
      { kind: 'Cluster', metadata: { name: 'kratos-db' }, spec: { backup: { retentionPolicy: '30d', barmanObjectStore: { destinationPath: 's3://example-backups/kratos' } } } },
      { kind: 'ScheduledBackup', metadata: { name: 'kratos-db-scheduled' }, spec: { method: 'barmanObjectStore' } },
      { kind: 'Backup', metadata: { name: 'kratos-db-before-kratos-chart-0-62-1' }, spec: { cluster: { name: 'kratos-db' } } },
    ];
    expect(removedIn131(before)).toEqual(['Cluster/kratos-db: spec.backup.barmanObjectStore', 'ScheduledBackup/kratos-db-scheduled: method barmanObjectStore', 'Backup/kratos-db-before-kratos-chart-0-62-1: method barmanObjectStore']);
  });

  it('upgrades never go back onto a migrated schema: the Kratos HelmRelease retries a failed install or upgrade and never remediates (no rollback, no uninstall); the backup to take first is rendered and valid', () => {
    const release = parse(readFileSync(join(K8S, 'helmrelease-kratos.yaml'), 'utf8'));
    /** What helm-controller v1.6.3 would do after a failed upgrade (internal/reconcile/atomic_release.go). */
    const afterFailedUpgrade = (spec) => (spec.upgrade?.strategy?.name === 'RetryOnFailure' ? 'upgrade again' : spec.upgrade?.remediation?.strategy === 'uninstall' ? 'uninstall' : 'roll back');
    const afterFailedInstall = (spec) => (spec.install?.strategy?.name === 'RetryOnFailure' ? 'install again' : 'uninstall');
    expect([afterFailedInstall(release.spec), afterFailedUpgrade(release.spec)]).toEqual(['install again', 'upgrade again']);
    expect(release.spec.upgrade.remediation).toBeUndefined();
    // The layout before: remediation with retries and the default strategy.
    const before = { install: { remediation: { retries: 3 } }, upgrade: { remediation: { retries: 3 } } };
    expect([afterFailedInstall(before), afterFailedUpgrade(before)]).toEqual(['uninstall', 'roll back']);
    // The Backup to apply before the chart version changes, named for that version, and valid
    // against CloudNativePG v1.30.1's CRD.
    const backup = readFileSync(join(K8S, 'generated', 'backup-before-upgrade.yaml'), 'utf8');
    expect(parse(backup)).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: `kratos-db-before-kratos-chart-${release.spec.chart.spec.version.replaceAll('.', '-')}` },
      spec: { cluster: { name: 'kratos-db' }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } },
    });
    const result = kubeconform(tools.kubeconform, tools.schemas, backup);
    expect(result.output).toContain('Valid: 1, Invalid: 0, Errors: 0, Skipped: 0');
    expect(kubeconform(tools.kubeconform, tools.schemas, backup.replace('cluster:', 'clusters:')).ok).toBe(false);
    // Not applied by Flux (it would run beside the upgrade, not before it), nor the restore Cluster.
    for (const dir of [K8S, DATABASE]) {
      expect(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).not.toMatch(/backup-before-upgrade|restore-cluster/);
    }
  });

  it('nothing that holds data can be pruned: the Namespace and the database Cluster (which owns the disks and the operator\'s Secrets) carry Flux\'s prune: disabled, and a copy without it is caught', () => {
    /** Objects Flux would delete with the data in them: no prune: disabled on a kind that holds data. */
    const prunableData = (text) =>
      parseAllDocuments(text)
        .map((d) => d.toJS())
        .filter((o) => ['Namespace', 'Cluster', 'ObjectStore', 'PersistentVolumeClaim', 'Secret'].includes(o.kind))
        .filter((o) => o.metadata?.annotations?.[Object.keys(KEEP_WHEN_PRUNED)[0]] !== 'disabled')
        .map((o) => `${o.kind}/${o.metadata.name}`);
    const built = kustomizeBuild(tools.kustomize, K8S).stdout + '---\n' + kustomizeBuild(tools.kustomize, DATABASE).stdout;
    expect(built).toMatch(/^kind: Namespace$/m);
    expect(built).toMatch(/^kind: Cluster$/m);
    expect(prunableData(built)).toEqual([]);
    // The layout before: neither had it.
    const copy = scratchCopy(DATABASE);
    for (const file of ['namespace.yaml', join('generated', 'database.yaml')]) {
      const text = readFileSync(join(copy, file), 'utf8');
      writeFileSync(join(copy, file), text.replace(/\n\s+kustomize\.toolkit\.fluxcd\.io\/prune: disabled/g, ''));
    }
    expect(prunableData(kustomizeBuild(tools.kustomize, copy).stdout)).toEqual(['Namespace/auth', 'ObjectStore/kratos-db-store', 'Cluster/kratos-db']);
  });

  it('routes only Kratos\'s public paths and Oathkeeper\'s proxy: no admin service, no admin path', () => {
    const routes = parseAllDocuments(kustomizeBuild(tools.kustomize, K8S).stdout)
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'HTTPRoute');
    const backends = routes.flatMap((r) => r.spec.rules.flatMap((rule) => rule.backendRefs.map((b) => `${b.name}:${b.port}`)));
    expect(backends.sort()).toEqual(['kratos-public:80', 'oathkeeper-proxy:4455']);
    const paths = routes.find((r) => r.metadata.name === 'kratos-public').spec.rules.flatMap((rule) => rule.matches.map((m) => m.path.value));
    expect(paths).toEqual(['/self-service', '/sessions', '/schemas', '/.well-known/ory', '/health/alive', '/health/ready']);
  });

  it('fails a HelmRelease without spec.interval (the check is real)', () => {
    const copy = scratchCopy(K8S);
    const file = join(copy, 'helmrelease-kratos.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}interval: 10m\n/m, ''));
    const built = kustomizeBuild(tools.kustomize, copy);
    expect(built.ok, built.output).toBe(true);
    const result = kubeconform(tools.kubeconform, tools.schemas, built.stdout);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/HelmRelease kratos is invalid.*missing property 'interval'/);
  });

  it('fails an HTTPRoute with a misspelt field (strict schemas: unknown fields are errors)', () => {
    const copy = scratchCopy(K8S);
    const file = join(copy, 'generated', 'httproutes.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('hostnames:', 'hostname:'));
    const result = kubeconform(tools.kubeconform, tools.schemas, kustomizeBuild(tools.kustomize, copy).stdout);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/HTTPRoute .* is invalid.*hostname/);
  });
});

describe('Flux: the database first, then the apps, each Ready only when it works (kustomize-controller v1.9.4\'s own code)', () => {
  const FLUX_FILE = join(K8S, 'flux', 'kustomizations.yaml');
  const kustomizations = () => parseAllDocuments(readFileSync(FLUX_FILE, 'utf8')).map((d) => d.toJS());
  const minutes = (d) => Number(/^(\d+)m$/.exec(d)?.[1]);
  /** CloudNativePG Clusters as the operator reports them while making one and once it is up (api/v1/cluster_types.go: condition Ready, reasons ClusterIsNotReady / ClusterIsReady). */
  const clusters = [
    { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'just-created', generation: 1 }, spec: { instances: 2, storage: { size: '1Gi' } } },
    {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'being-made', generation: 1 }, spec: { instances: 2, storage: { size: '1Gi' } },
      status: { phase: 'Setting up primary', conditions: [{ type: 'Ready', status: 'False', reason: 'ClusterIsNotReady', message: 'Cluster Is Not Ready', lastTransitionTime: '2026-12-07T10:00:00Z' }] },
    },
    {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'up', generation: 1 }, spec: { instances: 2, storage: { size: '1Gi' } },
      status: { phase: 'Cluster in healthy state', conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready', lastTransitionTime: '2026-12-07T10:00:00Z' }] },
    },
  ];

  beforeAll(async () => {
    tools['flux-health'] = await ensureBinary('flux-health');
  }, 900_000);

  it('two Kustomizations, valid against kustomize-controller v1.9.4\'s CRD: the database stage, then the apps depending on it, both waiting for health longer than a migration may take; a misspelt field is refused', () => {
    const text = readFileSync(FLUX_FILE, 'utf8');
    const result = kubeconform(tools.kubeconform, tools.schemas, text);
    expect(result.output).toContain('Valid: 2, Invalid: 0, Errors: 0, Skipped: 0');
    expect(kubeconform(tools.kubeconform, tools.schemas, text.replace('healthCheckExprs:', 'healthCheckExpressions:')).ok).toBe(false);
    const [database, apps] = kustomizations();
    expect([database.metadata.name, database.spec.path, apps.metadata.name, apps.spec.path]).toEqual([FLUX.database, './infra/k8s/database', FLUX.apps, './infra/k8s']);
    expect(apps.spec.dependsOn).toEqual([{ name: FLUX.database }]);
    for (const k of [database, apps]) {
      expect(k.spec, k.metadata.name).toMatchObject({ wait: true, prune: true, sourceRef: FLUX.source });
      expect(kustomizeBuild(tools.kustomize, join(ROOT, k.spec.path)).ok).toBe(true);
    }
    // The apps stage waits longer than the Kratos release may take to install (its migration Job).
    const release = parse(readFileSync(join(K8S, 'helmrelease-kratos.yaml'), 'utf8'));
    expect(minutes(apps.spec.timeout)).toBeGreaterThan(Math.max(minutes(release.spec.install.timeout), minutes(release.spec.upgrade.timeout)));
    expect(minutes(database.spec.timeout)).toBeGreaterThanOrEqual(10);
  });

  it('the database stage is Ready only once the Cluster is: the controller\'s own status reader says Unknown before the operator wrote a status, InProgress while it makes the Cluster, Current once it is Ready', () => {
    // The samples are Clusters as CloudNativePG v1.30.1's CRD allows them (status included).
    const samples = clusters.map((c) => stringify(c)).join('---\n');
    expect(kubeconform(tools.kubeconform, tools.schemas, samples).output).toContain('Valid: 3, Invalid: 0');
    const health = fluxHealth(tools['flux-health'], { kustomizations: kustomizations(), objects: clusters, scratch: scratchCopy(join(K8S, 'flux')) });
    expect(health[FLUX.database].error).toBeUndefined();
    expect(Object.fromEntries(Object.entries(health[FLUX.database].results).map(([k, v]) => [k, v.status]))).toEqual({
      'Cluster/just-created': 'Unknown',
      'Cluster/being-made': 'InProgress',
      'Cluster/up': 'Current',
    });
  });

  it('fails on the old layout: one Kustomization of everything (the README\'s before), which waits for nothing and reads no Cluster\'s health, orders nothing; an expression the controller cannot parse is refused as it would be', () => {
    const old = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'kratos-spa', namespace: 'flux-system' }, spec: { interval: '10m', path: './infra/k8s', prune: true, sourceRef: { kind: 'GitRepository', name: 'kratos-spa' } } };
    expect(kubeconform(tools.kubeconform, tools.schemas, stringify(old)).ok).toBe(true);
    const health = fluxHealth(tools['flux-health'], { kustomizations: [old], objects: clusters, scratch: scratchCopy(join(K8S, 'flux')), name: 'old' });
    expect(Object.values(health['kratos-spa'].results).map((r) => r.supported)).toEqual([false, false, false]);
    expect(old.spec.wait).toBeUndefined();
    expect(old.spec.dependsOn).toBeUndefined();
    const [database] = kustomizations();
    const broken = structuredClone(database);
    broken.spec.healthCheckExprs[0].current = "status.conditions.exists(c, c.type == 'Ready'";
    expect(fluxHealth(tools['flux-health'], { kustomizations: [broken], objects: clusters, scratch: scratchCopy(join(K8S, 'flux')), name: 'broken' })[FLUX.database].error).toMatch(/failed to parse the expression Current/);
  });
});

describe('access rules: exactly one rule per URL, in the real Oathkeeper', () => {
  it('every URL of the table reaches the rule it should', async () => {
    expect(await checkRuleTable({ bin: tools.oathkeeper })).toEqual([]);
  });

  it('an overlapping catch-all rule is caught: Oathkeeper answers 500 when two rules match', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => {
        const pub = rules.find((r) => r.id === 'api-public');
        return [...rules, { ...pub, id: 'api-catchall', match: { url: pub.match.url.replace('/api/public/<', '/api/<'), methods: ['GET'] } }];
      },
    });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/api/private/me', expected: 'api-private', got: 'several rules (500)' });
  });

  it('a rule that takes any rest of the path (as a glob\'s <**> does) is caught letting "../" through to the public upstream (v0.40.9), and on v26, whose own cleaning stops the dot segments, "..\\" still', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => rules.map((r) => (r.id === 'api-public' ? { ...r, match: { ...r.match, url: r.match.url.replace(/\/api\/public\/<.*>$/, '/api/public/<.*>') } } : r)),
    });
    if (oathkeeperCleansPaths(tools.oathkeeper)) {
      // Dot segments reach the rule of the path they clean to (api-private: 401), as in the table;
      // a backslash is no separator to path.Clean, and the wide rule hands it to the upstream.
      expect(mismatches).toEqual([{ method: 'GET', path: '/api/public/..\\private/me', expected: null, got: 'api-public' }]);
    } else {
      expect(mismatches).toContainEqual({ method: 'GET', path: '/api/public/../private/me', expected: null, got: 'api-public' });
      expect(mismatches).toContainEqual({ method: 'GET', path: '/api/public/%2e%2e/private/me', expected: null, got: 'api-public' });
    }
  });

  it('an admin rule that only authenticates (authorizer allow) is caught letting a token without the admin role through', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => rules.map((r) => (r.id === 'admin-identity-sessions' ? { ...r, authorizer: { handler: 'allow' } } : r)),
    });
    expect(mismatches).toEqual([
      { method: 'DELETE', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00/sessions', expected: '403', got: 'kratos-admin', token: 'member' },
      // Without the authorizer nothing judges the query either.
      { method: 'GET', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00/sessions?expand=identity', expected: '403', got: 'kratos-admin', token: 'admin' },
      { method: 'DELETE', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00/sessions?active=true', expected: '403', got: 'kratos-admin', token: 'admin' },
    ]);
  });

  it('an admin rule whose authorizer judges the role only (not the query) is caught passing include_credential to Kratos', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) =>
        rules.map((r) => (r.id === 'admin-identity' ? { ...r, authorizer: { handler: 'remote_json', config: { headers: { 'X-Forwarded-Uri': '/{{ print .Extra.kratos_spa_role }}' } } } } : r)),
    });
    expect(mismatches).toEqual([
      { method: 'GET', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00?include_credential=password', expected: '403', got: 'kratos-admin', token: 'admin' },
      { method: 'GET', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00?include_credential=oidc', expected: '403', got: 'kratos-admin', token: 'admin' },
      { method: 'PATCH', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00?x=1', expected: '403', got: 'kratos-admin', token: 'admin' },
    ]);
  });

  it('an admin rule with a wider path (any rest, as a glob would take) is caught reaching Kratos admin endpoints the pages never use', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => rules.map((r) => (r.id === 'admin-identity' ? { ...r, match: { ...r.match, url: r.match.url.replace(/\/admin\/identities\/<.*>$/, '/admin/identities/<.+>') } } : r)),
    });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00/credentials/password', expected: null, got: 'kratos-admin', token: 'admin' });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/admin/identities/0b4e2a6e-5c1d-4f6b-9a8e-2d7c3b1a9f00/sessions', expected: 'kratos-admin', got: 'several rules (500)', token: 'admin' });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/admin/identities/not-a-uuid', expected: null, got: 'kratos-admin', token: 'admin' });
  });

  it('a rule without the header mutator is caught passing the client\'s forged X-User-* to the backend', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => rules.map((r) => (r.id === 'api-public' ? { ...r, mutators: [{ handler: 'noop' }] } : r)),
    });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/api/public/hello', expected: 'api-public', got: 'api-public with forged X-User-*' });
  });
});

describe('GitHub Actions workflows (actionlint)', () => {
  const names = readdirSync(join(ROOT, '.github', 'workflows'));
  const workflows = names.map((f) => join('.github', 'workflows', f));
  const PINNED = /^\s*(?:-\s*)?uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+)(?:\.\d+)*\s*$/;

  /**
   * The workflows as actionlint can check their inputs: it knows popular actions by tag, not by
   * commit, so each `uses: a/b@<sha> # vN.x.y` is read as `a/b@vN` (the tag its comment names).
   */
  function byTag(dir, edit = (text) => text) {
    return names.map((name) => {
      const text = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8')
        .split('\n')
        .map((line) => {
          const m = PINNED.exec(line);
          return m ? line.replace(`@${m[2]}`, `@${m[3]}`).replace(/ # v[\d.]+\s*$/, '') : line;
        })
        .join('\n');
      writeFileSync(join(dir, name), edit(text, name));
      return join(dir, name);
    });
  }

  it('pass actionlint, as they are and read by the tags their pins name (inputs checked)', () => {
    const result = actionlint(tools.actionlint, workflows, ROOT);
    expect(result.ok, result.output).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
    scratch.push(dir);
    const tagged = actionlint(tools.actionlint, byTag(dir), ROOT);
    expect(tagged.ok, tagged.output).toBe(true);
  });

  it('pin every action by a full commit SHA with its tag in a comment, and check out without keeping credentials', () => {
    for (const name of names) {
      const lines = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8').split('\n');
      const uses = lines.filter((l) => /^\s*(?:-\s*)?uses:/.test(l));
      expect(uses.length, name).toBeGreaterThan(0);
      for (const line of uses) expect(line, name).toMatch(PINNED);
      lines.forEach((line, i) => {
        if (/uses: actions\/checkout@/.test(line)) {
          expect(lines.slice(i + 1, i + 3).join('\n'), `${name}: checkout`).toMatch(/with:\n\s+persist-credentials: false/);
        }
      });
    }
  });

  it('a workflow passing an input the action does not have is flagged (the check is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
    scratch.push(dir);
    const files = byTag(dir, (text, name) => (name === 'deploy.yml' ? text.replace('cache: npm', 'caches: npm') : text));
    const result = actionlint(tools.actionlint, files.filter((f) => f.endsWith('deploy.yml')), ROOT);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/input "caches" is not defined/);
  });

  it('deploys only what CI passed: after a successful ci run of a push to main, that very commit; the build job may read the Pages settings (pages: read)', () => {
    const deploy = parse(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    const ci = parse(readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8'));
    // No trigger that skips CI (a push, or a manual run).
    expect(deploy.on).toEqual({ workflow_run: { workflows: [ci.name], types: ['completed'], branches: ['main'] } });
    expect(deploy.jobs.build.if).toBe("github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'");
    const checkout = deploy.jobs.build.steps.find((step) => String(step.uses).startsWith('actions/checkout@'));
    expect(checkout.with.ref).toBe('${{ github.event.workflow_run.head_sha }}');
    expect(deploy.jobs.deploy.needs).toBe('build');
    expect(deploy.jobs.build.permissions).toEqual({ contents: 'read', pages: 'read' });
    // The variables are checked before anything is built, and both workflows run Node 24.
    expect(deploy.jobs.build.steps[0].name).toBe('Check the repository variables');
    for (const workflow of [ci, deploy]) {
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps.filter((s) => String(s.uses).startsWith('actions/setup-node@'))) expect(step.with['node-version']).toBe(24);
      }
    }
  });

  it('the variables check stops a build without KRATOS_PUBLIC_URL, or with a URL that is not https, naming the variable (run as the runner would)', () => {
    const deploy = parse(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8'));
    const script = deploy.jobs.build.steps[0].run;
    const run = (env) => spawnSync('bash', ['-e', '-c', script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    const missing = run({ KRATOS_PUBLIC_URL: '', API_URL: '' });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/^::error title=KRATOS_PUBLIC_URL is not set::.*Repository/m);
    const plain = run({ KRATOS_PUBLIC_URL: 'https://auth.example.com', API_URL: 'http://api.example.com' });
    expect(plain.status).toBe(1);
    expect(plain.stdout).toMatch(/^::error title=API_URL is not an https:\/\/ URL::/m);
    expect(run({ KRATOS_PUBLIC_URL: 'https://auth.example.com', API_URL: '' }).status).toBe(0);
    expect(run({ KRATOS_PUBLIC_URL: 'https://auth.example.com', API_URL: 'https://api.example.com' }).status).toBe(0);
  });
});

describe('DNS as code (OpenTofu)', () => {
  it('parses and is formatted (tofu fmt -check)', () => {
    const result = tofuFmtCheck(tools.tofu, DNS);
    expect(result.ok, result.output).toBe(true);
  });

  it('declares every variable the rendered terraform.tfvars.json sets, and sets every variable without a default', () => {
    const tf = readdirSync(DNS).filter((f) => f.endsWith('.tf')).map((f) => readFileSync(join(DNS, f), 'utf8')).join('\n');
    const declared = declaredVariables(tf);
    const values = Object.keys(JSON.parse(readFileSync(join(DNS, 'terraform.tfvars.json'), 'utf8')));
    for (const key of values) expect(declared, key).toContain(key);
    const optional = ['proxy_gateway_hosts'];
    for (const name of declared.filter((n) => !optional.includes(n))) expect(values, name).toContain(name);
  });

  it('badly formatted HCL fails tofu fmt -check (the check is real)', () => {
    const copy = scratchCopy(DNS);
    writeFileSync(join(copy, 'main.tf'), readFileSync(join(copy, 'main.tf'), 'utf8').replace('  type    = "CNAME"', '  type = "CNAME"'));
    const result = tofuFmtCheck(tools.tofu, copy);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('main.tf');
  });
});
