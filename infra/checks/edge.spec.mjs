// The edge as Envoy Gateway really runs it (issue 35): everything a cluster's Envoy Gateway v1.9.1
// is given (infra/k8s/gateway, the routes and policies of infra/k8s, the Services the Ory charts
// make, the GatewayClass of Envoy Gateway's quickstart, a TLS Secret) translated by Envoy
// Gateway's own code under the configuration its own Helm chart gives its controller
// (infra/checks/edge.mjs). Nothing here places a component where our renderer says it is: the
// statuses, the routes Envoy picks, the limits and CORS on them, and the proxy pods' namespace and
// labels are Envoy Gateway's answers. Each check is also shown failing on the defect it is for.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ensureBinary } from '../local/binaries.mjs';
import { ROOT } from '../local/paths.mjs';
import { checkEnvoyGateway } from '../preflight.mjs';
import {
  ADMIN_CLIENT_LABEL, CNPG_LABELS, coveredByWildcard, EnvironmentError, FLUX, fluxKustomizations, gatewayObjects, KRATOS_PUBLIC_PREFIXES, kratosTrafficPolicy, networkPolicies, PODS, PORTS,
  readCloudflareRanges, readEnvironment, readNamespace, RELEASES,
} from '../render-production.mjs';
import { find, renderCluster } from './charts.mjs';
import { kustomizeBuild } from './checks.mjs';
import { conditions, corsOn, docs, endpointSlices, envoyGatewayConfig, httpFilters, limitsOn, pickRoute, quickstartGatewayClass, servedHosts, tlsSecret, translate } from './edge.mjs';
import { fluxHealth } from './flux.mjs';
import { allowed } from './network-policy.mjs';

const env = readEnvironment();
const namespace = readNamespace();
const scratch = mkdtempSync(join(tmpdir(), 'edge-'));
const tools = {};
let configs;
/** What the cluster holds that Envoy Gateway reads. */
let objects;
/** The translation of `objects` under the stock configuration. */
let stock;
/** The NetworkPolicies of the kustomize build: what Flux applies. */
let built;
/** The objects each chart renders (helm template, as Flux installs them). */
let rendered;

const READS = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'BackendTrafficPolicy', 'SecurityPolicy', 'ClientTrafficPolicy', 'EnvoyProxy', 'Service', 'Namespace', 'Secret']);
const KRATOS_HOST = new URL(env.kratos).hostname;
const API_HOST = new URL(env.api).hostname;

/** The objects with one changed or dropped (`edit` returns the new object, or null to drop it). */
function edited(kind, name, edit) {
  return objects.flatMap((o) => (o.kind === kind && o.metadata.name === name ? [edit(structuredClone(o))].filter(Boolean) : [o]));
}

