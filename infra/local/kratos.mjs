// Runs the real Kratos for the local stack: renders its config from kratos/ with a local
// overlay, migrates the SQLite database and serves on loopback.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { ensureJwksSync } from '../../oathkeeper/generate-jwks.mjs';
import { deepMerge, forOlderKratos, registrationHookKeyEnv, renderKratosConfig } from '../render-config.mjs';
import { localRegistrationHooks, registrationHookKey } from './hook-receiver.mjs';
import { OIDC_CLIENT, OIDC_PROVIDER_ID } from './oidc-provider.mjs';
import { PINNED } from './binaries.mjs';
import { ROOT } from './paths.mjs';
import { runToCompletion, startDaemon, waitForHttp } from './processes.mjs';
import { PUBLIC_HOST } from './settings.mjs';

/** Dev secrets, made once per data folder and kept there (never in git). */
function localSecrets(dataDir) {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    cookie: [randomBytes(24).toString('base64url')],
    cipher: [randomBytes(16).toString('hex')], // exactly 32 characters
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * The private key set Kratos signs admin tokens with, made once per data folder; the local
 * Oathkeeper checks tokens with its public half (oathkeeper.mjs).
 */
export function adminTokenJwksFile(dataDir) {
  const file = join(dataDir, 'admin-token.jwks.json');
  ensureJwksSync(file);
  return file;
}

// SQLite takes one writer at a time: WAL (readers never block the writer) and a 30 s busy
// timeout let SQLite itself queue the writers. lock=false turns off pop's own lock around
// each single statement (ory/pop v6.2.0 dialect_sqlite.go, locker), which deadlocks with
// transactions: a request inside a transaction that holds SQLite's write lock waits for pop's
// lock, while the statement holding pop's lock waits out the busy timeout for that write lock.
// CI saw it twice in one e2e run (a PATCH of an identity, a registration: each hung until its
// browser gave up, kratos.log "took" 10 s and 15 s, then 499; the goroutine dump showed
// pop's locker). Measured here, 12 concurrent sign-up journeys for 30 s: with pop's lock 161
// requests, 48 over 3 s, 64 still waiting at 8 s; with lock=false 4,896 requests, the slowest
// 0.8 s, no 5xx. (Kratos's own tests run SQLite with lock=false, internal/driver.go.) Left
// out on purpose: max_conns=1 made Kratos wait on itself (some hooks use a second connection
// inside a transaction).
/** Kratos on a SQLite file, as the local stack and the chart boot run it. */
export function sqliteDsn(file) {
  return `sqlite://${file}?_fk=true&mode=rwc&_journal_mode=WAL&_busy_timeout=30000&lock=false`;
}

/** What differs locally from kratos/kratos.yml. */
export function localOverlay(settings, secrets) {
  const { spaOrigins } = settings;
  return {
    // KRATOS_DB=postgres: the DSN of the local PostgreSQL (postgres.mjs), set by the stack.
    dsn: settings.dsn ?? sqliteDsn(join(settings.dataDir, 'kratos.sqlite')),
    serve: {
      public: { host: settings.host, port: settings.ports.kratosPublic, cors: { allowed_origins: spaOrigins } },
      admin: { host: settings.host, port: settings.ports.kratosAdmin, base_url: `${settings.urls.kratosAdmin}/` },
    },
    secrets,
    selfservice: {
      // The SPA, and the API host: Oathkeeper sends a browser without a session to sign in
      // with return_to pointing back at the API page it wanted.
      allowed_return_urls: [...spaOrigins, settings.urls.api].map((o) => `${o}/`),
      methods: {
        // The local machine has no internet: the breached-password lookup stays off here only.
        password: { config: { haveibeenpwned_enabled: false } },
        // Security keys (a second factor) and passkeys (sign-in without a password).
        webauthn: { enabled: true, config: { passwordless: false, rp: { id: PUBLIC_HOST, display_name: 'Kratos SPA (local)', origins: spaOrigins } } },
        passkey: { enabled: true, config: { rp: { id: PUBLIC_HOST, display_name: 'Kratos SPA (local)', origins: spaOrigins } } },
        // Social sign-in with the OpenID Provider the local stack runs (oidc-provider.mjs).
        oidc: {
          enabled: true,
          config: {
            providers: [
              {
                id: OIDC_PROVIDER_ID,
                provider: 'generic',
                client_id: OIDC_CLIENT.id,
                client_secret: OIDC_CLIENT.secret,
                issuer_url: settings.urls.oidcProvider,
                mapper_url: `file://${join(ROOT, 'kratos', 'oidc-mapper.jsonnet')}`,
                scope: ['openid', 'email', 'profile'],
              },
            ],
          },
        },
      },
    },
    courier: { smtp: { connection_uri: `smtp://${settings.host}:${settings.ports.smtp}/?disable_starttls=true` } },
    // bcrypt cost 4 keeps local sign-ups fast; production keeps Kratos's default.
    hashers: { algorithm: 'bcrypt', bcrypt: { cost: 4 } },
  };
}

/**
 * The major version of the Kratos the stack runs: 26 for the pinned v26.2.0, or that of the binary
 * `npm run compat` runs (it sets KRATOS_VERSION_UNDER_TEST). Tests ask it too (e2e/helpers.ts).
 */
export function kratosMajorUnderTest() {
  return majorOf(process.env.KRATOS_VERSION_UNDER_TEST ?? PINNED.kratos.version);
}

/** The major of a Kratos version ("v26.2.0" → 26), 0 where it names none. */
export function majorOf(version) {
  const m = /^v?(\d+)\./.exec(version);
  return m ? Number(m[1]) : 0;
}

/**
 * @param {object} [extraOverlay] merged over the local overlay (tests turn features on with it)
 * @param {string} [name] "kratos", or another replica's name: its own file, the same config
 */
export function writeLocalKratosConfig(settings, extraOverlay = {}, name = 'kratos', major = kratosMajorUnderTest()) {
  mkdirSync(settings.dataDir, { recursive: true });
  const rendered = renderKratosConfig({
    overlay: deepMerge(localOverlay(settings, localSecrets(settings.dataDir)), extraOverlay),
    vars: {
      SPA_URL: settings.urls.spa,
      KRATOS_PUBLIC_URL: settings.urls.kratosPublic,
      ADMIN_TOKEN_JWKS_URL: pathToFileURL(adminTokenJwksFile(settings.dataDir)).href,
    },
    files: 'absolute',
    registrationHooks: localRegistrationHooks(settings),
  });
  const config = major < 25 ? forOlderKratos(rendered) : rendered;
  const file = join(settings.dataDir, `${name}.yml`);
  // Written whole and renamed into place: a running Kratos reloads this file when it changes
  // and must never read it half-written.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `# Generated by infra/local/kratos.mjs from kratos/kratos.yml. Do not edit: edit kratos/.\n${stringify(config)}`);
  renameSync(tmp, file);
  const key = registrationHookKey(settings.dataDir);
  return { file, keyEnv: Object.fromEntries(registrationHookKeyEnv(config).map((name) => [name, key])) };
}

/**
 * @param {{ bin: string, onUnexpectedExit?: (err: Error) => void, overlay?: object,
 *   replica?: { name: string, publicPort: number, adminPort: number }, major?: number }} options
 *   replica: another Kratos on the same database, config and secrets, listening on its own
 *   ports; it does not migrate (migrations run once, as the chart's job does) and sends no mail.
 *   major: the Kratos major `bin` is (default: kratosMajorUnderTest()), for its config.
 *   publicPort: where the first Kratos listens when a load balancer has the public port (its
 *   public base URL stays the balancer's).
 * @returns {Promise<{ stop(): Promise<void>, configFile: string, logFile: string, pid: number, exited: Promise<number>, kill(sig: NodeJS.Signals): void }>}
 *   pid, exited: for `npm run faults`, which stops it the hard way.
 */
export async function startKratos(settings, { bin, onUnexpectedExit, overlay = {}, replica, major, publicPort }) {
  const logDir = join(settings.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  if (settings.freshData) {
    for (const f of ['kratos.sqlite', 'kratos.sqlite-shm', 'kratos.sqlite-wal']) rmSync(join(settings.dataDir, f), { force: true });
  }
  const name = replica?.name ?? 'kratos';
  const listen = replica
    ? { serve: { public: { port: replica.publicPort }, admin: { port: replica.adminPort, base_url: `http://${settings.host}:${replica.adminPort}/` } } }
    : publicPort
      ? { serve: { public: { port: publicPort } } }
      : {};
  // The web hooks' key reaches Kratos as production's does: from the environment, never the file.
  const { file: configFile, keyEnv } = writeLocalKratosConfig(settings, deepMerge(overlay, listen), name, major);
  const logFile = join(logDir, `${name}.log`);
  writeFileSync(logFile, '');
  const env = { ...process.env };
  delete env.DSN; // the rendered config is the one source
  if (!replica) await runToCompletion(bin, ['migrate', 'sql', '-e', '--yes', '-c', configFile], { logFile, env, what: 'Kratos migrations' });
  // One courier for all replicas, as the chart runs it (a StatefulSet of its own): the replica
  // only serves.
  const daemon = startDaemon(bin, ['serve', '-c', configFile, '--dev', ...(replica ? [] : ['--watch-courier'])], {
    logFile,
    env: { ...env, ...keyEnv, SQA_OPT_OUT: 'true' },
    what: replica ? `Kratos (${name})` : 'Kratos',
    onUnexpectedExit,
  });
  const admin = replica ? `http://${settings.host}:${replica.adminPort}` : settings.urls.kratosAdmin;
  await waitForHttp(`${admin}/health/ready`, { daemon, what: replica ? `Kratos (${name})` : 'Kratos', logFile });
  return { stop: () => daemon.stop(), configFile, logFile, pid: daemon.pid, exited: daemon.exited, kill: daemon.kill };
}
