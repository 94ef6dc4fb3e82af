// Finds or builds the pinned Ory binaries.
//
// Order: $KRATOS_BIN / $OATHKEEPER_BIN, then the cache, then a binary on PATH that reports the
// pinned version, then a build: from the released source archive (Ory v26, which the module proxy
// refuses) or from the Go module. A build happens only when the recipe below changes.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync, constants, cpSync, createWriteStream, existsSync, mkdirSync, readFileSync,
  renameSync, rmSync, writeFileSync, chmodSync, readdirSync, statSync,
} from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { cacheDir, ROOT } from './paths.mjs';

export const PINNED = {
  // The current Ory release, what chart 0.62.1 deploys and what the stack, the tests and CI run.
  // Its tags keep the module path without /v26, so the module proxy refuses them: built from the
  // released source archive (../shared/sources, sha256 checked) or, where GitHub is reachable
  // (GitHub's CI), a shallow clone of the tag whose commit is checked.
  kratos: {
    title: 'Ory Kratos',
    module: 'github.com/ory/kratos',
    version: 'v26.2.0',
    envVar: 'KRATOS_BIN',
    source: { archive: 'kratos-v26.2.0.tar.gz', sha256: '19017b14daacb614052531a84839f8821d5f92cb72edb85fddee20fc9a9fdf23', commit: '9d7085948039ffb8960160d4979f71527b5cf4d5' },
    // cgo + the sqlite tag are what give us SQLite (mattn/go-sqlite3 through ory/pop).
    cgo: true,
    tags: 'sqlite,json1',
    dropReplace: [],
    ldflags: '-X github.com/ory/kratos/driver/config.Version=v26.2.0',
  },
  oathkeeper: {
    title: 'Ory Oathkeeper',
    module: 'github.com/ory/oathkeeper',
    version: 'v26.2.0',
    envVar: 'OATHKEEPER_BIN',
    source: { archive: 'oathkeeper-v26.2.0.tar.gz', sha256: 'dd14d00137954b15dc387084bdd807313cce4b02a96c3c6f34d260cf708a39f3', commit: 'c84dbe07ecbf6f10154f04ec49b137a115155289' },
    cgo: false,
    tags: '',
    dropReplace: [],
    ldflags: '-X github.com/ory/oathkeeper/x.Version=v26.2.0',
  },
  // For teams that have not upgraded (chart 0.59.0): `npm run compat` runs the suite on these.
  'kratos-compat': {
    title: 'Ory Kratos',
    module: 'github.com/ory/kratos',
    version: 'v1.3.1',
    cgo: true,
    tags: 'sqlite,json1',
    // go.mod replaces client-go with ./internal/client-go, a nested module that is not in
    // the module zip; nothing the binary imports uses it (shared/reference §4).
    dropReplace: ['github.com/ory/client-go'],
    ldflags: '-X github.com/ory/kratos/driver/config.Version=v1.3.1',
  },
  'oathkeeper-compat': {
    title: 'Ory Oathkeeper',
    module: 'github.com/ory/oathkeeper',
    version: 'v0.40.9',
    cgo: false,
    tags: '',
    dropReplace: [],
    ldflags: '-X github.com/ory/oathkeeper/x.Version=v0.40.9',
  },
  // Tools of the offline infrastructure checks (infra/checks/).
  tofu: {
    title: 'OpenTofu',
    module: 'github.com/opentofu/opentofu',
    version: 'v1.12.6',
    // Its go.mod pins hcl/v2 with a replace, so `go install …@v` is refused: copy and build.
    pkg: './cmd/tofu',
    cgo: false,
    tags: '',
    dropReplace: [],
    ldflags: '',
  },
  kustomize: { title: 'kustomize', module: 'sigs.k8s.io/kustomize/kustomize/v5', version: 'v5.8.1', install: 'sigs.k8s.io/kustomize/kustomize/v5' },
  kubeconform: { title: 'kubeconform', module: 'github.com/yannh/kubeconform', version: 'v0.7.0', install: 'github.com/yannh/kubeconform/cmd/kubeconform' },
  actionlint: { title: 'actionlint', module: 'github.com/rhysd/actionlint', version: 'v1.7.12', install: 'github.com/rhysd/actionlint/cmd/actionlint' },
  // Renders the Ory chart packages Flux installs (../shared/charts) with the generated values.
  helm: { title: 'Helm', module: 'helm.sh/helm/v3', version: 'v3.22.0', install: 'helm.sh/helm/v3/cmd/helm' },
  // Envoy Gateway's own translator, run as its controller runs it (infra/checks/edge.spec.mjs): our
  // driver (addFiles) built inside a copy of the module's source, whose packages are internal.
  'eg-translate': {
    title: "Envoy Gateway's translator",
    module: 'github.com/envoyproxy/gateway',
    version: 'v1.9.1',
    pkg: './cmd/kratos-spa-translate',
    addFiles: { 'cmd/kratos-spa-translate/main.go': 'infra/checks/envoy-gateway/translate.go' },
    cgo: false,
    tags: '',
    dropReplace: [],
    ldflags: '',
  },
  // Flux's own health checks (cel.NewStatusReader, as kustomize-controller's reconciler builds it)
  // over our Kustomizations (infra/checks/flux.spec.mjs): our driver built inside a copy of the
  // controller's module source, so every package is at the version the controller ships. Its api/
  // is a nested module (not in the module zip): the replace that points there is dropped, and the
  // api module comes at the same version from the module proxy.
  'flux-health': {
    title: "kustomize-controller's health checks",
    module: 'github.com/fluxcd/kustomize-controller',
    version: 'v1.9.4',
    pkg: './cmd/kratos-spa-health',
    addFiles: { 'cmd/kratos-spa-health/main.go': 'infra/checks/flux/health.go' },
    cgo: false,
    tags: '',
    dropReplace: ['github.com/fluxcd/kustomize-controller/api'],
    ldflags: '',
  },
  // Secrets in git (infra/secrets.mjs, `npm run secrets`): SOPS encrypts them for age keys, at the
  // versions Flux's kustomize-controller v1.9.4 decrypts with (its go.mod).
  sops: { title: 'SOPS', module: 'github.com/getsops/sops/v3', version: 'v3.13.2', install: 'github.com/getsops/sops/v3/cmd/sops' },
  'age-keygen': { title: 'age-keygen', module: 'filippo.io/age', version: 'v1.3.1', install: 'filippo.io/age/cmd/age-keygen' },
  // The load generator of `npm run load` (infra/local/load.mjs).
  k6: { title: 'k6', module: 'go.k6.io/k6', version: 'v1.8.1', install: 'go.k6.io/k6' },
};

