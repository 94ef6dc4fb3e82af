// The load balancer in front of the Kratos replicas of the PostgreSQL stack: HAProxy from
// Debian's packages, configured the way a cluster puts pods behind a Service and Envoy:
//
//   - only replicas whose readiness endpoint answers get requests: the readiness probe production
//     renders (KRATOS_READINESS: its path on the admin port, its period, timeout and thresholds);
//   - requests alternate between the ready replicas (round robin, as Envoy's default);
//   - a request that never reached a replica (the connection failed) is tried on another one;
//     one that did is never sent again, whatever its method: HAProxy retries only on
//     `conn-failure` here, so a POST that a replica received and then lost is not repeated.
//
// e2e and `npm run load` reach Kratos's public API only through it, on the stack's Kratos public
// port; each replica listens on a port of its own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { KRATOS_READINESS } from '../render-production.mjs';
import { startDaemon, waitForHttp } from './processes.mjs';

/** HAProxy's configuration for `backends` ({ name, port, adminPort }) behind host:port. */
export function balancerConfig({ host, port, backends, readiness = KRATOS_READINESS }) {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  log stdout format raw local0',
    '  option httplog',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // Another replica for a request whose connection failed (it never reached Kratos), never for
    // one a replica received.
    '  retries 2',
    '  retry-on conn-failure',
    '  option redispatch 1',
    'frontend kratos_public',
    `  bind ${host}:${port}`,
    '  default_backend kratos',
    'backend kratos',
    '  balance roundrobin',
    `  option httpchk GET ${readiness.httpGet.path}`,
    '  http-check expect status 200',
    `  timeout check ${readiness.timeoutSeconds}s`,
    `  default-server inter ${readiness.periodSeconds}s fall ${readiness.failureThreshold} rise ${readiness.successThreshold}`,
    ...backends.map((b) => `  server ${b.name} ${host}:${b.port} check port ${b.adminPort}`),
    '',
  ].join('\n');
}

/** The haproxy binary, or null (system-packages.mjs installs it where it can). */
export function haproxyBinary() {
  for (const path of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) if (spawnSync(path, ['-v'], { stdio: 'ignore' }).status === 0) return path;
  return null;
}

/**
 * Starts HAProxy in front of `backends` and waits until it answers Kratos's readiness through one
 * of them. `readiness`: production's probe unless a check asks for a quicker one. @returns {Promise<{ stop(): Promise<void>, configFile: string, logFile: string }>}
 */
export async function startBalancer({ host, port, backends, dataDir, onUnexpectedExit, readiness = KRATOS_READINESS }) {
  const bin = haproxyBinary();
  if (!bin) throw new Error("The PostgreSQL stack's load balancer needs HAProxy: apt-get install haproxy (npm test installs it when it can).");
  const configFile = join(dataDir, 'haproxy.cfg');
  const logFile = join(dataDir, 'logs', 'haproxy.log');
  writeFileSync(configFile, balancerConfig({ host, port, backends, readiness }));
  writeFileSync(logFile, '');
  const check = spawnSync(bin, ['-c', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`HAProxy refuses its configuration ${configFile}: ${check.stdout}${check.stderr}`);
  // -db: in the foreground, logging to stdout; SIGUSR1 is its graceful stop, SIGTERM its hard one.
  const daemon = startDaemon(bin, ['-db', '-f', configFile], { logFile, what: 'the load balancer (HAProxy)', onUnexpectedExit });
  await waitForHttp(`http://${host}:${port}/health/ready`, { daemon, what: 'the load balancer (HAProxy)', logFile });
  return { stop: () => daemon.stop(), configFile, logFile };
}
