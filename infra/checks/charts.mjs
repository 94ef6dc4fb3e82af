// Production as the cluster runs it: the Ory chart packages Flux installs, rendered by the real
// Helm with the values Flux hands them, and the pods that rendering describes, started here.
//
//   kustomize build infra/k8s → each HelmRelease (releaseName, chart version) and the ConfigMap
//   its valuesFrom names → helm template over ../shared/charts/<chart>-<version>.tgz (checksum
//   checked) → the rendered objects → podSpec(): the command, env, and mounted files of one
//   container, resolved as the kubelet would → startPod(): that process on loopback.
//
// What a boot substitutes is only what exists in a cluster alone: mount paths become folders
// under a scratch directory (in args, env and the mounted files), in-cluster addresses and the
// database (a local PostgreSQL, as production's is) become loopback ones, container ports become free ones, and the image's binary is
// ours. Everything else, including what is missing, comes from the rendering.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateJwks, publicHalf } from '../../oathkeeper/generate-jwks.mjs';
import { ROOT } from '../local/paths.mjs';
import { sqliteDsn } from '../local/kratos.mjs';
import { waitForRules } from '../local/oathkeeper.mjs';
import { startPostgres } from '../local/postgres.mjs';
import { startMailSink } from '../local/mail-sink.mjs';
import { freePort, runToCompletion, startDaemon, waitForHttp } from '../local/processes.mjs';
import { ADMIN_TOKEN_KEY, ADMIN_TOKEN_SECRET_KEY, JWKS_KEY } from '../preflight.mjs';
import { DATABASE_CA_FILE, databaseHost, databaseSecrets as operatorSecrets, PORTS, REGISTRATION_HOOK_SECRET_KEY, RELEASES } from '../render-production.mjs';
import { databaseCertificates } from './certificates.mjs';
import { kustomizeBuild } from './checks.mjs';

const HOST = '127.0.0.1';

/** ../shared/charts beside the repository (ORY_CHARTS_DIR overrides). */
export const CHARTS_DIR = resolve(process.env.ORY_CHARTS_DIR || join(ROOT, '..', 'shared', 'charts'));

/** The released packages, as ../shared/charts/README.md lists them. */
export const CHART_SHA256 = {
  'kratos-0.62.1.tgz': '27cf41ef5703a4f63b4d542cc4ea6ee9661fe5178d28ac55e19b027c8c05080c',
  'oathkeeper-0.62.1.tgz': '2a9e5b16f7cae37c5da2de8d56eeafdf382940a3c9c8911805550de3bf46ca8e',
  'kratos-0.59.0.tgz': '11ec46409a56f5ed422051e154416256c289034ba77ccfa98cc402325fb48db7',
  'oathkeeper-0.59.0.tgz': '2d9c56dfae1b038edbacc3e130e4e0f6abc764144d4b80177c6d4a714e343cc1',
};

export class ChartError extends Error {}

/** ENTRYPOINT of the images the charts run (oryd/kratos and oryd/oathkeeper Dockerfiles). */
const IMAGE_ENTRYPOINTS = { 'oryd/kratos': 'kratos', 'oryd/oathkeeper': 'oathkeeper' };

/** The chart package a HelmRelease asks for, with its checksum checked. */
export function chartPackage(chart, version, dir = CHARTS_DIR) {
  const file = `${chart}-${version}.tgz`;
  const path = join(dir, file);
  if (!existsSync(path)) throw new ChartError(`${path} is missing: the chart packages Flux installs are expected in ${dir} (ORY_CHARTS_DIR).`);
  const expected = CHART_SHA256[file];
  if (!expected) throw new ChartError(`${file}: no known checksum; add the released package's sha256 to CHART_SHA256.`);
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (actual !== expected) throw new ChartError(`${path}: sha256 ${actual}, expected ${expected} (not the released package).`);
  return path;
}

/**
 * The whole production rendering: kustomize build of infra/k8s, then each HelmRelease through
 * helm template. `tools`: helm and kustomize binaries.
 */
export function renderCluster(tools, k8sDir, scratch) {
  const built = kustomizeBuild(tools.kustomize, k8sDir);
  if (!built.ok) throw new ChartError(`kustomize build ${k8sDir}: ${built.output}`);
  const releases = helmReleases(built.stdout);
  const charts = Object.fromEntries(releases.map((release) => [release.name, helmTemplate(tools.helm, release, scratch)]));
  for (const [name, result] of Object.entries(charts)) if (!result.ok) throw new ChartError(`helm template ${name}: ${result.output}`);
  return { built: built.stdout, releases, charts };
}

