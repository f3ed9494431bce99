import type {
  AuthzConditionXds,
  AuthzPolicyXds,
  AuthzValueXds,
  LinkerdResources,
  MeshTLSAuthenticationSpec,
  Pod,
  Resource,
  ServerSpec,
} from '../../../model/index.ts';
import { matchesLabels } from '../../../model/index.ts';
import { resourceRef, type DiagnosticSink } from '../DiagnosticSink.ts';

/**
 * A meshed pod's inbound authorization under Linkerd, as the engine's
 * ALLOW policies (the request passes when one matches). Ports no Server
 * covers follow the default inbound policy, `all-unauthenticated` (Linkerd's
 * install default): anyone. A port a Server covers takes only what its
 * `accessPolicy` (default `deny`) and the AuthorizationPolicies targeting it
 * allow; an AuthorizationPolicy requires every MeshTLSAuthentication it
 * names, each satisfied by one of its identities. No Server for the pod: no
 * policy at all.
 */
export function compileLinkerdAuthz(linkerd: LinkerdResources, pod: Pod, trustDomain: string, diagnostics: DiagnosticSink): AuthzPolicyXds[] {
  const servers = linkerd.servers.filter((s) => s.metadata.namespace === pod.namespace && matchesLabels(s.spec.podSelector?.matchLabels ?? {}, pod.labels));
  if (servers.length === 0) return [];
  const covered: Array<{ server: Resource<ServerSpec>; port: number }> = [];
  for (const server of servers) {
    if (typeof server.spec.port === 'number') covered.push({ server, port: server.spec.port });
    else diagnostics.report('LinkerdTargetUnknown', { resource: server, path: 'spec.port' }, { kind: 'named container port', name: server.spec.port });
  }
  const policies: AuthzPolicyXds[] = [
    {
      name: 'the default inbound policy (all-unauthenticated)',
      action: 'ALLOW',
      rules: [{ path: 'rules[0]', from: [], to: [[{ field: 'port', attribute: { kind: 'port' }, values: covered.map(({ port }) => portValue(port)), negate: true }]], when: [] }],
    },
  ];
  for (const { server, port } of covered) {
    const toPort: AuthzConditionXds[][] = [[{ field: 'spec.port', attribute: { kind: 'port' }, values: [portValue(port)], negate: false }]];
    const access = server.spec.accessPolicy ?? 'deny';
    if (access !== 'deny') {
      const anyone = access === 'all-unauthenticated' || access === 'cluster-unauthenticated' || access === 'audit';
      const from = anyone ? [] : [[{ field: 'spec.accessPolicy', attribute: { kind: 'principal' as const }, values: [{ kind: 'presence' as const, text: '*' }], negate: false }]];
      policies.push({ name: `${resourceRef(server)} accessPolicy ${access}`, action: 'ALLOW', rules: [{ path: 'spec.accessPolicy', from, to: toPort, when: [] }] });
    }
    for (const policy of linkerd.authorizationPolicies) {
      const target = policy.spec.targetRef;
      if (policy.metadata.namespace !== server.metadata.namespace || target.kind !== 'Server' || target.name !== server.metadata.name) continue;
      const source: AuthzConditionXds[] = [];
      for (const [i, ref] of policy.spec.requiredAuthenticationRefs.entries()) {
        const mtls = ref.kind === 'MeshTLSAuthentication'
          ? linkerd.meshTLSAuthentications.find((m) => m.metadata.name === ref.name && m.metadata.namespace === (ref.namespace ?? policy.metadata.namespace))
          : undefined;
        if (!mtls) {
          diagnostics.report('LinkerdTargetUnknown', { resource: policy, path: `spec.requiredAuthenticationRefs[${i}]` }, { kind: ref.kind, name: ref.name });
          source.push({ field: `spec.requiredAuthenticationRefs[${i}]`, attribute: { kind: 'principal' }, values: [], negate: false });
          continue;
        }
        source.push({ field: `${resourceRef(mtls)} identities`, attribute: { kind: 'serviceAccount' }, values: identityValues(mtls.spec, trustDomain, mtls.metadata.namespace), negate: false });
      }
      policies.push({ name: resourceRef(policy), action: 'ALLOW', rules: [{ path: 'spec', from: [source], to: toPort, when: [] }] });
    }
  }
  for (const policy of linkerd.authorizationPolicies) {
    const target = policy.spec.targetRef;
    const exists = target.kind === 'Server' && linkerd.servers.some((s) => s.metadata.name === target.name && s.metadata.namespace === policy.metadata.namespace);
    if (!exists && policy.metadata.namespace === pod.namespace) diagnostics.report('LinkerdTargetUnknown', { resource: policy, path: 'spec.targetRef' }, { kind: target.kind, name: target.name });
  }
  return policies;
}

function portValue(port: number): AuthzValueXds {
  return { kind: 'port', port, text: String(port) };
}

/**
 * A MeshTLSAuthentication's identities as service-account values: Linkerd's
 * identity names `<sa>.<ns>.serviceaccount.identity.<cp-ns>.<trust-domain>`
 * (§6.4), `*` for any meshed client, and ServiceAccount references.
 */
function identityValues(spec: MeshTLSAuthenticationSpec, trustDomain: string, namespace: string): AuthzValueXds[] {
  const out: AuthzValueXds[] = [];
  for (const identity of spec.identities ?? []) {
    if (identity === '*') {
      out.push({ kind: 'presence', text: '*' });
      continue;
    }
    const parts = new RegExp(`^([^.]+)\\.([^.]+)\\.serviceaccount\\.identity\\.[^.]+\\.${trustDomain.replace(/\./g, '\\.')}$`).exec(identity);
    if (parts) out.push({ kind: 'serviceAccount', namespace: parts[2] as string, name: parts[1] as string, text: identity });
  }
  for (const ref of spec.identityRefs ?? []) {
    if (ref.kind === 'ServiceAccount' && ref.name) out.push({ kind: 'serviceAccount', namespace: ref.namespace ?? namespace, name: ref.name, text: `ServiceAccount ${ref.namespace ?? namespace}/${ref.name}` });
  }
  return out;
}
