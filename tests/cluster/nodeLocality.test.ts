import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/index.ts';
import { destinationRule, sessionFrom } from '../helpers/mesh.ts';

/**
 * A pod's locality from its Node, as istiod reads it (Istio src, master of Aug 2026,
 * pilot/pkg/serviceregistry/kube/controller/controller.go `getPodLocality`): the pod's own
 * `topology.istio.io/locality` (else `istio-locality`) label wins — "if pod has `istio-locality`
 * label, skip below ops" —; otherwise the Node named by `spec.nodeName` gives region
 * `topology.kubernetes.io/region` (else `failure-domain.beta.kubernetes.io/region`, util.go
 * `getLabelValue`), zone likewise and subzone `topology.istio.io/subzone`.
 */
const node = (name: string, labels: Record<string, string>) => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: { ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }
status: { nodeInfo: { kubeletVersion: v1.31.0 } }`;

const pod = (name: string, app: string, nodeName: string, ip: string, labels = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
  labels: { app: ${app}${labels} }
  annotations: { sidecar.istio.io/status: '{"containers":["istio-proxy"]}' }
spec:
  nodeName: ${nodeName}
  containers: [{ name: main, image: example, ports: [{ containerPort: 8080 }] }, { name: istio-proxy, image: istio/proxyv2 }]
status: { phase: Running, podIP: ${ip} }`;

const server = `apiVersion: v1
kind: Service
metadata: { name: server, namespace: default }
spec: { selector: { app: server }, ports: [{ name: http, port: 8080, targetPort: 8080 }] }`;

const OUTLIER = 'outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 10m, maxEjectionPercent: 100 }';
const CLUSTER = 'outbound|8080||server.default.svc.cluster.local';

const nodes = [
  node('east-a', { 'topology.kubernetes.io/region': 'us-east', 'topology.kubernetes.io/zone': 'us-east-1a' }),
  node('east-b', { 'topology.kubernetes.io/region': 'us-east', 'topology.kubernetes.io/zone': 'us-east-1b', 'topology.istio.io/subzone': 'rack2' }),
  node('west', { 'failure-domain.beta.kubernetes.io/region': 'us-west', 'failure-domain.beta.kubernetes.io/zone': 'us-west-2a' }),
];

/** Each server endpoint's priority as the client's proxy gets it, by pod name. */
function prioritiesOf(...docs: string[]): Record<string, number | undefined> {
  const session = sessionFrom(...docs);
  const proxy = session.xds.proxies['client-0'];
  const priorities = proxy?.priorities?.[CLUSTER];
  return Object.fromEntries((proxy?.clusters[CLUSTER]?.endpoints ?? []).map((e, i) => [e.pod, priorities?.[i]]));
}

describe('locality from Node objects', () => {
  const servers = [pod('server-near', 'server', 'east-a', '10.244.1.2'), pod('server-zone', 'server', 'east-b', '10.244.2.2'), pod('server-far', 'server', 'west', '10.244.3.2')];

  it('reads region and zone (GA labels, else the beta ones) and subzone from the node each pod runs on', () => {
    expect(prioritiesOf(...nodes, pod('client-0', 'client', 'east-a', '10.244.1.3'), ...servers, server, destinationRule('server', OUTLIER))).toEqual({
      'server-near': 0,
      'server-zone': 1,
      'server-far': 2,
    });
  });

  it('lets the pod’s own locality label win over its node’s', () => {
    const client = pod('client-0', 'client', 'east-a', '10.244.1.3', ', istio-locality: us-west.us-west-2a');
    expect(prioritiesOf(...nodes, client, ...servers, server, destinationRule('server', OUTLIER))).toEqual({
      'server-near': 1,
      'server-zone': 1,
      'server-far': 0,
    });
  });

  it('gives a pod on a node the export does not have no locality', () => {
    const client = pod('client-0', 'client', 'gone', '10.244.9.3');
    // Empty locality against us-east/us-west: every endpoint is "another region" — one priority, nothing to fail over to.
    expect(prioritiesOf(...nodes, client, ...servers, server, destinationRule('server', OUTLIER))).toEqual({
      'server-near': undefined,
      'server-zone': undefined,
      'server-far': undefined,
    });
  });

  it('loads the Nodes of a cluster export without a finding (tests/fixtures/cluster-export)', () => {
    const text = readFileSync(new URL('../fixtures/cluster-export/bookinfo-export.yaml', import.meta.url), 'utf8');
    const found = analyze([{ name: 'export.yaml', text }]).diagnostics.filter((d) => d.resource?.startsWith('Node/'));
    expect(found).toEqual([]);
    const session = sessionFrom(text);
    expect(session.scenario.nodes.map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
  });
});
