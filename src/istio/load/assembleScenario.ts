import type { Diagnostic, KubeGateway, Namespace, Resource, Scenario, Service, Workload } from '../../model/index.ts';
import { diagnostic } from '../catalog.ts';
import { checkReferences } from './checkReferences.ts';
import { classifyDocument, type ClassifiedDocument } from './classifyDocument.ts';
import type { Handling } from './classifyKind.ts';
import { checkServiceEntry } from './checkServiceEntry.ts';
import { findExternalServices } from './findExternalServices.ts';
import { generatePods, MAX_PODS } from './generatePods.ts';
import { KeepLast } from './KeepLast.ts';
import { keptResource, readIstioResource } from './readIstioResource.ts';
import { readArgoRollout } from './readArgoRollout.ts';
import { readCanary } from './readCanary.ts';
import { attachOwnedPods, ownerOf } from './ownedPods.ts';
import { readMeshConfig } from './readMeshConfig.ts';
import { readPod, type PodDraft } from './readPod.ts';
import { readService } from './readService.ts';
import { LabelIndex } from '../compile/index.ts';
import { defaultMesh, defaultSimulation, readSimulation, type SimulationRead } from './readSimulation.ts';
import { convertKubeGateway } from './convertKubeGateway.ts';
import { deployKubeGateway } from './deployKubeGateway.ts';
import { readKubeGateway } from './readKubeGateway.ts';
import { LINKERD_ACCESS_LOG, podAnnotationsPath, readWorkload, type ObservedPod, type WorkloadDraft, type WorkloadKind } from './readWorkload.ts';
import { checkAccessLogAnnotation } from './linkerd/checkAccessLogAnnotation.ts';
import type { RawDocument } from './readYamlFile.ts';
import { checkAgainstSchema } from './schema/checkAgainstSchema.ts';
import { schemaValidatorFor } from './schema/schemaValidatorFor.ts';
import { decideLinkerdProxy, decideSidecar } from './sidecarInjection.ts';
import { readGatewayHttpRoutes, readLinkerdKinds } from './linkerd/readLinkerdKinds.ts';
import { decideAmbient, placeOnNodes, readWaypoint } from './readAmbient.ts';
import { emptyLinkerdResources, isFlavor, type Flavor } from '../../model/index.ts';

/** The Kubernetes kinds meshviz reads with its own readers, and then checks against their schema. */
/** Nodes an ambient scenario spreads its pods over when the Simulation does not say (`spec.nodes`). */
const DEFAULT_NODES = 2;

const KUBERNETES: ReadonlySet<Handling> = new Set(['namespace', 'workload', 'pod', 'service', 'serviceAccount']);

/** Sidecar fields the engine does not model: the inbound side. */
const SIDECAR_NOT_SIMULATED = ['ingress', 'inboundConnectionPool'] as const;

/** A scenario with nothing in it: what callers get when nothing could be read. */
export function emptyScenario(): Scenario {
  return {
    mesh: defaultMesh(),
    namespaces: [],
    workloads: [],
    pods: [],
    services: [],
    serviceAccounts: [],
    virtualServices: [],
    destinationRules: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    serviceEntries: [],
    sidecars: [],
    nodes: [],
    gateways: [],
    kubeGateways: [],
    httpRoutes: [],
    externalServices: [],
    linkerd: emptyLinkerdResources(),
    waypoints: [],
    otherResources: [],
    rollouts: [],
    argoRollouts: [],
    simulation: defaultSimulation(),
  };
}

/**
 * Builds the scenario from every document of every file. Kinds are read in
 * dependency order (Namespaces decide injection, workloads' container ports
 * resolve Service target ports), so documents may come in any order.
 */
