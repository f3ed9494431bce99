import { openSession, sendOne } from '../../src/api/index.ts';
import type { SendOptions, SendResult, Session } from '../../src/api/index.ts';
import { Simulation } from '../../src/engine/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';

/** Loads YAML the way a user's file is loaded; fails the test with the diagnostics if it has errors. */
export function sessionFrom(...docs: string[]): Session {
  const opened = openSession([{ name: 'test.yaml', text: docs.join('\n---\n') }]);
  if (!opened.ok) {
    throw new Error(`scenario has errors:\n${opened.diagnostics.map((d) => `${d.code} ${d.message} ${d.path ?? ''}`).join('\n')}`);
  }
  return opened.session;
}

/** A Deployment + (optionally) labels; one container port 8080. */
export function deployment(name: string, labels: Record<string, string>, replicas = 1, extra = ''): string {
  const labelYaml = Object.entries(labels).map(([k, v]) => `        ${k}: "${v}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: default }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${labels.app} } }
  template:
    metadata:
      labels:
${labelYaml}
${extra}
    spec:
      containers: [{ name: main, image: example, ports: [{ containerPort: 8080 }] }]`;
}

/** A Service in `default` selecting `app`, one port to the pods' 8080; `portName` says its protocol (`http`, `tcp-postgres`, `tls`…). */
export function service(name: string, app = name, port = 8080, portName = 'http'): string {
  return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: default }
spec:
  selector: { app: ${app} }
  ports: [{ name: ${portName}, port: ${port}, targetPort: 8080 }]`;
}

/** A MESH_EXTERNAL ServiceEntry resolved by DNS, one port (`protocol`: TCP, TLS, HTTPS…), with `address` as its VIP when given. */
export function serviceEntry(name: string, host: string, port: { number: number; name: string; protocol: string }, address?: string): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name} }
spec:
  hosts: [${host}]${address ? `\n  addresses: [${address}]` : ''}
  ports: [{ number: ${port.number}, name: ${port.name}, protocol: ${port.protocol} }]
  resolution: DNS
  location: MESH_EXTERNAL`;
}

/** client → front → back: a Deployment each, and Services for front and back (add a Simulation document). */
export function frontBackMesh(): string[] {
  return [deployment('client', { app: 'client' }), deployment('front', { app: 'front' }), service('front'), deployment('back', { app: 'back' }), service('back')];
}

/** client → server with two versions of `server` (v1, v2) and a DestinationRule defining both subsets. */
export function twoVersionMesh(opts: { v1Replicas?: number; v2Replicas?: number; vs?: string; trafficPolicy?: string; simulation?: string } = {}): string[] {
  const docs = [
    deployment('client', { app: 'client' }),
    service('client'),
    deployment('server-v1', { app: 'server', version: 'v1' }, opts.v1Replicas ?? 1),
    deployment('server-v2', { app: 'server', version: 'v2' }, opts.v2Replicas ?? 1),
    service('server'),
    destinationRule('server', opts.trafficPolicy, ['{ name: v1, labels: { version: v1 } }', '{ name: v2, labels: { version: v2 } }']),
  ];
  if (opts.vs) docs.push(opts.vs);
  if (opts.simulation) docs.push(opts.simulation);
  return docs;
}

/** A DestinationRule in `default` named after its host: a traffic policy (YAML) and subset entries (flow mappings), each optional. */
export function destinationRule(host: string, trafficPolicy?: string, subsets: readonly string[] = []): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${host}, namespace: default }
spec:
  host: ${host}
${trafficPolicy ? `  trafficPolicy:\n${indent(trafficPolicy, 4)}\n` : ''}${subsets.length > 0 ? `  subsets:\n${subsets.map((entry) => `  - ${entry}`).join('\n')}` : ''}`;
}

export function virtualService(http: string, name = 'server', host = 'server'): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: default }
spec:
  hosts: [${host}]
  http:
${indent(http, 2)}`;
}

export function simulation(spec: string): string {
  return `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: test }
spec:
${indent(spec, 2)}`;
}

export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .trim()
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

export function send(session: Session, options: Partial<SendOptions> & { to: string }): SendResult {
  return sendOne(session, { from: 'client', ...options });
}

/** A simulation with every event recorded. */
export function recordingSim(session: Session, seed?: number): { sim: Simulation; events: MeshEvent[] } {
  const events: MeshEvent[] = [];
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, seed, sink: (e) => events.push(e) });
  return { sim, events };
}

export function received(sim: Simulation, workload: string): number {
  return Object.values(sim.state.pods)
    .filter((p) => p.pod.workload === workload)
    .reduce((n, p) => n + p.received, 0);
}

export function ends(events: MeshEvent[]): Array<Extract<MeshEvent, { kind: 'request.end' }>> {
  return events.filter((e): e is Extract<MeshEvent, { kind: 'request.end' }> => e.kind === 'request.end');
}
