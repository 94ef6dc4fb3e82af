// Production as the cluster runs it (issue 14): the Ory chart 0.62.1 packages that Flux installs,
// rendered by the real Helm with the values Flux hands them (the kustomize build's ConfigMaps),
// validated, read for what a cluster would run, and booted: the migration Job, Kratos, its
// courier and Oathkeeper start from the rendered commands, env and mounted files. Each check is
// also shown failing on the defect it exists for.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ensureBinary, releasedSource } from '../local/binaries.mjs';
import { postgresBinDir } from '../local/postgres.mjs';
import { ROOT } from '../local/paths.mjs';
import { rawRequest, tail } from '../local/processes.mjs';
import { signUpByCode } from '../local/kratos-api.mjs';
import { ADMIN_TOKEN_KEY, ADMIN_TOKEN_LEGACY_KEY, ADMIN_TOKEN_SECRET_KEY, checkSecrets, JWKS_KEY, KRATOS_SECRET_KEYS, kratosSecretKeys, secretData } from '../preflight.mjs';
import { generateJwks, publicHalf } from '../../oathkeeper/generate-jwks.mjs';
import { DATABASE_CA_DIR, DATABASE_URI_VARIABLE, databaseSecrets, JWKS_DIR, JWKS_PATH, PORTS, readEnvironment, readNamespace, REGISTRATION_HOOK_SECRET_KEY, RELEASES } from '../render-production.mjs';
import { REGISTRATION_HOOK_KEY_PLACEHOLDER, REGISTRATION_HOOK_USER } from '../render-config.mjs';
import { signInCookie, turnOnTotp } from './browser-session.mjs';
import { databaseCertificates } from './certificates.mjs';
import { bootRendered, CHARTS_DIR, ChartError, chartPackage, clusterSecrets, expandLikeKubelet, find, helmTemplate, renderCluster } from './charts.mjs';
import { kubeconform } from './checks.mjs';
import { selects } from './network-policy.mjs';
import { ensureSchemas } from './schemas.mjs';

const K8S = join(ROOT, 'infra', 'k8s');
/** The chart release infra/k8s installs (Kratos and Oathkeeper v26.2.0). */
const CHART = '0.62.1';
const tools = {};
const scratch = [];
/** The kustomize build's objects: what Flux applies. */
let built;
let releases;
let rendered;
const env = readEnvironment();
const namespace = readNamespace();

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** The release as Flux would install it, with its values edited (for the controls). */
function withValues(name, edit) {
  const release = releases.find((r) => r.name === name);
  const values = parse(release.values[0]);
  edit(values);
  return { ...release, values: [stringify(values)] };
}

