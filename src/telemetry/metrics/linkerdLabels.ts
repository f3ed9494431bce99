import { linkerdIdentity } from '../../model/index.ts';
import type { LinkerdResources, Pod, RouteOrigin } from '../../model/index.ts';

/*
 * linkerd-proxy's metric names, labels and buckets, read in linkerd/linkerd2-proxy
 * at 29637b64f6cebedaf15bfbf516818d7a28a4d5a6 (and the destination and policy
 * controllers' label values in linkerd/linkerd2 at b24cd4059841f8cee2fb7a9c2ac23a693c583579).
 */

/** `linkerd/metrics/src/latency.rs` `BOUNDS`: `response_latency_ms`'s upper bounds in ms (then +Inf). */
export const LINKERD_LATENCY_BUCKETS: readonly number[] = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

/** `app/outbound/src/http/logical/policy/route/metrics.rs` `REQUEST_BUCKETS`: the route's request duration, in seconds. */
export const LINKERD_ROUTE_REQUEST_BUCKETS: readonly number[] = [0.05, 0.5, 1, 10];

type Pairs = Array<[string, string]>;

/** Where the callee's proxy was reached: `target_addr`, `target_ip`, `target_port` (`app/core/src/transport/labels.rs` `TargetAddr`). */
export function targetLabels(ip: string, port: number): Pairs {
  return [
    ['target_addr', `${ip}:${port}`],
    ['target_ip', ip],
    ['target_port', String(port)],
  ];
}

/**
 * The destination controller's metric labels for an endpoint (`pkg/k8s/labels.go`
 * `GetPodLabels` plus the Service's `namespace` and `service`, `zone` and
 * `zone_locality`), `dst_`-prefixed and in key order as the proxy keeps
 * them (`proxy/api-resolve/src/metadata.rs`: a BTreeMap).
 */
export function dstLabels(pod: Pod, service: { name: string; namespace: string }, meshed: boolean): Pairs {
  const labels: Record<string, string> = { pod: pod.name, serviceaccount: pod.serviceAccount, namespace: service.namespace, service: service.name, zone: '', zone_locality: 'unknown' };
  const owner = ownerOf(pod);
  labels[owner.kind] = owner.name;
  if (meshed) labels['control_plane_ns'] = 'linkerd';
  const hash = pod.labels['pod-template-hash'];
  if (hash !== undefined) labels['pod_template_hash'] = hash;
  return Object.keys(labels)
    .sort()
    .map((k) => [`dst_${k}`, labels[k] as string]);
}

/** The pod's owner as Linkerd names it (`KindToL5DLabel`): a Deployment's pods carry a pod-template-hash, a StatefulSet's their pod name label. */
export function ownerOf(pod: Pod): { kind: string; name: string } {
  if (pod.labels['pod-template-hash'] !== undefined) return { kind: 'deployment', name: pod.workload };
  if (pod.labels['statefulset.kubernetes.io/pod-name'] !== undefined) return { kind: 'statefulset', name: pod.workload };
  return { kind: 'pod', name: pod.name };
}

/** The client side's TLS labels (`TlsConnect`): the server's identity, or why there was none. */
export function tlsConnect(mtls: boolean, callee: Pod, trustDomain: string): Pairs {
  return mtls
    ? [
        ['tls', 'true'],
        ['server_id', linkerdIdentity(trustDomain, callee.namespace, callee.serviceAccount)],
      ]
    : [
        ['tls', 'no_identity'],
        ['no_tls_reason', 'not_provided_by_service_discovery'],
      ];
}

/** The server side's TLS labels (`TlsAccept`): the client's identity, or `no_tls_from_remote` for plaintext. */
export function tlsAccept(mtls: boolean, caller: Pod | undefined, trustDomain: string): Pairs {
  return mtls && caller
    ? [
        ['tls', 'true'],
        ['client_id', linkerdIdentity(trustDomain, caller.namespace, caller.serviceAccount)],
      ]
    : [
        ['tls', 'no_identity'],
        ['no_tls_reason', 'no_tls_from_remote'],
      ];
}

/**
 * The inbound policy labels (`ServerLabel`, `RouteLabels`, `RouteAuthzLabels`
 * in `app/core/src/metrics.rs`): the Server covering the port, else the
 * default policy `all-unauthenticated` (`app/inbound/src/policy/defaults.rs`:
 * a `default`-kind server, route `default` and authorization of that name).
 * With a Server, the authorization named is its `accessPolicy` when it
 * allows traffic itself, else the first AuthorizationPolicy that targets it
 * (by name): meshviz does not record which of several allowed a request.
 */
