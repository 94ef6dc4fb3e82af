// @vitest-environment node
// The NetworkPolicy evaluator's own semantics, one rule each, against the API reference
// (networking.k8s.io/v1): the policy tests in charts.spec.mjs and edge.spec.mjs rest on these.
import { describe, expect, it } from 'vitest';
import { allowed, selects, UnmodelledPolicy } from './network-policy.mjs';

const pod = (namespace, labels = {}, namespaceLabels = {}) => ({ namespace, labels, namespaceLabels });
const policy = (namespace, spec, name = 'p') => ({ kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const web = pod('app', { app: 'web' });
const client = pod('app', { app: 'client' });
const stranger = pod('other', { app: 'client' });

describe('label selectors', () => {
  it('{} selects every pod, matchLabels every label given, and a missing selector nothing', () => {
    expect(selects({}, { a: '1' })).toBe(true);
    expect(selects({ matchLabels: { a: '1', b: '2' } }, { a: '1' })).toBe(false);
    expect(selects({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selects(undefined, { a: '1' })).toBe(false);
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist, and an unknown operator is refused', () => {
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' })).toBe(false);
    expect(() => selects({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, { a: '2' })).toThrow(/unknown selector operator/);
  });
});

describe('ingress', () => {
  it('a pod no policy selects accepts everything; once selected, only what a rule allows', () => {
    expect(allowed([], stranger, web, 80)).toBe(true);
    const deny = policy('app', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(allowed([deny], client, web, 80)).toBe(false);
    // A policy in another namespace does not select this pod.
    expect(allowed([policy('other', { podSelector: {}, policyTypes: ['Ingress'] })], client, web, 80)).toBe(true);
  });

  it('rules of all the policies that select a pod add up', () => {
    const a = policy('app', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }] }, 'a');
    const b = policy('app', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9000 }] }] }, 'b');
    expect(allowed([a, b], client, web, 80)).toBe(true);
    expect(allowed([a, b], stranger, web, 80)).toBe(false);
    expect(allowed([a, b], stranger, web, 9000)).toBe(true);
  });

  it('podSelector alone: pods of the policy\'s namespace only; namespaceSelector alone: every pod there; both: pods matching both', () => {
    const onlyPods = policy('app', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] });
    expect(allowed([onlyPods], client, web, 80)).toBe(true);
    expect(allowed([onlyPods], stranger, web, 80)).toBe(false);
    const onlyNamespace = policy('app', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] }] });
    expect(allowed([onlyNamespace], stranger, web, 80)).toBe(true);
    expect(allowed([onlyNamespace], pod('other', {}), web, 80)).toBe(true);
    expect(allowed([onlyNamespace], client, web, 80)).toBe(false);
    const both = policy('app', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'client' } } }] }] });
    expect(allowed([both], stranger, web, 80)).toBe(true);
    expect(allowed([both], pod('other', { app: 'x' }), web, 80)).toBe(false);
    expect(allowed([both], client, web, 80)).toBe(false);
  });

  it('namespaces carry kubernetes.io/metadata.name and their own labels', () => {
    const byLabel = policy('app', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'edge' } } }] }] });
    expect(allowed([byLabel], pod('other', {}, { team: 'edge' }), web, 80)).toBe(true);
    expect(allowed([byLabel], pod('other', {}), web, 80)).toBe(false);
  });

  it('no from: any source; no ports: any port; a named port resolves on the target; endPort makes a range', () => {
    const anyone = policy('app', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
    expect(allowed([anyone], stranger, web, 80)).toBe(true);
    expect(allowed([anyone], stranger, web, 81)).toBe(false);
    const anyPort = policy('app', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(allowed([anyPort], client, web, 12345)).toBe(true);
    const named = policy('app', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] });
    expect(allowed([named], client, { ...web, namedPorts: { http: 8080 } }, 8080)).toBe(true);
    expect(allowed([named], client, { ...web, namedPorts: { http: 8080 } }, 80)).toBe(false);
    expect(allowed([named], client, web, 8080)).toBe(false);
    const range = policy('app', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8010 }] }] });
    expect([7999, 8000, 8010, 8011].map((p) => allowed([range], client, web, p))).toEqual([false, true, true, false]);
  });
});

describe('what it does not model, it refuses', () => {
  const refuses = (spec) => expect(() => allowed([policy('app', spec)], client, web, 80)).toThrow(UnmodelledPolicy);

  it('egress: policyTypes Egress, or egress rules', () => {
    refuses({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    refuses({ podSelector: {}, egress: [{}] });
  });

  it('a policy without podSelector (Kubernetes: every pod; a reading of "none" would be wrong)', () => {
    refuses({ policyTypes: ['Ingress'] });
  });

  it('ipBlock peers, a peer with no selector, and ports other than TCP', () => {
    refuses({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
    refuses({ podSelector: {}, ingress: [{ from: [{}] }] });
    refuses({ podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP', port: 53 }] }] });
  });

  it('refuses even a policy that does not select the target (it would change the answer elsewhere)', () => {
    const egressElsewhere = policy('other', { podSelector: {}, policyTypes: ['Egress'] });
    expect(() => allowed([egressElsewhere], client, web, 80)).toThrow(UnmodelledPolicy);
  });
});
