import {
  DEFAULT_CONTROL_PLANE,
  DEFAULT_COSTS,
  type AppBehaviour,
  type CallSpec,
  type MeshSettings,
  type Scenario,
  type TimelineAction,
  type TrafficSpec,
} from '../../model/index.ts';
import { durationText } from './durationText.ts';

type Plain = Record<string, unknown>;

const DEFAULT_MESH: Omit<MeshSettings, 'outboundTrafficPolicy' | 'h2UpgradePolicy'> = { rootNamespace: 'istio-system', trustDomain: 'cluster.local', clusterDomain: 'cluster.local' };

/**
 * The Simulation document, re-emitted from the normalized spec: durations as
 * Istio strings, and only what differs from the defaults the loader applies,
 * so reading it back gives the same spec.
 */
export function simulationDocument(scenario: Scenario): Plain {
  const sim = scenario.simulation;
  const spec: Plain = { flavor: sim.flavor, seed: sim.seed };
  if (sim.nodes !== undefined) spec['nodes'] = sim.nodes;
  const costs = changed(sim.costs as unknown as Record<string, number>, DEFAULT_COSTS as unknown as Record<string, number>, durationText);
  if (costs) spec['costs'] = costs;
  if (sim.meshCosts) {
    spec['meshCosts'] = Object.fromEntries(
      Object.entries(sim.meshCosts).map(([mesh, own]) => [mesh, Object.fromEntries(Object.entries(own).map(([k, v]) => [k, k === 'hopP50' || k === 'hopTail' ? durationText(v) : v]))]),
    );
  }
  const controlPlane = changed(sim.controlPlane as unknown as Record<string, number>, DEFAULT_CONTROL_PLANE as unknown as Record<string, number>, durationText);
  if (controlPlane) spec['controlPlane'] = controlPlane;
  const { outboundTrafficPolicy, h2UpgradePolicy, localityLbSetting, ...names } = scenario.mesh;
  const mesh: Plain | undefined = changed(names as unknown as Record<string, string>, DEFAULT_MESH as unknown as Record<string, string>, (v) => v);
  // Written always when not Istio's default: the mesh config it may have come from is not exported.
  if (mesh || outboundTrafficPolicy !== 'ALLOW_ANY' || h2UpgradePolicy !== 'DO_NOT_UPGRADE' || localityLbSetting) {
    spec['mesh'] = {
      ...mesh,
      ...(outboundTrafficPolicy === 'ALLOW_ANY' ? {} : { outboundTrafficPolicy: { mode: outboundTrafficPolicy } }),
      ...(h2UpgradePolicy === 'DO_NOT_UPGRADE' ? {} : { h2UpgradePolicy }),
      ...(localityLbSetting ? { localityLbSetting: JSON.parse(JSON.stringify(localityLbSetting)) as Plain } : {}),
    };
  }
  const external = new Set(scenario.externalServices.map((e) => e.host));
  const workloads = Object.entries(sim.workloads).filter(([name]) => !external.has(name));
  const externals = Object.entries(sim.workloads).filter(([name]) => external.has(name));
  if (workloads.length > 0) spec['workloads'] = Object.fromEntries(workloads.map(([name, app]) => [name, appOf(app)]));
  if (externals.length > 0) spec['external'] = Object.fromEntries(externals.map(([name, app]) => [name, appOf(app)]));
  if (sim.traffic.length > 0) spec['traffic'] = sim.traffic.map(trafficOf);
  if (sim.timeline.length > 0) spec['timeline'] = sim.timeline.map((e) => ({ at: durationText(e.at), ...actionOf(e.action) }));
  if (sim.expect.length > 0) spec['expect'] = sim.expect.map((e) => e.text);
  return { apiVersion: 'meshviz.dev/v1alpha1', kind: 'Simulation', metadata: { name: sim.name }, spec };
}

function appOf(app: AppBehaviour): Plain {
  const out: Plain = {};
  out['latency'] = app.latency.kind === 'fixed'
    ? { fixed: durationText(app.latency.value) }
    : { p50: durationText(app.latency.p50), p99: durationText(app.latency.p99) };
  if (app.errorRate !== 0) out['errorRate'] = app.errorRate;
  if (!app.propagateTraceHeaders) out['propagateTraceHeaders'] = false;
  if (app.propagateHeaders.length > 0) out['propagateHeaders'] = [...app.propagateHeaders];
  if (app.calls.length > 0) out['calls'] = app.calls.map(callOf);
  return out;
}

function callOf(call: CallSpec): Plain {
  const out: Plain = { service: hostPort(call.host, call.port), ...request(call) };
  if (call.timeout !== undefined) out['timeout'] = durationText(call.timeout);
  if (call.retries > 0) out['retries'] = call.retries;
  if (call.onFailure !== 'fail') out['onFailure'] = call.onFailure;
  if (call.parallel) out['parallel'] = true;
  return out;
}

function trafficOf(traffic: TrafficSpec): Plain {
  const out: Plain = { name: traffic.name, from: traffic.from, to: hostPort(traffic.host, traffic.port), ...request(traffic) };
  if (traffic.load.kind === 'open') Object.assign(out, { rps: traffic.load.rps, duration: durationText(traffic.load.duration) });
  else Object.assign(out, { connections: traffic.load.connections, requests: traffic.load.requests });
  if (traffic.start !== 0) out['start'] = durationText(traffic.start);
  if (traffic.clientCertificate) out['clientCertificate'] = true;
  return out;
}

function actionOf(action: TimelineAction): Plain {
  switch (action.kind) {
    case 'fail': {
      const fail: Plain = { ...action.target, mode: action.mode };
      if (action.delay !== undefined) fail['delay'] = durationText(action.delay);
      return { fail };
    }
    case 'recover':
      return { recover: { ...action.target } };
    case 'apply':
      return { apply: action.document };
    case 'delete':
      return { delete: { ...action.resource } };
    case 'controlPlane':
      return { controlPlane: action.up ? 'up' : 'down' };
    default: {
      const unknown: never = action;
      return unknown;
    }
  }
}

function request(r: { path: string; method: string; headers: Record<string, string> }): Plain {
  const out: Plain = {};
  if (r.path !== '/') out['path'] = r.path;
  if (r.method !== 'GET') out['method'] = r.method;
  if (Object.keys(r.headers).length > 0) out['headers'] = { ...r.headers };
  return out;
}

function hostPort(host: string, port: number | undefined): string {
  return port === undefined ? host : `${host}:${port}`;
}

/** The entries of `value` that differ from `defaults`, formatted; undefined when none do. */
function changed<T>(value: Record<string, T>, defaults: Record<string, T>, format: (v: T) => unknown): Plain | undefined {
  const out: Plain = {};
  for (const [key, v] of Object.entries(value)) if (v !== defaults[key]) out[key] = format(v);
  return Object.keys(out).length > 0 ? out : undefined;
}