export function assembleScenario(raws: readonly RawDocument[], sink: Diagnostic[], simulationFile?: string): Scenario {
  const documents = raws.flatMap((raw, order) => classifyDocument(raw, order, sink) ?? []);
  const of = (handling: Handling): ClassifiedDocument[] => documents.filter((d) => d.handling === handling);
  const key = (d: ClassifiedDocument): string => `${d.header.meta.namespace}/${d.header.meta.name}`;
  const scenario = emptyScenario();
  // The flavor decides who gets a proxy and which kinds are read; the Simulation itself is read last.
  const flavor = peekFlavor(of('simulation'));

  const namespaces = new KeepLast<Namespace>();
  for (const d of of('namespace')) namespaces.add(d.header.meta.name, { name: d.header.meta.name, labels: d.header.meta.labels, ...(flavor === 'linkerd' || flavor === 'istio-ambient' ? { annotations: d.header.meta.annotations } : {}) }, d);
  if (flavor === 'linkerd') for (const d of of('namespace')) checkAccessLogAnnotation(d.header.meta.annotations[LINKERD_ACCESS_LOG], d.reader.reporter, 'metadata.annotations');
  const declared = new Map(namespaces.values().map((ns) => [ns.name, ns]));

  const drafts = new KeepLast<WorkloadDraft>();
  for (const d of of('workload')) {
    const draft = readWorkload(d.header.kind as WorkloadKind, d.header.meta, d.reader, d.header.raw.source);
    if (flavor === 'linkerd') checkAccessLogAnnotation(draft.linkerdAccessLog, d.reader.reporter, podAnnotationsPath(draft.kind));
    drafts.add(key(d), draft, d);
  }
  const owners = readReplicaSetOwners(of('replicaSet'));
  const podDocuments = of('pod').map((d) => ({ d, pod: readPod(d.header.meta, d.reader, d.header.raw.source) }));
  const running = podDocuments.map(({ d, pod }) => ({ pod, running: isRunning(pod, d) }));
  for (const { d, pod } of podDocuments) {
    if (ownerOf(pod, owners) || (pod.observed && pod.observed.phase !== 'Running')) continue;
    const draft = readWorkload('Pod', d.header.meta, d.reader, d.header.raw.source);
    if (flavor === 'linkerd') checkAccessLogAnnotation(draft.linkerdAccessLog, d.reader.reporter, podAnnotationsPath('Pod'));
    drafts.add(key(d), ownPodWorkload(draft, pod), d);
  }
  // Under ambient, a workload without a sidecar whose namespace (or pod) is labelled into ambient is captured by ztunnel.
  const ambientWorkloads = new Set<string>();
  // Gateway API Gateways of class istio: istiod deploys `<name>-istio` for each, unless the cluster already runs it.
  const kubeGateways = flavor === 'linkerd' ? [] : readKubeGateways(of('k8sGateway'));
  const owned = attachOwnedPods(drafts.values(), running, owners);
  const deployed = kubeGateways.map((gateway) => deployKubeGateway(gateway, owned, readServiceNames(of('service'))));
  const workloadDrafts = [...owned, ...deployed.flatMap((d) => d.workload ?? [])].map((draft) => {
    const gateway = draft.pods?.length ? draft.pods.every((p) => p.gateway === true) : draft.gateway;
    const sidecar = draft.pods?.length
      ? draft.pods.every((p) => p.sidecar)
      : draft.gateway
        ? false
        : flavor === 'linkerd'
        ? decideLinkerdProxy(draft.linkerdInject, declared.get(draft.namespace))
        : decideSidecar(draft.inject, declared.get(draft.namespace));
    const ambient = flavor === 'istio-ambient' && !sidecar && !gateway && decideAmbient(draft.labels, declared.get(draft.namespace));
    if (ambient) ambientWorkloads.add(`${draft.namespace}/${draft.name}`);
    return { ...draft, gateway, sidecar: sidecar || ambient };
  });
  const { pods, truncated } = generatePods(workloadDrafts);
  if (truncated) sink.push(diagnostic('TooManyPods', {}, { limit: MAX_PODS }));
  scenario.workloads = workloadDrafts.map(toWorkload);
  scenario.pods = ambientWorkloads.size === 0 ? pods : pods.map((p) => (ambientWorkloads.has(`${p.namespace}/${p.workload}`) ? { ...p, sidecar: true, ambient: true as const } : p));

  const services = new KeepLast<Service>();
  const workloadsByLabel = new LabelIndex<WorkloadDraft>(workloadDrafts, (w) => w.namespace, (w) => w.labels);
  for (const d of of('service')) {
    const service = readService(d.header.meta, d.reader, workloadsByLabel, d.header.raw.source);
    const read = flavor === 'linkerd' ? { ...service, annotations: d.header.meta.annotations, positions: d.header.raw.positions } : service;
    // Under ambient: the labels bind waypoints, the annotations may set the ztunnels' traffic distribution.
    services.add(key(d), flavor === 'istio-ambient' ? { ...read, labels: d.header.meta.labels, annotations: d.header.meta.annotations } : read, d);
    // Only the ztunnels' endpoint choice is simulated for it (Envoy's locality load balancing has its own settings).
    if (flavor !== 'istio-ambient' && service.trafficDistribution !== undefined) d.reader.reporter.report('FieldNotSimulated', d.reader.map('spec')?.pathOf('trafficDistribution') ?? 'spec', { kind: 'Service', field: 'spec.trafficDistribution' });
  }
  scenario.services = [...services.values(), ...deployed.flatMap((d) => d.service ?? [])];

  const accounts = new KeepLast<{ name: string; namespace: string }>();
  for (const d of of('serviceAccount')) accounts.add(key(d), { name: d.header.meta.name, namespace: d.header.meta.namespace }, d);
  scenario.serviceAccounts = accounts.values();
  for (const d of documents) if (KUBERNETES.has(d.handling)) checkKubernetesSchema(d);

  scenario.virtualServices = readIstio(of('virtualService'));
  scenario.destinationRules = readIstio(of('destinationRule'));
  scenario.peerAuthentications = readIstio(of('peerAuthentication'));
  scenario.authorizationPolicies = readIstio(of('authorizationPolicy'));
  for (const d of of('node')) scenario.nodes.push({ name: d.header.meta.name, labels: d.header.meta.labels });
  scenario.serviceEntries = readIstio(of('serviceEntry').filter((d) => checkServiceEntry(d.reader)));
  scenario.sidecars = readIstio(of('sidecar'));
  scenario.gateways = readIstio(of('gateway'));
  for (const d of of('sidecar')) {
    const spec = d.reader.map('spec');
    for (const field of SIDECAR_NOT_SIMULATED) if (spec?.has(field)) d.reader.reporter.report('FieldNotSimulated', spec.pathOf(field), { kind: 'Sidecar', field });
  }
  scenario.otherResources = readIstio(of('otherIstio'), (d) => `${d.header.kind}/`);
  for (const d of of('k8sGateway')) {
    if (kubeGateways.some((g) => g.order === d.header.order)) continue;
    const waypoint = flavor === 'istio-ambient' ? readWaypoint(d) : undefined;
    if (waypoint) scenario.waypoints.push(waypoint);
    else d.reader.reporter.report('IgnoredKind', '', { kind: d.header.kind });
  }
  scenario.kubeGateways = kubeGateways;
  scenario.linkerd = readLinkerdKinds(documents, flavor);
  if (flavor !== 'linkerd') scenario.httpRoutes = readGatewayHttpRoutes(of('httpRoute'));
  for (const d of of('rollout')) {
    // Kept as written, so export writes it back as it keeps the kinds meshviz does not simulate.
    const document = keptResource<unknown>(d.header, d.reader.value['spec'] ?? Object.create(null));
    if (d.header.kind === 'Rollout') {
      const rollout = readArgoRollout(d.header, d.reader);
      if (rollout) scenario.argoRollouts.push({ ...rollout, document });
      continue;
    }
    const canary = readCanary(d.header, d.reader);
    if (!canary) continue;
    if (scenario.workloads.some((w) => w.name === canary.target && w.namespace === canary.namespace)) scenario.rollouts.push({ ...canary, document });
    else d.reader.reporter.report('UnknownWorkload', 'spec.targetRef.name', { name: canary.target });
  }

  const simulations = of('simulation');
  // A file named to give the Simulation (`diff --traffic`) replaces the others' without a finding.
  const chosen = simulationFile === undefined ? simulations : simulations.filter((d) => d.reader.reporter.file === simulationFile);
  const simulation = readFirstSimulation(chosen.length > 0 ? chosen : simulations);
  scenario.namespaces = [...declared.values(), ...implicitNamespaces(documents, declared)];
  // Each listener as the Istio Gateway istiod makes of it; the namespaces decide which routes it allows.
  for (const gateway of kubeGateways) {
    const d = of('k8sGateway').find((doc) => doc.header.order === gateway.order) as ClassifiedDocument;
    scenario.gateways.push(...convertKubeGateway(gateway, scenario.namespaces, d.reader.reporter));
  }
  // The installer renders an IstioOperator's meshConfig into the ConfigMap istiod reads; the Simulation overrides both.
  const meshConfig = [...of('istioOperator'), ...of('configMap')].map((d) => readMeshConfig(d.header.kind, d.reader));
  scenario.mesh = Object.assign(defaultMesh(), ...meshConfig, simulation?.read.mesh ?? {});
  if (simulation) scenario.simulation = simulation.read.spec;
  const external = findExternalServices(scenario, simulation?.read.external ?? []);
  scenario.externalServices = external.services;
  scenario.pods = [...scenario.pods, ...external.pods];
  if (flavor === 'istio-ambient') scenario.pods = placeOnNodes(scenario.pods, scenario.simulation.nodes ?? DEFAULT_NODES);
  if (simulation) checkReferences(simulation.read.refs, scenario, simulation.document.reader.reporter);
  return scenario;
}

