import {
  DEFAULT_COSTS, DEFAULT_CONTROL_PLANE, defaultCosts, isFlavor, MESH_COST_FIELDS,
  type MeshCostOverride,
  type AppBehaviour,
  type CostModel,
  type MeshSettings,
  type SimulationSpec,
} from '../../model/index.ts';
import { readLocalityLbSetting } from './readLocalityLbSetting.ts';
import type { FieldReader } from './FieldReader.ts';
import type { MeshOverrides } from './readMeshConfig.ts';
import { readAppBehaviour } from './readAppBehaviour.ts';
import { readExpectations } from './readExpectations.ts';
import { readTimeline } from './readTimeline.ts';
import { readTraffic } from './readTraffic.ts';
import type { SimulationRef } from './SimulationRef.ts';

const DOCUMENT_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;
const SPEC_FIELDS = ['flavor', 'seed', 'nodes', 'costs', 'meshCosts', 'controlPlane', 'mesh', 'workloads', 'external', 'traffic', 'timeline', 'expect'] as const;
const MESHES = ['istio', 'linkerd', 'istio-ambient'] as const;
const COST_FIELDS = ['proxyProcessing', 'ztunnelProcessing', 'loopback', 'wire', 'tcpHandshake', 'tlsHandshake'] as const;
const MESH_FIELDS = ['rootNamespace', 'trustDomain', 'clusterDomain'] as const;
const MODES = ['ALLOW_ANY', 'REGISTRY_ONLY'] as const;
const H2_POLICIES = ['DO_NOT_UPGRADE', 'UPGRADE'] as const;

/**
 * Istio's own defaults for the settings a Simulation may override
 * (`DefaultMeshConfig`, Istio src `pkg/config/mesh/mesh.go`: outbound
 * traffic policy ALLOW_ANY).
 */
export function defaultMesh(): MeshSettings {
  return { rootNamespace: 'istio-system', trustDomain: 'cluster.local', clusterDomain: 'cluster.local', outboundTrafficPolicy: 'ALLOW_ANY', h2UpgradePolicy: 'DO_NOT_UPGRADE' };
}

/** What a scenario without a Simulation document runs: seed 1, no traffic, no timeline. */
export function defaultSimulation(name = 'default'): SimulationSpec {
  return {
    name,
    flavor: 'istio',
    seed: 1,
    workloads: Object.create(null) as Record<string, AppBehaviour>,
    traffic: [],
    timeline: [],
    expect: [],
    costs: { ...DEFAULT_COSTS },
    controlPlane: { ...DEFAULT_CONTROL_PLANE },
  };
}

export interface SimulationRead {
  spec: SimulationSpec;
  /** Only what the document sets: it overrides the cluster's mesh config. */
  mesh: MeshOverrides;
  /** Hosts outside the mesh given behaviour in `spec.external`. */
  external: string[];
  /** Names to check against the other documents once all are read. */
  refs: SimulationRef[];
}

/**
 * Reads the `Simulation` document (meshviz.dev/v1alpha1). Durations become
 * integer microseconds; unknown fields are reported with a "did you mean".
 */