// Ory v26 (go.mod: go 1.26) sets the floor for all of them.
const MIN_GO = [1, 26];

/** ../shared/sources beside the repository (ORY_SOURCES_DIR overrides). */
export const SOURCES_DIR = resolve(process.env.ORY_SOURCES_DIR || join(ROOT, '..', 'shared', 'sources'));

function recipeKey(spec) {
  // Files of ours built into the module: their content is part of the recipe.
  const added = Object.entries(spec.addFiles ?? {}).map(([to, from]) => [to, createHash('sha256').update(readFileSync(join(ROOT, from))).digest('hex')]);
  const recipe = JSON.stringify([spec.module, spec.version, spec.source?.sha256, spec.cgo, spec.tags, spec.dropReplace, spec.ldflags, spec.pkg, spec.install, ...(added.length ? [added] : [])]);
  return createHash('sha256').update(recipe).digest('hex').slice(0, 10);
}

export function cachedBinaryPath(name) {
  const spec = PINNED[name];
  return join(cacheDir(), 'bin', `${name}-${spec.version}-${recipeKey(spec)}`);
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The version a Kratos or Oathkeeper binary reports (`<bin> version`), or null. */
export function reportedVersion(file) {
  const r = spawnSync(file, ['version'], { encoding: 'utf8', timeout: 20_000 });
  const m = /Version:\s*(v?\S+)/.exec(`${r.stdout}\n${r.stderr}`);
  return m ? m[1] : null;
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return null;
}

class BuildError extends Error {}

function requireToolchain(spec) {
  const orUse = spec.envVar ? `, or point ${spec.envVar} at a ${spec.title} ${spec.version} binary` : '';
  const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new BuildError(
      `Go is not installed (or not on PATH), and ${spec.title} ${spec.version} is built from its Go module.\n` +
        `  Install Go ${MIN_GO.join('.')} or newer (https://go.dev/dl/)${orUse}.`,
    );
  }
  const m = /^go(\d+)\.(\d+)/.exec(go.stdout.trim());
  if (!m || Number(m[1]) < MIN_GO[0] || (Number(m[1]) === MIN_GO[0] && Number(m[2]) < MIN_GO[1])) {
    throw new BuildError(
      `${spec.title} ${spec.version} needs Go ${MIN_GO.join('.')} or newer; this machine has ${go.stdout.trim() || 'an unknown version'}.`,
    );
  }
  if (spec.cgo) {
    const cc = process.env.CC || 'gcc';
    const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new BuildError(
        `${spec.title} needs a C compiler for SQLite (cgo), and '${cc}' was not found.\n` +
          `  Install gcc (Debian/Ubuntu: apt-get install gcc)${orUse}.`,
      );
    }
  }
  return go.stdout.trim();
}