/** What Flux reads from the kustomize build: per HelmRelease, its chart, release name, namespace and values. */
export function helmReleases(builtYaml) {
  const objects = parseAllDocuments(builtYaml).map((d) => d.toJS()).filter(Boolean);
  return objects
    .filter((o) => o.kind === 'HelmRelease')
    .map((hr) => {
      const values = (hr.spec.valuesFrom ?? []).map((ref) => {
        const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref.name);
        if (!cm) throw new ChartError(`HelmRelease ${hr.metadata.name}: valuesFrom names ConfigMap ${ref.name}, which the build does not contain`);
        return cm.data[ref.valuesKey ?? 'values.yaml'];
      });
      return {
        name: hr.metadata.name,
        namespace: hr.spec.targetNamespace ?? hr.metadata.namespace,
        // Flux's default release name is <targetNamespace->name; the releases pin theirs.
        releaseName: hr.spec.releaseName ?? (hr.spec.targetNamespace ? `${hr.spec.targetNamespace}-${hr.metadata.name}` : hr.metadata.name),
        chart: hr.spec.chart.spec.chart,
        version: hr.spec.chart.spec.version,
        values,
      };
    });
}

/**
 * `helm template` as Flux's helm-controller installs: the release name and namespace of the
 * HelmRelease, its values in order, no test hooks. Returns the objects, or the failure.
 */
export function helmTemplate(helm, release, scratch) {
  const pkg = chartPackage(release.chart, release.version);
  const args = ['template', release.releaseName, pkg, '--namespace', release.namespace, '--skip-tests'];
  release.values.forEach((text, i) => {
    const file = join(scratch, `${release.name}-values-${i}.yaml`);
    writeFileSync(file, text);
    args.push('--values', file);
  });
  const r = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) return { ok: false, output: r.stderr.trim(), objects: [], yaml: '' };
  return { ok: true, output: r.stderr.trim(), yaml: r.stdout, objects: parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean) };
}

export const find = (objects, kind, name) => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new ChartError(`the rendering has no ${kind} ${name}`);
  return o;
};

/** Replaces each mount path (and any in-cluster address of `rewrite`) inside a string. */
function substitute(text, dirs, rewrite) {
  let out = text;
  for (const [from, to] of Object.entries(rewrite)) out = out.split(from).join(to);
  for (const { mountPath, dir } of dirs) {
    out = out.replace(new RegExp(`${mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/"'\\s]|$)`, 'gm'), dir);
  }
  return out;
}

/**
 * The process one container of a rendered workload would be, resolved as the kubelet resolves it.
 *
 * @param {object} opts
 * @param {object[]} opts.objects     the rendered objects (ConfigMaps are read from here)
 * @param {string} opts.kind          Deployment | StatefulSet | Job
 * @param {string} opts.name
 * @param {Record<string, Record<string,string>>} opts.secrets  the cluster's Secrets: name → key → value
 * @param {string} opts.scratch       a folder for the mounted volumes
 * @param {Record<string,string>} [opts.rewrite]  in-cluster address → loopback address
 * @param {Record<string,string>} [opts.binaries] image command → our binary
 * @returns {{ cmd: string, args: string[], env: Record<string,string>, container: object }}
 */
