#!/usr/bin/env node
// `npm run preflight`: checks the cluster's Secrets before Flux rolls out what they feed.
//
// The Kratos chart reads its secrets with `optional: true`: a misspelt or missing key is not an
// error there, Kratos just makes up a random secret per pod (sessions and CSRF tokens then fail
// across replicas, and every restart signs everyone out). Oathkeeper without its key set cannot
// sign a single token. This names each such problem before it happens.
//
//   npm run preflight                          reads the Secrets with kubectl (namespace from
//                                              infra/k8s/kustomization.yaml; --namespace to change)
//   npm run preflight -- --file secrets.json   reads `kubectl get secret … -o json` output instead
//   npm run preflight -- --sops                reads the Secrets kept in git instead, decrypted with
//                                              SOPS (npm run secrets; SOPS_AGE_KEY_FILE)
//   … --envoy-gateway-config envoy-gateway.yaml  reads Envoy Gateway's configuration from a file
//                                              instead of its ConfigMap envoy-gateway-config
//
// It also reads Envoy Gateway's configuration (the controller's envoy-gateway.yaml): the deploy
// mode must be the one environment.yml names (the network policies admit the proxies where it
// puts them), and rate_limits.mode global needs its rate-limit service (rateLimit), without which
// Envoy Gateway refuses the policy and every Kratos path answers 500.
//
// Exit 0 when every key is there and well-formed, 1 with one line per problem otherwise.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PRIVATE_MEMBERS } from '../oathkeeper/generate-jwks.mjs';
import { ADMIN_TOKEN_FILE, ADMIN_TOKEN_PUBLIC_FILE, ADMIN_TOKEN_SECRET_KEY, databaseSecrets, JWKS_FILE, readEnvironment, readNamespace, REGISTRATION_HOOK_SECRET_KEY } from './render-production.mjs';

/**
 * The keys of the Kratos Secret and the env variable the chart's pods read each into. `dsn` only
 * for an external database: a CloudNativePG one's DSN is built in the pods from the operator's
 * Secrets (render-production.mjs databaseWiring).
 */
export const KRATOS_SECRET_KEYS = {
  dsn: 'DSN',
  secretsDefault: 'SECRETS_DEFAULT',
  secretsCookie: 'SECRETS_COOKIE',
  secretsCipher: 'SECRETS_CIPHER',
  smtpConnectionURI: 'COURIER_SMTP_CONNECTION_URI',
};

/** The keys the Kratos Secret must have for this environment's database and web hooks. */
export function kratosSecretKeys({ hookKey = false, database = { kind: 'external' } } = {}) {
  const { dsn, ...rest } = KRATOS_SECRET_KEYS;
  return {
    ...(database.kind === 'external' ? { dsn } : {}),
    ...rest,
    ...(hookKey ? { [REGISTRATION_HOOK_SECRET_KEY]: 'the registration web hooks' } : {}),
  };
}

/**
 * The keys of the Oathkeeper Secret (the file names its jwks_urls point at): its own private
 * id_token key set, and the public half of Kratos's admin-token key set. Kratos's private one is
 * in the kratos Secret (ADMIN_TOKEN_SECRET_KEY); ADMIN_TOKEN_LEGACY_KEY is where it used to be.
 */
export const JWKS_KEY = JWKS_FILE;
export const ADMIN_TOKEN_KEY = ADMIN_TOKEN_PUBLIC_FILE;
export const ADMIN_TOKEN_LEGACY_KEY = ADMIN_TOKEN_FILE;
export { ADMIN_TOKEN_SECRET_KEY };

/** A key set's text → its RSA keys, or a problem. */
function rsaKeys(text, where) {
  let set;
  try {
    set = JSON.parse(text);
  } catch {
    return { problem: `${where} is not JSON.` };
  }
  const keys = Array.isArray(set?.keys) ? set.keys.filter((k) => k && typeof k === 'object') : [];
  return { keys };
}

/** A key's identity as key material (not its JSON text): kid, modulus and exponent. */
const material = (k) => `${k.kid}|${k.n}|${k.e}`;
const isPrivate = (k) => PRIVATE_MEMBERS.some((m) => m in k);
const signer = (keys) => keys.find((k) => k.kty === 'RSA' && k.d && k.kid && (k.alg ?? 'RS256') === 'RS256');

/**
 * The private RS256 key a Secret's key set signs with (`secret[key]`), or undefined after saying
 * in `problems` why there is none: the key missing (`why` ends the hint), not JSON, or public only.
 */
