// @vitest-environment node
// The local PostgreSQL (KRATOS_DB=postgres), started for real from Debian's server binaries.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, unprivileged } from './postgres.mjs';
import { freePort } from './processes.mjs';
import { stackSettings } from './settings.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'postgres-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs SQL through psql with the DSN's own credentials. */
function sql(dsn, query) {
  const url = new URL(dsn);
  const r = spawnSync(join(postgresBinDir(), 'psql'), ['-h', url.hostname, '-p', url.port, '-U', url.username, '-d', url.pathname.slice(1), '-tAc', query], {
    env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe('the local PostgreSQL', () => {
  it('starts from empty with a password, keeps its data across a restart, and starts empty again when asked', async () => {
    const port = await freePort();
    let pg = await startPostgres({ dataDir, host: '127.0.0.1', port, fresh: true });
    const dsn = new URL(pg.dsn);
    expect([dsn.protocol, dsn.username, dsn.hostname, dsn.port, dsn.pathname, dsn.searchParams.get('sslmode')]).toEqual(['postgres:', 'kratos', '127.0.0.1', String(port), '/kratos', 'disable']);
    expect(dsn.password.length).toBeGreaterThanOrEqual(20);
    expect(sql(pg.dsn, 'SELECT current_user')).toBe('kratos');
    sql(pg.dsn, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    // A wrong password is refused: the server asks for one over TCP.
    expect(() => sql(pg.dsn.replace(/:[^:@/]+@/, ':wrong@'), 'SELECT 1')).toThrow(/password authentication failed/);
    await pg.stop();

    pg = await startPostgres({ dataDir, host: '127.0.0.1', port, fresh: false });
    expect(sql(pg.dsn, 'SELECT n FROM kept')).toBe('42');
    await pg.stop();

    pg = await startPostgres({ dataDir, host: '127.0.0.1', port, fresh: true });
    expect(sql(pg.dsn, "SELECT count(*) FROM pg_tables WHERE tablename = 'kept'")).toBe('0');
    await pg.stop();
  }, 90_000);

  it('runs the server unprivileged: root gets a user namespace of its own, anyone else runs it as they are', () => {
    const run = unprivileged('/usr/lib/postgresql/15/bin/postgres', ['-D', '/x']);
    if (process.getuid() === 0) expect(run).toEqual({ cmd: 'unshare', args: ['--user', '/usr/lib/postgresql/15/bin/postgres', '-D', '/x'] });
    else expect(run).toEqual({ cmd: '/usr/lib/postgresql/15/bin/postgres', args: ['-D', '/x'] });
  });

  it('is part of the stack only with KRATOS_DB=postgres, which the test profile gives a second Kratos replica', () => {
    const sqlite = stackSettings('test', {});
    expect(sqlite.database).toBe('sqlite');
    expect(sqlite.ports.postgres).toBeUndefined();
    expect(sqlite.urls.kratosReplicaPublic).toBeUndefined();
    const postgres = stackSettings('test', { KRATOS_DB: 'postgres' });
    expect(postgres.ports).toMatchObject({ postgres: 14432, kratosReplicaPublic: 14443, kratosReplicaAdmin: 14444 });
    expect(postgres.urls.kratosReplicaPublic).toBe('http://localhost:14443');
    const dev = stackSettings('dev', { KRATOS_DB: 'postgres' });
    expect(dev.ports.postgres).toBe(4432);
    expect(dev.ports.kratosReplicaPublic).toBeUndefined();
    expect(() => stackSettings('dev', { KRATOS_DB: 'mysql' })).toThrow(/KRATOS_DB=mysql: use one of sqlite, postgres/);
  });
});
