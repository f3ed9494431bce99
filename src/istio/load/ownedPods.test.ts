import { describe, expect, it } from 'vitest';
import { loadScenario } from './loadScenario.ts';

const load = (...texts: string[]) => loadScenario(texts.map((text, i) => ({ name: `f${i}.yaml`, text })));

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: app}]}\n---\n`;

interface PodOptions {
  owner?: string;
  ownerKind?: string;
  phase?: string;
  ip?: string;
  hash?: string;
  annotations?: string;
  containers?: string;
  initContainers?: string;
  ns?: string;
}

/** A pod as `kubectl get pod -o yaml` prints it (trimmed to what matters here). */
function pod(name: string, app: string, o: PodOptions = {}): string {
  const owner = o.owner ? `  ownerReferences: [{apiVersion: apps/v1, kind: ${o.ownerKind ?? 'ReplicaSet'}, name: ${o.owner}, controller: true, uid: u-${o.owner}}]\n` : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${o.ns ? `  namespace: ${o.ns}\n` : ''}  uid: u-${name}
  resourceVersion: "1834"
  labels: {app: ${app}${o.hash ? `, pod-template-hash: ${o.hash}` : ''}}
${o.annotations ? `  annotations: ${o.annotations}\n` : ''}${owner}  managedFields: [{manager: kubelet, operation: Update, subresource: status, fieldsType: FieldsV1, fieldsV1: {"f:status": {}}}]
spec:
  nodeName: node-a
  serviceAccountName: sa-${app}
  containers: ${o.containers ?? '[{name: app}]'}
${o.initContainers ? `  initContainers: ${o.initContainers}\n` : ''}status:
  phase: ${o.phase ?? 'Running'}
${o.ip ? `  podIP: ${o.ip}\n` : ''}---
`;
}

const STATUS = `{sidecar.istio.io/status: '{"initContainers":["istio-init"],"containers":["istio-proxy"]}'}`;
const pods = (text: string) => load(text).scenario.pods.map((p) => `${p.name} ${p.workload} ${p.ip} ${p.sidecar ? 'sidecar' : '-'}`);