function run(cmd, args, opts) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => opts.onStderr?.(d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new BuildError(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function withLock(lockDir, fn) {
  mkdirSync(join(lockDir, '..'), { recursive: true });
  const tryTake = () => {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return true;
    } catch {
      let pid = 0;
      try { pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8')); } catch { /* being written */ }
      let alive = false;
      if (pid > 0) {
        try { process.kill(pid, 0); alive = true; } catch { alive = false; }
      }
      if (pid > 0 && !alive) rmSync(lockDir, { recursive: true, force: true });
      return false;
    }
  };
  return (async () => {
    let waited = false;
    while (!tryTake()) {
      if (!waited) console.log(`  another process is building into ${lockDir}; waiting for it…`);
      waited = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
    try {
      return await fn();
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  })();
}

/** Modules whose go.mod has no replace directives: `go install module/pkg@version` into the cache. */
async function goInstall(name, spec, target, log) {
  const started = Date.now();
  const tmpBin = `${target}.gobin-${process.pid}`;
  mkdirSync(tmpBin, { recursive: true });
  log(`Installing ${spec.title} ${spec.version} with go install…`);
  const logFile = join(cacheDir(), 'build', `${name}-${spec.version}.log`);
  mkdirSync(join(logFile, '..'), { recursive: true });
  let stderr = '';
  try {
    await run('go', ['install', `${spec.install}@${spec.version}`], {
      env: { ...process.env, GOTOOLCHAIN: 'local', GOBIN: tmpBin, CGO_ENABLED: '0' },
      onStderr: (chunk) => (stderr += chunk),
    });
  } catch {
    writeFileSync(logFile, stderr);
    rmSync(tmpBin, { recursive: true, force: true });
    throw new BuildError(`go install ${spec.install}@${spec.version} failed. Last lines:\n${stderr.split('\n').slice(-30).join('\n')}`);
  }
  const [built] = readdirSync(tmpBin);
  renameSync(join(tmpBin, built), target);
  rmSync(tmpBin, { recursive: true, force: true });
  log(`Installed ${spec.title} ${spec.version} in ${Math.round((Date.now() - started) / 1000)}s → ${target}`);
  return target;
}

async function build(name, { log = console.log } = {}) {
  const spec = PINNED[name];
  const target = cachedBinaryPath(name);
  const goVersion = requireToolchain(spec);
  return withLock(`${target}.lock`, async () => {
    if (isExecutable(target)) return target; // built by whoever held the lock
    if (spec.install) return goInstall(name, spec, target, log);
    const started = Date.now();
    const env = {
      ...process.env,
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: spec.cgo ? '1' : '0',
      GOFLAGS: '-mod=mod',
    };
    const src = join(cacheDir(), 'build', `${name}-${spec.version}`);
    rmSync(src, { recursive: true, force: true });
    mkdirSync(join(src, '..'), { recursive: true });
    if (spec.source) {
      log(`Building ${spec.title} ${spec.version} from its released source with ${goVersion} (a few minutes the first time)…`);
      await unpackSource(spec, src, env);
    } else {
      log(`Building ${spec.title} ${spec.version} from its Go module with ${goVersion} (a few minutes the first time)…`);
      const dl = JSON.parse(await run('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`], { env }));
      if (dl.Error) throw new BuildError(`go mod download ${spec.module}@${spec.version}: ${dl.Error}`);
      cpSync(dl.Dir, src, { recursive: true });
    }
    makeWritable(src);
    for (const [to, from] of Object.entries(spec.addFiles ?? {})) {
      mkdirSync(join(src, to, '..'), { recursive: true });
      cpSync(join(ROOT, from), join(src, to));
    }
    for (const mod of spec.dropReplace) await run('go', ['mod', 'edit', `-dropreplace=${mod}`], { cwd: src, env });

    const tagArgs = spec.tags ? ['-tags', spec.tags] : [];
    const pkg = spec.pkg ?? '.';
    const deps = (await run('go', ['list', ...tagArgs, '-deps', pkg], { cwd: src, env })).split('\n').filter(Boolean);
    const logFile = join(cacheDir(), 'build', `${name}-${spec.version}.log`);
    const logStream = createWriteStream(logFile);
    const tmp = `${target}.tmp-${process.pid}`;
    mkdirSync(join(target, '..'), { recursive: true });
    let compiled = 0;
    let lastPrint = 0;
    const tty = process.stdout.isTTY;
    const progress = (force = false) => {
      const now = Date.now();
      if (!force && now - lastPrint < (tty ? 250 : 15_000)) return;
      lastPrint = now;
      const pct = Math.min(100, Math.round((compiled / deps.length) * 100));
      const line = `  ${spec.title}: compiled ${compiled} of at most ${deps.length} packages (${pct}%), ${Math.round((now - started) / 1000)}s`;
      if (tty) process.stdout.write(`\r${line}\x1b[K`);
      else log(line);
    };
    try {
      await run(
        'go',
        ['build', '-v', ...tagArgs, '-trimpath', '-ldflags', spec.ldflags, '-o', tmp, pkg],
        {
          cwd: src,
          env,
          onStderr: (chunk) => {
            logStream.write(chunk);
            for (const line of chunk.split('\n')) if (line && !line.startsWith('go: ') && !line.startsWith('#')) compiled++;
            progress();
          },
        },
      );
    } catch (err) {
      logStream.end();
      if (tty) process.stdout.write('\n');
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new BuildError(`Building ${spec.title} ${spec.version} failed. Last lines of ${logFile}:\n${tail}`);
    }
    logStream.end();
    progress(true);
    if (tty) process.stdout.write('\n');
    renameSync(tmp, target);
    rmSync(src, { recursive: true, force: true });
    log(`Built ${spec.title} ${spec.version} in ${Math.round((Date.now() - started) / 1000)}s → ${target}`);
    return target;
  });
}

/**
 * The released source of `spec` into `src`: the archive in SOURCES_DIR, refused unless its sha256
 * is the pinned one; where there is none and GitHub is reachable (GitHub's CI), a shallow clone of
 * the tag, refused unless its commit is the pinned one.
 */
async function unpackSource(spec, src, env) {
  const { archive, sha256, commit } = spec.source;
  const file = join(SOURCES_DIR, archive);
  let bytes = null;
  try {
    bytes = readFileSync(file);
  } catch {
    /* not here: clone below, where that is possible */
  }
  if (bytes) {
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== sha256) throw new BuildError(`${file} has sha256 ${got}, not the pinned ${sha256} (${spec.title} ${spec.version}): refusing to build from it.`);
    mkdirSync(src, { recursive: true });
    await run('tar', ['-xzf', file, '-C', src, '--strip-components=1'], { env });
    return;
  }
  if (!process.env.GITHUB_ACTIONS) {
    throw new BuildError(
      `${spec.title} ${spec.version} is built from its released source, and ${file} is not there.\n` +
        `  Put the release's source archive there (its sha256 must be ${sha256}), or set ORY_SOURCES_DIR to the folder that holds it.`,
    );
  }
  const repo = `https://${spec.module}.git`;
  await run('git', ['clone', '--quiet', '--depth', '1', '--branch', spec.version, repo, src], { env });
  const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: src, env })).trim();
  if (head !== commit) throw new BuildError(`${repo} tag ${spec.version} is commit ${head}, not the pinned ${commit}: refusing to build from it.`);
  rmSync(join(src, '.git'), { recursive: true, force: true });
}

/**
 * The released source of PINNED[name] unpacked (checked as for a build) into the cache, once: for
 * what reads Ory's source rather than running it (infra/local/kratos-messages.mjs).
 */
export async function releasedSource(name) {
  const spec = PINNED[name];
  if (!spec?.source) throw new BuildError(`${name} is not built from a released source archive`);
  const dir = join(cacheDir(), 'src', `${name}-${spec.version}-${recipeKey(spec)}`);
  if (existsSync(join(dir, 'go.mod'))) return dir;
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(join(dir, 'go.mod'))) return dir;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    await unpackSource(spec, tmp, process.env);
    renameSync(tmp, dir);
    return dir;
  });
}