beforeAll(async () => {
  for (const name of ['helm', 'kustomize', 'kubeconform', 'kratos', 'oathkeeper']) tools[name] = await ensureBinary(name);
  tools.schemas = ensureSchemas();
  const cluster = renderCluster(tools, K8S, tempDir('helm-'));
  ({ releases, charts: rendered } = cluster);
  built = parseAllDocuments(cluster.built).map((d) => d.toJS()).filter(Boolean);
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('the chart packages Flux installs, rendered by Helm v3.22.0 with the generated values', () => {
  it('uses the released packages: their sha256 is checked, and a changed file is refused', () => {
    expect(releases.map((r) => `${r.releaseName}:${r.chart}@${r.version} in ${r.namespace}`).sort()).toEqual([
      `${RELEASES.kratos}:kratos@${CHART} in ${namespace}`,
      `${RELEASES.oathkeeper}:oathkeeper@${CHART} in ${namespace}`,
    ]);
    const file = `kratos-${CHART}.tgz`;
    expect(chartPackage('kratos', CHART)).toBe(join(CHARTS_DIR, file));
    const dir = tempDir('charts-');
    copyFileSync(join(CHARTS_DIR, file), join(dir, file));
    writeFileSync(join(dir, file), Buffer.concat([readFileSync(join(dir, file)), Buffer.from([0])]));
    expect(() => chartPackage('kratos', CHART, dir)).toThrow(ChartError);
    expect(() => chartPackage('kratos', CHART, dir)).toThrow(/not the released package/);
  });

  it('renders both releases, and every rendered object is valid (kubeconform, strict, against the Kubernetes 1.34 schemas)', () => {
    for (const name of ['kratos', 'oathkeeper']) {
      expect(rendered[name].ok, rendered[name].output).toBe(true);
      const result = kubeconform(tools.kubeconform, tools.schemas, rendered[name].yaml);
      expect(result.ok, result.output).toBe(true);
      expect(result.output).toMatch(/Invalid: 0, Errors: 0, Skipped: 0/);
    }
  });

  it('renders no Ingress and no Secret: traffic comes through the HTTPRoutes, secrets from Secrets made outside git', () => {
    const kinds = Object.values(rendered).flatMap((r) => r.objects.map((o) => o.kind));
    expect(kinds).not.toContain('Ingress');
    expect(kinds).not.toContain('Secret');
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(2);
  });

  it('mounts Oathkeeper\'s JWKS Secret where jwks_url points, and sets MUTATORS_ID_TOKEN_CONFIG_JWKS_URL to it', () => {
    expect(jwksWiring(rendered.oathkeeper.objects)).toEqual({ secretName: env.secrets.oathkeeper_jwks, mountPath: JWKS_DIR, envUrl: `file://${JWKS_PATH}` });
    const config = parse(find(rendered.oathkeeper.objects, 'ConfigMap', 'oathkeeper-config').data['config.yaml']);
    expect(config.mutators.id_token.config.jwks_url).toBe(`file://${JWKS_PATH}`);
  });

  it('catches the values that leave the keys unmounted (secret.enabled: false, the old default)', () => {
    const broken = helmTemplate(tools.helm, withValues('oathkeeper', (v) => (v.secret.enabled = false)), tempDir('helm-'));
    expect(broken.ok, broken.output).toBe(true);
    expect(jwksWiring(broken.objects)).toEqual({ secretName: undefined, mountPath: undefined, envUrl: undefined });
  });

  it('wires every key of the Kratos Secret into the variable Kratos reads, in the Deployment, the courier and the migration Job', () => {
    const keys = kratosSecretKeys({ hookKey: true, database: env.database });
    const expected = Object.fromEntries(Object.entries(KRATOS_SECRET_KEYS).filter(([key]) => key in keys).map(([key, variable]) => [variable, `${env.secrets.kratos}/${key}`]));
    const operator = `${databaseSecrets(env.database).app}/fqdn-uri`;
    const deployment = secretEnv(rendered.kratos.objects, 'Deployment', RELEASES.kratos);
    const hookKey = Object.fromEntries(Object.entries(deployment).filter(([name]) => HOOK_KEY_VARIABLE.test(name)));
    expect(deployment).toEqual({ ...expected, [DATABASE_URI_VARIABLE]: operator, ...hookKey });
    // The chart gives the courier and the migration Job the Deployment's extra env too (their own
    // extraEnv left empty): the web hooks' key is in every Kratos process, as the config is.
    expect(secretEnv(rendered.kratos.objects, 'StatefulSet', `${RELEASES.kratos}-courier`)).toEqual({ ...expected, [DATABASE_URI_VARIABLE]: operator, ...hookKey });
    expect(secretEnv(rendered.kratos.objects, 'Job', `${RELEASES.kratos}-automigrate`)).toEqual({ [DATABASE_URI_VARIABLE]: operator, ...hookKey });
  });

  it('builds the DSN in every Kratos pod from the operator\'s Secrets, verify-full against the operator\'s CA: nobody copies it, and the chart reads no dsn key', () => {
    const operator = databaseSecrets(env.database);
    for (const [kind, name] of [['Deployment', RELEASES.kratos], ['StatefulSet', `${RELEASES.kratos}-courier`], ['Job', `${RELEASES.kratos}-automigrate`]]) {
      const pod = find(rendered.kratos.objects, kind, name).spec.template.spec;
      const container = pod.containers[0];
      const dsn = container.env.filter((e) => e.name === 'DSN');
      // One DSN (the chart leaves its own out when extraEnv has one), declared after the variable it expands.
      expect(dsn, `${kind} ${name}`).toHaveLength(1);
      // The pool's size follows (checked with the database's connections below).
      expect(dsn[0].value, `${kind} ${name}`).toMatch(new RegExp(`^\\$\\(${DATABASE_URI_VARIABLE}\\)\\?sslmode=verify-full&sslrootcert=${DATABASE_CA_DIR}/ca\\.crt&max_conns=\\d+&max_idle_conns=\\d+$`));
      const names = container.env.map((e) => e.name);
      expect(names.indexOf(DATABASE_URI_VARIABLE)).toBeLessThan(names.indexOf('DSN'));
      const mount = container.volumeMounts.find((m) => m.mountPath === DATABASE_CA_DIR);
      // Only the CA's certificate: its Secret also holds the CA's private key.
      expect(pod.volumes.find((v) => v.name === mount.name).secret).toEqual({ secretName: operator.ca, items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    }
    const resolved = expandLikeKubelet(find(rendered.kratos.objects, 'Deployment', RELEASES.kratos).spec.template.spec.containers[0].env.find((e) => e.name === 'DSN').value, {
      [DATABASE_URI_VARIABLE]: 'postgresql://kratos@kratos-db-rw.auth.svc.cluster.local:5432/kratos',
    });
    expect(resolved).toMatch(new RegExp(`^postgresql://kratos@kratos-db-rw\\.auth\\.svc\\.cluster\\.local:5432/kratos\\?sslmode=verify-full&sslrootcert=${DATABASE_CA_DIR}/ca\\.crt&`));
  });

  it('expands a variable as the kubelet does: only one declared before, $$ is one $, anything else stays', () => {
    const declared = { A: 'a', EMPTY: '' };
    expect(expandLikeKubelet('$(A)-$(EMPTY)-$(LATER)', declared)).toBe('a--$(LATER)');
    expect(expandLikeKubelet('$$(A) $$ $x $( $', declared)).toBe('$(A) $ $x $( $');
    expect(expandLikeKubelet('p@ss%40$(A)', declared)).toBe('p@ss%40a');
  });

  it('fails on the old layout: a DSN copied by hand into the kratos Secret (sslmode=require) is what the chart reads without the wiring', () => {
    const old = helmTemplate(tools.helm, withValues('kratos', (v) => {
      v.deployment.extraEnv = v.deployment.extraEnv.filter((e) => e.name !== 'DSN' && e.name !== DATABASE_URI_VARIABLE);
    }), tempDir('helm-'));
    expect(old.ok, old.output).toBe(true);
    expect(secretEnv(old.objects, 'Job', `${RELEASES.kratos}-automigrate`).DSN).toBe(`${env.secrets.kratos}/dsn`);
    // …and preflight refuses that key now, as it refuses a DSN that does not check the server.
    const names = { kratos: env.secrets.kratos, jwks: env.secrets.oathkeeper_jwks };
    const withDsn = checkSecrets({ kratos: { dsn: 'postgres://kratos@kratos-db-rw:5432/kratos?sslmode=require' } }, names, { database: env.database });
    expect(withDsn).toContain(`Secret ${names.kratos}: key dsn is read by nothing: with database.kind cloudnative-pg, Kratos builds its DSN from the operator's Secrets kratos-db-app and kratos-db-ca (sslmode=verify-full). Delete it.`);
    const external = checkSecrets({ kratos: { dsn: 'postgres://kratos@db.example.com:5432/kratos?sslmode=require' } }, names, { database: { kind: 'external' } });
    expect(external.filter((p) => /sslmode=verify-full/.test(p))).toHaveLength(1);
    expect(checkSecrets({ kratos: { dsn: 'postgres://kratos@db.example.com:5432/kratos?sslmode=verify-full' } }, names, { database: { kind: 'external' } }).filter((p) => /dsn/.test(p))).toEqual([]);
  });

  it('gives each registration web hook in the rendered config the key from the kratos Secret, and never writes the key into the config', () => {
    const config = parse(find(rendered.kratos.objects, 'ConfigMap', `${RELEASES.kratos}-config`).data['kratos.yaml']);
    const hookKey = Object.entries(secretEnv(rendered.kratos.objects, 'Deployment', RELEASES.kratos)).filter(([name]) => HOOK_KEY_VARIABLE.test(name));
    const webHooks = [];
    // Besides the refusals of an unproven or changed address (kratos.yml), never sent, holding no key.
    const refusal = (hook) => hook.config?.url === 'https://address-not-proven.invalid/';
    for (const [method, { hooks }] of Object.entries(config.selfservice.flows.registration.after)) {
      expect(hooks.filter(refusal).map((h) => h.config.auth), method).toEqual([undefined]);
      hooks.forEach((hook, i) => hook.hook === 'web_hook' && !refusal(hook) && webHooks.push([`SELFSERVICE_FLOWS_REGISTRATION_AFTER_${method.toUpperCase()}_HOOKS_${i}_CONFIG_AUTH_CONFIG_PASSWORD`, hook.config]));
    }
    config.selfservice.flows.settings.after.profile.hooks.forEach((hook, i) => hook.hook === 'web_hook' && !refusal(hook) && webHooks.push([`SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS_${i}_CONFIG_AUTH_CONFIG_PASSWORD`, hook.config]));
    expect(Object.keys(env.registrationHooks).sort()).toEqual(['check', 'notify']);
    // Both hooks, in every method's list (Kratos v1.3.1 ignores the method-independent list here),
    // and the check again before a changed profile is saved in settings.
    expect(webHooks).toHaveLength(2 * Object.keys(config.selfservice.flows.registration.after).length + 1);
    expect(webHooks.at(-1)[1]).toMatchObject({ url: env.registrationHooks.check, can_interrupt: true });
    expect(hookKey.map(([name]) => name).sort()).toEqual(webHooks.map(([name]) => name).sort());
    for (const [, value] of hookKey) expect(value).toBe(`${env.secrets.kratos}/${REGISTRATION_HOOK_SECRET_KEY}`);
    for (const [, hook] of webHooks) expect(hook.auth).toEqual({ type: 'basic_auth', config: { user: REGISTRATION_HOOK_USER, password: REGISTRATION_HOOK_KEY_PLACEHOLDER } });
  });

  it('runs the courier at the config\'s log level (info), not the chart\'s default trace', () => {
    const courier = find(rendered.kratos.objects, 'StatefulSet', `${RELEASES.kratos}-courier`).spec.template.spec.containers[0];
    expect(courier.env.find((e) => e.name === 'LOG_LEVEL')?.value).toBe('info');
    const defaults = helmTemplate(tools.helm, withValues('kratos', (v) => delete v.statefulSet), tempDir('helm-'));
    const before = find(defaults.objects, 'StatefulSet', `${RELEASES.kratos}-courier`).spec.template.spec.containers[0];
    expect(before.env.find((e) => e.name === 'LOG_LEVEL')?.value).toBe('trace');
  });

  it('makes the Services the HTTPRoutes, check_session_url and the network policies name, on the ports they name', () => {
    const services = Object.fromEntries(
      Object.values(rendered)
        .flatMap((r) => r.objects)
        .filter((o) => o.kind === 'Service')
        .map((s) => [s.metadata.name, { port: s.spec.ports[0].port, target: s.spec.ports[0].targetPort, selector: s.spec.selector }]),
    );
    const backends = built.filter((o) => o.kind === 'HTTPRoute').flatMap((r) => r.spec.rules.flatMap((rule) => rule.backendRefs));
    for (const b of backends) expect(services[b.name]?.port, `${b.name}:${b.port}`).toBe(b.port);
    const config = parse(find(rendered.oathkeeper.objects, 'ConfigMap', 'oathkeeper-config').data['config.yaml']);
    const whoami = new URL(config.authenticators.cookie_session.config.check_session_url);
    expect(whoami.hostname).toBe(`${RELEASES.kratos}-public.${namespace}.svc.cluster.local`);
    expect(services[`${RELEASES.kratos}-public`].port).toBe(Number(whoami.port || 80));
    // The pods the Services select carry the labels the network policies select, on the ports they open.
    const kratosPod = find(rendered.kratos.objects, 'Deployment', RELEASES.kratos).spec.template;
    const oathkeeperPod = find(rendered.oathkeeper.objects, 'Deployment', RELEASES.oathkeeper).spec.template;
    expect(kratosPod.metadata.labels).toMatchObject(services[`${RELEASES.kratos}-public`].selector);
    expect(oathkeeperPod.metadata.labels).toMatchObject(services[`${RELEASES.oathkeeper}-proxy`].selector);
    expect(namedPorts(kratosPod)).toMatchObject({ 'http-public': PORTS.kratosPublic, 'http-admin': PORTS.kratosAdmin });
    expect(namedPorts(oathkeeperPod)).toMatchObject({ 'http-proxy': PORTS.oathkeeperProxy, 'http-api': PORTS.oathkeeperApi });
  });
});

describe('scale as the cluster runs it: replicas, disruption budgets, spreading, resources, migrations once per release', () => {
  const apps = () => [
    ['kratos', rendered.kratos.objects, env.sizing.kratos],
    ['oathkeeper', rendered.oathkeeper.objects, env.sizing.oathkeeper],
  ];

  it('runs each Deployment with the replicas and resource requests of environment.yml, and no CPU limit', () => {
    for (const [name, objects, size] of apps()) {
      const deployment = find(objects, 'Deployment', RELEASES[name]);
      expect(deployment.spec.replicas, name).toBe(size.replicas);
      expect(size.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.template.spec.containers[0].resources, name).toEqual({ requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memoryLimit } });
    }
    // One courier whatever the replicas (it would send each mail once per courier otherwise).
    expect(find(rendered.kratos.objects, 'StatefulSet', `${RELEASES.kratos}-courier`).spec.replicas).toBe(1);
  });

  it('has a PodDisruptionBudget per Deployment that keeps one pod serving and selects exactly that Deployment\'s pods', () => {
    for (const [name, objects] of apps()) {
      const pdb = objects.filter((o) => o.kind === 'PodDisruptionBudget');
      expect(pdb, name).toHaveLength(1);
      expect(pdb[0].spec.minAvailable).toBe(1);
      const pods = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
      const selected = pods.filter((o) => selects(pdb[0].spec.selector, o.spec.template.metadata.labels)).map((o) => `${o.kind}/${o.metadata.name}`);
      expect(selected, name).toEqual([`Deployment/${RELEASES[name]}`]);
    }
  });

  it('spreads each Deployment\'s pods over nodes (strictly, a cordoned node not counted) and zones (where possible)', () => {
    for (const [name, objects] of apps()) {
      const pod = find(objects, 'Deployment', RELEASES[name]).spec.template;
      const spread = pod.spec.topologySpreadConstraints ?? [];
      expect(spread.map((c) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew, c.nodeTaintsPolicy]), name).toEqual([
        ['kubernetes.io/hostname', 'DoNotSchedule', 1, 'Honor'],
        ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1, 'Honor'],
      ]);
      for (const c of spread) expect(selects(c.labelSelector, pod.metadata.labels), `${name} ${c.topologyKey}`).toBe(true);
    }
  });

  it('migrates once per release, in the chart\'s hook Job, never in the serving pods', () => {
    const job = find(rendered.kratos.objects, 'Job', `${RELEASES.kratos}-automigrate`);
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install, pre-upgrade');
    expect(job.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['migrate', 'sql']));
    for (const kind of ['Deployment', 'StatefulSet']) {
      const spec = rendered.kratos.objects.find((o) => o.kind === kind).spec.template.spec;
      const commands = [...(spec.initContainers ?? []), ...spec.containers].map((c) => [...(c.command ?? []), ...(c.args ?? [])].join(' '));
      for (const c of commands) expect(c, kind).not.toMatch(/\bmigrate\b/);
    }
  });
});

