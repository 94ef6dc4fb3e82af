// Offline validation of the production setup with the real tools (issue 5). Each check is shown
// passing on what is committed, and failing on a deliberately broken copy.
//
// Runs as its own vitest suite after `npm test` has built the tools (infra/checks/vitest.config.mjs).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { checkRuleTable } from '../../oathkeeper/rule-table.mjs';
import { ensureBinary } from '../local/binaries.mjs';
import { ROOT } from '../local/paths.mjs';
import { EnvironmentError, readEnvironment, renderProduction, staleFiles } from '../render-production.mjs';
import {
  actionlint,
  bootProductionKratos,
  bootProductionOathkeeper,
  declaredVariables,
  kubeconform,
  kustomizeBuild,
  tofuFmtCheck,
} from './checks.mjs';
import { ensureSchemas } from './schemas.mjs';

const K8S = join(ROOT, 'infra', 'k8s');
const DNS = join(ROOT, 'infra', 'dns');
const tools = {};
const scratch = [];

function scratchCopy(dir) {
  const copy = mkdtempSync(join(tmpdir(), 'infra-check-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  for (const name of ['kustomize', 'kubeconform', 'actionlint', 'tofu', 'kratos', 'oathkeeper']) tools[name] = await ensureBinary(name);
  tools.schemas = ensureSchemas();
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('one source of truth: the production rendering', () => {
  it('is current: rendering kratos/, oathkeeper/ and environment.yml again changes nothing that is committed', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('puts no secret value in the Helm values: DSN, secrets and the SMTP URI come from existing Secrets', () => {
    const kratos = parse(readFileSync(join(K8S, 'generated', 'kratos-values.yaml'), 'utf8'));
    expect(kratos.kratos.config.dsn).toBeUndefined();
    expect(kratos.kratos.config.secrets).toBeUndefined();
    expect(kratos.kratos.config.courier.smtp.connection_uri).toMatch(/\.invalid/);
    expect(kratos.secret).toEqual({ enabled: false, nameOverride: 'kratos-secrets' });
    const oathkeeper = parse(readFileSync(join(K8S, 'generated', 'oathkeeper-values.yaml'), 'utf8'));
    expect(oathkeeper.secret).toMatchObject({ enabled: false, nameOverride: 'oathkeeper-jwks' });
    expect(oathkeeper.oathkeeper.mutatorIdTokenJWKs).toBeUndefined();
    expect(readFileSync(join(K8S, 'generated', 'oathkeeper-values.yaml'), 'utf8')).not.toMatch(/"d"\s*:/);
  });

  it('refuses an environment whose hosts are not under the cookie domain (the cookie-domain rule)', () => {
    const text = readFileSync(join(K8S, 'environment.yml'), 'utf8').replace('https://api.example.com', 'https://api.example.net');
    expect(() => readEnvironment(text)).toThrow(EnvironmentError);
    expect(() => readEnvironment(text)).toThrow(/api: api\.example\.net is not under cookie_domain example\.com/);
  });

  it('notices a stale rendering (a kratos/ edit not rendered)', () => {
    const env = readEnvironment(readFileSync(join(K8S, 'environment.yml'), 'utf8').replace('no-reply@example.com', 'changed@example.com'));
    const rendered = renderProduction(env, 'auth');
    expect(staleFiles(rendered)).toContain('infra/k8s/generated/kratos-values.yaml');
  });
});

describe('Kustomize and the manifests (kubeconform against the real Flux, Gateway API and Kubernetes schemas)', () => {
  it('kustomize builds infra/k8s and every manifest is valid', () => {
    const built = kustomizeBuild(tools.kustomize, K8S);
    expect(built.ok, built.output).toBe(true);
    const kinds = [...built.stdout.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]).sort();
    expect(kinds).toEqual(['ConfigMap', 'ConfigMap', 'HTTPRoute', 'HTTPRoute', 'HelmRelease', 'HelmRelease', 'HelmRepository', 'Namespace']);
    const result = kubeconform(tools.kubeconform, tools.schemas, built.stdout);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('Valid: 8, Invalid: 0, Errors: 0, Skipped: 0');
  });

  it('routes only Kratos\'s public paths and Oathkeeper\'s proxy: no admin service, no admin path', () => {
    const routes = parseAllDocuments(kustomizeBuild(tools.kustomize, K8S).stdout)
      .map((d) => d.toJS())
      .filter((d) => d.kind === 'HTTPRoute');
    const backends = routes.flatMap((r) => r.spec.rules.flatMap((rule) => rule.backendRefs.map((b) => `${b.name}:${b.port}`)));
    expect(backends.sort()).toEqual(['kratos-public:80', 'oathkeeper-proxy:4455']);
    const paths = routes.find((r) => r.metadata.name === 'kratos-public').spec.rules.flatMap((rule) => rule.matches.map((m) => m.path.value));
    expect(paths).toEqual(['/self-service', '/sessions', '/schemas', '/.well-known/ory', '/health/alive', '/health/ready']);
  });

  it('fails a HelmRelease without spec.interval (the check is real)', () => {
    const copy = scratchCopy(K8S);
    const file = join(copy, 'helmrelease-kratos.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}interval: 10m\n/m, ''));
    const built = kustomizeBuild(tools.kustomize, copy);
    expect(built.ok, built.output).toBe(true);
    const result = kubeconform(tools.kubeconform, tools.schemas, built.stdout);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/HelmRelease kratos is invalid.*missing property 'interval'/);
  });

  it('fails an HTTPRoute with a misspelt field (strict schemas: unknown fields are errors)', () => {
    const copy = scratchCopy(K8S);
    const file = join(copy, 'generated', 'httproutes.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('hostnames:', 'hostname:'));
    const result = kubeconform(tools.kubeconform, tools.schemas, kustomizeBuild(tools.kustomize, copy).stdout);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/HTTPRoute .* is invalid.*hostname/);
  });
});

describe('the production Kratos config boots the real Kratos v1.3.1', () => {
  const values = () => readFileSync(join(K8S, 'generated', 'kratos-values.yaml'), 'utf8');

  it('boots (serve all, not --dev) with only DSN, secrets, SMTP and loopback ports from the environment, and uses the production URLs', async () => {
    const result = await bootProductionKratos(tools.kratos, values());
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('https://kratos.example.com/self-service/login?flow=');
  });

  it('stops at boot on a wrong key in the config (the check is real)', async () => {
    const broken = parse(values());
    broken.kratos.config.selfservice.flows.login.ui_urll = 'https://auth.example.com/login';
    const result = await bootProductionKratos(tools.kratos, stringify(broken));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/exited while starting[\s\S]*ui_urll/);
  });
});

describe('the production Oathkeeper config boots the real Oathkeeper v0.40.9', () => {
  const values = () => readFileSync(join(K8S, 'generated', 'oathkeeper-values.yaml'), 'utf8');

  it('boots and loads every access rule from the values', async () => {
    const result = await bootProductionOathkeeper(tools.oathkeeper, values());
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toBe(`${JSON.parse(parse(values()).oathkeeper.accessRules).length} access rules loaded`);
  });

  it('does not count an access rule Oathkeeper could not load (the check is real)', async () => {
    const broken = parse(values());
    const rules = JSON.parse(broken.oathkeeper.accessRules);
    rules.push({ ...rules[0], id: 'broken', upstream: { url: '::not a url::' } });
    broken.oathkeeper.accessRules = JSON.stringify(rules);
    const result = await bootProductionOathkeeper(tools.oathkeeper, stringify(broken));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/loaded \d+ of 5 access rules/);
  });
});

describe('access rules: exactly one rule per URL, in the real Oathkeeper', () => {
  it('every URL of the table reaches the rule it should', async () => {
    expect(await checkRuleTable({ bin: tools.oathkeeper })).toEqual([]);
  });

  it('an overlapping catch-all rule is caught: Oathkeeper answers 500 when two rules match', async () => {
    const mismatches = await checkRuleTable({
      bin: tools.oathkeeper,
      editRules: (rules) => {
        const pub = rules.find((r) => r.id === 'api-public');
        return [...rules, { ...pub, id: 'api-catchall', match: { url: pub.match.url.replace('/api/public/<**>', '/api/<**>'), methods: ['GET'] } }];
      },
    });
    expect(mismatches).toContainEqual({ method: 'GET', path: '/api/private/me', expected: 'api-private', got: 'several rules (500)' });
  });
});

describe('GitHub Actions workflows (actionlint)', () => {
  const workflows = readdirSync(join(ROOT, '.github', 'workflows')).map((f) => join('.github', 'workflows', f));

  it('pass actionlint', () => {
    const result = actionlint(tools.actionlint, workflows, ROOT);
    expect(result.ok, result.output).toBe(true);
  });

  it('a workflow passing an input the action does not have is flagged (the check is real)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'));
    scratch.push(dir);
    const text = readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf8').replace('path: dist', 'paths: dist');
    writeFileSync(join(dir, 'deploy.yml'), text);
    const result = actionlint(tools.actionlint, [join(dir, 'deploy.yml')], ROOT);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/input "paths" is not defined/);
  });
});