function makeWritable(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(p);
  }
}

/**
 * Returns the path of a runnable binary for `name` ("kratos" | "oathkeeper"), building it if needed.
 */
export async function ensureBinary(name, { log = console.log } = {}) {
  const spec = PINNED[name];
  if (!spec) throw new BuildError(`unknown binary '${name}'`);
  if (!spec.envVar) {
    const cached = cachedBinaryPath(name);
    return isExecutable(cached) ? cached : build(name, { log });
  }
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new BuildError(`${spec.envVar}=${fromEnv} is not an executable file.`);
    const v = reportedVersion(fromEnv);
    if (v !== spec.version) log(`warning: ${spec.envVar} reports ${v ?? 'no version'}, the project pins ${spec.version}; using it anyway.`);
    return fromEnv;
  }
  const cached = cachedBinaryPath(name);
  if (isExecutable(cached)) return cached;
  const system = onPath(name);
  if (system) {
    const v = reportedVersion(system);
    if (v === spec.version) return system;
    log(`note: ${system} is ${v ?? 'of unknown version'}, not ${spec.version}; building the pinned version instead.`);
  }
  return build(name, { log });
}

export { BuildError };

// `node infra/local/binaries.mjs [kratos|oathkeeper ...]` builds what is missing.
if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(PINNED);
  try {
    for (const n of names) {
      if (!PINNED[n]) throw new BuildError(`unknown binary '${n}'; expected one of ${Object.keys(PINNED).join(', ')}`);
      console.log(`${n}: ${await ensureBinary(n)}`);
    }
  } catch (err) {
    console.error(err instanceof BuildError ? `\n${err.message}` : err);
    process.exit(1);
  }
}