describe('a pod stopping, the database going away, and its connections: as `npm run faults` showed (docs/reliability.md)', () => {
  /** Kratos v26.2.0's own serve.go: how long it drains on SIGTERM and how long a public request may run. */
  const kratosServe = async () => {
    const serve = readFileSync(join(await releasedSource('kratos'), 'cmd', 'daemon', 'serve.go'), 'utf8');
    const drain = /graceful\.DefaultShutdownTimeout = (\d+) \* time\.Second/.exec(serve);
    const write = /func servePublic[\s\S]*?WriteTimeout:\s+(\d+) \* time\.Second/.exec(serve);
    expect(drain && write, 'cmd/daemon/serve.go').toBeTruthy();
    return { drainSeconds: Number(drain[1]), publicWriteSeconds: Number(write[1]) };
  };

  it('Kratos and Oathkeeper keep serving for a preStop sleep while Envoy takes their endpoint out, and the grace period covers the sleep and Kratos\'s longest request, within which Kratos never stops draining', async () => {
    const { drainSeconds, publicWriteSeconds } = await kratosServe();
    for (const name of ['kratos', 'oathkeeper']) {
      const pod = find(rendered[name].objects, 'Deployment', RELEASES[name]).spec.template.spec;
      const sleep = pod.containers[0].lifecycle?.preStop?.sleep?.seconds;
      expect(sleep, name).toBeGreaterThanOrEqual(3);
      expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThanOrEqual(sleep + publicWriteSeconds);
    }
    const kratos = find(rendered.kratos.objects, 'Deployment', RELEASES.kratos).spec.template.spec;
    expect(drainSeconds).toBeGreaterThanOrEqual(kratos.terminationGracePeriodSeconds - kratos.containers[0].lifecycle.preStop.sleep.seconds);
    // Control: the chart's own defaults (no preStop, 60 s) would not.
    const defaults = helmTemplate(tools.helm, withValues('kratos', (v) => {
      delete v.deployment.lifecycle;
      delete v.deployment.terminationGracePeriodSeconds;
    }), tempDir('helm-'));
    const plain = find(defaults.objects, 'Deployment', RELEASES.kratos).spec.template.spec;
    expect(plain.containers[0].lifecycle?.preStop).toBeUndefined();
    expect(plain.terminationGracePeriodSeconds).toBe(60);
  });

  it('Kratos is ready only while its database answers: the readiness probe asks /admin/health/ready on the admin port (the chart\'s own asks /admin/health/alive)', () => {
    const container = find(rendered.kratos.objects, 'Deployment', RELEASES.kratos).spec.template.spec.containers[0];
    const probe = container.readinessProbe;
    expect(probe.httpGet.path).toBe('/admin/health/ready');
    expect(probe.httpGet.port).toBe(namedPorts({ spec: { containers: [container] } })['http-admin']);
    expect(probe.periodSeconds * probe.failureThreshold).toBeLessThanOrEqual(10);
    // Control: the chart's own probe.
    const defaults = helmTemplate(tools.helm, withValues('kratos', (v) => delete v.deployment.customReadinessProbe), tempDir('helm-'));
    expect(find(defaults.objects, 'Deployment', RELEASES.kratos).spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/admin/health/alive');
  });

  it('every Kratos pod that can run at once (replicas, a rolling update\'s surge, the courier, the migration Job) fits its pool in the database\'s connections', () => {
    const deployment = find(rendered.kratos.objects, 'Deployment', RELEASES.kratos);
    const pool = (kind, name) => {
      const dsn = find(rendered.kratos.objects, kind, name).spec.template.spec.containers[0].env.find((e) => e.name === 'DSN').value;
      return Number(new URLSearchParams(dsn.slice(dsn.indexOf('?') + 1)).get('max_conns'));
    };
    const surge = deployment.spec.strategy.rollingUpdate.maxSurge;
    const surgePods = typeof surge === 'string' ? Math.ceil((deployment.spec.replicas * parseInt(surge, 10)) / 100) : surge;
    const courier = find(rendered.kratos.objects, 'StatefulSet', `${RELEASES.kratos}-courier`).spec.replicas;
    const total = (deployment.spec.replicas + surgePods) * pool('Deployment', RELEASES.kratos) + courier * pool('StatefulSet', `${RELEASES.kratos}-courier`) + pool('Job', `${RELEASES.kratos}-automigrate`);
    const { max, reserved } = databaseConnections();
    expect(total).toBeLessThanOrEqual(max - reserved);
    // Control: without max_conns each pod opens twice its GOMAXPROCS (oryx/sqlcon): on an 8-core node, 16.
    const pods = deployment.spec.replicas + surgePods + courier + 1;
    expect(pods * 2 * 8 * 2).toBeGreaterThan(max - reserved);
  });
});

/**
 * The Cluster's max_connections and superuser_reserved_connections: what the rendered Cluster
 * sets, else PostgreSQL's own defaults from its postgresql.conf.sample (Debian's package).
 */
function databaseConnections() {
  const cluster = parseAllDocuments(readFileSync(join(K8S, 'database', 'generated', 'database.yaml'), 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'Cluster');
  const set = cluster.spec.postgresql?.parameters ?? {};
  const bin = postgresBinDir();
  const sample = readFileSync(join(bin, '..', '..', '..', '..', 'share', 'postgresql', bin.split('/').at(-2), 'postgresql.conf.sample'), 'utf8');
  const fromSample = (name) => Number(new RegExp(`^#${name} = (\\d+)`, 'm').exec(sample)[1]);
  return { max: Number(set.max_connections ?? fromSample('max_connections')), reserved: Number(set.superuser_reserved_connections ?? fromSample('superuser_reserved_connections')) };
}

function jwksWiring(objects) {
  const pod = find(objects, 'Deployment', RELEASES.oathkeeper).spec.template.spec;
  const container = pod.containers[0];
  const mount = (container.volumeMounts ?? []).find((m) => JWKS_PATH.startsWith(`${m.mountPath}/`));
  const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
  return {
    secretName: volume?.secret?.secretName,
    mountPath: mount?.mountPath,
    envUrl: (container.env ?? []).find((e) => e.name === 'MUTATORS_ID_TOKEN_CONFIG_JWKS_URL')?.value,
  };
}

function secretEnv(objects, kind, name) {
  const container = find(objects, kind, name).spec.template.spec.containers[0];
  return Object.fromEntries(
    (container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]),
  );
}

function namedPorts(template) {
  return Object.fromEntries(template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => [p.name, p.containerPort]));
}