/** A pod the cluster reports in another phase than Running is not one of its workload's pods (reported). */
function isRunning(pod: PodDraft, d: ClassifiedDocument): boolean {
  if (!pod.observed || pod.observed.phase === 'Running') return true;
  const { phase, reason } = pod.observed;
  d.reader.reporter.report('PodNotRunning', 'status.phase', reason === undefined ? { phase } : { phase, reason });
  return false;
}

/** A running pod without a controller is its own workload, with what the cluster reports about it. */
function ownPodWorkload(draft: WorkloadDraft, pod: PodDraft): WorkloadDraft {
  if (!pod.observed) return draft;
  const observed: ObservedPod = { name: pod.name, labels: pod.labels, serviceAccount: pod.serviceAccount, sidecar: pod.observed.sidecar };
  if (pod.observed.gateway) observed.gateway = true;
  if (pod.observed.ip !== undefined) observed.ip = pod.observed.ip;
  if (pod.observed.node !== undefined) observed.node = pod.observed.node;
  return { ...draft, pods: [observed] };
}

/** `namespace/name` of each ReplicaSet → its owning Deployment (`metadata.ownerReferences[controller=true]`). */
function readReplicaSetOwners(documents: ClassifiedDocument[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const d of documents) {
    const owner = d.reader.map('metadata')?.mapItems('ownerReferences').find((ref) => ref.boolean('controller') === true);
    const name = owner?.string('kind') === 'Deployment' ? owner.string('name') : undefined;
    if (name !== undefined) owners.set(`${d.header.meta.namespace}/${d.header.meta.name}`, name);
  }
  return owners;
}

