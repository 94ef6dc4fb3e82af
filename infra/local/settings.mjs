// Ports, URLs and folders of the local stack. Two profiles share one shape:
//   dev  — what `npm start` runs: the SPA from Vite's dev server; data kept between runs.
//   test — what `npm test` runs: the SPA as production builds (with their CSP) served the way
//          GitHub Pages serves them, plus the dev server on its own port; other ports (so both
//          profiles can run at once); data wiped per run.
// Every port can be moved with an environment variable (TEST_-prefixed for the test profile).
import { join } from 'node:path';
import { cacheDir } from './paths.mjs';

const PORTS = {
  kratosPublic: { env: 'KRATOS_PUBLIC_PORT', dev: 4433, test: 14433 },
  kratosAdmin: { env: 'KRATOS_ADMIN_PORT', dev: 4434, test: 14434 },
  smtp: { env: 'SMTP_PORT', dev: 1025, test: 11025 },
  mailUi: { env: 'MAIL_UI_PORT', dev: 4436, test: 14436 },
  oathkeeperProxy: { env: 'OATHKEEPER_PROXY_PORT', dev: 4455, test: 14455 },
  oathkeeperApi: { env: 'OATHKEEPER_API_PORT', dev: 4456, test: 14456 },
  oathkeeperMetrics: { env: 'OATHKEEPER_METRICS_PORT', dev: 4458, test: 14458 },
  demoApi: { env: 'DEMO_API_PORT', dev: 4457, test: 14457 },
  spa: { env: 'SPA_PORT', dev: 5173, test: 15173 },
  pages: { env: 'PAGES_PORT', dev: null, test: 15174 },
  spaDev: { env: 'SPA_DEV_PORT', dev: null, test: 15175 },
  control: { env: 'CONTROL_PORT', dev: null, test: 14459 },
  oidcProvider: { env: 'OIDC_PROVIDER_PORT', dev: 4460, test: 14460 },
  hookReceiver: { env: 'HOOK_RECEIVER_PORT', dev: 4461, test: 14461 },
  postgres: { env: 'POSTGRES_PORT', dev: 4432, test: 14432 },
  kratosPrimaryPublic: { env: 'KRATOS_PRIMARY_PUBLIC_PORT', dev: null, test: 14445 },
  kratosReplicaPublic: { env: 'KRATOS_REPLICA_PUBLIC_PORT', dev: null, test: 14443 },
  kratosReplicaAdmin: { env: 'KRATOS_REPLICA_ADMIN_PORT', dev: null, test: 14444 },
};

/** KRATOS_DB: where Kratos keeps its data. SQLite unless asked otherwise. */
export const DATABASES = ['sqlite', 'postgres'];

export const PUBLIC_HOST = 'localhost';

export const PORT_LABELS = {
  oidcProvider: 'OpenID Provider (social sign-in)',
  hookReceiver: 'registration web hook receiver (your backend, locally)',
  kratosPublic: 'Kratos public API',
  kratosAdmin: 'Kratos admin API',
  smtp: 'mail sink (SMTP)',
  mailUi: 'mail sink (inbox page)',
  oathkeeperProxy: 'Oathkeeper proxy (the API host)',
  oathkeeperApi: 'Oathkeeper API (JWKS, health)',
  oathkeeperMetrics: 'Oathkeeper Prometheus metrics',
  demoApi: 'demo API (behind Oathkeeper)',
  spa: 'SPA',
  pages: 'SPA production build under a project-site path (GitHub Pages emulation)',
  spaDev: 'SPA dev server',
  control: 'test control (stop/start Kratos)',
  postgres: 'PostgreSQL (KRATOS_DB=postgres)',
  kratosPrimaryPublic: 'first Kratos replica, public API, behind the load balancer (KRATOS_DB=postgres)',
  kratosReplicaPublic: 'second Kratos replica, public API (KRATOS_DB=postgres)',
  kratosReplicaAdmin: 'second Kratos replica, admin API (KRATOS_DB=postgres)',
};