describe('pods a cluster reports', () => {
  it('are the pods of the Deployment that owns their ReplicaSet, never its replicas as well', () => {
    const rs = `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web-5d9c7b\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u}]\n---\n`;
    const result = load(deployment('web', 3), rs, pod('web-5d9c7b-aaaaa', 'web', { owner: 'web-5d9c7b', ip: '10.1.0.7', annotations: STATUS }));
    expect(result.diagnostics).toEqual([]);
    expect(result.scenario.pods.map((p) => `${p.name} ${p.workload} ${p.ip} ${p.node} ${p.serviceAccount}`)).toEqual(['web-5d9c7b-aaaaa web 10.1.0.7 node-a sa-web']);
    expect(result.scenario.workloads.map((w) => `${w.name} ${w.replicas} ${w.sidecar}`)).toEqual(['web 1 true']);
  });

  it('find their Deployment through the pod-template-hash when the ReplicaSet is not among the files', () => {
    expect(pods(deployment('web', 2) + pod('web-7f8b9-x1', 'web', { owner: 'web-7f8b9', hash: '7f8b9', annotations: STATUS }))).toEqual(['web-7f8b9-x1 web 10.244.0.2 sidecar']);
  });

  it('give a workload named after their owner when the owner is not among the files (a DaemonSet, a StatefulSet)', () => {
    const text = pod('proxy-abcde', 'proxy', { owner: 'proxy', ownerKind: 'DaemonSet', ip: '10.1.0.2' }) + pod('db-0', 'db', { owner: 'db', ownerKind: 'StatefulSet', ip: '10.1.0.3' }) + pod('db-1', 'db', { owner: 'db', ownerKind: 'StatefulSet', ip: '10.1.0.4' });
    const { scenario } = load(text);
    expect(scenario.workloads.map((w) => `${w.name} ${w.replicas}`)).toEqual(['proxy 1', 'db 2']);
    expect(scenario.pods.map((p) => `${p.name} ${p.workload}`)).toEqual(['proxy-abcde proxy', 'db-0 db', 'db-1 db']);
  });

  it('count only when Running: other phases are an info each, and leave the workload with its running pods', () => {
    const result = load(deployment('web', 2), pod('web-h-a', 'web', { owner: 'web-h', hash: 'h', phase: 'Failed' }), pod('web-h-b', 'web', { owner: 'web-h', hash: 'h', phase: 'Pending' }));
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity} ${d.resource} ${d.message}`)).toEqual([
      "MV0031 info Pod/default/web-h-a pod is Failed, not Running: not simulated (running pods are the workload's pods)",
      "MV0031 info Pod/default/web-h-b pod is Pending, not Running: not simulated (running pods are the workload's pods)",
    ]);
    expect(result.scenario.pods).toEqual([]);
    expect(result.scenario.workloads.map((w) => w.replicas)).toEqual([0]);
  });

  it('have a sidecar by what was injected, whatever the namespace says now (inject.go; the injection templates)', () => {
    const ns = `apiVersion: v1\nkind: Namespace\nmetadata: {name: default, labels: {istio-injection: enabled}}\n---\n`;
    const proxy = (args: string) => `{name: istio-proxy, args: [${args}]}`;
    expect(pods(ns +
      pod('annotated', 'a', { annotations: STATUS }) +
      pod('classic', 'b', { containers: `[{name: app}, ${proxy('proxy, sidecar')}]` }) +
      pod('native', 'c', { initContainers: `[{name: istio-init}, ${proxy('proxy, sidecar')}]` }) +
      pod('gateway', 'd', { containers: `[${proxy('proxy, router')}]`, annotations: STATUS }) +
      pod('plain', 'e'))).toEqual([
      'annotated annotated 10.244.0.2 sidecar',
      'classic classic 10.244.0.3 sidecar',
      'native native 10.244.0.4 sidecar',
      'gateway gateway 10.244.0.5 -',
      'plain plain 10.244.0.6 -',
    ]);
  });

  it('keep their IPs; the IPs meshviz hands out to generated pods go around them', () => {
    const { scenario } = load(pod('solo', 'solo', { ip: '10.244.0.2' }) + deployment('gen', 2));
    expect(scenario.pods.map((p) => `${p.workload} ${p.ip}`)).toEqual(['gen 10.244.0.3', 'gen 10.244.0.4', 'solo 10.244.0.2']);
  });

  it('without a status are manifests: the injection table decides, as before', () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata: {name: m, labels: {app: m}}\nspec: {containers: [{name: app}]}\n`;
    expect(pods(manifest)).toEqual(['m m 10.244.0.2 sidecar']);
  });
});

describe('what a real export carries besides', () => {
  it('understands EndpointSlices, Endpoints, Nodes, ControllerRevisions, Events, Leases and the published CA ConfigMaps without a word', () => {
    const text = [
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abcde}\naddressType: IPv4\nendpoints: []\n',
      'apiVersion: v1\nkind: Endpoints\nmetadata: {name: web}\n',
      'apiVersion: v1\nkind: Node\nmetadata: {name: node-a, labels: {kubernetes.io/hostname: node-a}}\n',
      'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: db-5f}\nrevision: 1\n',
      'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e.1}\n',
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: node-a, namespace: kube-node-lease}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-root-ca.crt}\ndata: {ca.crt: x}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio-ca-root-cert, namespace: web}\ndata: {root-cert.pem: x}\n',
    ].join('---\n');
    expect(load(text).diagnostics).toEqual([]);
  });

  it('still names a ConfigMap of the application as ignored', () => {
    expect(load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n').diagnostics.map((d) => d.code)).toEqual(['MV0024']);
  });

  it('reads Helm-rendered output: `---` between templates, `# Source:` comments, templates that render nothing', () => {
    const plain = deployment('web', 1) + 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n';
    const helm = `---\n# Source: web/templates/serviceaccount.yaml\n# (disabled in values.yaml)\n---\n# Source: web/templates/deployment.yaml\n${deployment('web', 1)}# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\n# Source: web/templates/hpa.yaml\n`;
    const rendered = load(helm);
    expect(rendered.diagnostics).toEqual([]);
    expect(rendered.scenario.pods.map((p) => p.name)).toEqual(load(plain).scenario.pods.map((p) => p.name));
    expect(rendered.scenario.services.map((s) => s.name)).toEqual(['web']);
  });
});