function signingKey(secret, secretName, key, why, problems) {
  if (!(key in secret)) {
    problems.push(`Secret ${secretName}: key ${key} is missing (node oathkeeper/generate-jwks.mjs - makes its value${why}).`);
    return undefined;
  }
  const { keys, problem } = rsaKeys(secret[key], `Secret ${secretName}: ${key}`);
  const found = problem ? undefined : signer(keys);
  if (problem) problems.push(problem);
  else if (!found) problems.push(`Secret ${secretName}: ${key} has no private RS256 key with a kid (a public key set cannot sign).`);
  return found;
}

/**
 * The secrets of a Kratos secrets key: one value, or for a rotation a list written as the chart
 * writes one into the variable (templates/_helpers.tpl kratos.secrets.cookie: "new","old"; the
 * first signs or encrypts, the others are still accepted for reading). null when it starts like
 * a list and is not one.
 */
export function secretList(value) {
  if (!value.startsWith('"')) return [value];
  try {
    const list = JSON.parse(`[${value}]`);
    return list.length > 0 && list.every((x) => typeof x === 'string') ? list : null;
  } catch {
    return null;
  }
}

/** A Secret object's data, decoded (stringData as the API server would merge it). */
export function secretData(secret) {
  const out = {};
  for (const [k, v] of Object.entries(secret?.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret?.stringData ?? {})) out[k] = String(v);
  return out;
}

/**
 * @param {{ kratos?: Record<string,string>, jwks?: Record<string,string> }} data  decoded Secrets
 * @param {{ kratos: string, jwks: string }} names  the Secrets' names, for the messages
 * @param {{ hookKey?: boolean, database?: { kind: string, cluster?: string } }} [wants]  hookKey:
 *   registration web hooks are set, so Kratos reads their key from the kratos Secret
 *   (REGISTRATION_HOOK_SECRET_KEY); database: environment.yml's (an external one by default)
 * @returns {string[]} problems, empty when all is well
 */
