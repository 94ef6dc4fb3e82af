// Secrets in git, encrypted (issue 40): `npm run secrets` makes every Secret the deployment reads,
// encrypted with SOPS v3.13.2 for an age key (both built from their Go modules, the versions
// kustomize-controller v1.9.4 uses), and Flux decrypts them with its own code (the controller's
// decryptor, run by infra/checks/flux/health.go). Nothing here reaches a cluster: the files are
// made in a scratch copy of the repository with a throwaway key.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ensureBinary } from '../local/binaries.mjs';
import { ROOT } from '../local/paths.mjs';
import { ADMIN_TOKEN_KEY, ADMIN_TOKEN_SECRET_KEY, checkSecrets, JWKS_KEY, secretList } from '../preflight.mjs';
import { FLUX, readEnvironment, readNamespace, renderProduction } from '../render-production.mjs';
import { dropOld, listInKustomizations, makeSecrets, readEncrypted, readSecrets, rotateSecrets, secretFiles, writeSecrets } from '../secrets.mjs';
import { kubeconform, kustomizeBuild } from './checks.mjs';
import { fluxDecrypt } from './flux.mjs';
import { ensureSchemas } from './schemas.mjs';

const tools = {};
const scratch = mkdtempSync(join(tmpdir(), 'secrets-'));
const root = join(scratch, 'repo');
const keys = join(scratch, 'keys');
const namespace = readNamespace();
let env;
let made;
let kustomizations;
const INPUTS = { SMTP_CONNECTION_URI: 'smtps://mailer:' + 'a-made-up-smtp-password' + '@smtp.example.com:465/', BACKUP_ACCESS_KEY_ID: 'made-up-access-key-id', BACKUP_ACCESS_SECRET_KEY: 'made-up-access-secret-key' };