/** What bootRendered() needs from this suite: the tools, the rendering, the environment. */
const context = () => ({ tools, kratosObjects: rendered.kratos.objects, oathkeeperObjects: rendered.oathkeeper.objects, env, namespace, scratch: tempDir('rendered-') });

const apiHeaders = { Host: new URL(env.api).host, 'X-Forwarded-Proto': 'https', Accept: 'application/json' };

/** The environment variables that hand Kratos the web hooks' key (render-config.mjs registrationHookKeyEnv). */
const HOOK_KEY_VARIABLE = /^SELFSERVICE_FLOWS_(REGISTRATION_AFTER_[A-Z]+|SETTINGS_AFTER_PROFILE)_HOOKS_\d+_CONFIG_AUTH_CONFIG_PASSWORD$/;

describe('production booted from the rendering (the migration Job, Kratos, its courier and Oathkeeper as their pods would run)', () => {
  it('a session from one rendered Kratos replica is known to every replica on the PostgreSQL, and reaches the backend through the rendered Oathkeeper as X-User-* and an id_token signed with the mounted key', async () => {
    const result = await bootRendered({
      ...context(),
      probe: async ({ ports, kratosPublic, kratosAdmin, kratosPods, backend, secrets, logs }) => {
        const login = await fetch(`${kratosPublic}/self-service/login/browser`, { headers: { Accept: 'application/json' } });
        expect((await login.json()).ui.action).toMatch(new RegExp(`^${env.kratos}/self-service/login\\?flow=`));

        const email = `rendered-${Date.now()}@example.com`;
        const { identity, cookie } = await signInCookie(kratosPublic, kratosAdmin, email, 'a long rendered password 1');
        // Every replica the Deployment runs, on the one database, knows the session one of them made.
        expect(kratosPods).toHaveLength(env.sizing.kratos.replicas);
        for (const pod of kratosPods) {
          const who = await fetch(`${pod.public}/sessions/whoami`, { headers: { Accept: 'application/json', Cookie: cookie } });
          expect(who.status, pod.public).toBe(200);
          expect((await who.json()).identity.id).toBe(identity.id);
        }
        const res = await rawRequest({ port: ports.proxy, path: '/api/private/me', headers: { ...apiHeaders, Cookie: cookie, 'X-User-Id': 'forged', 'X-User-Email': 'forged@example.com' } });
        expect(res.status, res.text + tail(logs.oathkeeper)).toBe(200);
        const hit = backend.seen.at(-1);
        expect(hit.headers['x-user-id']).toBe(identity.id);
        expect(hit.headers['x-user-email']).toBe(email);
        const token = /^Bearer (.+)$/.exec(hit.headers.authorization)[1];
        const publicKeys = { keys: JSON.parse(secrets[env.secrets.oathkeeper_jwks][JWKS_KEY]).keys.map(({ d, p, q, dp, dq, qi, ...pub }) => pub) };
        const { payload } = await jwtVerify(token, createLocalJWKSet(publicKeys), { issuer: `${env.api}/`, audience: 'kratos-spa-api' });
        expect(payload).toMatchObject({ sub: identity.id, email, email_verified: true });
        return readFileSync(logs.courier, 'utf8');
      },
    });
    // The courier ran at the rendered level: nothing below info.
    expect(result).toContain('Courier worker started');
    expect(result).not.toMatch(/"level":"(trace|debug)"/);
  });

  it('a sign-up (by a mailed code) at the rendered Kratos asks the backend first and tells it of an educator afterwards, each call with the key from the kratos Secret; a student\'s is never told', async () => {
    await bootRendered({
      ...context(),
      probe: async ({ kratosPublic, backend, mails, secrets, logs }) => {
        const key = secrets[env.secrets.kratos][REGISTRATION_HOOK_SECRET_KEY];
        const signUp = (email, accountType) => signUpByCode(kratosPublic, mails, email, { account_type: accountType }).catch((e) => {
          throw new Error(`${e.message}\n${tail(logs.kratos)}\n${tail(logs.courier)}`);
        });
        const stamp = Date.now();
        const educator = `rendered-educator-${stamp}@example.com`;
        const student = `rendered-student-${stamp}@example.com`;
        // The student first: had Kratos told the backend of them, that call would come before the
        // educator's, which is waited for below.
        await signUp(student, 'student');
        await signUp(educator, 'educator');
        const hooks = () => backend.seen.filter((c) => c.path.startsWith('/hooks/'));
        for (let i = 0; i < 100 && !hooks().some((c) => c.path === '/hooks/sign-up/educator'); i++) await new Promise((r) => setTimeout(r, 100));
        const calls = hooks();
        expect(calls.map((c) => [c.method, c.path, JSON.parse(c.body).email]).sort()).toEqual(
          [
            ['POST', '/hooks/sign-up/check', educator],
            ['POST', '/hooks/sign-up/check', student],
            ['POST', '/hooks/sign-up/educator', educator],
          ].sort(),
        );
        for (const call of calls) expect(call.headers.authorization).toBe(`Basic ${Buffer.from(`${REGISTRATION_HOOK_USER}:${key}`).toString('base64')}`);
        expect(JSON.parse(calls.find((c) => c.path === '/hooks/sign-up/educator').body)).toMatchObject({ email: educator, email_verified: true, account_type: 'educator', identity_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        // Kratos logs each web hook request with its headers: the key must not be in the log.
        const log = readFileSync(logs.kratos, 'utf8');
        expect(log).toContain('Dispatching webhook');
        expect(log).not.toContain(key);
        expect(log).not.toContain(Buffer.from(`${REGISTRATION_HOOK_USER}:${key}`).toString('base64'));
      },
    });
  });

  it('an admin\'s token from the rendered Kratos reaches Kratos\'s admin API through the rendered Oathkeeper, logged with the admin as subject, only at a second factor; an admin at one factor and a member get 403, no token 401', async () => {
    await bootRendered({
      ...context(),
      probe: async ({ ports, kratosPublic, kratosAdmin, logs }) => {
        const stamp = Date.now();
        const admin = await signInCookie(kratosPublic, kratosAdmin, `rendered-admin-${stamp}@example.com`, 'a long rendered password 1', { metadata_public: { roles: ['admin'] } });
        const member = await signInCookie(kratosPublic, kratosAdmin, `rendered-member-${stamp}@example.com`, 'a long rendered password 2');
        const tokenOf = async ({ cookie }) => {
          const res = await fetch(`${kratosPublic}/sessions/whoami?tokenize_as=admin`, { headers: { Accept: 'application/json', Cookie: cookie } });
          expect(res.status, tail(logs.kratos)).toBe(200);
          return (await res.json()).tokenized;
        };
        const lookUp = (token) =>
          rawRequest({
            port: ports.proxy,
            path: `/admin/identities?credentials_identifier=${encodeURIComponent(`rendered-member-${stamp}@example.com`)}`,
            headers: { ...apiHeaders, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          });
        // The admin role at one factor (a password, or a code from the mailbox): refused.
        expect((await lookUp(await tokenOf(admin))).status).toBe(403);
        await turnOnTotp(kratosPublic, admin.cookie);
        const granted = await lookUp(await tokenOf(admin));
        expect(granted.status, granted.text + tail(logs.oathkeeper)).toBe(200);
        expect(JSON.parse(granted.text).map((i) => i.id)).toEqual([member.identity.id]);
        expect((await lookUp(await tokenOf(member))).status).toBe(403);
        expect((await lookUp(null)).status).toBe(401);
        const audit = readFileSync(logs.oathkeeper, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.msg === 'Access request granted');
        expect(audit).toContainEqual(expect.objectContaining({ subject: admin.identity.id, http_method: 'GET', http_url: expect.stringContaining('/admin/identities?credentials_identifier=') }));
      },
    });
  });

  it('fails with the old values: without the mounted keys Oathkeeper cannot sign, and /api/optional answers 500 (the check is real)', async () => {
    const broken = helmTemplate(tools.helm, withValues('oathkeeper', (v) => (v.secret.enabled = false)), tempDir('helm-'));
    const status = await bootRendered({
      ...context(),
      oathkeeperObjects: broken.objects,
      probe: async ({ ports }) => (await rawRequest({ port: ports.proxy, path: '/api/optional/greeting', headers: apiHeaders })).status,
    });
    expect(status).toBe(500);
  });

  it('with the rendered values, /api/optional signs a token for the anonymous "guest" (the control of the test above)', async () => {
    const status = await bootRendered({ ...context(), probe: async ({ ports }) => (await rawRequest({ port: ports.proxy, path: '/api/optional/greeting', headers: apiHeaders })).status });
    expect(status).toBe(200);
  });
});

describe('the rendered boot fails where a cluster would (the boot is real)', () => {
  it('the migration Job refuses a database whose certificate the operator\'s CA did not sign (verify-full, not only encrypted)', async () => {
    // The boot's database serves a certificate its own CA signed; the Secrets hand Kratos another CA.
    const other = databaseCertificates(tempDir('other-ca-'), { name: 'someone-else' });
    await expect(bootRendered({ ...context(), databaseCa: other.caCert, migrationTimeoutMs: 20_000, probe: async () => 'booted' })).rejects.toThrow(/rendered migration Job did not finish[\s\S]*(certificate signed by unknown authority|failed to verify certificate)/);
  });

  it('a wrong key in the Kratos config stops the rendered Kratos at boot', async () => {
    const broken = helmTemplate(tools.helm, withValues('kratos', (v) => (v.kratos.config.selfservice.flows.login.ui_urll = 'https://x.example/')), tempDir('helm-'));
    await expect(bootRendered({ ...context(), kratosObjects: broken.objects, probe: async () => 'booted' })).rejects.toThrow(/rendered Kratos exited while starting[\s\S]*ui_urll/);
  });

  it('an access rule Oathkeeper cannot load is noticed (it only logs bad rules)', async () => {
    const broken = helmTemplate(
      tools.helm,
      withValues('oathkeeper', (v) => {
        const rules = JSON.parse(v.oathkeeper.accessRules);
        rules.push({ ...rules[0], id: 'broken', upstream: { url: '::not a url::' } });
        v.oathkeeper.accessRules = JSON.stringify(rules);
      }),
      tempDir('helm-'),
    );
    await expect(bootRendered({ ...context(), oathkeeperObjects: broken.objects, probe: async () => 'booted' })).rejects.toThrow(/did not load its \d+ rules/);
  });
});

describe('rate limits on Kratos\'s submits at the Gateway (Envoy Gateway BackendTrafficPolicy; what Envoy makes of it: edge.spec.mjs)', () => {
  const policy = () => built.find((o) => o.kind === 'BackendTrafficPolicy' && o.metadata.name === 'kratos-public');

  it('limits exactly these POSTs under /self-service, by path prefix, per client address of each family, on the kratos-public route', () => {
    const p = policy();
    expect(p.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'kratos-public' }]);
    expect(Object.keys(p.spec.rateLimit)).toEqual([env.rateLimits.mode]);
    const rules = p.spec.rateLimit[env.rateLimits.mode].rules.map((rule) => {
      expect(rule.clientSelectors).toHaveLength(1);
      const [sel] = rule.clientSelectors;
      return [sel.methods, sel.path, sel.sourceCIDR, rule.limit];
    });
    const expected = [];
    for (const [path, kind] of [
      ['/self-service/login', 'sign_in'],
      ['/self-service/registration', 'sign_up'],
      ['/self-service/recovery', 'mail'],
      ['/self-service/verification', 'mail'],
      ['/self-service', 'other'],
    ]) {
      for (const cidr of ['0.0.0.0/0', '::/0']) {
        expected.push([[{ value: 'POST' }], { type: 'PathPrefix', value: path }, { type: 'Distinct', value: cidr }, { requests: env.rateLimits[kind], unit: 'Minute' }]);
      }
    }
    expect(rules).toEqual(expected);
  });

  it('is valid against Envoy Gateway v1.9.1\'s CRD, and a misspelt limit is refused (the check is real)', () => {
    const text = stringify(policy());
    expect(kubeconform(tools.kubeconform, tools.schemas, text).ok).toBe(true);
    const broken = kubeconform(tools.kubeconform, tools.schemas, text.replace('unit: Minute', 'units: Minute'));
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/BackendTrafficPolicy .* is invalid/);
  });
});

