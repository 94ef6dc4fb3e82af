// The whole local stack on 127.0.0.1: mail sink, Kratos, Oathkeeper with the demo API behind
// it, the SPA dev server and (for tests) a production build served the way GitHub Pages serves
// it. Used by `npm start` and `npm test`.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBalancer } from './balancer.mjs';
import { ensureBinary } from './binaries.mjs';
import { startDemoApi } from './demo-api.mjs';
import { startLocalHookReceiver } from './hook-receiver.mjs';
import { startKratos } from './kratos.mjs';
import { startMailSink } from './mail-sink.mjs';
import { startOathkeeper } from './oathkeeper.mjs';
import { OIDC_PROVIDER_ID, startOidcProvider } from './oidc-provider.mjs';
import { startPagesServer } from './pages-server.mjs';
import { ROOT } from './paths.mjs';
import { assertPortFree, runToCompletion } from './processes.mjs';
import { startPostgres } from './postgres.mjs';
import { PORT_LABELS, stackSettings } from './settings.mjs';

/** The base path of the Pages emulation: a project site, so the kept leading segment is tested. */
export const PAGES_BASE = '/kratos-spa/';

const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const VITE_CONFIG = join(ROOT, 'frontend', 'vite.config.ts');

/** A production build of the SPA for this stack, as the deploy workflow makes it. */
async function buildSpa(settings, base, name) {
  const outDir = join(settings.dataDir, name);
  rmSync(outDir, { recursive: true, force: true });
  await runToCompletion(process.execPath, [VITE_BIN, 'build', '--config', VITE_CONFIG, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    logFile: join(settings.dataDir, 'logs', `${name}.log`),
    env: { ...process.env, VITE_KRATOS_HOST: settings.urls.kratosPublic, VITE_API_URL: settings.urls.api, SPA_BASE_PATH: base },
    cwd: ROOT,
    what: `Production build of the SPA (base ${base})`,
  });
  return outDir;
}

async function startSpaDevServer(settings, port) {
  process.env.VITE_KRATOS_HOST = settings.urls.kratosPublic;
  process.env.VITE_API_URL = settings.urls.api;
  delete process.env.SPA_BASE_PATH;
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: VITE_CONFIG,
    server: { host: settings.host, port, strictPort: true },
    clearScreen: false,
    logLevel: 'warn',
  });
  await server.listen();
  return { stop: () => server.close() };
}

/**
 * A part that can be stopped and started again, or killed with a signal the way a node kills a
 * pod (`signal`: sends it, waits for the exit and forgets the handle, so `start` runs it anew).
 * @template {{ stop(): Promise<void>, pid?: number, exited?: Promise<number>, kill?: (sig: NodeJS.Signals) => void }} H
 * @param {(...args: any[]) => Promise<H>} startPart
 */
function restartable(startPart) {
  /** @type {H|null} */
  let handle = null;
  return {
    /** @returns {Promise<H>} */
    async start(...args) {
      if (!handle) handle = await startPart(...args);
      return handle;
    },
    async stop() {
      const h = handle;
      handle = null;
      await h?.stop();
    },
    /** The running process's id, or null. */
    pid: () => handle?.pid ?? null,
    /** Sends `sig`; waits up to `graceMs` for the exit, then kills (the kubelet's grace period). */
    async signal(sig, graceMs = 60_000) {
      const h = handle;
      if (!h?.kill) throw new Error('not running, or not a process');
      handle = null;
      h.kill(sig);
      const gone = await Promise.race([h.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), graceMs))]);
      if (!gone) {
        h.kill('SIGKILL');
        await h.exited;
      }
      return gone;
    },
  };
}

/**
 * Starts everything. Resolves once every part answers; rejects (after stopping what started)
 * with a readable message if any part cannot start.
 *
 * @param {'dev'|'test'} profile
 * @param {{ log?: (line: string) => void, onFailure?: (err: Error) => void, kratosOverlay?: object,
 *   env?: NodeJS.ProcessEnv, spa?: boolean }} [options]
 *   env: where the settings are read from (KRATOS_DB, ports); spa: false leaves the SPA out
 *   (`npm run load` drives Kratos and Oathkeeper only).
 */
