// Certificates for the rendered boot's database (infra/checks/charts.mjs): a CA of its own, as
// CloudNativePG makes one per Cluster (<cluster>-ca), and a server certificate it signs for the
// address the boot reaches the database at. Made with the openssl command line, fresh per boot.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args, what) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`openssl could not run (${r.error.code ?? r.error.message}): the rendered boot needs it to make the database's certificates`);
  if (r.status !== 0) throw new Error(`openssl (${what}) failed: ${r.stderr.trim()}`);
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A CA and a server certificate it signs for `ip` (and localhost), in `dir`.
 * @returns {{ caCert: string, caKey: string, certFile: string, keyFile: string }} caCert/caKey as PEM text, the server's as files
 */
export function databaseCertificates(dir, { ip = '127.0.0.1', name = 'database' } = {}) {
  mkdirSync(dir, { recursive: true });
  const f = (n) => join(dir, n);
  openssl(['req', '-x509', ...EC_KEY, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', `/CN=${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], 'the CA');
  openssl(['req', ...EC_KEY, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${name}`], 'the server key');
  writeFileSync(f('server.ext'), `subjectAltName=IP:${ip},DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('server.ext')], 'the server certificate');
  chmodSync(f('server.key'), 0o600); // PostgreSQL refuses a key others can read
  return { caCert: readFileSync(f('ca.crt'), 'utf8'), caKey: readFileSync(f('ca.key'), 'utf8'), certFile: f('server.crt'), keyFile: f('server.key') };
}