/**
 * @param {'dev'|'test'} profile
 * @param {NodeJS.ProcessEnv} env
 */
export function stackSettings(profile, env = process.env) {
  if (profile !== 'dev' && profile !== 'test') throw new Error(`unknown stack profile '${profile}'`);
  const host = '127.0.0.1';
  const database = env.KRATOS_DB || 'sqlite';
  if (!DATABASES.includes(database)) throw new Error(`KRATOS_DB=${database}: use one of ${DATABASES.join(', ')}.`);
  const ports = {};
  const postgresOnly = ['postgres', 'kratosPrimaryPublic', 'kratosReplicaPublic', 'kratosReplicaAdmin'];
  for (const [name, p] of Object.entries(PORTS)) {
    if (p[profile] === null || (database !== 'postgres' && postgresOnly.includes(name))) continue;
    const key = profile === 'test' ? `TEST_${p.env}` : p.env;
    const raw = env[key];
    const port = raw === undefined || raw === '' ? p[profile] : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${key}=${raw} is not a port number (1-65535).`);
    }
    ports[name] = port;
  }
  const seen = new Map();
  for (const [name, port] of Object.entries(ports)) {
    if (seen.has(port)) throw new Error(`${PORT_LABELS[name]} and ${PORT_LABELS[seen.get(port)]} are both set to port ${port}.`);
    seen.set(port, name);
  }
  // Everything listens on 127.0.0.1 but is addressed as localhost: WebAuthn and passkeys need a
  // domain for their relying party (an IP address is refused), and Chromium resolves localhost
  // to loopback by itself.
  const url = (port) => `http://${PUBLIC_HOST}:${port}`;
  const dataDir = join(cacheDir(), `stack-${profile}`);
  return {
    profile,
    host,
    ports,
    dataDir,
    urls: {
      kratosPublic: url(ports.kratosPublic),
      kratosAdmin: url(ports.kratosAdmin),
      mailUi: url(ports.mailUi),
      /** What browsers and the SPA call: Oathkeeper's proxy in front of the demo API. */
      api: url(ports.oathkeeperProxy),
      oathkeeperApi: url(ports.oathkeeperApi),
      demoApi: url(ports.demoApi),
      spa: url(ports.spa),
      oidcProvider: url(ports.oidcProvider),
      hookReceiver: url(ports.hookReceiver),
      ...(profile === 'test'
        ? {
            pages: url(ports.pages),
            spaDev: url(ports.spaDev),
            control: url(ports.control),
          }
        : {}),
      ...(ports.kratosReplicaPublic ? { kratosReplicaPublic: url(ports.kratosReplicaPublic), kratosReplicaAdmin: url(ports.kratosReplicaAdmin) } : {}),
      // With two replicas, kratosPublic is the load balancer (balancer.mjs) and this the first replica.
      ...(ports.kratosPrimaryPublic ? { kratosPrimaryPublic: url(ports.kratosPrimaryPublic) } : {}),
    },
    /**
     * sqlite: one Kratos on a file. postgres: Kratos on a local PostgreSQL, and in the test
     * profile a second replica beside it (same config and secrets, its own ports), both behind
     * the load balancer on the Kratos public port.
     */
    database,
    /** Every origin the SPA is served from: Kratos's and Oathkeeper's CORS and return URLs. */
    spaOrigins: profile === 'test' ? [url(ports.spa), url(ports.pages), url(ports.spaDev)] : [url(ports.spa)],
    /** test: production builds on `spa` (base /) and `pages` (base /kratos-spa/), the dev server on `spaDev`. */
    productionSpa: profile === 'test',
    /**
     * The registration web hooks' receiver refuses sign-ups with addresses at these domains
     * (HOOK_BLOCKED_DOMAINS, comma-separated; example.com's reserved blocked.example by default).
     */
    blockedSignUpDomains: (env.HOOK_BLOCKED_DOMAINS || 'blocked.example').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    /** The test profile starts from an empty database. */
    freshData: profile === 'test',
  };
}