export function inboundPolicyLabels(linkerd: LinkerdResources, pod: Pod, port: number): Pairs {
  const server = linkerd.servers.find((s) => s.metadata.namespace === pod.namespace && s.spec.port === port && Object.entries(s.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => pod.labels[k] === v));
  if (!server) return policyLabels(['', 'default', 'all-unauthenticated'], port, ['', 'default', 'default'], ['', 'default', 'all-unauthenticated']);
  const access = server.spec.accessPolicy ?? 'deny';
  const policy = linkerd.authorizationPolicies
    .filter((p) => p.metadata.namespace === server.metadata.namespace && p.spec.targetRef.kind === 'Server' && p.spec.targetRef.name === server.metadata.name)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
  const authz: [string, string, string] = access !== 'deny' || !policy ? ['', 'default', access] : ['policy.linkerd.io', 'authorizationpolicy', policy.metadata.name];
  return policyLabels(['policy.linkerd.io', 'server', server.metadata.name], port, ['', 'default', 'default'], authz);
}

function policyLabels(srv: [string, string, string], port: number, route: [string, string, string], authz: [string, string, string]): Pairs {
  return [
    ['srv_group', srv[0]],
    ['srv_kind', srv[1]],
    ['srv_name', srv[2]],
    ['srv_port', String(port)],
    ['route_group', route[0]],
    ['route_kind', route[1]],
    ['route_name', route[2]],
    ['authz_group', authz[0]],
    ['authz_kind', authz[1]],
    ['authz_name', authz[2]],
  ];
}

/** A ServiceProfile route's labels (`ProfileRouteLabels`): `direction`, `dst` (the logical address) and `rt_route` for a named route. */
export function profileRouteLabels(host: string, port: number, routeName: string | undefined): Pairs {
  const pairs: Pairs = [
    ['direction', 'outbound'],
    ['dst', `${host}:${port}`],
  ];
  if (routeName !== undefined) pairs.push(['rt_route', routeName]);
  return pairs;
}

/**
 * An outbound policy route's labels (`app/outbound/src/metrics.rs`
 * `ParentRef` / `RouteRef`, then `hostname`): the parent Service (group
 * `core`, as the policy controller sends it) and the HTTPRoute, or the
 * controller's default route (`Kind::Default("http")`: group, namespace
 * empty, kind `default`).
 */
export function policyRouteLabels(service: { name: string; namespace: string }, port: number, route: { group: string; namespace: string; name: string } | undefined): Pairs {
  return [
    ['parent_group', 'core'],
    ['parent_kind', 'Service'],
    ['parent_namespace', service.namespace],
    ['parent_name', service.name],
    ['parent_port', String(port)],
    ['parent_section_name', ''],
    ['route_group', route ? route.group : ''],
    ['route_kind', route ? 'HTTPRoute' : 'default'],
    ['route_namespace', route ? route.namespace : ''],
    ['route_name', route ? route.name : 'http'],
  ];
}

/** Which kind of route served a request under Linkerd: a ServiceProfile's (legacy route metrics), or a policy route. */
export type LinkerdRoute = { kind: 'profile'; name: string | undefined } | { kind: 'policy'; route: { group: string; namespace: string; name: string } | undefined };

/** What the compiled route's origin was, read against the scenario's Linkerd resources (the HTTPRoute's API group, the ServiceProfile route's name). */
export function linkerdRouteOf(origin: RouteOrigin | undefined, linkerd: LinkerdResources, host: string, namespace: string): LinkerdRoute {
  if (origin?.kind === 'httpRoute') {
    const [kind, ns = '', name = ''] = origin.resource.split('/');
    if (kind === 'ServiceProfile') {
      const profile = linkerd.serviceProfiles.find((p) => p.metadata.namespace === ns && p.metadata.name === name);
      return { kind: 'profile', name: profile?.spec.routes?.[origin.ruleIndex]?.name };
    }
    const route = linkerd.httpRoutes.find((r) => r.metadata.namespace === ns && r.metadata.name === name);
    return { kind: 'policy', route: { group: (route?.apiVersion ?? 'policy.linkerd.io/').split('/')[0] as string, namespace: ns, name } };
  }
  // The default route: a ServiceProfile's own, when the Service has one (§10: a ServiceProfile wins).
  const hasProfile = linkerd.serviceProfiles.some((p) => p.metadata.name === host && p.metadata.namespace === namespace);
  return hasProfile ? { kind: 'profile', name: undefined } : { kind: 'policy', route: undefined };
}
