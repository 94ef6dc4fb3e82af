// A real PostgreSQL for the local stack (KRATOS_DB=postgres), from Debian's packages, without
// Docker: initdb once into the stack's data folder, then the server on loopback, TCP only, with
// a password (scram-sha-256) as a cluster's database would ask for.
//
// PostgreSQL refuses to run as root. Run by root, it runs in a user namespace of its own
// (`unshare --user`): there it is the unprivileged "nobody", while the files it creates stay
// root's, so its data can live under root's ~/.cache like the rest of the stack.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToCompletion, startDaemon } from './processes.mjs';

/** Debian installs the server under /usr/lib/postgresql/<major>/bin; the newest one is used. */
export function postgresBinDir(root = '/usr/lib/postgresql') {
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres'))) : [];
  if (majors.length === 0) return null;
  return join(root, String(Math.max(...majors.map(Number))), 'bin');
}

/** The command that runs `bin` as an unprivileged user: itself, or in a user namespace for root. */
export function unprivileged(bin, args) {
  return process.getuid?.() === 0 ? { cmd: 'unshare', args: ['--user', bin, ...args] } : { cmd: bin, args };
}

const USER = 'kratos';
const DATABASE = 'kratos';

/**
 * @param {{ dataDir: string, host: string, port: number, fresh?: boolean, tls?: { certFile: string, keyFile: string }, onUnexpectedExit?: (err: Error) => void }} opts
 *   fresh: start from an empty cluster (the test profile); otherwise the data is kept.
 *   tls: serve TLS with this certificate and key (PEM) as well, the way a cluster's database does.
 * @returns {Promise<{ dsn: string, user: string, password: string, database: string, stop(): Promise<void>, pid: number, exited: Promise<number>, kill(sig: NodeJS.Signals): void }>}
 */
export async function startPostgres({ dataDir, host, port, fresh = false, tls, onUnexpectedExit }) {
  const bin = postgresBinDir();
  if (!bin) throw new Error("KRATOS_DB=postgres needs PostgreSQL's server: apt-get install postgresql (npm test installs it when it can).");
  const dir = join(dataDir, 'postgres');
  const data = join(dir, 'data');
  const logFile = join(dataDir, 'logs', 'postgres.log');
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  writeFileSync(logFile, '');
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The password is made once per data folder, like Kratos's local secrets (never in git).
  const pwFile = join(dir, 'password');
  if (!existsSync(data)) {
    writeFileSync(pwFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    const initdb = unprivileged(join(bin, 'initdb'), ['-D', data, '-U', USER, '--pwfile', pwFile, '--auth-host=scram-sha-256', '--auth-local=reject', '-E', 'UTF8', '--locale=C', '--no-instructions']);
    await runToCompletion(initdb.cmd, initdb.args, { logFile, what: 'PostgreSQL initdb' });
  }
  const password = readFileSync(pwFile, 'utf8').trim();
  // TCP on loopback only, no Unix socket; fsync off: a test database, rebuilt at will.
  const tlsArgs = tls ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${tls.certFile}`, '-c', `ssl_key_file=${tls.keyFile}`] : [];
  const server = unprivileged(join(bin, 'postgres'), ['-D', data, '-h', host, '-p', String(port), '-k', '', '-c', 'fsync=off', '-c', 'max_connections=200', ...tlsArgs]);
  // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them.
  const daemon = startDaemon(server.cmd, server.args, { logFile, what: 'PostgreSQL', onUnexpectedExit, stopSignal: 'SIGINT' });
  let down = false;
  daemon.exited.then(() => (down = true));
  const env = { ...process.env, PGPASSWORD: password };
  const connect = ['-h', host, '-p', String(port), '-U', USER];
  const run = (tool, args) => spawnSync(join(bin, tool), [...connect, ...args], { env, encoding: 'utf8' });
  const deadline = Date.now() + 30_000;
  while (run('pg_isready', ['-d', 'postgres']).status !== 0) {
    if (Date.now() > deadline || down) {
      await daemon.stop();
      throw new Error(`PostgreSQL did not accept connections on ${host}:${port} within 30 s. Its log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const created = run('createdb', [DATABASE]);
  if (created.status !== 0 && !/already exists/.test(created.stderr)) {
    await daemon.stop();
    throw new Error(`PostgreSQL: createdb ${DATABASE} failed: ${created.stderr.trim()}`);
  }
  const dsn = new URL(`postgres://${host}:${port}/${DATABASE}?sslmode=disable&max_conns=40&max_idle_conns=10`);
  dsn.username = USER;
  dsn.password = password;
  return { dsn: dsn.href, user: USER, password, database: DATABASE, stop: () => daemon.stop(), pid: daemon.pid, exited: daemon.exited, kill: daemon.kill };
}