export function podSpec({ objects, kind, name, secrets, scratch, rewrite = {}, binaries = {} }) {
  const workload = find(objects, kind, name);
  const pod = workload.spec.template.spec;
  const [container] = pod.containers;
  const files = []; // { file, text }: each key of a mounted ConfigMap or Secret
  const dirs = []; // { mountPath, dir }: where each mount path is here
  for (const m of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((v) => v.name === m.name);
    if (!volume) throw new ChartError(`${kind} ${name}: volumeMount ${m.name} has no volume`);
    const dir = join(scratch, `${name}-mnt`, m.mountPath);
    mkdirSync(dir, { recursive: true });
    let data;
    if (volume.configMap) {
      data = find(objects, 'ConfigMap', volume.configMap.name).data ?? {};
    } else if (volume.secret) {
      const secret = secrets[volume.secret.secretName];
      if (!secret && !volume.secret.optional) throw new ChartError(`${kind} ${name}: Secret ${volume.secret.secretName} does not exist (the pod would not start)`);
      data = secret ?? {};
    } else {
      continue; // emptyDir and the like: an empty folder
    }
    const items = (volume.configMap ?? volume.secret).items ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const { key, path } of items) {
      if (!(key in data)) throw new ChartError(`${kind} ${name}: volume ${m.name} has no key ${key}`);
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      files.push({ file: join(dir, path), text: data[key] });
    }
    dirs.push({ mountPath: m.mountPath, dir });
  }
  dirs.sort((a, b) => b.mountPath.length - a.mountPath.length); // the longest mount path wins
  for (const f of files) writeFileSync(f.file, substitute(f.text, dirs, rewrite));

  // As the kubelet makes them: in the order declared, a value's $(NAME) expanded from those before
  // it, a later variable of the same name replacing an earlier one. Then the boot's substitutions.
  const declared = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined && e.value !== '') declared[e.name] = expandLikeKubelet(String(e.value), declared);
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const value = secrets[ref.name]?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue; // the kubelet leaves it out, silently
        throw new ChartError(`${kind} ${name}: env ${e.name} needs key ${ref.key} of Secret ${ref.name} (the pod would not start)`);
      }
      declared[e.name] = value;
    } else if (e.valueFrom) {
      throw new ChartError(`${kind} ${name}: env ${e.name} comes from ${JSON.stringify(e.valueFrom)}, which this check does not resolve`);
    } else declared[e.name] = '';
  }
  const env = Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, substitute(v, dirs, rewrite)]));
  // No command: the image's ENTRYPOINT, which for Ory's images is the binary they are named after.
  // Charts 0.61+ name the registry first (docker.io/oryd/kratos:v26.2.0): the repository is the rest.
  const image = String(container.image ?? '').replace(/^[^/]+[.:][^/]*\//, '').replace(/[:@].*$/, '');
  const [command, ...commandArgs] = container.command ?? (IMAGE_ENTRYPOINTS[image] ? [IMAGE_ENTRYPOINTS[image]] : []);
  if (!command) throw new ChartError(`${kind} ${name}: no command, and the entrypoint of image ${container.image} is not known here`);
  const args = [...commandArgs, ...(container.args ?? [])].map((a) => substitute(String(a), dirs, rewrite));
  return { cmd: binaries[command] ?? command, args, env, container };
}

/**
 * A container variable's value as the kubelet expands it (k8s.io/kubernetes v1.34
 * third_party/forked/golang/expansion/expand.go, called from pkg/kubelet/kubelet_pods.go for
 * values only, never for valueFrom): $(NAME) becomes the value of a variable declared before it,
 * and stays as written when there is none; $$ is one $; any other $ stays.
 */
export function expandLikeKubelet(text, declared) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 1;
      } else {
        const name = text.slice(i + 2, close);
        out += Object.hasOwn(declared, name) ? declared[name] : `$(${name})`;
        i = close;
      }
    } else {
      out += '$' + next;
      i += 1;
    }
  }
  return out;
}

