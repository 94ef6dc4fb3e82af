#!/usr/bin/env node
// `npm run secrets`: the deployment's Secrets kept in git, encrypted with SOPS for age keys, which
// Flux's kustomize-controller decrypts when it applies them (the Kustomizations' `decryption`,
// rendered when environment.yml lists secrets.sops_age_recipients). Values are made here and never
// written anywhere unencrypted.
//
//   npm run secrets -- keygen [--out FILE]   an age key pair (age-keygen) outside the repository:
//                                           prints the recipient for environment.yml and the command
//                                           that gives Flux the private key (Secret sops-age)
//   npm run secrets -- make                 every Secret the deployment reads, with fresh values,
//                                           encrypted into infra/k8s/secrets/ (and the backup keys
//                                           into infra/k8s/database/secrets/); refuses to overwrite.
//                                           From the environment: SMTP_CONNECTION_URI, and for
//                                           CloudNativePG BACKUP_ACCESS_KEY_ID, BACKUP_ACCESS_SECRET_KEY,
//                                           or for an external database DATABASE_DSN
//   npm run secrets -- rotate               README's rotation, on the encrypted files: a new cookie,
//                                           cipher and default secret first (the old kept for
//                                           reading), a new admin-token key first, a new id_token
//                                           key last, the public halves for Oathkeeper
//   npm run secrets -- drop-old             keeps only the newest of each (after README's waits)
//
// SOPS and age-keygen are built from their Go modules at the versions kustomize-controller v1.9.4
// uses (infra/local/binaries.mjs). SOPS reads the private key from SOPS_AGE_KEY_FILE (or its
// default, ~/.config/sops/age/keys.txt) to decrypt.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { generateJwks, publicHalf } from '../oathkeeper/generate-jwks.mjs';
import { ensureBinary } from './local/binaries.mjs';
import { ROOT } from './local/paths.mjs';
import { ADMIN_TOKEN_KEY, ADMIN_TOKEN_SECRET_KEY, JWKS_KEY, secretList } from './preflight.mjs';
import { readEnvironment, REGISTRATION_HOOK_SECRET_KEY } from './render-production.mjs';

export class SecretsError extends Error {}

/** Where each Secret's encrypted manifest lives, relative to the repository. */
export function secretFiles(env) {
  const files = {
    [env.secrets.kratos]: `infra/k8s/secrets/${env.secrets.kratos}.yaml`,
    [env.secrets.oathkeeper_jwks]: `infra/k8s/secrets/${env.secrets.oathkeeper_jwks}.yaml`,
  };
  if (env.database.kind === 'cloudnative-pg') files[env.database.backup.credentialsSecret] = `infra/k8s/database/secrets/${env.database.backup.credentialsSecret}.yaml`;
  return files;
}

const hex = (bytes) => randomBytes(bytes).toString('hex');
/** Kratos's secrets and the random bytes each is made of (hex: the cipher's 16 give its 32 characters). */
const KRATOS_SECRET_BYTES = { secretsDefault: 32, secretsCookie: 32, secretsCipher: 16 };

/**
 * Fresh values for every Secret the deployment reads, by Secret name: what README's kubectl
 * commands make. `inputs`: the values that come from outside (SMTP, the bucket's keys, a DSN).
 */
export async function makeSecrets(env, inputs) {
  const need = (name) => {
    if (!inputs[name]?.trim()) throw new SecretsError(`${name} is not set: it comes from outside (npm run secrets -- make reads it from the environment).`);
    return inputs[name].trim();
  };
  const adminToken = await generateJwks();
  const kratos = {
    ...Object.fromEntries(Object.entries(KRATOS_SECRET_BYTES).map(([key, bytes]) => [key, hex(bytes)])),
    smtpConnectionURI: need('SMTP_CONNECTION_URI'),
    [ADMIN_TOKEN_SECRET_KEY]: JSON.stringify(adminToken),
    ...(Object.keys(env.registrationHooks).length ? { [REGISTRATION_HOOK_SECRET_KEY]: hex(32) } : {}),
    ...(env.database.kind === 'external' ? { dsn: need('DATABASE_DSN') } : {}),
  };
  const out = {
    [env.secrets.kratos]: kratos,
    [env.secrets.oathkeeper_jwks]: { [JWKS_KEY]: JSON.stringify(await generateJwks()), [ADMIN_TOKEN_KEY]: JSON.stringify(publicHalf(adminToken)) },
  };
  if (env.database.kind === 'cloudnative-pg') {
    out[env.database.backup.credentialsSecret] = { ACCESS_KEY_ID: need('BACKUP_ACCESS_KEY_ID'), ACCESS_SECRET_KEY: need('BACKUP_ACCESS_SECRET_KEY') };
  }
  return out;
}

