// The edge as Envoy Gateway runs it: what a cluster's Envoy Gateway v1.9.1 is given (the Gateway
// of infra/k8s/gateway, the routes and policies of infra/k8s, the Services the charts make, the
// GatewayClass of Envoy Gateway's quickstart) translated by Envoy Gateway's own code
// (infra/checks/envoy-gateway/translate.go) under the EnvoyGateway configuration its own Helm chart
// renders, and questions asked of the result: the statuses it gives each object, the routes Envoy
// would pick for a request, the limits and CORS on them, and the proxy pods' namespace and labels.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { moduleDir } from './schemas.mjs';

export const ENVOY_GATEWAY = { module: 'github.com/envoyproxy/gateway', version: 'v1.9.1' };
export const GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

/** The objects of a multi-document YAML text. */
export const docs = (text) => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);

/**
 * The EnvoyGateway configuration Envoy Gateway's Helm chart (charts/gateway-helm at v1.9.1)
 * gives its controller: the ConfigMap envoy-gateway-config, key envoy-gateway.yaml. `set` takes
 * helm --set values, e.g. the rate-limit backend an operator adds for global limits.
 */
export function envoyGatewayConfig(helm, scratch, set = []) {
  const chart = join(moduleDir(ENVOY_GATEWAY.module, ENVOY_GATEWAY.version), 'charts', 'gateway-helm');
  // The released chart's values.yaml is this template with the release's image filled in.
  const values = join(scratch, 'envoy-gateway-values.yaml');
  writeFileSync(
    values,
    readFileSync(join(chart, 'values.tmpl.yaml'), 'utf8')
      .replace('${GatewayImage}', `docker.io/envoyproxy/gateway:${ENVOY_GATEWAY.version}`)
      .replace('${GatewayImagePullPolicy}', 'IfNotPresent'),
  );
  const args = ['template', 'eg', chart, '--namespace', 'envoy-gateway-system', '--values', values, '--set', 'crds.enabled=false'];
  for (const s of set) args.push('--set', s);
  const r = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helm template of Envoy Gateway's chart: ${r.stderr}`);
  const cm = docs(r.stdout).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'envoy-gateway-config');
  const file = join(scratch, `envoy-gateway-${set.length ? 'custom' : 'stock'}.yaml`);
  writeFileSync(file, cm.data['envoy-gateway.yaml']);
  return { file, text: cm.data['envoy-gateway.yaml'] };
}

/** The GatewayClass Envoy Gateway's quickstart creates (examples/kubernetes/quickstart.yaml), by the name environment.yml gives. */
export function quickstartGatewayClass(name) {
  const file = join(moduleDir(ENVOY_GATEWAY.module, ENVOY_GATEWAY.version), 'examples', 'kubernetes', 'quickstart.yaml');
  const gc = docs(readFileSync(file, 'utf8')).find((o) => o.kind === 'GatewayClass');
  if (gc.spec.controllerName !== GATEWAY_CONTROLLER) throw new Error(`quickstart.yaml's GatewayClass has controller ${gc.spec.controllerName}`);
  return { ...gc, metadata: { ...gc.metadata, name } };
}

