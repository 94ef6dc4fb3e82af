// Child processes of the local stack: started with their output in a log file, watched,
// and reported with the end of that log when they die before they were asked to.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves when nothing listens on host:port; rejects with a message naming the port's role otherwise. */
export async function assertPortFree(host, port, label) {
  const probe = createServer();
  await listen(probe, port, host, label);
  await new Promise((resolvePromise) => probe.close(() => resolvePromise()));
}

/**
 * Runs a command to completion, its output appended to logFile. `timeoutMs`: killed (SIGKILL) and
 * failed after that long, for a command that would otherwise retry for ever.
 */
export function runToCompletion(cmd, args, { logFile, env, cwd, what, timeoutMs }) {
  return new Promise((resolvePromise, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    let timedOut = false;
    const timer = timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    child.on('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      log.end(() =>
        code === 0 && !timedOut
          ? resolvePromise()
          : reject(new Error(`${what} ${timedOut ? `did not finish within ${timeoutMs / 1000} s` : `failed (exit ${code})`}. Last lines of ${logFile}:\n${tail(logFile)}`)),
      );
    });
  });
}

/**
 * Starts a long-running child. `onUnexpectedExit` is called if it ends before stop(), which sends
 * `stopSignal` and, 5 s later, SIGKILL.
 * @returns {{ stop(): Promise<void>, exited: Promise<number|null>, settled: Promise<void>, pid: number|undefined }}
 */
export function startDaemon(cmd, args, { logFile, env, cwd, what, onUnexpectedExit, stopSignal = 'SIGTERM' }) {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let stopping = false;
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise((resolvePromise) => {
    child.on('error', (err) => {
      log.write(`\n[stack] could not start ${what}: ${err.message}\n`);
      resolvePromise(-1);
    });
    // 'close', not 'exit': by then its output is all in the pipes, and so in the log.
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : null)));
  });
  // Resolves once the exit has been handled: the log flushed and, unless stop() was asked for,
  // onUnexpectedExit called.
  const settled = exited.then(
    (code) =>
      new Promise((resolvePromise) => {
        process.off('exit', killOnExit);
        log.end(() => {
          if (!stopping) onUnexpectedExit?.(new Error(`${what} stopped unexpectedly (exit ${code}). Last lines of ${logFile}:\n${tail(logFile)}`));
          resolvePromise();
        });
      }),
  );
  return {
    pid: child.pid,
    exited,
    settled,
    /** Sends `sig` as a node would (no grace, no SIGKILL after): an exit it causes is expected. */
    kill(sig) {
      stopping = true;
      process.off('exit', killOnExit);
      child.kill(sig);
    },
    async stop() {
      stopping = true;
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(stopSignal);
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Polls url until it answers 2xx, the daemon exits, or the timeout passes. */
export async function waitForHttp(url, { daemon, timeoutMs = 60_000, what, logFile }) {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  daemon?.exited.then(() => (exitedEarly = true));
  let lastError = '';
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`${what} exited while starting. Last lines of ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await sleep(200);
  }
  throw new Error(`${what} did not become ready at ${url} within ${timeoutMs / 1000}s (${lastError}). Last lines of ${logFile}:\n${tail(logFile)}`);
}

/** A port nothing listens on at the moment, on `host`. */
export async function freePort(host = '127.0.0.1') {
  for (;;) {
    const s = createServer();
    await new Promise((resolvePromise) => s.listen(0, host, resolvePromise));
    const { port } = s.address();
    await new Promise((resolvePromise) => s.close(resolvePromise));
    // The kernel may hand a just-closed port out again; callers asking for several ports before
    // starting anything on them would then start two servers on one (seen: "address already in
    // use" in a rendered boot). A port is handed out once per process.
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
const handedOut = new Set();

/**
 * An HTTP/1.1 request with the path sent byte for byte. fetch(), browsers and Playwright resolve
 * "../" and "%2e%2e" before sending, so a test of how a server treats dot segments needs this.
 * @param {{ host?: string, port: number, path: string, method?: string, headers?: Record<string, string>, body?: string }} opts
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
export function rawRequest({ host = '127.0.0.1', port, path, method = 'GET', headers = {}, body }) {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host, port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Starts `server` listening, turning EADDRINUSE into a message that names the port's role. */
export function listen(server, port, host, what) {
  return new Promise((resolvePromise, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on ${host} (${what}) is taken by another process. Stop it (\`ss -ltnp 'sport = :${port}'\` shows which), ` +
                `or move ours with the port's environment variable (README, Configuration).`,
            )
          : new Error(`Cannot listen on ${host}:${port} (${what}): ${err.message}`),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolvePromise();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