describe('npm run preflight: the Secrets the charts read, checked before a rollout', () => {
  const names = { kratos: env.secrets.kratos, jwks: env.secrets.oathkeeper_jwks };
  const good = async () => {
    const s = await clusterSecrets('/tmp', env, {}, namespace);
    return { kratos: s[env.secrets.kratos], jwks: s[env.secrets.oathkeeper_jwks] };
  };

  it('passes Secrets with every key the rendered pods read, decoded from the API\'s base64', async () => {
    const data = await good();
    const asObject = (values) => ({ data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
    expect(secretData(asObject(data.kratos))).toEqual(data.kratos);
    expect(checkSecrets(data, names, { hookKey: true, database: env.database })).toEqual([]);
    // The keys it checks are the keys the chart reads (the wiring test above ties both to the rendering).
    const read = Object.values(secretEnv(rendered.kratos.objects, 'Deployment', RELEASES.kratos)).filter((from) => from.startsWith(`${env.secrets.kratos}/`)).map((from) => from.split('/')[1]);
    expect([...new Set(read)].sort()).toEqual(Object.keys(kratosSecretKeys({ hookKey: true, database: env.database })).sort());
  });

  it('asks for the web hooks\' key only while registration_hooks is set, and for one that can be sent as a header', async () => {
    const data = await good();
    const { [REGISTRATION_HOOK_SECRET_KEY]: key, ...without } = data.kratos;
    expect(key).toBeTruthy();
    expect(checkSecrets({ ...data, kratos: without }, names, { hookKey: true, database: env.database })).toEqual([`Secret ${names.kratos}: key ${REGISTRATION_HOOK_SECRET_KEY} is missing.`]);
    expect(checkSecrets({ ...data, kratos: without }, names, { database: env.database })).toEqual([]);
    expect(checkSecrets(data, names, { database: env.database })).toEqual([`Secret ${names.kratos}: key(s) ${REGISTRATION_HOOK_SECRET_KEY} are read by nothing (misspelt?).`]);
    expect(checkSecrets({ ...data, kratos: { ...without, [REGISTRATION_HOOK_SECRET_KEY]: 'short' } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.kratos}: ${REGISTRATION_HOOK_SECRET_KEY} must be at least 16 characters without spaces (it is sent as a header).`,
    ]);
  });

  it('names a misspelt key (which the chart would silently skip), a cipher that is not 32 characters, a public-only key set, a missing Secret', async () => {
    const data = await good();
    const { secretsCipher, ...rest } = data.kratos;
    expect(checkSecrets({ ...data, kratos: { ...rest, secretscipher: secretsCipher } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.kratos}: key secretsCipher is missing (there is secretscipher: keys are case-sensitive).`,
      `Secret ${names.kratos}: key(s) secretscipher are read by nothing (misspelt?).`,
    ]);
    expect(checkSecrets({ ...data, kratos: { ...data.kratos, secretsCipher: 'short' } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.kratos}: secretsCipher must be exactly 32 characters (it has 5).`,
    ]);
    const publicOnly = { keys: JSON.parse(data.jwks[JWKS_KEY]).keys.map(({ d, ...pub }) => pub) };
    expect(checkSecrets({ ...data, jwks: { ...data.jwks, [JWKS_KEY]: JSON.stringify(publicOnly) } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: ${JWKS_KEY} has no private RS256 key with a kid (a public key set cannot sign).`,
    ]);
    expect(checkSecrets({ ...data, jwks: { [JWKS_KEY]: data.jwks[JWKS_KEY] } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: key ${ADMIN_TOKEN_KEY} is missing (node oathkeeper/generate-jwks.mjs --public <Kratos's admin-token key set> makes its value).`,
    ]);
    expect(checkSecrets({ kratos: data.kratos }, names, { hookKey: true, database: env.database })).toEqual([`Secret ${names.jwks} does not exist.`]);
  });

  it('gives each component only the keys it needs, compared as key material: Kratos\'s private admin-token key in its own Secret, only its public half for Oathkeeper, never the id_token key', async () => {
    const data = await good();
    const adminPrivate = data.kratos[ADMIN_TOKEN_SECRET_KEY];
    // The good Secrets: Oathkeeper's copy has no private member and is the same key by kid, n and e.
    expect(JSON.parse(data.jwks[ADMIN_TOKEN_KEY]).keys.every((k) => !('d' in k) && !('p' in k))).toBe(true);
    // The private key where only the public half belongs.
    expect(checkSecrets({ ...data, jwks: { ...data.jwks, [ADMIN_TOKEN_KEY]: adminPrivate } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: ${ADMIN_TOKEN_KEY} holds a private key; Oathkeeper only checks admin tokens: give it the public half (node oathkeeper/generate-jwks.mjs --public <file>).`,
    ]);
    // The secret layout before: Kratos's signing key in Oathkeeper's Secret.
    expect(checkSecrets({ ...data, jwks: { ...data.jwks, [ADMIN_TOKEN_LEGACY_KEY]: adminPrivate } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: key ${ADMIN_TOKEN_LEGACY_KEY} holds Kratos's admin-token signing key, which Oathkeeper must not hold: move it to Secret ${names.kratos} as ${ADMIN_TOKEN_SECRET_KEY}, put its public half here as ${ADMIN_TOKEN_KEY} (node oathkeeper/generate-jwks.mjs --public <file>), and delete ${ADMIN_TOKEN_LEGACY_KEY}.`,
    ]);
    // Another key's public half (a rotation done on one side only): Oathkeeper would refuse every token.
    const other = publicHalf(await generateJwks());
    const kid = JSON.parse(adminPrivate).keys[0].kid;
    expect(checkSecrets({ ...data, jwks: { ...data.jwks, [ADMIN_TOKEN_KEY]: JSON.stringify(other) } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: ${ADMIN_TOKEN_KEY} does not hold the public half of ${names.kratos}'s ${ADMIN_TOKEN_SECRET_KEY} (kid ${kid}): Oathkeeper would refuse every admin token.`,
    ]);
    // Same kid, other modulus: compared as material, not by name.
    const sameKid = { keys: other.keys.map((k) => ({ ...k, kid })) };
    expect(checkSecrets({ ...data, jwks: { ...data.jwks, [ADMIN_TOKEN_KEY]: JSON.stringify(sameKid) } }, names, { hookKey: true, database: env.database })).toHaveLength(1);
    // The id_token key reused as the admin key, even re-serialised (other JSON text, same key).
    const reused = JSON.stringify(JSON.parse(data.jwks[JWKS_KEY]), null, 4);
    expect(checkSecrets({ kratos: { ...data.kratos, [ADMIN_TOKEN_SECRET_KEY]: reused }, jwks: { ...data.jwks, [ADMIN_TOKEN_KEY]: JSON.stringify(publicHalf(JSON.parse(reused))) } }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.jwks}: ${JWKS_KEY} and ${names.kratos}'s ${ADMIN_TOKEN_SECRET_KEY} are the same key; make one each (a token Oathkeeper signs for the API must never pass as an admin token).`,
    ]);
    // Kratos without its signing key.
    const { [ADMIN_TOKEN_SECRET_KEY]: _, ...kratosWithout } = data.kratos;
    expect(checkSecrets({ ...data, kratos: kratosWithout }, names, { hookKey: true, database: env.database })).toEqual([
      `Secret ${names.kratos}: key ${ADMIN_TOKEN_SECRET_KEY} is missing (node oathkeeper/generate-jwks.mjs - makes its value: Kratos signs admin tokens with it).`,
    ]);
  });
});
