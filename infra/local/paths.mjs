// Where the local stack keeps what it builds and stores. Everything here is git-ignored.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** $KRATOS_SPA_CACHE, or .cache/ in the repository. CI points it outside the clone to keep it between runs. */
export function cacheDir() {
  return resolve(process.env.KRATOS_SPA_CACHE || resolve(ROOT, '.cache'));
}

/** A failed e2e test's evidence, in its Playwright output folder (e2e/fixtures.ts writes it, test.mjs prints it). */
export const EVIDENCE_FILE = 'evidence.txt';