export function checkSecrets(data, names, { hookKey = false, database = { kind: 'external' } } = {}) {
  const problems = [];
  const k = data.kratos;
  if (!k) problems.push(`Secret ${names.kratos} does not exist.`);
  else {
    const keys = kratosSecretKeys({ hookKey, database });
    if (database.kind === 'cloudnative-pg' && 'dsn' in k) {
      const operator = databaseSecrets(database);
      problems.push(`Secret ${names.kratos}: key dsn is read by nothing: with database.kind cloudnative-pg, Kratos builds its DSN from the operator's Secrets ${operator.app} and ${operator.ca} (sslmode=verify-full). Delete it.`);
    }
    for (const key of Object.keys(keys)) {
      if (!(key in k)) {
        const near = Object.keys(k).find((have) => have.toLowerCase() === key.toLowerCase());
        problems.push(`Secret ${names.kratos}: key ${key} is missing${near ? ` (there is ${near}: keys are case-sensitive)` : ''}.`);
      } else if (!k[key].trim()) problems.push(`Secret ${names.kratos}: key ${key} is empty.`);
    }
    const unknown = Object.keys(k).filter((key) => !(key in keys) && key !== ADMIN_TOKEN_SECRET_KEY && !(key === 'dsn' && database.kind === 'cloudnative-pg'));
    if (unknown.length) problems.push(`Secret ${names.kratos}: key(s) ${unknown.join(', ')} are read by nothing (misspelt?).`);
    for (const key of ['secretsDefault', 'secretsCookie', 'secretsCipher']) {
      if (k[key] === undefined || !k[key].trim()) continue;
      const list = secretList(k[key]);
      if (!list) {
        problems.push(`Secret ${names.kratos}: ${key} starts with " but is not a list of quoted secrets ("new","old").`);
        continue;
      }
      list.forEach((secret, i) => {
        const which = list.length > 1 ? ` (secret ${i + 1} of ${list.length})` : '';
        if (key === 'secretsCipher' && secret.length !== 32) problems.push(`Secret ${names.kratos}: secretsCipher must be exactly 32 characters${which} (it has ${secret.length}).`);
        if (key !== 'secretsCipher' && secret.length < 16) problems.push(`Secret ${names.kratos}: ${key} must be at least 16 characters${which} (it has ${secret.length}).`);
      });
    }
    if ('dsn' in keys && k.dsn?.trim()) {
      if (!/^(postgres|postgresql|cockroach|mysql):\/\//.test(k.dsn)) {
        problems.push(`Secret ${names.kratos}: dsn must be a postgres://, cockroach:// or mysql:// URL shared by every replica (not ${k.dsn.split(':')[0]}:).`);
      } else if (/^postgres(ql)?:/.test(k.dsn) && new URLSearchParams(k.dsn.split('?')[1] ?? '').get('sslmode') !== 'verify-full') {
        problems.push(`Secret ${names.kratos}: dsn must say sslmode=verify-full (with sslrootcert= the server's CA, unless a public CA signed its certificate): require and prefer encrypt but never check who answers, so Kratos would hand its database password to anyone in between.`);
      }
    }
    if (k.smtpConnectionURI?.trim() && !/^smtps?:\/\//.test(k.smtpConnectionURI)) {
      problems.push(`Secret ${names.kratos}: smtpConnectionURI must be an smtp:// or smtps:// URL.`);
    }
    const hook = k[REGISTRATION_HOOK_SECRET_KEY];
    if (hookKey && hook?.trim() && (hook.length < 16 || /\s/.test(hook))) {
      problems.push(`Secret ${names.kratos}: ${REGISTRATION_HOOK_SECRET_KEY} must be at least 16 characters without spaces (it is sent as a header).`);
    }
  }
  // Kratos signs admin tokens with this private key set: in its own Secret, mounted only into Kratos.
  const adminSigner = k ? signingKey(k, names.kratos, ADMIN_TOKEN_SECRET_KEY, ': Kratos signs admin tokens with it', problems) : undefined;
  const j = data.jwks;
  if (!j) problems.push(`Secret ${names.jwks} does not exist.`);
  else {
    const idTokenSigner = signingKey(j, names.jwks, JWKS_KEY, '', problems);
    if (ADMIN_TOKEN_LEGACY_KEY in j) {
      problems.push(`Secret ${names.jwks}: key ${ADMIN_TOKEN_LEGACY_KEY} holds Kratos's admin-token signing key, which Oathkeeper must not hold: move it to Secret ${names.kratos} as ${ADMIN_TOKEN_SECRET_KEY}, put its public half here as ${ADMIN_TOKEN_KEY} (node oathkeeper/generate-jwks.mjs --public <file>), and delete ${ADMIN_TOKEN_LEGACY_KEY}.`);
    }
    if (!(ADMIN_TOKEN_KEY in j)) problems.push(`Secret ${names.jwks}: key ${ADMIN_TOKEN_KEY} is missing (node oathkeeper/generate-jwks.mjs --public <Kratos's admin-token key set> makes its value).`);
    else {
      const { keys, problem } = rsaKeys(j[ADMIN_TOKEN_KEY], `Secret ${names.jwks}: ${ADMIN_TOKEN_KEY}`);
      if (problem) problems.push(problem);
      else if (keys.some(isPrivate)) problems.push(`Secret ${names.jwks}: ${ADMIN_TOKEN_KEY} holds a private key; Oathkeeper only checks admin tokens: give it the public half (node oathkeeper/generate-jwks.mjs --public <file>).`);
      else if (adminSigner && !keys.some((key) => material(key) === material(adminSigner))) {
        problems.push(`Secret ${names.jwks}: ${ADMIN_TOKEN_KEY} does not hold the public half of ${names.kratos}'s ${ADMIN_TOKEN_SECRET_KEY} (kid ${adminSigner.kid}): Oathkeeper would refuse every admin token.`);
      }
    }
    // Any key in both sets (a rotation's old or new one included), not only the two that sign.
    const moduli = (text) => new Set((rsaKeys(text, '').keys ?? []).map((key) => key.n).filter(Boolean));
    const adminModuli = k?.[ADMIN_TOKEN_SECRET_KEY] ? moduli(k[ADMIN_TOKEN_SECRET_KEY]) : new Set();
    const shared = idTokenSigner && adminSigner && [...moduli(j[JWKS_KEY])].some((n) => adminModuli.has(n));
    if (shared) {
      problems.push(`Secret ${names.jwks}: ${JWKS_KEY} and ${names.kratos}'s ${ADMIN_TOKEN_SECRET_KEY} are the same key; make one each (a token Oathkeeper signs for the API must never pass as an admin token).`);
    }
  }
  return problems;
}

/**
 * Envoy Gateway's configuration (the EnvoyGateway document of its ConfigMap) against what the
 * rendering assumes. @returns {string[]} problems
 */