function ageKey(name) {
  const file = join(keys, `${name}.txt`);
  const r = spawnSync(tools['age-keygen'], ['-o', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { file, recipient: /public key: (age1\S+)/.exec(readFileSync(file, 'utf8'))[1] };
}

beforeAll(async () => {
  for (const name of ['sops', 'age-keygen', 'flux-health', 'kustomize', 'kubeconform']) tools[name] = await ensureBinary(name);
  tools.schemas = ensureSchemas();
  mkdirSync(keys);
  tools.key = ageKey('flux');
  // The repository as `npm run render` leaves it once environment.yml lists the recipient.
  const text = readFileSync(join(ROOT, 'infra', 'k8s', 'environment.yml'), 'utf8');
  env = readEnvironment(text.replace('sops_age_recipients: []', `sops_age_recipients: [${tools.key.recipient}]`));
  mkdirSync(join(root, 'infra'), { recursive: true });
  cpSync(join(ROOT, 'infra', 'k8s'), join(root, 'infra', 'k8s'), { recursive: true });
  for (const [file, content] of Object.entries(renderProduction(env, namespace))) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  kustomizations = parseAllDocuments(readFileSync(join(root, 'infra', 'k8s', 'flux', 'kustomizations.yaml'), 'utf8')).map((d) => d.toJS());
  // npm run secrets -- make
  made = await makeSecrets(env, INPUTS);
  writeSecrets(tools.sops, root, secretFiles(env), made);
  listInKustomizations(root, Object.values(secretFiles(env)));
}, 900_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const names = () => ({ kratos: env.secrets.kratos, jwks: env.secrets.oathkeeper_jwks });
const asPreflightData = (s) => ({ kratos: s[env.secrets.kratos], jwks: s[env.secrets.oathkeeper_jwks] });

describe('npm run secrets: the Secrets in git, encrypted for the age key, decrypted by Flux', () => {
  it('renders .sops.yaml for the recipient and gives both Flux Kustomizations the decryption (valid against kustomize-controller v1.9.4\'s CRD); without recipients, neither', () => {
    expect(parse(readFileSync(join(root, '.sops.yaml'), 'utf8')).creation_rules[0]).toMatchObject({ age: tools.key.recipient, encrypted_regex: '^(data|stringData)$' });
    for (const k of kustomizations) expect(k.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: FLUX.sopsSecret } });
    expect(kubeconform(tools.kubeconform, tools.schemas, readFileSync(join(root, 'infra', 'k8s', 'flux', 'kustomizations.yaml'), 'utf8')).output).toContain('Valid: 2, Invalid: 0');
    const committed = renderProduction(readEnvironment(), namespace);
    expect(committed['.sops.yaml']).toBeUndefined();
    expect(committed['infra/k8s/flux/kustomizations.yaml']).not.toContain('decryption');
    expect(() => readEnvironment(readFileSync(join(ROOT, 'infra', 'k8s', 'environment.yml'), 'utf8').replace('sops_age_recipients: []', 'sops_age_recipients: [not-a-key]'))).toThrow(/sops_age_recipients must be a list of age public keys/);
  });

  it('make writes every Secret the deployment reads, each value encrypted (none in the clear), and each stage applies its own', () => {
    const files = secretFiles(env);
    expect(Object.keys(made).sort()).toEqual([env.secrets.kratos, env.secrets.oathkeeper_jwks, env.database.backup.credentialsSecret].sort());
    for (const [name, file] of Object.entries(files)) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).toContain(tools.key.recipient);
      expect(text).toContain('ENC[AES256_GCM,');
      for (const [key, value] of Object.entries(made[name])) {
        expect(text, `${file}: ${key}`).not.toContain(value);
        // No part of a key set in the clear either (its private members above all).
        if (value.startsWith('{')) for (const k of JSON.parse(value).keys) expect(text).not.toContain(k.n);
      }
    }
    const apps = kustomizeBuild(tools.kustomize, join(root, 'infra', 'k8s'));
    const database = kustomizeBuild(tools.kustomize, join(root, 'infra', 'k8s', 'database'));
    const secretsIn = (built) => parseAllDocuments(built.stdout).map((d) => d.toJS()).filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
    expect(secretsIn(apps)).toEqual([`${namespace}/${env.secrets.kratos}`, `${namespace}/${env.secrets.oathkeeper_jwks}`].sort());
    expect(secretsIn(database)).toEqual([`${namespace}/${env.database.backup.credentialsSecret}`]);
  });

  it('Flux decrypts each with its own decryptor and the key in sops-age, and npm run preflight passes what it decrypts; another key decrypts nothing', () => {
    const decrypted = {};
    for (const [name, file] of Object.entries(secretFiles(env))) {
      const secret = parse(fluxDecrypt(tools['flux-health'], { kustomizations, file: join(root, file), ageKeyFile: tools.key.file, scratch, name }));
      expect(secret.metadata.name).toBe(name);
      decrypted[name] = secret.stringData;
      expect(decrypted[name]).toEqual(made[name]);
    }
    expect(checkSecrets(asPreflightData(decrypted), names(), { hookKey: true, database: env.database })).toEqual([]);
    // SOPS's own decryption, as npm run preflight -- --sops reads them, agrees.
    process.env.SOPS_AGE_KEY_FILE = tools.key.file;
    expect(readEncrypted(tools.sops, root, secretFiles(env)[env.secrets.kratos])).toEqual(made[env.secrets.kratos]);
    const other = ageKey('someone-else');
    expect(() => fluxDecrypt(tools['flux-health'], { kustomizations, file: join(root, secretFiles(env)[env.secrets.kratos]), ageKeyFile: other.file, scratch, name: 'other' })).toThrow(/failed to get the data key|no identity matched|could not decrypt/i);
  });

  it('rotate and drop-old change the encrypted files the way infra/checks/rotation.spec.mjs proves signs nobody out', async () => {
    process.env.SOPS_AGE_KEY_FILE = tools.key.file;
    const files = secretFiles(env);
    const read = () => readSecrets(tools.sops, root, files);
    const write = (all) => writeSecrets(tools.sops, root, files, all);
    const before = read();
    write(await rotateSecrets(env, before));
    const rotated = read();
    const kratos = rotated[env.secrets.kratos];
    for (const key of ['secretsDefault', 'secretsCookie', 'secretsCipher']) {
      const list = secretList(kratos[key]);
      expect(list, key).toHaveLength(2);
      expect(list[1]).toBe(before[env.secrets.kratos][key]);
    }
    const kids = (text) => JSON.parse(text).keys.map((k) => k.kid);
    const [adminNew, adminOld] = kids(kratos[ADMIN_TOKEN_SECRET_KEY]);
    expect(adminOld).toBe(kids(before[env.secrets.kratos][ADMIN_TOKEN_SECRET_KEY])[0]);
    expect(kids(rotated[env.secrets.oathkeeper_jwks][ADMIN_TOKEN_KEY])).toEqual([adminNew, adminOld]);
    const [idOld, idNew] = kids(rotated[env.secrets.oathkeeper_jwks][JWKS_KEY]);
    expect(idOld).toBe(kids(before[env.secrets.oathkeeper_jwks][JWKS_KEY])[0]);
    expect(rotated[env.database.backup.credentialsSecret]).toEqual(before[env.database.backup.credentialsSecret]);
    expect(checkSecrets(asPreflightData(rotated), names(), { hookKey: true, database: env.database })).toEqual([]);
    write(dropOld(env, rotated));
    const dropped = read();
    expect(secretList(dropped[env.secrets.kratos].secretsCookie)).toEqual([secretList(kratos.secretsCookie)[0]]);
    expect(kids(dropped[env.secrets.kratos][ADMIN_TOKEN_SECRET_KEY])).toEqual([adminNew]);
    expect(kids(dropped[env.secrets.oathkeeper_jwks][JWKS_KEY])).toEqual([idNew]);
    expect(checkSecrets(asPreflightData(dropped), names(), { hookKey: true, database: env.database })).toEqual([]);
  });
});