export function readSimulation(document: FieldReader, name: string): SimulationRead {
  document.allowOnly(DOCUMENT_FIELDS);
  const result: SimulationRead = { spec: defaultSimulation(name), mesh: {}, external: [], refs: [] };
  const spec = document.map('spec');
  if (!spec) return result;
  spec.allowOnly(SPEC_FIELDS);
  const flavor = spec.string('flavor');
  if (flavor !== undefined && !isFlavor(flavor)) spec.reporter.report('UnsupportedFlavor', spec.pathOf('flavor'), { flavor });
  else if (flavor !== undefined) result.spec.flavor = flavor;
  result.spec.seed = spec.integer('seed', { min: 0 }) ?? result.spec.seed;
  const nodes = spec.integer('nodes', { min: 1, max: 1_000 });
  if (nodes !== undefined) result.spec.nodes = nodes;
  result.spec.costs = readCosts(spec.map('costs'), defaultCosts(result.spec.flavor));
  const meshCosts = readMeshCosts(spec.map('meshCosts'));
  if (meshCosts) result.spec.meshCosts = meshCosts;
  const controlPlane = spec.map('controlPlane');
  controlPlane?.allowOnly(['pushDelay']);
  result.spec.controlPlane.pushDelay = controlPlane?.duration('pushDelay') ?? result.spec.controlPlane.pushDelay;
  result.mesh = readMesh(spec.map('mesh'));
  const workloads = spec.map('workloads');
  for (const workload of workloads?.keys() ?? []) {
    result.refs.push({ kind: 'workload', name: workload, path: workloads?.pathOf(workload) ?? '' });
    result.spec.workloads[workload] = readAppBehaviour(workloads?.map(workload), workload, result.refs);
  }
  const external = spec.map('external');
  for (const host of external?.keys() ?? []) {
    const app = external?.map(host);
    if (app?.has('calls')) app.reporter.report('ExternalCallsIgnored', app.pathOf('calls'));
    const behaviour = readAppBehaviour(app, host, []);
    result.spec.workloads[host.toLowerCase()] = { ...behaviour, calls: [] };
    result.external.push(host.toLowerCase());
  }
  result.spec.traffic = readTraffic(spec, result.refs);
  result.spec.timeline = readTimeline(spec, result.refs);
  result.spec.expect = readExpectations(spec);
  return result;
}

function readCosts(costs: FieldReader | undefined, defaults: CostModel): CostModel {
  const result = { ...defaults };
  costs?.allowOnly(COST_FIELDS);
  for (const field of COST_FIELDS) result[field] = costs?.duration(field) ?? result[field];
  return result;
}

/** `meshCosts: { linkerd: { hopP50: 400us, memoryMB: 30 } }`: figures of the cost table this scenario sets. */
function readMeshCosts(reader: FieldReader | undefined): SimulationSpec['meshCosts'] {
  if (!reader) return undefined;
  reader.allowOnly(MESHES);
  const out: NonNullable<SimulationSpec['meshCosts']> = {};
  for (const mesh of MESHES) {
    const fields = reader.map(mesh);
    if (!fields) continue;
    fields.allowOnly(MESH_COST_FIELDS);
    const own: MeshCostOverride = {};
    for (const field of MESH_COST_FIELDS) {
      const value = field === 'hopP50' || field === 'hopTail' ? fields.duration(field) : fields.number(field, { min: 0 });
      if (value !== undefined) own[field] = value;
    }
    out[mesh] = own;
  }
  return out;
}

function readMesh(mesh: FieldReader | undefined): MeshOverrides {
  const result: MeshOverrides = {};
  if (!mesh) return result;
  mesh.allowOnly([...MESH_FIELDS, 'outboundTrafficPolicy', 'h2UpgradePolicy', 'localityLbSetting']);
  for (const field of MESH_FIELDS) {
    const value = mesh.string(field);
    if (value !== undefined) result[field] = value;
  }
  const policy = mesh.map('outboundTrafficPolicy');
  policy?.allowOnly(['mode']);
  const mode = policy?.string('mode');
  const known = MODES.find((m) => m === mode);
  if (known) result.outboundTrafficPolicy = known;
  else if (mode !== undefined) policy?.invalid('mode', `mode must be ${MODES.join(' or ')}, not ${JSON.stringify(mode)}`);
  const h2 = mesh.string('h2UpgradePolicy');
  const h2Known = H2_POLICIES.find((p) => p === h2);
  if (h2Known) result.h2UpgradePolicy = h2Known;
  else if (h2 !== undefined) mesh.invalid('h2UpgradePolicy', `h2UpgradePolicy must be ${H2_POLICIES.join(' or ')}, not ${JSON.stringify(h2)}`);
  if (mesh.has('localityLbSetting')) {
    const setting = readLocalityLbSetting(mesh.value['localityLbSetting']);
    if (typeof setting === 'string') mesh.invalid('localityLbSetting', setting);
    else result.localityLbSetting = setting;
  }
  return result;
}