const quoted = (list) => list.map((v) => JSON.stringify(v)).join(',');
const keysOf = (text) => JSON.parse(text).keys;
const keySet = (keys) => JSON.stringify({ keys });

/**
 * README's rotation of `current` (Secrets by name, decrypted): each Kratos secret gets a new one
 * first, the old ones kept after it; Kratos's admin-token set a new key first (Kratos signs with
 * the first) and Oathkeeper the public halves of all; Oathkeeper's id_token set a new key last
 * (Oathkeeper signs with the last private key of its set). The bucket's keys and SMTP are not
 * ours to rotate.
 */
export async function rotateSecrets(env, current) {
  const kratos = { ...current[env.secrets.kratos] };
  for (const [key, bytes] of Object.entries(KRATOS_SECRET_BYTES)) kratos[key] = quoted([hex(bytes), ...secretList(kratos[key])]);
  const admin = [...(await generateJwks()).keys, ...keysOf(kratos[ADMIN_TOKEN_SECRET_KEY])];
  kratos[ADMIN_TOKEN_SECRET_KEY] = keySet(admin);
  const jwks = current[env.secrets.oathkeeper_jwks];
  return {
    ...current,
    [env.secrets.kratos]: kratos,
    [env.secrets.oathkeeper_jwks]: {
      ...jwks,
      [JWKS_KEY]: keySet([...keysOf(jwks[JWKS_KEY]), ...(await generateJwks()).keys]),
      [ADMIN_TOKEN_KEY]: JSON.stringify(publicHalf({ keys: admin })),
    },
  };
}

/** Only the newest of each: the first Kratos secret and admin-token key, the last id_token key. */
export function dropOld(env, current) {
  const kratos = { ...current[env.secrets.kratos] };
  for (const key of Object.keys(KRATOS_SECRET_BYTES)) kratos[key] = secretList(kratos[key])[0];
  const admin = keysOf(kratos[ADMIN_TOKEN_SECRET_KEY]).slice(0, 1);
  kratos[ADMIN_TOKEN_SECRET_KEY] = keySet(admin);
  const jwks = current[env.secrets.oathkeeper_jwks];
  return {
    ...current,
    [env.secrets.kratos]: kratos,
    [env.secrets.oathkeeper_jwks]: { ...jwks, [JWKS_KEY]: keySet(keysOf(jwks[JWKS_KEY]).slice(-1)), [ADMIN_TOKEN_KEY]: JSON.stringify(publicHalf({ keys: admin })) },
  };
}

/** A Secret manifest (values as stringData; the namespace comes from the kustomization). */
export const secretManifest = (name, data) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData: data });

