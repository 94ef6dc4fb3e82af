// Offline checks of everything production runs, each by the real tool:
//
//   kustomize build infra/k8s → kubeconform -strict against the real CRD/OpenAPI schemas
//   the rendered production Kratos and Oathkeeper configs → boot the real binaries on loopback
//   .github/workflows → actionlint (with shellcheck when installed)
//   infra/dns → tofu fmt -check (parses and is formatted)
//
// Each returns { ok, output } (or throws only when the tool itself cannot run), so tests can
// show both a pass and the failure of a deliberately broken input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generateJwks } from '../../oathkeeper/generate-jwks.mjs';
import { startDaemon, tail, waitForHttp } from '../local/processes.mjs';
import { schemaLocation } from './schemas.mjs';

const HOST = '127.0.0.1';

function run(cmd, args, { input, cwd } = {}) {
  const r = spawnSync(cmd, args, { input, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, stdout: r.stdout, output: `${r.stdout}${r.stderr}`.trim() };
}

export function kustomizeBuild(kustomize, dir) {
  return run(kustomize, ['build', dir]);
}

export function kubeconform(bin, schemaDir, manifests) {
  return run(bin, ['-strict', '-summary', '-schema-location', schemaLocation(schemaDir), '-'], { input: manifests });
}

export function actionlint(bin, files, cwd) {
  return run(bin, ['-no-color', ...files], { cwd });
}

export function tofuFmtCheck(tofu, dir) {
  return run(tofu, ['fmt', '-check', '-recursive', '-diff', dir]);
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, HOST, r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function bootAndProbe({ bin, args, env, what, readyUrl, dir, probe }) {
  const logFile = join(dir, `${what}.log`);
  writeFileSync(logFile, '');
  // Only what a pod would have: the test runner's own environment must not leak in (vitest sets
  // DEV=true, which Kratos reads as --dev and then drops the Secure flag from its cookies).
  const base = Object.fromEntries(['PATH', 'HOME', 'TMPDIR'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  const daemon = startDaemon(bin, args, { logFile, env: { ...base, SQA_OPT_OUT: 'true', ...env }, what });
  try {
    await waitForHttp(readyUrl, { daemon, what, logFile, timeoutMs: 60_000 });
    const detail = probe ? await probe() : '';
    return { ok: true, output: detail };
  } catch (err) {
    return { ok: false, output: err.message };
  } finally {
    await daemon.stop();
  }
}

/**
 * Boots Kratos with the `kratos.config` of the production Helm values, as the chart would run it
 * (`kratos serve all`, not --dev, DSN/secrets/SMTP from the environment like the chart's Secret),
 * on loopback ports with an in-memory database: the only substitutions.
 *
 * @param {(kratos: { public: string, admin: string }) => Promise<string>} [probe] asks the running
 *   Kratos something; by default, whether its login form posts to the production base URL.
 */
export async function bootProductionKratos(bin, valuesText, probe) {
  const values = parse(valuesText);
  const dir = mkdtempSync(join(tmpdir(), 'kratos-prod-'));
  try {
    const config = join(dir, 'kratos.yaml');
    writeFileSync(config, stringify(values.kratos.config));
    const [pub, admin] = [await freePort(), await freePort()];
    const publicUrl = values.kratos.config.serve.public.base_url;
    return await bootAndProbe({
      bin,
      args: ['serve', 'all', '--config', config],
      env: {
        DSN: 'memory',
        SECRETS_DEFAULT: 'offline-check-default-secret-0123',
        SECRETS_COOKIE: 'offline-check-cookie-secret-0123',
        SECRETS_CIPHER: '0123456789abcdef0123456789abcdef',
        COURIER_SMTP_CONNECTION_URI: `smtp://${HOST}:9/?disable_starttls=true`,
        SERVE_PUBLIC_HOST: HOST,
        SERVE_PUBLIC_PORT: String(pub),
        SERVE_ADMIN_HOST: HOST,
        SERVE_ADMIN_PORT: String(admin),
      },
      what: 'Kratos (production config)',
      readyUrl: `http://${HOST}:${admin}/admin/health/ready`,
      dir,
      probe: () =>
        (probe ??
          // The production settings are the ones in force: the form posts to the public base URL.
          (async ({ public: base }) => {
            const res = await fetch(`${base}/self-service/login/browser`, { headers: { Accept: 'application/json' } });
            const action = (await res.json()).ui?.action ?? '';
            if (!action.startsWith(publicUrl)) throw new Error(`login flow posts to ${action}, not under ${publicUrl}`);
            return `login flow action ${action}`;
          }))({ public: `http://${HOST}:${pub}`, admin: `http://${HOST}:${admin}` }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Boots Oathkeeper with the `oathkeeper.config` of the production Helm values. Substituted,
 * because they are paths inside the pod: the JWKS file (via the env variable the chart sets,
 * MUTATORS_ID_TOKEN_CONFIG_JWKS_URL) and the rules file (written from `oathkeeper.accessRules`);
 * ports on loopback. Then checks that Oathkeeper loaded every rule (it only logs bad ones).
 */
export async function bootProductionOathkeeper(bin, valuesText) {
  const values = parse(valuesText);
  const dir = mkdtempSync(join(tmpdir(), 'oathkeeper-prod-'));
  try {
    const rulesFile = join(dir, 'access-rules.json');
    writeFileSync(rulesFile, values.oathkeeper.accessRules);
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(await generateJwks()));
    const config = structuredClone(values.oathkeeper.config);
    config.access_rules.repositories = config.access_rules.repositories.map((r) =>
      r === 'file:///etc/rules/access-rules.json' ? `file://${rulesFile}` : r,
    );
    const file = join(dir, 'oathkeeper.yaml');
    writeFileSync(file, stringify(config));
    const [proxy, api, metrics] = [await freePort(), await freePort(), await freePort()];
    const expected = JSON.parse(values.oathkeeper.accessRules).length;
    return await bootAndProbe({
      bin,
      args: ['serve', '--config', file],
      env: {
        MUTATORS_ID_TOKEN_CONFIG_JWKS_URL: `file://${join(dir, 'jwks.json')}`,
        SERVE_PROXY_HOST: HOST,
        SERVE_PROXY_PORT: String(proxy),
        SERVE_API_HOST: HOST,
        SERVE_API_PORT: String(api),
        SERVE_PROMETHEUS_HOST: HOST,
        SERVE_PROMETHEUS_PORT: String(metrics),
      },
      what: 'Oathkeeper (production config)',
      readyUrl: `http://${HOST}:${api}/health/ready`,
      dir,
      probe: async () => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const loaded = (await (await fetch(`http://${HOST}:${api}/rules`)).json()).length;
          if (loaded === expected) return `${loaded} access rules loaded`;
          if (Date.now() > deadline) throw new Error(`Oathkeeper loaded ${loaded} of ${expected} access rules. Log:\n${tail(join(dir, 'Oathkeeper (production config).log'))}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Variable names declared in .tf files (`variable "name" {`). */
export function declaredVariables(tfText) {
  return [...tfText.matchAll(/^variable\s+"([A-Za-z0-9_]+)"\s*\{/gm)].map((m) => m[1]);
}

export function readText(file) {
  return readFileSync(file, 'utf8');
}