/**
 * A Kubernetes document against its kind's OpenAPI schema (`kubernetes-models`),
 * after meshviz's readers: what they already reported as an error is not
 * repeated. Findings do not drop the resource; the readers decide what they use.
 */
function checkKubernetesSchema(d: ClassifiedDocument): void {
  const schema = schemaValidatorFor(d.header.apiVersion, d.header.kind);
  if (schema) checkAgainstSchema(schema, d.reader.value, d.reader.reporter);
}

/** The Gateway API Gateways of class istio, the last of one name winning. */
function readKubeGateways(documents: ClassifiedDocument[]): KubeGateway[] {
  const kept = new KeepLast<KubeGateway>();
  for (const d of documents) {
    const gateway = readKubeGateway(d);
    if (gateway) kept.add(`${d.header.meta.namespace}/${d.header.meta.name}`, gateway, d);
  }
  return kept.values();
}

/** Services by name only (what istiod's deployment controller looks for before making one). */
function readServiceNames(documents: ClassifiedDocument[]): Service[] {
  return documents.map((d) => ({ name: d.header.meta.name, namespace: d.header.meta.namespace, selector: {}, ports: [] }));
}

function readIstio<Spec>(documents: ClassifiedDocument[], prefix = (_: ClassifiedDocument) => ''): Array<Resource<Spec>> {
  const resources = new KeepLast<Resource<Spec>>();
  for (const d of documents) {
    const resource = readIstioResource<Spec>(d.header, d.reader);
    if (resource) resources.add(`${prefix(d)}${d.header.meta.namespace}/${d.header.meta.name}`, resource, d);
  }
  return resources.values();
}

function readFirstSimulation(
  documents: ClassifiedDocument[],
): { read: SimulationRead; document: ClassifiedDocument } | undefined {
  const [first, ...rest] = documents;
  if (!first) return undefined;
  for (const extra of rest) extra.reader.reporter.report('DuplicateSimulation', '', { first: first.id });
  return { read: readSimulation(first.reader, first.header.meta.name), document: first };
}

/** Namespaces that resources live in without a Namespace document, in order of first use. */
/** The Simulation's `flavor` as written, when it names one meshviz knows (readSimulation reports the rest). */
function peekFlavor(documents: ClassifiedDocument[]): Flavor {
  const spec = documents[0]?.reader.value['spec'];
  const flavor = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)['flavor'] : undefined;
  return typeof flavor === 'string' && isFlavor(flavor) ? flavor : 'istio';
}

function implicitNamespaces(documents: ClassifiedDocument[], declared: Map<string, Namespace>): Namespace[] {
  const names = documents
    .filter((d) => d.handling !== 'namespace' && d.handling !== 'simulation')
    .map((d) => d.header.meta.namespace)
    .filter((name) => !declared.has(name));
  return [...new Set(names)].map((name) => ({ name, labels: Object.create(null) as Record<string, string> }));
}

function toWorkload(draft: WorkloadDraft & { sidecar: boolean }): Workload {
  const { name, namespace, labels, serviceAccount, replicas, sidecar, source } = draft;
  return { name, namespace, labels, serviceAccount, replicas, sidecar, ...(draft.gateway ? { gateway: true as const } : {}), ...(draft.deployedFor ? { deployedFor: draft.deployedFor } : {}), ...(draft.linkerdAccessLog !== undefined ? { linkerdAccessLog: draft.linkerdAccessLog } : {}), source };
}
