// Renders the configuration an environment runs with from the one source in kratos/ and
// oathkeeper/ (the local stack, the production Helm values and the tests all come through here).
//
//   effective = resolveFiles(substitute(merge(<base>.yml, overlay), vars))
//
// - merge: the overlay's objects merge into the base; lists and scalars replace.
// - substitute: ${NAME} in any string is replaced from `vars`; a name without a value is an error.
// - resolveFiles: a relative `file://x` (two slashes, no leading /) names a file beside the base;
//   it becomes an absolute file:// URL (mode "absolute", for a local binary) or its content
//   inlined as base64:// (mode "inline", for places where the folder is not mounted).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/**
 * Optional features an overlay can add, each written once. An environment's overlay merges the
 * ones it wants (deepMerge); the local stack turns them on from environment variables.
 */
const requireVerifiedAddress = {
  selfservice: { flows: { login: { after: { password: { hooks: [{ hook: 'require_verified_address' }] } } } } },
};

/**
 * kratos/kratos.yml is written for the current Kratos (v26.2.0). Kratos v1.3.1 (chart 0.59.0,
 * `npm run compat`) refuses one key of it: the hook that offers verification after an address
 * changes in settings (v1.3.1 offers it without, and its schema has no `settings.after.profile`
 * hooks list of this kind). Returns `config` without it, and with v1.3.1's `version`.
 */
export function forOlderKratos(config) {
  const out = structuredClone(config);
  const profile = out.selfservice?.flows?.settings?.after?.profile;
  if (profile) {
    profile.hooks = (profile.hooks ?? []).filter((h) => h.hook !== 'show_verification_ui');
    if (profile.hooks.length === 0) delete out.selfservice.flows.settings.after.profile;
    if (Object.keys(out.selfservice.flows.settings.after).length === 0) delete out.selfservice.flows.settings.after;
  }
  out.version = 'v1.3.1';
  return out;
}

export const OPTIONS = {
  /** Password sign-in only with a verified address (Kratos's require_verified_address hook). */
  requireVerifiedAddress,
  /**
   * Sign-in asks for the identifier first, then for what that account can sign in with
   * (selfservice.flows.login.style: identifier_first; the default, unified, asks for both at once).
   * With Kratos's account-enumeration mitigation, so the first step never tells whether an address
   * has an account: an unknown one gets the same second step (without it, Kratos says 4000037).
   */
  identifierFirst: {
    selfservice: { flows: { login: { style: 'identifier_first' } } },
    security: { account_enumeration: { mitigate: true } },
  },
};

/**
 * How sign-in asks (options.login_style in production, KRATOS_LOGIN_STYLE locally) → the overlay
 * that says so. `unified` is Kratos's default and needs none.
 */
export const LOGIN_STYLES = { unified: {}, identifier_first: OPTIONS.identifierFirst };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KRATOS_DIR = join(ROOT, 'kratos');
export const OATHKEEPER_DIR = join(ROOT, 'oathkeeper');

function loadYaml(dir, file) {
  return parse(readFileSync(join(dir, file), 'utf8'));
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
    throw new Error(`config: no value for ${[...missing].map((n) => '${' + n + '}').join(', ')}`);
  }
  return out;
}

export function resolveFiles(config, mode, dir) {
  return mapStrings(config, (s, path) => {
    const m = /^file:\/\/(?!\/)(.+)$/.exec(s);
    if (!m) return s;
    const file = resolve(dir, m[1]);
    if (!file.startsWith(dir + '/') || !existsSync(file)) {
      throw new Error(`config: ${path} names ${s}, which is not a file under ${dir}`);
    }
    if (mode === 'inline') return 'base64://' + readFileSync(file).toString('base64');
    return pathToFileURL(file).href;
  });
}

/**
 * The key travels as HTTP Basic authentication (user REGISTRATION_HOOK_USER, password the key):
 * Kratos logs every web hook request's headers at info level and redacts only Authorization (and
 * cookies) there, so a key in a header of its own would be in the logs.
 */
export const REGISTRATION_HOOK_USER = 'kratos';
export const REGISTRATION_HOOK_KEY_PLACEHOLDER = 'set-from-the-environment';
const REGISTRATION_HOOK_BODIES = { check: 'file://hooks/sign-up-check.jsonnet', notify: 'file://hooks/educator-signed-up.jsonnet', settingsCheck: 'file://hooks/settings-check.jsonnet' };

function registrationWebHook(kind, url) {
  return {
    hook: 'web_hook',
    config: {
      url,
      method: 'POST',
      body: REGISTRATION_HOOK_BODIES[kind],
      auth: { type: 'basic_auth', config: { user: REGISTRATION_HOOK_USER, password: REGISTRATION_HOOK_KEY_PLACEHOLDER } },
      ...(kind === 'notify' ? { response: { ignore: true } } : { can_interrupt: true }),
    },
  };
}

