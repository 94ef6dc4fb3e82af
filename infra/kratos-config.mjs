// Renders the Kratos configuration an environment runs with from the one source in kratos/.
//
//   effective = resolveFiles(substitute(merge(kratos/kratos.yml, overlay), vars))
//
// - merge: the overlay's objects merge into the base; lists and scalars replace.
// - substitute: ${NAME} in any string is replaced from `vars`; a name without a value is an error.
// - resolveFiles: a relative `file://x` (two slashes, no leading /) names a file under kratos/;
//   it becomes an absolute file:// URL (mode "absolute", for a local binary) or its content
//   inlined as base64:// (mode "inline", for places where kratos/ is not mounted).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/**
 * Optional features an overlay can add, each written once. An environment's overlay merges the
 * ones it wants (deepMerge); the local stack turns them on from environment variables.
 */
export const OPTIONS = {
  /** Password sign-in only with a verified address (Kratos's require_verified_address hook). */
  requireVerifiedAddress: {
    selfservice: { flows: { login: { after: { password: { hooks: [{ hook: 'require_verified_address' }] } } } } },
  },
};

export const KRATOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'kratos');

export function loadBaseConfig(kratosDir = KRATOS_DIR) {
  return parse(readFileSync(join(kratosDir, 'kratos.yml'), 'utf8'));
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(base, overlay) {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return structuredClone(overlay);
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    out[key] = key in out ? deepMerge(out[key], value) : structuredClone(value);
  }
  return out;
}

function mapStrings(value, fn, path = '') {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, fn, `${path}[${i}]`));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}

export function substitute(config, vars) {
  const missing = new Set();
  const out = mapStrings(config, (s) =>
    s.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name) => {
      if (vars[name] === undefined || vars[name] === '') {
        missing.add(name);
        return '';
      }
      return String(vars[name]);
    }),
  );
  if (missing.size > 0) {
    throw new Error(`Kratos config: no value for ${[...missing].map((n) => '${' + n + '}').join(', ')}`);
  }
  return out;
}

export function resolveFiles(config, mode, kratosDir = KRATOS_DIR) {
  return mapStrings(config, (s, path) => {
    const m = /^file:\/\/(?!\/)(.+)$/.exec(s);
    if (!m) return s;
    const file = resolve(kratosDir, m[1]);
    if (!file.startsWith(kratosDir + '/') || !existsSync(file)) {
      throw new Error(`Kratos config: ${path} names ${s}, which is not a file under ${kratosDir}`);
    }
    if (mode === 'inline') return 'base64://' + readFileSync(file).toString('base64');
    return pathToFileURL(file).href;
  });
}

/**
 * @param {{ overlay: object, vars: Record<string,string>, files: 'absolute'|'inline', kratosDir?: string }} opts
 */
export function renderKratosConfig({ overlay, vars, files, kratosDir = KRATOS_DIR }) {
  const merged = deepMerge(loadBaseConfig(kratosDir), overlay);
  return resolveFiles(substitute(merged, vars), files, kratosDir);
}
