import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { exportScenario, loadScenario } from '../../src/istio/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';

/**
 * Export keeps the cluster's Nodes and which node each pod runs on, so a cluster export's
 * localities survive load → export → load. istiod takes a pod's locality from its Node's
 * `topology.kubernetes.io/region`/`zone` and `topology.istio.io/subzone` labels (Istio src
 * pilot/pkg/serviceregistry/kube/controller/controller.go `getPodLocality`), and the node from the
 * pod's `spec.nodeName`; a pod is a Deployment's through its ReplicaSet (`ownerReferences`,
 * the ReplicaSet named `<deployment>-<pod-template-hash>`).
 */
const node = (name: string, region: string, zone: string) =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels: { topology.kubernetes.io/region: ${region}, topology.kubernetes.io/zone: ${zone}, kubernetes.io/hostname: ${name} }`;

const pod = (name: string, app: string, nodeName: string, ip: string, owner?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
  labels: { app: ${app}${owner ? `, pod-template-hash: ${owner.split('-').at(-1)}` : ''} }
  annotations: { sidecar.istio.io/status: '{"containers":["istio-proxy"]}' }
${owner ? `  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, uid: 8d2c8c1e-3a52-4c57-9f37-1b0a1d2e3f40, controller: true }]\n` : ''}spec:
  nodeName: ${nodeName}
  containers: [{ name: main, image: example, ports: [{ containerPort: 8080 }] }, { name: istio-proxy, image: istio/proxyv2 }]
status: { phase: Running, podIP: ${ip} }`;

const CLUSTER = 'outbound|8080||server.default.svc.cluster.local';
const INPUT = [
  node('east-a', 'us-east', 'us-east-1a'),
  node('east-b', 'us-east', 'us-east-1b'),
  node('west', 'us-west', 'us-west-2a'),
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: server, namespace: default }\nspec:\n  replicas: 3\n  selector: { matchLabels: { app: server } }\n  template:\n    metadata: { labels: { app: server } }\n    spec: { containers: [{ name: main, image: example, ports: [{ containerPort: 8080 }] }] }`,
  pod('server-6b7f9c5d8-aaaaa', 'server', 'east-a', '10.244.1.2', 'server-6b7f9c5d8'),
  pod('server-6b7f9c5d8-bbbbb', 'server', 'east-b', '10.244.2.2', 'server-6b7f9c5d8'),
  pod('server-6b7f9c5d8-ccccc', 'server', 'west', '10.244.3.2', 'server-6b7f9c5d8'),
  pod('client', 'client', 'east-a', '10.244.1.3'),
  'apiVersion: v1\nkind: Service\nmetadata: { name: server, namespace: default }\nspec: { selector: { app: server }, ports: [{ name: http, port: 8080, targetPort: 8080 }] }',
  'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: server, namespace: default }\nspec:\n  host: server\n  trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m } }',
].join('\n---\n');

function open(files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

/** Each pod with its node, IP, proxy, and its node's region/zone; and the client's priorities over the server's endpoints. */
function placement(session: Session) {
  const labels = new Map(session.scenario.nodes.map((n) => [n.name, n.labels]));
  const pods = session.scenario.pods.map((p) => [p.name, p.workload, p.node, p.ip, p.sidecar, labels.get(p.node ?? '')?.['topology.kubernetes.io/region'], labels.get(p.node ?? '')?.['topology.kubernetes.io/zone']]);
  const client = session.xds.proxies['client'];
  const endpoints = (client?.clusters[CLUSTER]?.endpoints ?? []).map((e, i) => [e.pod, client?.priorities?.[CLUSTER]?.[i]]);
  return { pods, endpoints };
}

describe('Nodes through export', () => {
  it('writes each Node with its labels, and the pods that run on them: load → export → load gives the same pods, nodes and localities', () => {
    const input: SourceFile = { name: 'cluster.yaml', text: INPUT };
    const before = open([input]);
    const exported = exportScenario(before.scenario, { sources: [input] });
    expect(exported).toContain('apiVersion: v1\nkind: Node\nmetadata:\n  name: east-b\n  labels:\n    kubernetes.io/hostname: east-b\n    topology.kubernetes.io/region: us-east\n    topology.kubernetes.io/zone: us-east-1b\n');
    const after = open([{ name: 'exported.yaml', text: exported }]);
    expect(placement(after)).toEqual(placement(before));
    // The locality is what the client's proxy balances by: same zone 0, same region 1, other region 2.
    expect(placement(before).endpoints).toEqual([['server-6b7f9c5d8-aaaaa', 0], ['server-6b7f9c5d8-bbbbb', 1], ['server-6b7f9c5d8-ccccc', 2]]);
    expect(after.scenario.nodes).toEqual(before.scenario.nodes);
  });

  it('keeps the Bookinfo cluster export’s pods on their nodes', () => {
    const path = 'tests/fixtures/cluster-export/bookinfo-export.yaml';
    const files = [{ name: path, text: readFileSync(path, 'utf8') }];
    const before = loadScenario(files).scenario;
    const after = loadScenario([{ name: 'exported.yaml', text: exportScenario(before, { sources: files }) }]).scenario;
    const placed = (s: typeof before) => s.pods.map((p) => [p.name, p.node, p.ip, p.sidecar, p.gateway ?? false]).sort();
    expect(before.nodes.length).toBeGreaterThan(0);
    expect(placed(after)).toEqual(placed(before));
    expect(after.nodes).toEqual(before.nodes);
  });
});
