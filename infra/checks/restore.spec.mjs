// A restore that gives every account back (issue 40): what a backup of Kratos's database is worth,
// shown on the engine production runs (PostgreSQL, here Debian's) with Kratos v26.2.0.
//
// Accounts are made while `pg_dump` takes its copy (a steady stream, two at a time, as the
// database sees on a normal day; by the admin API, with a password: a person's sign-up needs a
// mailed code, and what matters here is what the database keeps); the dump is restored into an empty PostgreSQL, Kratos starts
// on it, and every account Kratos had confirmed before the dump began signs in with its password.
// Accounts confirmed while the dump ran may or may not be in it (PostgreSQL's dump is the
// database as of the moment it begins); the figures say how many were. README: Restoring the
// database has the procedure for the cluster, where CloudNativePG restores a base backup and its
// WAL instead of a dump.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinary, PINNED } from '../local/binaries.mjs';
import { startLocalHookReceiver } from '../local/hook-receiver.mjs';
import { call, createByAdmin, signInByApi } from '../local/kratos-api.mjs';
import { majorOf, startKratos } from '../local/kratos.mjs';
import { cacheDir } from '../local/paths.mjs';
import { postgresBinDir, startPostgres } from '../local/postgres.mjs';
import { freePort } from '../local/processes.mjs';
import { stackSettings } from '../local/settings.mjs';

const PASSWORD = 'correct horse battery staple';
const base = stackSettings('test', { ...process.env, KRATOS_DB: 'postgres' });
const dataDir = join(cacheDir(), 'restore-check');
const parts = [];
const figures = {};

/** Kratos v26.2.0 on `postgres`, on its own ports, its data under `dir`. */
async function kratosOn(postgres, dir) {
  const ports = { ...base.ports, kratosPublic: await freePort(), kratosAdmin: await freePort(), hookReceiver: await freePort() };
  const url = (port) => `http://${base.host}:${port}`;
  const urls = { ...base.urls, kratosPublic: url(ports.kratosPublic), kratosAdmin: url(ports.kratosAdmin), hookReceiver: url(ports.hookReceiver) };
  const settings = { ...base, dataDir: dir, freshData: true, dsn: postgres.dsn, ports, urls };
  // The stack names the registration web hooks' receiver in its configuration: its stand-in runs too.
  parts.push(await startLocalHookReceiver(settings));
  const kratos = await startKratos(settings, { bin: await ensureBinary('kratos'), major: majorOf(PINNED.kratos.version) });
  parts.push(kratos);
  return settings.urls;
}

/** A PostgreSQL client tool of the server's own version, with its password. */
function pgTool(postgres, tool, args) {
  return { cmd: join(postgresBinDir(), tool), args: ['-h', base.host, '-p', String(postgres.port), '-U', postgres.user, ...args], env: { ...process.env, PGPASSWORD: postgres.password } };
}

const confirmed = []; // { email, at }: each account Kratos answered 201 to, and when
let made = 0;
async function accountStream(kratosAdmin, until) {
  while (!until()) {
    const email = `restore-${++made}-${process.pid}@example.com`;
    await createByAdmin(kratosAdmin, email, PASSWORD, { traits: { name: { first: 'Re', last: 'Store' } } });
    confirmed.push({ email, at: Date.now() });
  }
}

beforeAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  const start = async (name) => {
    const port = await freePort();
    const pg = await startPostgres({ dataDir: join(dataDir, name), host: base.host, port, fresh: true });
    parts.push(pg);
    return { ...pg, port };
  };
  const source = await start('source');
  const before = await kratosOn(source, join(dataDir, 'kratos-source'));
  // Some accounts first, then new ones the whole time the dump runs.
  for (let i = 0; i < 10; i++) await accountStream(before.kratosAdmin, () => confirmed.length > i);
  let stop = false;
  const stream = Promise.all([accountStream(before.kratosAdmin, () => stop), accountStream(before.kratosAdmin, () => stop)]);
  await new Promise((r) => setTimeout(r, 1500));
  const dumpFile = join(dataDir, 'kratos.dump');
  const dump = pgTool(source, 'pg_dump', ['-d', source.database, '-Fc', '-f', dumpFile]);
  figures.dumpBegan = Date.now();
  const ran = await new Promise((resolve) => {
    const child = spawn(dump.cmd, dump.args, { env: dump.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code, err }));
  });
  figures.dumpEnded = Date.now();
  await new Promise((r) => setTimeout(r, 1000));
  stop = true;
  await stream;
  expect(ran.code, ran.err).toBe(0);

  const target = await start('target');
  const restore = pgTool(target, 'pg_restore', ['-d', target.database, '--no-owner', '--exit-on-error', dumpFile]);
  const restored = spawnSync(restore.cmd, restore.args, { env: restore.env, encoding: 'utf8' });
  expect(restored.status, restored.stderr).toBe(0);
  figures.after = await kratosOn(target, join(dataDir, 'kratos-target'));
}, 300_000);

afterAll(async () => {
  for (const p of parts.reverse()) await p.stop();
});

describe('a database restored from a dump taken under sign-ups', () => {
  it('signs in every account Kratos confirmed before the dump began, with its password, on a Kratos started on the restored database', async () => {
    const beforeDump = confirmed.filter((c) => c.at < figures.dumpBegan);
    const during = confirmed.filter((c) => c.at >= figures.dumpBegan && c.at <= figures.dumpEnded);
    expect(beforeDump.length).toBeGreaterThanOrEqual(10);
    const failed = [];
    for (const { email } of beforeDump) {
      const r = await signInByApi(figures.after.kratosPublic, email, PASSWORD);
      if (r.status !== 200 || !r.token) failed.push(`${email}: ${r.status} ${r.messages}`);
    }
    expect(failed).toEqual([]);
    // The control: an account made after the dump ended is not in it, and is refused (the check is real).
    const afterDump = confirmed.filter((c) => c.at > figures.dumpEnded);
    expect(afterDump.length).toBeGreaterThan(0);
    for (const { email } of afterDump.slice(0, 3)) expect((await signInByApi(figures.after.kratosPublic, email, PASSWORD)).status).toBe(400);
    // Of those confirmed while the dump ran, the restored database has those committed before it began.
    let present = 0;
    for (const { email } of during) {
      const r = await call('GET', `${figures.after.kratosAdmin}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
      if (r.body?.length === 1) present += 1;
    }
    console.log(
      `restore drill: ${confirmed.length} accounts made in all; ${beforeDump.length} confirmed before the dump began, all ${beforeDump.length} sign in after the restore; ` +
        `${during.length} confirmed during the dump (${figures.dumpEnded - figures.dumpBegan} ms), ${present} of them in it`,
    );
    expect((await call('GET', `${figures.after.kratosAdmin}/admin/version`)).body.version).toBe(PINNED.kratos.version);
  });
});