export async function startStack(profile, { log = console.log, onFailure = () => {}, kratosOverlay = {}, env = process.env, spa = true } = {}) {
  let settings = stackSettings(profile, env);
  for (const [name, port] of Object.entries(settings.ports)) await assertPortFree(settings.host, port, PORT_LABELS[name]);

  mkdirSync(join(settings.dataDir, 'logs'), { recursive: true });
  const kratosBin = await ensureBinary('kratos', { log });
  const oathkeeperBin = await ensureBinary('oathkeeper', { log });
  const parts = [];
  // Kratos can be stopped and started again (the outage tests do), keeping its data.
  const kratos = restartable((s = { ...settings, freshData: false }) =>
    startKratos(s, { bin: kratosBin, overlay: kratosOverlay, onUnexpectedExit: onFailure, publicPort: s.ports.kratosPrimaryPublic }),
  );
  // The registration web hooks' receiver, too, can be stopped and started (the receiver-down
  // test), and slowed down (`npm run faults`).
  const received = { check: [], notify: [], unauthorized: 0 };
  const hookDelay = { ms: 0 };
  const hooks = Object.assign(
    restartable(() => startLocalHookReceiver(settings, received, hookDelay)),
    { delay: (ms) => (hookDelay.ms = ms) },
  );
  // The other parts `npm run faults` stops and starts again.
  const faultable = {};
  const stop = async () => {
    for (const part of parts.reverse()) await part.stop().catch(() => {});
    parts.length = 0;
  };
  try {
    log('  starting the mail sink…');
    faultable.mailSink = await startMailSink({ host: settings.host, smtpPort: settings.ports.smtp, httpPort: settings.ports.mailUi });
    parts.push(faultable.mailSink);
    log('  starting the OpenID Provider (social sign-in)…');
    parts.push(
      await startOidcProvider({
        host: settings.host,
        port: settings.ports.oidcProvider,
        issuer: settings.urls.oidcProvider,
        redirectUri: `${settings.urls.kratosPublic}/self-service/methods/oidc/callback/${OIDC_PROVIDER_ID}`,
      }),
    );
    if (settings.database === 'postgres') {
      log('  starting PostgreSQL…');
      let fresh = settings.freshData;
      const postgres = restartable(async () => {
        const p = await startPostgres({ dataDir: settings.dataDir, host: settings.host, port: settings.ports.postgres, fresh, onUnexpectedExit: onFailure });
        fresh = false; // started again, it keeps its data
        return p;
      });
      parts.push(postgres);
      settings = { ...settings, dsn: (await postgres.start()).dsn };
      faultable.postgres = postgres;
    }
    log('  starting the registration web hook receiver…');
    parts.push(hooks);
    await hooks.start();
    log(`  starting Kratos on ${settings.database === 'postgres' ? 'PostgreSQL' : 'SQLite'} (migrations, then serve)…`);
    parts.push(kratos);
    await kratos.start(settings);
    if (settings.database === 'postgres' && settings.ports.kratosReplicaPublic) {
      log('  starting a second Kratos replica on the same database…');
      const replica = { name: 'kratos-replica', publicPort: settings.ports.kratosReplicaPublic, adminPort: settings.ports.kratosReplicaAdmin };
      faultable.replica = restartable(() => startKratos({ ...settings, freshData: false }, { bin: kratosBin, overlay: kratosOverlay, onUnexpectedExit: onFailure, replica }));
      parts.push(faultable.replica);
      await faultable.replica.start();
      log('  starting the load balancer in front of both replicas (HAProxy)…');
      parts.push(
        await startBalancer({
          host: settings.host,
          port: settings.ports.kratosPublic,
          backends: [
            { name: 'kratos', port: settings.ports.kratosPrimaryPublic, adminPort: settings.ports.kratosAdmin },
            { name: replica.name, port: replica.publicPort, adminPort: replica.adminPort },
          ],
          dataDir: settings.dataDir,
          onUnexpectedExit: onFailure,
        }),
      );
    }
    log('  starting Oathkeeper and the demo API behind it…');
    faultable.oathkeeper = restartable(() => startOathkeeper(settings, { bin: oathkeeperBin, onUnexpectedExit: onFailure }));
    parts.push(faultable.oathkeeper);
    await faultable.oathkeeper.start();
    parts.push(
      await startDemoApi({
        host: settings.host,
        port: settings.ports.demoApi,
        jwksUrl: `${settings.urls.oathkeeperApi}/.well-known/jwks.json`,
        issuer: `${settings.urls.api}/`,
        allowedOrigins: [settings.urls.spa],
      }),
    );
    if (spa && settings.productionSpa) {
      log('  building the SPA (production, as GitHub Pages serves it: a custom domain and a project site)…');
      const [root, project] = await Promise.all([buildSpa(settings, '/', 'spa-dist'), buildSpa(settings, PAGES_BASE, 'pages-dist')]);
      parts.push(await startPagesServer({ dir: root, base: '/', host: settings.host, port: settings.ports.spa }));
      parts.push(await startPagesServer({ dir: project, base: PAGES_BASE, host: settings.host, port: settings.ports.pages }));
      log('  starting the SPA dev server…');
      parts.push(await startSpaDevServer(settings, settings.ports.spaDev));
    } else if (spa) {
      log('  starting the SPA dev server…');
      parts.push(await startSpaDevServer(settings, settings.ports.spa));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { settings, stop, kratos, hooks, faultable };
}