/** A kubernetes.io/tls Secret with a self-signed certificate for *.zone (the listener's certificate). */
export function tlsSecret(name, namespace, zone, scratch) {
  const key = join(scratch, 'tls.key');
  const crt = join(scratch, 'tls.crt');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=*.${zone}`, '-addext', `subjectAltName=DNS:*.${zone},DNS:${zone}`, '-keyout', key, '-out', crt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  const b64 = (f) => Buffer.from(readFileSync(f)).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace }, data: { 'tls.crt': b64(crt), 'tls.key': b64(key) } };
}

/**
 * Runs the translator. `objects`: everything the cluster holds that Envoy Gateway reads.
 * Returns { resources, xds, proxies } (translate.go's output).
 */
export function translate(bin, { config, objects, scratch, controllerNamespace = 'envoy-gateway-system', name = 'input' }) {
  const input = join(scratch, `${name}.yaml`);
  writeFileSync(input, objects.map((o) => stringify(o)).join('---\n'));
  const r = spawnSync(bin, ['-config', config, '-resources', input, '-controller-namespace', controllerNamespace], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`Envoy Gateway's translator: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The conditions an object got, by type: { Accepted: { status, reason, message }, … }. */
export function conditions(result, kind, name) {
  const list = {
    HTTPRoute: result.resources.httpRoutes,
    Gateway: result.resources.gateways,
    BackendTrafficPolicy: result.resources.backendTrafficPolicies,
    SecurityPolicy: result.resources.securityPolicies,
    ClientTrafficPolicy: result.resources.clientTrafficPolicies,
  }[kind] ?? [];
  const object = list.find((o) => o.metadata.name === name);
  if (!object) throw new Error(`the translator's output has no ${kind} ${name}`);
  // Routes and policies report per parent / ancestor; a Gateway per listener (the translator
  // leaves the Gateway's own conditions to the status updater, which reads the deployed proxies).
  const sets = kind === 'Gateway' ? (object.status?.listeners ?? []).map((l) => l.conditions ?? []) : (object.status?.parents ?? object.status?.ancestors ?? []).map((p) => p.conditions ?? []);
  const merged = {};
  for (const set of sets) for (const c of set) if (!merged[c.type] || c.status !== 'True') merged[c.type] = { status: c.status, reason: c.reason, message: c.message };
  return merged;
}

/** Every xDS route configuration's virtual hosts, with the host names each serves. */
function virtualHosts(result) {
  return Object.values(result.xds).flatMap((x) => (x.routes ?? []).flatMap((rc) => rc.virtualHosts ?? []));
}

/** Whether an xDS route match takes this path (prefix, path_separated_prefix, exact path, safe regex). */
function routeMatches(match, path) {
  const bare = path.split('?')[0];
  if (match.prefix !== undefined) return bare.startsWith(match.prefix);
  if (match.pathSeparatedPrefix !== undefined) return bare === match.pathSeparatedPrefix || bare.startsWith(`${match.pathSeparatedPrefix}/`);
  if (match.path !== undefined) return bare === match.path;
  if (match.safeRegex) return new RegExp(`^(?:${match.safeRegex.regex})$`).test(bare);
  throw new Error(`a route match this check does not know: ${JSON.stringify(match)}`);
}

function headersMatch(route, method) {
  return (route.match.headers ?? []).every((h) => {
    if (h.name !== ':method') throw new Error(`a route header match this check does not know: ${JSON.stringify(h)}`);
    return stringMatches(h.stringMatch, method) !== Boolean(h.invertMatch);
  });
}

/**
 * The route Envoy picks for a request: the virtual host serving the host name (exact, then the
 * longest wildcard, then "*"), then the first route whose match takes the path and method (Envoy
 * tries routes in order). Returns { virtualHost, route } or null (Envoy answers 404).
 */
export function pickRoute(result, host, method, path) {
  const hosts = virtualHosts(result);
  const exact = hosts.find((v) => v.domains.includes(host));
  const wildcard = hosts
    .flatMap((v) => v.domains.filter((d) => d.startsWith('*.') && host.endsWith(d.slice(1))).map((d) => [d.length, v]))
    .sort((a, b) => b[0] - a[0])[0]?.[1];
  const virtualHost = exact ?? wildcard ?? hosts.find((v) => v.domains.includes('*'));
  if (!virtualHost) return null;
  const route = (virtualHost.routes ?? []).find((r) => routeMatches(r.match, path) && headersMatch(r, method));
  return route ? { virtualHost, route } : null;
}

/** The host names the xDS serves (every virtual host's domains). */
export function servedHosts(result) {
  return [...new Set(virtualHosts(result).flatMap((v) => v.domains))].sort();
}

const LOCAL_RATE_LIMIT = 'envoy.filters.http.local_ratelimit';
const CORS = 'envoy.filters.http.cors';

/** Whether an Envoy StringMatcher takes this value (exact, prefix, safe regex: RE2, whole value). */
function stringMatches(m = {}, value) {
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.safeRegex) return new RegExp(`^(?:${m.safeRegex.regex})$`).test(value);
  throw new Error(`a string matcher this check does not know: ${JSON.stringify(m)}`);
}

/** Whether an address (IPv4 or IPv6, as text) is inside a CIDR range of an address matcher. */
function inRange(address, { addressPrefix, prefixLen = 0 }) {
  const bits = (a) => {
    if (a.includes(':')) {
      const [head, tail = ''] = a.split('::');
      const parts = [...head.split(':').filter(Boolean), ...Array(8 - head.split(':').filter(Boolean).length - tail.split(':').filter(Boolean).length).fill('0'), ...tail.split(':').filter(Boolean)];
      return parts.map((h) => parseInt(h, 16).toString(2).padStart(16, '0')).join('');
    }
    return a.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  };
  if (address.includes(':') !== addressPrefix.includes(':')) return false;
  return bits(address).slice(0, prefixLen) === bits(addressPrefix).slice(0, prefixLen);
}

const DOWNSTREAM_ADDRESS = '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%';