/**
 * Registration web hooks (kratos/hooks/): `check` asks your backend before Kratos creates the
 * identity and may refuse it (can_interrupt: the answer's messages land on the form's fields);
 * `notify` tells it an educator signed up, after the identity exists (response.ignore: Kratos
 * sends it in the background and never fails a sign-up for it; no retry). Each is optional.
 * With `check`, a profile changed in settings is sent to the same URL before Kratos saves it
 * (`event: "settings"`), so a refused address or account type cannot come in through settings.
 *
 * Kratos v1.3.1 reads the method-independent `registration.after.hooks` only when no method has
 * hooks of its own, and never for hooks that run before the identity is created
 * (driver/registry_default_registration.go). kratos/kratos.yml gives every method its hooks and
 * overlays replace those lists, so the web hooks go first into every method's list, after the
 * overlays. First: the session hook ends the chain for browser sign-ups; and Kratos takes the
 * key from an environment variable naming the hook's place in its list (registrationHookKeyEnv),
 * which writes null into every place before it that no variable names (Kratos v26.2.0 refused
 * `hooks/0 ... expected object, but got null` with the key in place 1). So the check is asked
 * about a sign-up that the refusal of an unproven address (kratos.yml) then stops: it never
 * creates an account, and the notification, which runs after one is created, is never sent.
 *
 * The key is never in the rendered file: each hook's password is REGISTRATION_HOOK_KEY_PLACEHOLDER,
 * and Kratos takes the real one from the environment variables registrationHookKeyEnv() names
 * (production: from the kratos Secret; locally: from the data folder).
 * @param {{ check?: string, notify?: string }} urls
 */
export function withRegistrationHooks(config, urls = {}) {
  const hooks = ['check', 'notify'].filter((kind) => urls[kind]).map((kind) => registrationWebHook(kind, urls[kind]));
  if (hooks.length === 0) return config;
  const out = structuredClone(config);
  const after = out.selfservice?.flows?.registration?.after ?? {};
  for (const [method, value] of Object.entries(after)) {
    if (!isPlainObject(value) || !Array.isArray(value.hooks)) continue;
    after[method] = { ...value, hooks: [...structuredClone(hooks), ...value.hooks] };
  }
  // Settings cannot undo the check: a changed profile (address, account type) goes to the same
  // URL before Kratos saves it (kratos/hooks/settings-check.jsonnet, `event: "settings"`).
  if (urls.check) {
    const settings = ((out.selfservice ??= {}).flows ??= {}).settings ??= {};
    const profile = ((settings.after ??= {}).profile ??= {});
    profile.hooks = [registrationWebHook('settingsCheck', urls.check), ...(profile.hooks ?? [])];
  }
  return out;
}

/** Each web hook list withRegistrationHooks adds to, with the environment variable prefix Kratos reads it under. */
function hookLists(config) {
  const lists = Object.entries(config.selfservice?.flows?.registration?.after ?? {}).map(([method, value]) => [`SELFSERVICE_FLOWS_REGISTRATION_AFTER_${method.toUpperCase()}_HOOKS`, value?.hooks]);
  lists.push(['SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS', config.selfservice?.flows?.settings?.after?.profile?.hooks]);
  return lists;
}

/**
 * The environment variables that give Kratos the hooks' key: one per web hook with the placeholder,
 * by its place in the configuration (Kratos maps SELFSERVICE_…_HOOKS_<n>_CONFIG_AUTH_CONFIG_PASSWORD
 * onto that one value and leaves the rest of the list as the file says).
 */
export function registrationHookKeyEnv(config) {
  const names = [];
  for (const [prefix, hooks] of hookLists(config)) {
    (Array.isArray(hooks) ? hooks : []).forEach((hook, i) => {
      if (hook.hook === 'web_hook' && hook.config?.auth?.config?.password === REGISTRATION_HOOK_KEY_PLACEHOLDER) {
        names.push(`${prefix}_${i}_CONFIG_AUTH_CONFIG_PASSWORD`);
      }
    });
  }
  return names;
}

/**
 * Kratos's configuration: kratos/kratos.yml + overlay (+ the registration web hooks).
 * @param {{ overlay: object, vars: { SPA_URL: string, KRATOS_PUBLIC_URL: string }, files: 'absolute'|'inline', registrationHooks?: { check?: string, notify?: string } }} opts
 */
export function renderKratosConfig({ overlay, vars, files, registrationHooks }) {
  const merged = withRegistrationHooks(deepMerge(loadYaml(KRATOS_DIR, 'kratos.yml'), overlay), registrationHooks);
  return resolveFiles(substitute(merged, vars), files, KRATOS_DIR);
}

/**
 * Oathkeeper's configuration (oathkeeper/oathkeeper.yml + overlay) and its access rules
 * (oathkeeper/access-rules.yml), both with ${…} filled from `vars`.
 * @param {{ overlay: object, vars: Record<string,string> }} opts
 * @returns {{ config: object, rules: object[] }}
 */
export function renderOathkeeper({ overlay, vars }) {
  const config = substitute(deepMerge(loadYaml(OATHKEEPER_DIR, 'oathkeeper.yml'), overlay), vars);
  const rules = substitute(loadYaml(OATHKEEPER_DIR, 'access-rules.yml'), vars);
  return { config, rules };
}