function sops(bin, args, { root, input } = {}) {
  // With `input`, through `cat |`: Node hands a child its stdin as a socket, which SOPS cannot open
  // as /dev/stdin; a shell pipe it can. The values never touch the disk unencrypted.
  const [cmd, argv] = input === undefined ? [bin, []] : ['sh', ['-c', 'cat | "$0" "$@"', bin]];
  const r = spawnSync(cmd, [...argv, '--config', join(root, '.sops.yaml'), ...args], { cwd: root, input, encoding: 'utf8', env: process.env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new SecretsError(`sops ${args[0]}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Encrypts one Secret into its file (path relative to `root`), as .sops.yaml's rule says. */
export function writeEncrypted(bin, root, file, name, data) {
  const text = sops(bin, ['--encrypt', '--filename-override', file, '--input-type', 'yaml', '--output-type', 'yaml', '/dev/stdin'], { root, input: stringify(secretManifest(name, data)) });
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** One encrypted Secret file, decrypted: its data by key. */
export function readEncrypted(bin, root, file) {
  const secret = parse(sops(bin, ['--decrypt', join(root, file)], { root }));
  const out = { ...(secret.stringData ?? {}) };
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return out;
}

/** The Secrets of `files` (name → path), decrypted, by name. */
export const readSecrets = (bin, root, files) => Object.fromEntries(Object.entries(files).map(([name, file]) => [name, readEncrypted(bin, root, file)]));

/** Secrets by name, each encrypted into its file of `files`. */
export function writeSecrets(bin, root, files, secrets) {
  for (const [name, data] of Object.entries(secrets)) writeEncrypted(bin, root, files[name], name, data);
}

/** Every Secret kept in git, decrypted, by name (npm run preflight -- --sops). */
export async function readSecretsFromGit(root = ROOT) {
  const env = readEnvironment();
  const present = Object.fromEntries(Object.entries(secretFiles(env)).filter(([, f]) => existsSync(join(root, f))));
  return readSecrets(await ensureBinary('sops'), root, present);
}

/** Lists the files in each secrets folder's kustomization.yaml (so the stage applies them). */
export function listInKustomizations(root, files) {
  for (const dir of new Set(files.map((f) => dirname(f)))) {
    const resources = files.filter((f) => dirname(f) === dir).map((f) => relative(dir, f)).sort();
    writeFileSync(
      join(root, dir, 'kustomization.yaml'),
      '# The encrypted Secrets of this stage (npm run secrets writes this list; Flux decrypts them).\n' +
        stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }),
    );
  }
}

async function main(argv) {
  const [command] = argv;
  const arg = (flag) => {
    const i = argv.indexOf(flag);
    return i > 0 ? argv[i + 1] : undefined;
  };
  const root = resolve(arg('--root') ?? ROOT);
  if (command === 'keygen') {
    const out = resolve(arg('--out') ?? join(homedir(), '.config', 'sops', 'age', 'keys.txt'));
    if (out.startsWith(ROOT + '/')) throw new SecretsError(`${out} is inside the repository: a private key never goes into git. Choose a path outside it.`);
    if (existsSync(out)) throw new SecretsError(`${out} exists already: keep it, or choose another --out.`);
    mkdirSync(dirname(out), { recursive: true });
    const r = spawnSync(await ensureBinary('age-keygen'), ['-o', out], { encoding: 'utf8' });
    if (r.status !== 0) throw new SecretsError(`age-keygen: ${r.stderr.trim()}`);
    const recipient = /public key: (age1\S+)/.exec(readFileSync(out, 'utf8'))[1];
    console.log(`Private key: ${out} (keep it, and a copy where you keep such things; never in git).`);
    console.log(`1. Add its recipient to infra/k8s/environment.yml, then npm run render:\n     secrets:\n       sops_age_recipients: [${recipient}]`);
    console.log(`2. Give Flux the private key:\n     kubectl -n flux-system create secret generic sops-age --from-file=identity.agekey=${out}`);
    return;
  }
  const env = readEnvironment();
  if (!env.sopsRecipients.length) throw new SecretsError('environment.yml has no secrets.sops_age_recipients: run npm run secrets -- keygen first, add its recipient, npm run render.');
  if (!existsSync(join(root, '.sops.yaml'))) throw new SecretsError('.sops.yaml is missing: run npm run render.');
  const bin = await ensureBinary('sops');
  const files = secretFiles(env);
  if (command === 'make') {
    const existing = Object.values(files).filter((f) => existsSync(join(root, f)));
    if (existing.length) throw new SecretsError(`${existing.join(', ')} exist already: rotate them (npm run secrets -- rotate), or delete them first on purpose.`);
    writeSecrets(bin, root, files, await makeSecrets(env, process.env));
    listInKustomizations(root, Object.values(files));
    console.log(`Wrote ${Object.values(files).join(', ')}, encrypted for ${env.sopsRecipients.length} recipient(s). Check them: npm run preflight -- --sops`);
    return;
  }
  if (command === 'rotate' || command === 'drop-old') {
    const current = readSecrets(bin, root, files);
    writeSecrets(bin, root, files, command === 'rotate' ? await rotateSecrets(env, current) : dropOld(env, current));
    console.log(`${command === 'rotate' ? 'Rotated' : 'Dropped the old secrets and keys in'} ${Object.values(files).join(', ')}. Push, let Flux apply, roll the pods (README: Rotating secrets).`);
    return;
  }
  throw new SecretsError('usage: npm run secrets -- keygen [--out FILE] | make | rotate | drop-old   (README: Secrets in git)');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`✖ ${err.message}`);
    process.exit(1);
  });
}