describe('DNS as code (OpenTofu)', () => {
  it('parses and is formatted (tofu fmt -check)', () => {
    const result = tofuFmtCheck(tools.tofu, DNS);
    expect(result.ok, result.output).toBe(true);
  });

  it('declares every variable the rendered terraform.tfvars.json sets, and sets every variable without a default', () => {
    const tf = readdirSync(DNS).filter((f) => f.endsWith('.tf')).map((f) => readFileSync(join(DNS, f), 'utf8')).join('\n');
    const declared = declaredVariables(tf);
    const values = Object.keys(JSON.parse(readFileSync(join(DNS, 'terraform.tfvars.json'), 'utf8')));
    for (const key of values) expect(declared, key).toContain(key);
    const optional = ['proxy_gateway_hosts', 'github_pages_challenge'];
    for (const name of declared.filter((n) => !optional.includes(n))) expect(values, name).toContain(name);
  });

  it('badly formatted HCL fails tofu fmt -check (the check is real)', () => {
    const copy = scratchCopy(DNS);
    writeFileSync(join(copy, 'main.tf'), readFileSync(join(copy, 'main.tf'), 'utf8').replace('  type    = "CNAME"', '  type = "CNAME"'));
    const result = tofuFmtCheck(tools.tofu, copy);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('main.tf');
  });
});
