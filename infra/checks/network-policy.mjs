// Kubernetes NetworkPolicy ingress semantics, to ask rendered policies "may A connect to B on
// port P?" (networking.k8s.io/v1, as the API reference defines it):
//
// - A pod selected by no Ingress policy of its namespace accepts everything.
// - A pod selected by at least one accepts only what some rule of those policies allows.
// - A rule allows a connection when one of its `from` peers matches the source (no `from`: any
//   source) and one of its `ports` matches (no `ports`: any port).
// - A peer with podSelector alone: pods of the policy's namespace; namespaceSelector alone: every
//   pod of the matching namespaces; both: pods matching both.
// Namespaces carry the label kubernetes.io/metadata.name, as the API server sets it.
//
// What it does not model it refuses (UnmodelledPolicy) rather than answer wrongly: egress (a
// policyTypes with Egress, or egress rules), a policy without spec.podSelector (the API requires
// it; {} selects every pod), ipBlock peers (addresses, not pods), a port protocol other than TCP,
// and a peer with neither selector.

export class UnmodelledPolicy extends Error {}

/** Refuses a policy whose meaning this evaluator does not model. */
export function checkModelled(policy) {
  const name = `NetworkPolicy ${policy.metadata?.namespace ?? '?'}/${policy.metadata?.name ?? '?'}`;
  const spec = policy.spec ?? {};
  if (spec.podSelector === undefined || spec.podSelector === null) throw new UnmodelledPolicy(`${name} has no podSelector (the API requires one; {} selects every pod)`);
  if ((spec.policyTypes ?? []).some((t) => t !== 'Ingress') || spec.egress !== undefined) throw new UnmodelledPolicy(`${name} has egress rules or policyTypes other than Ingress, which this evaluator does not model`);
  for (const rule of spec.ingress ?? []) {
    for (const peer of rule.from ?? []) {
      if (peer.ipBlock) throw new UnmodelledPolicy(`${name} has an ipBlock peer (addresses, not pods), which this evaluator does not model`);
      if (!peer.podSelector && !peer.namespaceSelector) throw new UnmodelledPolicy(`${name} has a peer with neither podSelector nor namespaceSelector`);
    }
    for (const port of rule.ports ?? []) {
      if (port.protocol && port.protocol !== 'TCP') throw new UnmodelledPolicy(`${name} has a ${port.protocol} port; this evaluator models TCP only`);
    }
  }
}

/** Whether labels satisfy a LabelSelector (matchLabels and matchExpressions; {} selects all). */
export function selects(selector, labels = {}) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) throw new Error(`unknown selector operator ${operator}`);
  }
  return true;
}

const nsLabels = (pod) => ({ ...(pod.namespaceLabels ?? {}), 'kubernetes.io/metadata.name': pod.namespace });

function peerMatches(peer, policyNamespace, source) {
  const podOk = peer.podSelector ? selects(peer.podSelector, source.labels) : true;
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels(source)) : source.namespace === policyNamespace;
  return podOk && nsOk;
}

function portMatches(port, target, portNumber) {
  if (port.port === undefined) return true;
  const number = typeof port.port === 'string' ? target.namedPorts?.[port.port] : port.port;
  if (number === undefined) return false;
  return portNumber >= number && portNumber <= (port.endPort ?? number);
}

/**
 * @param {object[]} policies  NetworkPolicy objects
 * @param {{ namespace: string, labels: object, namespaceLabels?: object }} source
 * @param {{ namespace: string, labels: object, namedPorts?: Record<string, number> }} target
 * @param {number} port        TCP port on the target pod
 */
export function allowed(policies, source, target, port) {
  for (const p of policies) if (p.kind === 'NetworkPolicy') checkModelled(p);
  const applying = policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      (p.metadata.namespace ?? target.namespace) === target.namespace &&
      selects(p.spec.podSelector, target.labels),
  );
  if (applying.length === 0) return true;
  return applying.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule) =>
        (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, p.metadata.namespace ?? target.namespace, source))) &&
        (!rule.ports || rule.ports.length === 0 || rule.ports.some((pp) => portMatches(pp, target, port))),
    ),
  );
}
