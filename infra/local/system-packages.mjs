// What `npm test` needs from the operating system, installed from Debian's packages when missing:
//
//   chromium + fonts-liberation   the end-to-end tests drive Debian's Chromium (no browser download)
//   gcc + libc6-dev               Kratos's SQLite (cgo), when Kratos has to be built
//   shellcheck                    actionlint checks the workflows' scripts with it
//   postgresql                    the end-to-end pass on PostgreSQL (infra/local/postgres.mjs)
//   haproxy                       that pass's load balancer in front of two Kratos replicas
//                                 (infra/local/balancer.mjs)
//
// It installs only as root or with passwordless sudo, and only with apt-get; otherwise it stops
// with the one command to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { haproxyBinary } from './balancer.mjs';
import { postgresBinDir } from './postgres.mjs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** The Debian packages missing on this machine, with why each is needed. */
export function missingPackages({ chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium' } = {}) {
  const missing = [];
  if (!existsSync(chromium)) missing.push({ packages: ['chromium', 'fonts-liberation'], why: `Chromium (not at ${chromium})` });
  if (!has(process.env.CC || 'gcc')) missing.push({ packages: ['gcc', 'libc6-dev'], why: 'a C compiler (Kratos with SQLite)' });
  if (!has('shellcheck')) missing.push({ packages: ['shellcheck'], why: 'shellcheck (for actionlint)' });
  if (!postgresBinDir()) missing.push({ packages: ['postgresql'], why: 'PostgreSQL (the end-to-end pass on PostgreSQL)' });
  if (!haproxyBinary()) missing.push({ packages: ['haproxy'], why: 'HAProxy (the load balancer of the PostgreSQL pass)' });
  return missing;
}

function asRoot() {
  if (process.getuid?.() === 0) return [];
  if (has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

/**
 * Installs what is missing. Returns null when all is there (or was installed), or a message saying
 * what to run when it cannot install by itself.
 */
export function ensureSystemPackages(log = console.log) {
  const missing = missingPackages();
  if (missing.length === 0) return null;
  const packages = missing.flatMap((m) => m.packages);
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const prefix = asRoot();
  if (!has('apt-get') || prefix === null) {
    return `Missing: ${missing.map((m) => m.why).join(', ')}.\n  Install it as root: ${command}\n  (or set CHROMIUM_PATH to a Chromium binary)`;
  }
  log(`Installing from Debian's packages: ${packages.join(' ')} (missing: ${missing.map((m) => m.why).join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    return spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
  };
  if (run(['apt-get', 'update', '-qq']).status !== 0 || run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]).status !== 0) {
    return `Installing ${packages.join(' ')} failed (output above). Run it yourself: ${command}`;
  }
  const still = missingPackages();
  return still.length ? `Still missing after apt-get: ${still.map((m) => m.why).join(', ')}` : null;
}
