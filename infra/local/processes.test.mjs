// @vitest-environment node
// What a person sees when part of the local stack cannot start or dies.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortFree, startDaemon, waitForHttp } from './processes.mjs';
import { startStack } from './stack.mjs';

const servers = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  delete process.env.TEST_SPA_PORT;
});

async function occupy() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return server.address().port;
}

const logFile = () => join(mkdtempSync(join(tmpdir(), 'stack-')), 'x.log');

describe('local stack failures', () => {
  it('names a taken port, what it is for, and how to move it', async () => {
    const port = await occupy();
    await expect(assertPortFree('127.0.0.1', port, 'Kratos public API')).rejects.toThrow(
      new RegExp(`Port ${port} on 127.0.0.1 \\(Kratos public API\\) is taken by another process.*environment variable`),
    );
  });

  it('stops `startStack` before building or starting anything when one of its ports is taken', async () => {
    process.env.TEST_SPA_PORT = String(await occupy());
    await expect(startStack('test', { log: () => {} })).rejects.toThrow(/\(SPA\) is taken/);
  });

  it('reports a child that dies on its own with its exit code and the end of its log', async () => {
    const file = logFile();
    const died = new Promise((resolve) => {
      startDaemon(process.execPath, ['-e', 'console.error("database is locked"); process.exit(3)'], {
        logFile: file,
        what: 'Kratos',
        onUnexpectedExit: resolve,
      });
    });
    const err = await died;
    expect(err.message).toMatch(/Kratos stopped unexpectedly \(exit 3\)/);
    expect(err.message).toContain('database is locked');
  });

  const sleeper = (onUnexpectedExit) =>
    startDaemon(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { logFile: logFile(), what: 'sleeper', onUnexpectedExit });

  it('does not report a child it was asked to stop, once the exit has been handled', async () => {
    let reported = null;
    const daemon = sleeper((e) => (reported = e));
    await daemon.stop();
    await daemon.settled;
    expect(reported).toBeNull();
  });

  it('reports the same child killed from outside, not through stop() (the control of the test above)', async () => {
    let reported = null;
    const daemon = sleeper((e) => (reported = e));
    process.kill(daemon.pid, 'SIGTERM');
    await daemon.settled;
    expect(reported?.message).toMatch(/sleeper stopped unexpectedly/);
  });

  it('gives up waiting for readiness as soon as the child exits, showing its log instead of hanging', async () => {
    const file = logFile();
    writeFileSync(file, '');
    const daemon = startDaemon(process.execPath, ['-e', 'console.error("config: unknown key foo"); process.exit(1)'], {
      logFile: file,
      what: 'Kratos',
    });
    const started = Date.now();
    await expect(waitForHttp('http://127.0.0.1:9/health', { daemon, what: 'Kratos', logFile: file, timeoutMs: 30_000 })).rejects.toThrow(
      /Kratos exited while starting[\s\S]*unknown key foo/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
