#!/usr/bin/env node
// Makes a private key set: one RS256 key with a kid. Oathkeeper's id_token mutator signs with
// one; Kratos signs admin tokens with another (kratos/kratos.yml, tokenizer), whose public half
// (and only that) Oathkeeper's jwt authenticator checks them with.
//
//   node oathkeeper/generate-jwks.mjs id_token.jwks.json        (refuses to overwrite)
//   node oathkeeper/generate-jwks.mjs -                         (to stdout, e.g. into a Secret)
//   node oathkeeper/generate-jwks.mjs --public admin-token.jwks.json
//                                                               (its public half, to stdout)
//
// The file holds a PRIVATE key: keep it out of git (a check fails on committed private JWKs).
// Oathkeeper publishes the public half of its id_token key at its API port: GET /.well-known/jwks.json.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

export async function generateJwks() {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] };
}

/** An RSA JWK's private members: a set without any of them cannot sign. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** The public half of a key set: each key without its private members. */
export function publicHalf(set) {
  return { keys: (set?.keys ?? []).map((key) => Object.fromEntries(Object.entries(key).filter(([name]) => !PRIVATE_MEMBERS.includes(name)))) };
}

/** Writes a new key set to `file` unless one is there already. Returns true if it wrote one. */
export async function ensureJwks(file) {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(await generateJwks(), null, 2) + '\n', { mode: 0o600 });
  return true;
}

/** ensureJwks for callers that cannot wait (the same key shape, made with node:crypto). */
export function ensureJwksSync(file) {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  writeFileSync(file, JSON.stringify({ keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] }, null, 2) + '\n', { mode: 0o600 });
  return true;
}

/** Writes the public half of the key set in `privateFile` to `publicFile` (every time: it follows the private one). */
export function writePublicHalf(privateFile, publicFile) {
  writeFileSync(publicFile, JSON.stringify(publicHalf(JSON.parse(readFileSync(privateFile, 'utf8'))), null, 2) + '\n');
  return publicFile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target || (target === '--public' && !process.argv[3])) {
    console.error('usage: node oathkeeper/generate-jwks.mjs <file> | - | --public <private key set file>');
    process.exit(2);
  }
  if (target === '--public') {
    process.stdout.write(JSON.stringify(publicHalf(JSON.parse(readFileSync(process.argv[3], 'utf8'))), null, 2) + '\n');
  } else if (target === '-') {
    process.stdout.write(JSON.stringify(await generateJwks(), null, 2) + '\n');
  } else if (!(await ensureJwks(target))) {
    console.error(`${target} exists; not overwriting a signing key. Remove it first to rotate.`);
    process.exit(1);
  } else {
    console.error(`wrote a private RS256 key set to ${target} (mode 600)`);
  }
}