/**
 * The limits a route puts on one request (method, path, client address), as Envoy's local rate
 * limit filter would find them: each rate_limits entry of the route's per-filter config makes its
 * descriptor entries from its actions (and makes none when an action does not apply: a
 * header_value_match that does not match, a remote_address_match out of range), and the
 * descriptors whose entries equal them (an entry without a value takes any) give their token
 * buckets. Returns [{ requests, seconds, perClient }]; global limits (a route's rate_limits,
 * counted by the rate-limit service) as [{ global }]. An empty list: nothing limits it.
 */
export function limitsOn(route, method, path, client = '203.0.113.7') {
  const limits = [];
  const local = route.typedPerFilterConfig?.[LOCAL_RATE_LIMIT];
  for (const rl of local?.rateLimits ?? []) {
    const entries = [];
    let applies = true;
    for (const action of rl.actions ?? []) {
      if (action.headerValueMatch) {
        const a = action.headerValueMatch;
        const matched = a.headers.every((h) => {
          const value = h.name === ':method' ? method : h.name === ':path' ? path : null;
          if (value === null) throw new Error(`a rate limit header this check does not know: ${h.name}`);
          return stringMatches(h.stringMatch, value) !== Boolean(h.invertMatch);
        });
        if (matched !== (a.expectMatch ?? true)) applies = false;
        entries.push({ key: a.descriptorKey, value: a.descriptorValue });
      } else if (action.remoteAddressMatch) {
        const a = action.remoteAddressMatch;
        if (!(a.addressMatcher?.ranges ?? []).some((r) => inRange(client, r))) applies = false;
        entries.push({ key: a.descriptorKey, value: a.descriptorValue === DOWNSTREAM_ADDRESS ? client : a.descriptorValue, perClient: a.descriptorValue === DOWNSTREAM_ADDRESS });
      } else {
        throw new Error(`a rate limit action this check does not know: ${JSON.stringify(action)}`);
      }
    }
    if (!applies) continue;
    for (const d of local.descriptors ?? []) {
      const fits = d.entries.length === entries.length && d.entries.every((e, i) => e.key === entries[i].key && (e.value === undefined || e.value === entries[i].value));
      if (fits) limits.push({ requests: d.tokenBucket.maxTokens, seconds: Number.parseInt(d.tokenBucket.fillInterval, 10), perClient: entries.some((e) => e.perClient) });
    }
  }
  for (const rl of route.route?.rateLimits ?? []) limits.push({ global: rl });
  return limits;
}

/** The CORS policy a route carries (Envoy's per-route CorsPolicy), or null. */
export function corsOn(route) {
  return route.typedPerFilterConfig?.[CORS] ?? null;
}

/** The HTTP filters of the listeners, in the order Envoy runs them on a request. */
export function httpFilters(result) {
  const names = [];
  for (const x of Object.values(result.xds)) {
    for (const listener of x.listeners ?? []) {
      for (const chain of listener.filterChains ?? []) {
        for (const f of chain.filters ?? []) {
          const hcm = f.typedConfig;
          if (hcm?.httpFilters) names.push(hcm.httpFilters.map((h) => h.name));
        }
      }
    }
  }
  return names;
}

/**
 * The EndpointSlices a cluster's EndpointSlice controller makes for these Services once their pods
 * are ready: for each Service, the pods of `workloads` (Deployments, StatefulSets) its selector
 * picks, each Service port resolved to the pod's port (a named targetPort by the container's port
 * name), one ready address per replica. Envoy Gateway routes to these endpoints (its default).
 */
export function endpointSlices(services, workloads) {
  let host = 10;
  return services.map((svc) => {
    const pods = workloads.filter((w) => Object.entries(svc.spec.selector ?? {}).every(([k, v]) => w.spec.template.metadata.labels?.[k] === v));
    if (pods.length === 0) throw new Error(`Service ${svc.metadata.name} selects no pod of the rendering`);
    const containerPorts = pods.flatMap((w) => w.spec.template.spec.containers.flatMap((c) => c.ports ?? []));
    const ports = svc.spec.ports.map((p) => {
      const target = p.targetPort ?? p.port;
      const number = typeof target === 'number' ? target : containerPorts.find((c) => c.name === target)?.containerPort;
      if (number === undefined) throw new Error(`Service ${svc.metadata.name}: no container port named ${target}`);
      return { name: p.name, port: number, protocol: p.protocol ?? 'TCP' };
    });
    const addresses = pods.flatMap((w) => Array.from({ length: w.spec.replicas ?? 1 }, () => `10.1.0.${(host += 1)}`));
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${svc.metadata.name}-ready`, namespace: svc.metadata.namespace, labels: { 'kubernetes.io/service-name': svc.metadata.name } },
      addressType: 'IPv4',
      ports,
      endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })),
    };
  });
}