beforeAll(async () => {
  for (const name of ['eg-translate', 'helm', 'kustomize', 'flux-health']) tools[name] = await ensureBinary(name);
  configs = {
    stock: envoyGatewayConfig(tools.helm, scratch).file,
    withRateLimitService: envoyGatewayConfig(tools.helm, scratch, ['config.envoyGateway.rateLimit.backend.type=Redis', 'config.envoyGateway.rateLimit.backend.redis.url=redis.redis-system.svc.cluster.local:6379']).file,
  };
  const app = renderCluster(tools, join(ROOT, 'infra', 'k8s'), scratch);
  const gateway = kustomizeBuild(tools.kustomize, join(ROOT, 'infra', 'k8s', 'gateway'));
  expect(gateway.ok, gateway.output).toBe(true);
  // The first stage's Namespace (the Gateway admits routes from it by its name label).
  const database = kustomizeBuild(tools.kustomize, join(ROOT, 'infra', 'k8s', 'database'));
  expect(database.ok, database.output).toBe(true);
  const chartObjects = Object.values(app.charts).flatMap((c) => c.objects).map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
  const services = chartObjects.filter((o) => o.kind === 'Service');
  const workloads = chartObjects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  objects = [
    quickstartGatewayClass(env.gateway.className),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: env.gateway.namespace } },
    tlsSecret(env.gateway.certificateSecret, env.gateway.namespace, env.dns.zone_name, scratch),
    ...docs(gateway.stdout),
    ...docs(database.stdout).filter((o) => READS.has(o.kind)),
    ...docs(app.built).filter((o) => READS.has(o.kind)),
    ...services,
    ...endpointSlices(services, workloads),
  ];
  built = docs(app.built).filter((o) => o.kind === 'NetworkPolicy');
  rendered = Object.fromEntries(Object.entries(app.charts).map(([name, chart]) => [name, chart.objects]));
  stock = translate(tools['eg-translate'], { config: configs.stock, objects, scratch, controllerNamespace: env.gateway.controllerNamespace });
}, 1_800_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Envoy Gateway v1.9.1 on a stock install accepts every route and policy', () => {
  it('the Gateway is programmed, and every HTTPRoute and policy is Accepted (statuses from Envoy Gateway\'s translator)', () => {
    expect(conditions(stock, 'Gateway', env.gateway.name)).toMatchObject({ Accepted: { status: 'True' }, Programmed: { status: 'True' }, ResolvedRefs: { status: 'True' } });
    for (const route of ['kratos-public', 'api']) {
      expect(conditions(stock, 'HTTPRoute', route), route).toMatchObject({ Accepted: { status: 'True' }, ResolvedRefs: { status: 'True' } });
    }
    for (const policy of ['kratos-public', 'api']) expect(conditions(stock, 'BackendTrafficPolicy', policy).Accepted, policy).toMatchObject({ status: 'True' });
    expect(conditions(stock, 'SecurityPolicy', 'kratos-public-cors').Accepted).toMatchObject({ status: 'True' });
    expect(conditions(stock, 'ClientTrafficPolicy', `${env.gateway.name}-client-address`).Accepted).toMatchObject({ status: 'True' });
  });

  it('serves the Kratos and API hosts, and each of Kratos\'s public paths reaches Kratos, everything else Oathkeeper', () => {
    expect(servedHosts(stock)).toEqual(expect.arrayContaining([KRATOS_HOST, API_HOST]));
    for (const prefix of KRATOS_PUBLIC_PREFIXES) {
      const picked = pickRoute(stock, KRATOS_HOST, 'GET', `${prefix}/x`.replace('//', '/'));
      expect(picked?.route.route?.cluster, prefix).toMatch(/kratos-public/);
    }
    expect(pickRoute(stock, API_HOST, 'GET', '/api/private/me')?.route.route?.cluster).toMatch(/api/);
    expect(pickRoute(stock, API_HOST, 'GET', '/admin/identities')?.route.route?.cluster).toMatch(/api/);
  });

  it('control: today\'s global limit on a stock install is refused, and every Kratos path answers 500', () => {
    const global = edited('BackendTrafficPolicy', 'kratos-public', (p) => ({ ...p, spec: { ...p.spec, rateLimit: { global: p.spec.rateLimit.local } } }));
    const result = translate(tools['eg-translate'], { config: configs.stock, objects: global, scratch, name: 'global-on-stock' });
    const accepted = conditions(result, 'BackendTrafficPolicy', 'kratos-public').Accepted;
    expect(accepted).toMatchObject({ status: 'False' });
    expect(accepted.message).toMatch(/enable Ratelimit in the EnvoyGateway config to configure global rateLimit/);
    for (const path of ['/self-service/login/browser', '/sessions/whoami']) {
      expect(pickRoute(result, KRATOS_HOST, 'GET', path)?.route.directResponse?.status, path).toBe(500);
    }
    // With the rate-limit service configured, the same policy is accepted: the check is about the config.
    const withService = translate(tools['eg-translate'], { config: configs.withRateLimitService, objects: global, scratch, name: 'global-with-service' });
    expect(conditions(withService, 'BackendTrafficPolicy', 'kratos-public').Accepted).toMatchObject({ status: 'True' });
  });

  it('Flux\'s apps stage reads these statuses (kustomize-controller v1.9.4\'s own status reader over our healthCheckExprs): every route and policy Current on a stock install, the refused global limit Failed, so the Kustomization is not Ready while Kratos answers 500', () => {
    const kustomizations = fluxKustomizations(env);
    const health = (result, name) => {
      const objects = [
        ...result.resources.httpRoutes.map((o) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', ...o })),
        ...result.resources.backendTrafficPolicies.map((o) => ({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'BackendTrafficPolicy', ...o })),
        ...result.resources.securityPolicies.map((o) => ({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy', ...o })),
      ];
      const read = fluxHealth(tools['flux-health'], { kustomizations, objects, scratch, name })[FLUX.apps];
      expect(read.error).toBeUndefined();
      return Object.fromEntries(Object.entries(read.results).map(([k, v]) => [k, v.status]));
    };
    expect(health(stock, 'flux-stock')).toEqual({
      'HTTPRoute/kratos-public': 'Current', 'HTTPRoute/api': 'Current',
      'BackendTrafficPolicy/kratos-public': 'Current', 'BackendTrafficPolicy/api': 'Current', 'SecurityPolicy/kratos-public-cors': 'Current',
    });
    const global = edited('BackendTrafficPolicy', 'kratos-public', (p) => ({ ...p, spec: { ...p.spec, rateLimit: { global: p.spec.rateLimit.local } } }));
    const refused = translate(tools['eg-translate'], { config: configs.stock, objects: global, scratch, name: 'global-on-stock-flux' });
    expect(health(refused, 'flux-refused')).toMatchObject({ 'BackendTrafficPolicy/kratos-public': 'Failed' });
    // A route whose backend Service is missing (ResolvedRefs False) fails the stage too.
    const noService = translate(tools['eg-translate'], { config: configs.stock, objects: objects.filter((o) => !(o.kind === 'Service' && o.metadata.name === `${RELEASES.oathkeeper}-proxy`)), scratch, name: 'no-oathkeeper-service' });
    expect(health(noService, 'flux-no-service')).toMatchObject({ 'HTTPRoute/api': 'Failed' });
  });
});

describe('every way to Kratos\'s self-service submits is limited, on every host', () => {
  const SUBMITS = [
    ['/self-service/login?flow=1', 'sign_in'],
    ['/self-service/registration?flow=1', 'sign_up'],
    ['/self-service/recovery?flow=1', 'mail'],
    ['/self-service/verification?flow=1', 'mail'],
    ['/self-service/settings?flow=1', 'other'],
  ];
  const strictest = (limits) => Math.min(...limits.map((l) => l.requests));

  it('a POST to each, on each host the Gateway serves, meets the limit environment.yml sets for it, per client, per minute', () => {
    for (const host of servedHosts(stock)) {
      for (const [path, kind] of SUBMITS) {
        const picked = pickRoute(stock, host, 'POST', path);
        if (!picked || !/kratos-public/.test(picked.route.route?.cluster ?? '')) continue;
        const limits = limitsOn(picked.route, 'POST', path);
        expect(limits.length, `${host} ${path}`).toBeGreaterThan(0);
        expect(strictest(limits), `${host} ${path}`).toBe(env.rateLimits[kind]);
        expect(limits.every((l) => l.seconds === 60 && l.perClient), `${host} ${path}`).toBe(true);
      }
    }
    // And the Kratos host is one of them, for every submit.
    for (const [path] of SUBMITS) expect(pickRoute(stock, KRATOS_HOST, 'POST', path)?.route.route?.cluster).toMatch(/kratos-public/);
  });

  it('a GET of the same paths (a flow being shown) is not limited', () => {
    const picked = pickRoute(stock, KRATOS_HOST, 'GET', '/self-service/login/flows?id=1');
    expect(limitsOn(picked.route, 'GET', '/self-service/login/flows')).toEqual([]);
  });

  it('no route of the API host reaches Kratos (its old /.ory/kratos/public/ prefix goes to Oathkeeper, which has no rule for it: oathkeeper/rule-table.mjs)', () => {
    const picked = pickRoute(stock, API_HOST, 'POST', '/.ory/kratos/public/self-service/login?flow=1');
    expect(picked.route.route.cluster).not.toMatch(/kratos/);
  });

  it('controls: a route left unlimited, and a misspelt path, are each caught', () => {
    const unlimited = translate(tools['eg-translate'], {
      config: configs.stock,
      objects: edited('BackendTrafficPolicy', 'kratos-public', () => null),
      scratch,
      name: 'unlimited',
    });
    expect(limitsOn(pickRoute(unlimited, KRATOS_HOST, 'POST', '/self-service/login?flow=1').route, 'POST', '/self-service/login')).toEqual([]);
    const misspelt = translate(tools['eg-translate'], {
      config: configs.stock,
      objects: edited('BackendTrafficPolicy', 'kratos-public', (p) => {
        for (const rule of p.spec.rateLimit.local.rules) rule.clientSelectors[0].path.value = rule.clientSelectors[0].path.value.replace('/self-service/login', '/selfservice/login');
        return p;
      }),
      scratch,
      name: 'misspelt',
    });
    const login = limitsOn(pickRoute(misspelt, KRATOS_HOST, 'POST', '/self-service/login?flow=1').route, 'POST', '/self-service/login');
    expect(strictest(login)).not.toBe(env.rateLimits.sign_in);
  });
});

describe('a pod going away costs no request that never reached it, and no submit runs twice', () => {
  // What Envoy does when a Kratos or Oathkeeper pod stops (docs/reliability.md): the route's retry
  // policy, as Envoy Gateway's translator writes it.
  const REQUESTS = [
    [KRATOS_HOST, 'GET', '/self-service/login/browser', /kratos-public/],
    [KRATOS_HOST, 'POST', '/self-service/login?flow=1', /kratos-public/],
    [KRATOS_HOST, 'POST', '/self-service/registration?flow=1', /kratos-public/],
    [API_HOST, 'GET', '/api/private/me', /api/],
    [API_HOST, 'POST', '/api/private/notes', /api/],
  ];
  const retryOf = (result, [host, method, path]) => pickRoute(result, host, method, path)?.route.route?.retryPolicy ?? null;

  it('every request is tried on another pod when its connection failed or was reset before it went out, and never when it reached a pod', () => {
    for (const request of REQUESTS) {
      expect(pickRoute(stock, request[0], request[1], request[2])?.route.route?.cluster, request.join(' ')).toMatch(request[3]);
      const retry = retryOf(stock, request);
      expect(retry, request.join(' ')).not.toBeNull();
      expect(retry.retryOn.split(',').sort(), request.join(' ')).toEqual(['connect-failure', 'reset-before-request']);
      expect(retry.numRetries, request.join(' ')).toBe(2);
    }
  });

  it('control: without the BackendTrafficPolicies Envoy Gateway retries nothing (its default), so a stopping pod would cost requests', () => {
    const bare = translate(tools['eg-translate'], {
      config: configs.stock,
      objects: objects.filter((o) => o.kind !== 'BackendTrafficPolicy'),
      scratch,
      name: 'no-retries',
    });
    for (const request of REQUESTS) expect(retryOf(bare, request), request.join(' ')).toBeNull();
  });
});

describe('a refusal the app can read: CORS on the Kratos route, before the limit', () => {
  it('the Kratos route carries the SPA\'s CORS policy, exposing the wait (Retry-After, X-RateLimit-Reset), and CORS runs before the local rate limit', () => {
    const picked = pickRoute(stock, KRATOS_HOST, 'POST', '/self-service/login?flow=1');
    const cors = corsOn(picked.route);
    expect(cors).not.toBeNull();
    expect(JSON.stringify(cors.allowOriginStringMatch)).toContain(env.spa);
    expect(cors.allowCredentials).toBe(true);
    expect(cors.exposeHeaders.split(',').map((h) => h.trim())).toEqual(expect.arrayContaining(['Retry-After', 'X-RateLimit-Reset']));
    for (const chain of httpFilters(stock)) {
      const at = (name) => chain.indexOf(name);
      if (at('envoy.filters.http.local_ratelimit') < 0) continue;
      expect(at('envoy.filters.http.cors')).toBeGreaterThanOrEqual(0);
      expect(at('envoy.filters.http.cors')).toBeLessThan(at('envoy.filters.http.local_ratelimit'));
    }
    const local = picked.route.typedPerFilterConfig['envoy.filters.http.local_ratelimit'];
    expect(local.enableXRatelimitHeaders).toBe('DRAFT_VERSION_03');
  });

  it('control: without the SecurityPolicy the route has no CORS policy (Envoy\'s 429 would be unreadable)', () => {
    const result = translate(tools['eg-translate'], { config: configs.stock, objects: edited('SecurityPolicy', 'kratos-public-cors', () => null), scratch, name: 'no-cors' });
    expect(corsOn(pickRoute(result, KRATOS_HOST, 'POST', '/self-service/login?flow=1').route)).toBeNull();
  });
});

describe('the client\'s real address behind Cloudflare, and no way around it', () => {
  const ranges = () => { const c = readCloudflareRanges(); return [...c.ipv4, ...c.ipv6]; };

  it('the proxy Service Envoy Gateway makes admits only Cloudflare\'s ranges and keeps the source address (externalTrafficPolicy Local)', () => {
    expect(stock.proxies).toHaveLength(1);
    const service = stock.proxies[0].service;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(service.spec.loadBalancerSourceRanges).toEqual(ranges());
  });

  it('the listener trusts X-Forwarded-For only from Cloudflare\'s ranges', () => {
    // The Gateway's own listeners (Envoy Gateway also adds a readiness listener, which routes nothing).
    const listeners = Object.values(stock.xds).flatMap((x) => x.listeners ?? []).filter((l) => l.name.startsWith(`${env.gateway.namespace}/${env.gateway.name}/`));
    const hcms = listeners.flatMap((l) => (l.filterChains ?? []).flatMap((c) => c.filters ?? [])).map((f) => f.typedConfig).filter((c) => c?.httpFilters);
    expect(hcms.length).toBeGreaterThan(0);
    for (const hcm of hcms) {
      const xff = (hcm.originalIpDetectionExtensions ?? []).find((e) => e.name === 'envoy.extensions.http.original_ip_detection.xff');
      expect(xff, JSON.stringify(hcm.originalIpDetectionExtensions)).toBeTruthy();
      const trusted = xff.typedConfig.xffTrustedCidrs.cidrs.map((c) => `${c.addressPrefix}/${c.prefixLen}`);
      expect(trusted.sort()).toEqual(ranges().sort());
    }
  });

  it('the Cloudflare data is what Cloudflare publishes in shape (CIDRs, both families) and a bad entry is refused', () => {
    const data = readCloudflareRanges();
    expect(data.sources).toEqual(['https://www.cloudflare.com/ips-v4', 'https://www.cloudflare.com/ips-v6']);
    expect(() => readCloudflareRanges(JSON.stringify({ ...data, ipv4: ['173.245.48.0/33'] }))).toThrow(EnvironmentError);
    expect(() => readCloudflareRanges(JSON.stringify({ ...data, ipv6: ['2400:cb00::'] }))).toThrow(EnvironmentError);
  });

  it('direct mode (dns.proxied: false) trusts no X-Forwarded-For and admits any address', () => {
    const direct = gatewayObjects({ ...env, dns: { ...env.dns, proxied: false } }, namespace);
    expect(direct.map((o) => o.kind)).toEqual(['Gateway', 'EnvoyProxy']);
    expect(direct[1].spec.provider.kubernetes.envoyService).toEqual({ externalTrafficPolicy: 'Local' });
  });
});

/** A pod of the Deployment Envoy Gateway's own code rendered for the Gateway: its namespace and labels. */
function proxyPod(result) {
  const d = result.proxies[0].deployment;
  return { namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels };
}

describe('network policies admit the proxy pods where Envoy Gateway runs them', () => {
  const kratos = { namespace, labels: PODS.kratos };
  const oathkeeper = { namespace, labels: PODS.oathkeeper };

  it('the proxy pods (namespace and labels from Envoy Gateway\'s rendering) reach Kratos\'s public port and Oathkeeper\'s proxy, and nothing else', () => {
    const proxy = proxyPod(stock);
    expect(proxy.namespace).toBe('envoy-gateway-system');
    expect(built.length).toBeGreaterThan(0);
    expect(allowed(built, proxy, kratos, PORTS.kratosPublic)).toBe(true);
    expect(allowed(built, proxy, oathkeeper, PORTS.oathkeeperProxy)).toBe(true);
    expect(allowed(built, proxy, kratos, PORTS.kratosAdmin)).toBe(false);
    expect(allowed(built, proxy, oathkeeper, PORTS.oathkeeperApi)).toBe(false);
  });

  it('a pod in the Gateway\'s namespace that is not a proxy is refused, and so is the controller itself', () => {
    expect(allowed(built, { namespace: env.gateway.namespace, labels: { app: 'something-else' } }, kratos, PORTS.kratosPublic)).toBe(false);
    expect(allowed(built, { namespace: 'envoy-gateway-system', labels: { 'app.kubernetes.io/name': 'gateway-helm', control_plane: 'envoy-gateway' } }, kratos, PORTS.kratosPublic)).toBe(false);
  });

  it('in GatewayNamespace mode the proxies run in the Gateway\'s namespace (Envoy Gateway\'s rendering), and the policies follow environment.yml', async () => {
    const config = envoyGatewayConfig(tools.helm, scratch, ['config.envoyGateway.provider.kubernetes.deploy.type=GatewayNamespace']).file;
    const result = translate(tools['eg-translate'], { config, objects, scratch, name: 'gateway-namespace' });
    const proxy = proxyPod(result);
    expect(proxy.namespace).toBe(env.gateway.namespace);
    const inGatewayNamespace = readEnvironment(stringify({ ...rawEnvironment(), gateway: { ...rawEnvironment().gateway, envoy_gateway: { namespace: 'envoy-gateway-system', deploy_mode: 'GatewayNamespace' } } }));
    expect(allowed(networkPolicies(inGatewayNamespace, namespace), proxy, kratos, PORTS.kratosPublic)).toBe(true);
    // The policies for the other mode refuse these proxies: the deploy mode must be named right (preflight checks it).
    expect(allowed(built, proxy, kratos, PORTS.kratosPublic)).toBe(false);
  });

  it('control: the old policies (the Gateway resource\'s namespace) refuse the real proxy pods', () => {
    const old = built.map((p) =>
      ['kratos-public', 'oathkeeper-proxy'].includes(p.metadata.name)
        ? { ...p, spec: { ...p.spec, ingress: p.spec.ingress.map((r) => ({ ...r, from: r.from.map((peer) => (peer.namespaceSelector ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': env.gateway.namespace } } } : peer)) })) } }
        : p,
    );
    expect(allowed(old, proxyPod(stock), kratos, PORTS.kratosPublic)).toBe(false);
    expect(allowed(old, proxyPod(stock), oathkeeper, PORTS.oathkeeperProxy)).toBe(false);
  });
});

describe('network policies: exactly the connections the setup needs', () => {
  const policies = () => built;
  const podOf = (objects, kind, name) => ({ namespace, labels: find(objects, kind, name).spec.template.metadata.labels });
  const sources = () => ({
    // The Gateway's proxy pods, where and as Envoy Gateway's own code renders them; and a pod of
    // the Gateway's namespace that is not one.
    gateway: proxyPod(stock),
    'gateway namespace, not a proxy': { namespace: env.gateway.namespace, labels: { app: 'gateway' } },
    oathkeeper: podOf(rendered.oathkeeper, 'Deployment', RELEASES.oathkeeper),
    kratos: podOf(rendered.kratos, 'Deployment', RELEASES.kratos),
    courier: podOf(rendered.kratos, 'StatefulSet', `${RELEASES.kratos}-courier`),
    'migration job': podOf(rendered.kratos, 'Job', `${RELEASES.kratos}-automigrate`),
    'database instance': { namespace, labels: { [CNPG_LABELS.cluster]: env.database.cluster } },
    'database operator': { namespace: env.database.operatorNamespace, labels: CNPG_LABELS.operator },
    backend: { namespace: env.apiUpstreamNamespace, labels: { app: 'backend' } },
    'other namespace': { namespace: 'elsewhere', labels: { app: 'x' } },
    'admin client': { namespace, labels: { app: 'ops', [ADMIN_CLIENT_LABEL]: 'true' } },
    'admin label, other namespace': { namespace: 'elsewhere', labels: { [ADMIN_CLIENT_LABEL]: 'true' } },
    'backend with the admin label': { namespace: env.apiUpstreamNamespace, labels: { [ADMIN_CLIENT_LABEL]: 'true' } },
  });
  const targets = () => ({
    'kratos public': [sources().kratos, PORTS.kratosPublic],
    'kratos admin': [sources().kratos, PORTS.kratosAdmin],
    'oathkeeper proxy': [sources().oathkeeper, PORTS.oathkeeperProxy],
    'oathkeeper api (JWKS)': [sources().oathkeeper, PORTS.oathkeeperApi],
    'oathkeeper metrics': [sources().oathkeeper, 9000],
    'courier metrics': [sources().courier, 4434],
    'database (PostgreSQL)': [sources()['database instance'], 5432],
    'database (instance manager)': [sources()['database instance'], 8000],
  });
  const EXPECTED = {
    'kratos public': ['gateway', 'oathkeeper'],
    'kratos admin': ['oathkeeper', 'admin client'],
    'oathkeeper proxy': ['gateway'],
    'oathkeeper api (JWKS)': ['backend', 'backend with the admin label'],
    'oathkeeper metrics': [],
    'courier metrics': [],
    'database (PostgreSQL)': ['kratos', 'courier', 'migration job', 'database instance', 'database operator'],
    'database (instance manager)': ['database instance', 'database operator'],
  };
  const matrix = (list) =>
    Object.fromEntries(
      Object.entries(targets()).map(([t, [pod, port]]) => [t, Object.entries(sources()).filter(([, src]) => allowed(list, src, pod, port)).map(([s]) => s)]),
    );

  it('allow exactly this table of (from, to, port), read from the kustomize build and the rendered pods\' labels', () => {
    expect(policies().map((p) => p.metadata.name).sort()).toEqual(['default-deny-ingress', 'kratos-admin', 'kratos-public', env.database.cluster, 'oathkeeper-api', 'oathkeeper-proxy'].sort());
    expect(matrix(policies())).toEqual(EXPECTED);
  });

  it('catches the mistakes that open a way in: no default deny, or a rule without its port (the check is real)', () => {
    const withoutDeny = policies().filter((p) => p.metadata.name !== 'default-deny-ingress');
    expect(matrix(withoutDeny)['courier metrics']).toContain('other namespace');
    const anyPort = policies().map((p) => (p.metadata.name === 'kratos-public' ? { ...p, spec: { ...p.spec, ingress: [{ from: p.spec.ingress[0].from }] } } : p));
    expect(matrix(anyPort)['kratos admin']).toEqual(['gateway', 'oathkeeper', 'admin client']);
  });
});

describe('preflight reads Envoy Gateway\'s configuration', () => {
  it('refuses global limits without the rate-limit service, and a deploy mode other than environment.yml\'s', () => {
    const stockText = envoyGatewayConfig(tools.helm, scratch).text;
    const globalEnv = { ...env, rateLimits: { ...env.rateLimits, mode: 'global' } };
    expect(checkEnvoyGateway(stockText, env)).toEqual([]);
    expect(checkEnvoyGateway(stockText, globalEnv)).toEqual([expect.stringMatching(/rate_limits.mode is global, but Envoy Gateway's configuration has no rateLimit/)]);
    expect(checkEnvoyGateway(envoyGatewayConfig(tools.helm, scratch, ['config.envoyGateway.rateLimit.backend.type=Redis', 'config.envoyGateway.rateLimit.backend.redis.url=redis:6379']).text, globalEnv)).toEqual([]);
    expect(checkEnvoyGateway(envoyGatewayConfig(tools.helm, scratch, ['config.envoyGateway.provider.kubernetes.deploy.type=GatewayNamespace']).text, env)).toEqual([
      expect.stringMatching(/runs its proxies in GatewayNamespace mode, but environment.yml says gateway.envoy_gateway.deploy_mode: ControllerNamespace/),
    ]);
  });
});

describe('hosts the free certificate covers', () => {
  it('every proxied host is one level under the zone (*.zone), and the session cookie is not the apex\'s', () => {
    expect(env.dns.proxied).toBe(true);
    for (const url of [env.kratos, env.api]) expect(coveredByWildcard(new URL(url).hostname, env.dns.zone_name), url).toBe(true);
    expect(env.cookieDomain).not.toBe(env.dns.zone_name);
    // The Gateway's listener serves a certificate for *.zone: the hosts it answers for must fit it.
    for (const host of servedHosts(stock).filter((h) => h !== '*')) expect(coveredByWildcard(host, env.dns.zone_name), host).toBe(true);
  });

  it('controls: a proxied host two levels down, and the apex as cookie domain, are refused with the reason', () => {
    const raw = rawEnvironment();
    expect(() => readEnvironment(stringify({ ...raw, kratos_public_url: 'https://kratos.auth.example.com', api_url: 'https://api.auth.example.com' }))).toThrow(/free certificate covers \*\.example\.com only/);
    expect(() => readEnvironment(stringify({ ...raw, cookie_domain: 'example.com' }))).toThrow(/the zone's apex/);
    // DNS only (a certificate of one's own): deeper hosts are allowed.
    expect(() => readEnvironment(stringify({ ...raw, kratos_public_url: 'https://kratos.auth.example.com', api_url: 'https://api.auth.example.com', dns: { ...raw.dns, proxied: false } }))).not.toThrow();
    expect(coveredByWildcard('kratos.id.example.com', 'example.com')).toBe(false);
  });
});

describe('rate_limits.mode', () => {
  it('local by default; global renders the same rules for the rate-limit service; off renders no policy; anything else is refused', () => {
    expect(env.rateLimits.mode).toBe('local');
    expect(Object.keys(kratosTrafficPolicy(env).spec.rateLimit)).toEqual(['local']);
    expect(kratosTrafficPolicy({ ...env, rateLimits: { ...env.rateLimits, mode: 'global' } }).spec.rateLimit.global.rules).toEqual(kratosTrafficPolicy(env).spec.rateLimit.local.rules);
    const off = kratosTrafficPolicy({ ...env, rateLimits: { ...env.rateLimits, mode: 'off' } });
    expect(off.spec.rateLimit).toBeUndefined();
    expect(off.spec.retry).toEqual(kratosTrafficPolicy(env).spec.retry); // the retries stay
    const raw = rawEnvironment();
    expect(() => readEnvironment(stringify({ ...raw, rate_limits: { ...raw.rate_limits, mode: 'regional' } }))).toThrow(/rate_limits.mode must be one of local, global, off/);
  });

  it('local limits fit Envoy Gateway\'s maximum of 16 rules', () => {
    expect(kratosTrafficPolicy(env).spec.rateLimit.local.rules.length).toBeLessThanOrEqual(16);
  });
});

function rawEnvironment() {
  return docs(readFileSync(join(ROOT, 'infra', 'k8s', 'environment.yml'), 'utf8'))[0];
}