/** Starts a podSpec() with only the environment a pod has (plus PATH/HOME/TMPDIR and `extraEnv`). */
export function startPod(spec, { logFile, what, extraEnv = {}, args = spec.args }) {
  const base = Object.fromEntries(['PATH', 'HOME', 'TMPDIR'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  writeFileSync(logFile, '');
  return startDaemon(spec.cmd, args, { logFile, env: { ...base, SQA_OPT_OUT: 'true', ...spec.env, ...extraEnv }, what });
}

/**
 * The Secrets a cluster would hold. The database: for CloudNativePG, the operator's two Secrets
 * for `database` ({ user, password, database } of the boot's PostgreSQL, `caCert` the CA that
 * signed its certificate), their URI naming the Cluster's in-cluster host as CloudNativePG writes
 * it (the boot rewrites that host to loopback); for an external database, the kratos Secret's
 * `dsn` (`database.dsn`, or a SQLite file without one).
 */
export async function clusterSecrets(dir, env, database = {}, namespace = 'auth') {
  const adminToken = await generateJwks();
  const db = env.database;
  let databaseSecrets = {};
  let dsn;
  if (db.kind === 'cloudnative-pg') {
    const names = operatorSecrets(db);
    const uri = new URL(`postgresql://${databaseHost(db, namespace)}/${database.database ?? 'kratos'}`);
    uri.username = database.user ?? 'kratos';
    uri.password = database.password ?? 'made-by-the-operator';
    databaseSecrets = {
      [names.app]: { username: uri.username, password: decodeURIComponent(uri.password), dbname: uri.pathname.slice(1), [names.uriKey]: uri.href },
      // CloudNativePG keeps the CA's private key beside its certificate; only ca.crt is mounted.
      [names.ca]: { [DATABASE_CA_FILE]: database.caCert ?? '', 'ca.key': database.caKey ?? '' },
    };
  } else dsn = database.dsn ?? sqliteDsn(join(dir, 'kratos.sqlite'));
  return {
    ...databaseSecrets,
    [env.secrets.kratos]: {
      ...(dsn ? { dsn } : {}),
      secretsDefault: 'rendered-boot-default-secret-0123',
      secretsCookie: 'rendered-boot-cookie-secret-01234',
      secretsCipher: '0123456789abcdef0123456789abcdef',
      smtpConnectionURI: `smtp://${HOST}:9/?disable_starttls=true`,
      ...(Object.keys(env.registrationHooks ?? {}).length ? { [REGISTRATION_HOOK_SECRET_KEY]: 'rendered-boot-hook-key-0123456789' } : {}),
      [ADMIN_TOKEN_SECRET_KEY]: JSON.stringify(adminToken),
    },
    // As README's Deployment makes them: Oathkeeper's own signing key, and only the public half of Kratos's.
    [env.secrets.oathkeeper_jwks]: { [JWKS_KEY]: JSON.stringify(await generateJwks()), [ADMIN_TOKEN_KEY]: JSON.stringify(publicHalf(adminToken)) },
  };
}

/** A stand-in for the backend: records what reached it (and answers every call 200 {}). */
async function startBackend() {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await new Promise((r) => server.listen(0, HOST, () => r(server.address().port)));
  return { url: `http://${HOST}:${port}`, seen, stop: () => new Promise((r) => server.close(r)) };
}

/**
 * Boots the rendered production (`tools`: the kratos and oathkeeper binaries) on a PostgreSQL, as
 * the cluster's database: the migration Job to completion, then as many Kratos pods as the
 * Deployment's replicas, its courier and Oathkeeper, each from its rendered pod. `probe` runs
 * against it (`kratosPods`: each replica's public and admin URL; `mails`: what the courier sent,
 * newest first); everything stops afterwards.
 */
export async function bootRendered({ tools, kratosObjects, oathkeeperObjects, env, namespace, scratch: dir, probe, databaseCa, migrationTimeoutMs = 120_000, freshDatabase = true, secrets: given = {} }) {
  // The database serves TLS with a certificate its own CA signed, as a CloudNativePG Cluster does;
  // `databaseCa` overrides the CA the Secrets hand to Kratos (another CA: the check is real).
  // freshDatabase false: the database of an earlier boot in the same scratch folder, as it was.
  const certs = databaseCertificates(join(dir, 'database-tls'), { ip: HOST, name: `${env.database.cluster ?? 'database'}-rw` });
  const dbPort = await freePort();
  const database = await startPostgres({ dataDir: join(dir, 'database'), host: HOST, port: dbPort, fresh: freshDatabase, tls: certs });
  // `secrets`: Secrets by name that replace the made-up ones (the same keys across boots, or rotated ones).
  const secrets = { ...(await clusterSecrets(dir, env, { ...database, caCert: databaseCa ?? certs.caCert, caKey: certs.caKey }, namespace)), ...given };
  const backend = await startBackend();
  // The courier's mail goes to a sink (the SMTP relay is the operator's Secret, not rendered):
  // a sign-up's code can be read, as a person reads it.
  const smtpPort = await freePort();
  const mail = await startMailSink({ host: HOST, smtpPort, httpPort: await freePort() });
  secrets[env.secrets.kratos] = { ...secrets[env.secrets.kratos], smtpConnectionURI: `smtp://${HOST}:${smtpPort}/?disable_starttls=true` };
  const ports = { pub: await freePort(), admin: await freePort(), metrics: await freePort(), proxy: await freePort(), api: await freePort(), prom: await freePort() };
  const kratosPublic = `http://${HOST}:${ports.pub}`;
  const replicas = find(kratosObjects, 'Deployment', RELEASES.kratos).spec.replicas ?? 1;
  const kratosPods = [{ pub: ports.pub, admin: ports.admin }];
  for (let i = 1; i < replicas; i++) kratosPods.push({ pub: await freePort(), admin: await freePort() });
  // In-cluster addresses → loopback: only what does not exist outside a cluster.
  const rewrite = {
    [`http://${RELEASES.kratos}-public.${namespace}.svc.cluster.local`]: kratosPublic,
    [`http://${RELEASES.kratos}-admin.${namespace}.svc.cluster.local`]: `http://${HOST}:${ports.admin}`,
    [env.apiUpstream]: backend.url,
    // Oathkeeper's own API inside its pod: here on the port this boot gives it.
    [`http://127.0.0.1:${PORTS.oathkeeperApi}`]: `http://${HOST}:${ports.api}`,
    ...(env.database.kind === 'cloudnative-pg' ? { [databaseHost(env.database, namespace)]: `${HOST}:${dbPort}` } : {}),
  };
  const binaries = { kratos: tools.kratos, oathkeeper: tools.oathkeeper };
  const daemons = [];
  const logs = {};
  try {
    const job = podSpec({ objects: kratosObjects, kind: 'Job', name: `${RELEASES.kratos}-automigrate`, secrets, scratch: dir, rewrite, binaries });
    logs.migrate = join(dir, 'migrate.log');
    // Kratos retries a database it cannot reach for minutes: a Job that does not finish fails here.
    await runToCompletion(job.cmd, job.args, { logFile: logs.migrate, env: { PATH: process.env.PATH, ...job.env }, what: 'the rendered migration Job', timeoutMs: migrationTimeoutMs });

    const kratos = podSpec({ objects: kratosObjects, kind: 'Deployment', name: RELEASES.kratos, secrets, scratch: dir, rewrite, binaries });
    for (const [i, pod] of kratosPods.entries()) {
      const what = i === 0 ? 'the rendered Kratos' : `the rendered Kratos (replica ${i + 1})`;
      const logFile = join(dir, `kratos-${i}.log`);
      if (i === 0) logs.kratos = logFile;
      const k = startPod(kratos, {
        logFile,
        what,
        extraEnv: { SERVE_PUBLIC_HOST: HOST, SERVE_PUBLIC_PORT: String(pod.pub), SERVE_ADMIN_HOST: HOST, SERVE_ADMIN_PORT: String(pod.admin) },
      });
      daemons.push(k);
      await waitForHttp(`http://${HOST}:${pod.admin}/admin/health/ready`, { daemon: k, what, logFile });
    }

    const courier = podSpec({ objects: kratosObjects, kind: 'StatefulSet', name: `${RELEASES.kratos}-courier`, secrets, scratch: dir, rewrite, binaries });
    logs.courier = join(dir, 'courier.log');
    const c = startPod(courier, {
      logFile: logs.courier,
      what: 'the rendered courier',
      args: courier.args.map((a, i) => (courier.args[i - 1] === '--expose-metrics-port' ? String(ports.metrics) : a)),
    });
    daemons.push(c);
    await waitForHttp(`http://${HOST}:${ports.metrics}/metrics/prometheus`, { daemon: c, what: 'the rendered courier', logFile: logs.courier });

    const oathkeeper = podSpec({ objects: oathkeeperObjects, kind: 'Deployment', name: RELEASES.oathkeeper, secrets, scratch: dir, rewrite, binaries });
    logs.oathkeeper = join(dir, 'oathkeeper.log');
    const o = startPod(oathkeeper, {
      logFile: logs.oathkeeper,
      what: 'the rendered Oathkeeper',
      extraEnv: {
        SERVE_PROXY_HOST: HOST, SERVE_PROXY_PORT: String(ports.proxy), SERVE_API_HOST: HOST, SERVE_API_PORT: String(ports.api),
        SERVE_PROMETHEUS_HOST: HOST, SERVE_PROMETHEUS_PORT: String(ports.prom),
      },
    });
    daemons.push(o);
    await waitForHttp(`http://${HOST}:${ports.api}/health/ready`, { daemon: o, what: 'the rendered Oathkeeper', logFile: logs.oathkeeper });
    const expectedRules = JSON.parse(find(oathkeeperObjects, 'ConfigMap', `${RELEASES.oathkeeper}-rules`).data['access-rules.json']).length;
    await waitForRules(`http://${HOST}:${ports.api}`, expectedRules, { what: 'the rendered Oathkeeper', logFile: logs.oathkeeper });
    return await probe({
      ports,
      kratosPublic,
      kratosAdmin: `http://${HOST}:${ports.admin}`,
      kratosPods: kratosPods.map((p) => ({ public: `http://${HOST}:${p.pub}`, admin: `http://${HOST}:${p.admin}` })),
      backend,
      mails: mail.messages,
      secrets,
      logs,
    });
  } finally {
    for (const d of daemons.reverse()) await d.stop();
    await mail.stop();
    await backend.stop();
    await database.stop();
  }
}