export function checkEnvoyGateway(configText, env) {
  let config;
  try {
    config = parse(configText);
  } catch (err) {
    return [`Envoy Gateway's configuration is not YAML: ${err.message}`];
  }
  if (config?.kind !== 'EnvoyGateway') return ['Envoy Gateway\'s configuration is not an EnvoyGateway document (ConfigMap envoy-gateway-config, key envoy-gateway.yaml).'];
  const problems = [];
  if (env.rateLimits.mode === 'global' && !config.rateLimit) {
    problems.push(
      'rate_limits.mode is global, but Envoy Gateway\'s configuration has no rateLimit (its rate-limit service, backed by Redis): Envoy Gateway would refuse the policy ("enable Ratelimit in the EnvoyGateway config to configure global rateLimit") and every Kratos path would answer 500. Configure rateLimit.backend, or use rate_limits.mode: local.',
    );
  }
  const mode = config.provider?.kubernetes?.deploy?.type ?? 'ControllerNamespace';
  if (mode !== env.gateway.deployMode) {
    problems.push(
      `Envoy Gateway runs its proxies in ${mode} mode, but environment.yml says gateway.envoy_gateway.deploy_mode: ${env.gateway.deployMode}: the network policies would admit the wrong pods and Envoy would never reach Kratos.`,
    );
  }
  return problems;
}

function kubectlSecret(name, namespace) {
  const r = spawnSync('kubectl', ['get', 'secret', name, '--namespace', namespace, '-o', 'json'], { encoding: 'utf8' });
  if (r.error) throw new Error(`kubectl could not run (${r.error.code ?? r.error.message}); pass --file with the Secrets as JSON instead.`);
  if (r.status !== 0) {
    if (/NotFound/.test(r.stderr)) return null;
    throw new Error(`kubectl get secret ${name}: ${r.stderr.trim()}`);
  }
  return JSON.parse(r.stdout);
}

function kubectlEnvoyGatewayConfig(namespace) {
  const r = spawnSync('kubectl', ['get', 'configmap', 'envoy-gateway-config', '--namespace', namespace, '-o', 'jsonpath={.data.envoy-gateway\\.yaml}'], { encoding: 'utf8' });
  if (r.error) throw new Error(`kubectl could not run (${r.error.code ?? r.error.message}); pass --envoy-gateway-config instead.`);
  if (r.status !== 0) throw new Error(`kubectl get configmap envoy-gateway-config in ${namespace} (gateway.envoy_gateway.namespace): ${r.stderr.trim()}`);
  return r.stdout;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  // The Secrets kept in git, decrypted (infra/secrets.mjs imports this file: loaded here, not above).
  const fromGit = process.argv.includes('--sops') ? await import('./secrets.mjs').then((m) => m.readSecretsFromGit()) : null;
  try {
    const env = readEnvironment();
    const names = { kratos: env.secrets.kratos, jwks: env.secrets.oathkeeper_jwks };
    const namespace = arg('--namespace') ?? readNamespace();
    let byName;
    const file = arg('--file');
    if (fromGit) {
      byName = (name) => (fromGit[name] ? { stringData: fromGit[name] } : null);
    } else if (file) {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const items = doc.kind === 'List' || Array.isArray(doc.items) ? doc.items : [doc];
      byName = (name) => items.find((s) => s.metadata?.name === name) ?? null;
    } else {
      byName = (name) => kubectlSecret(name, namespace);
    }
    const read = (name) => {
      const s = byName(name);
      return s ? secretData(s) : undefined;
    };
    const hookKey = Object.keys(env.registrationHooks).length > 0;
    const problems = checkSecrets({ kratos: read(names.kratos), jwks: read(names.jwks) }, names, { hookKey, database: env.database });
    const egFile = arg('--envoy-gateway-config');
    const egConfig = egFile ? readFileSync(egFile, 'utf8') : file || fromGit ? null : kubectlEnvoyGatewayConfig(env.gateway.controllerNamespace);
    if (egConfig === null) console.log('  (Envoy Gateway\'s configuration not checked: pass --envoy-gateway-config with its envoy-gateway.yaml.)');
    else problems.push(...checkEnvoyGateway(egConfig, env));
    if (problems.length) {
      console.error(`✖ ${problems.length} problem(s) with the Secrets in namespace ${namespace}:\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`✔ Secrets ${names.kratos} and ${names.jwks} in namespace ${namespace} have every key the charts read${egConfig === null ? '' : ', and Envoy Gateway\'s configuration fits the rendering'}.`);
  } catch (err) {
    console.error(`✖ ${err.message}`);
    process.exit(1);
  }
}
