import { createOutlierHost } from '../proxy/index.ts';
import { Task } from './Task.ts';
import { CERT_GRACE_JITTER, rotationTime, WORKLOAD_CERT_TTL } from '../../model/index.ts';
import { spiffeOfPod } from './identity.ts';
import type { MeshXds, Micros, TimelineAction } from '../../model/index.ts';
import { drainConnections } from './pool.ts';
import type { ProxyRuntime, World } from './World.ts';
import { watching, emitMesh } from './request.ts';
import { proxyKeyWhere } from './ambient.ts';

/** A config edit the control plane turns into new proxy config (the api layer recompiles). */
export type ConfigChange = Extract<TimelineAction, { kind: 'apply' | 'delete' }>;

/** Recompiles the mesh after a change: new config, or why the change was rejected. */
export type Reconfigure = (change: ConfigChange) => { xds: MeshXds } | { error: string };

/** A change waiting for istiod: a timeline action still to compile, or config already compiled (a change made outside the timeline). */
export type QueuedChange = { kind: 'change'; change: ConfigChange } | { kind: 'compiled'; label: string; xds: MeshXds };

/** State of istiod as the data plane feels it. */
export interface ControlPlaneState {
  up: boolean;
  version: number;
  /** Pushes on their way, by version: the config and when it reaches the proxies. */
  pending: Record<number, { xds: MeshXds; at: Micros }>;
  /** Changes made while istiod was down, in order, applied when it returns. */
  queued: QueuedChange[];
  /** Pods whose certificate renewal came due while istiod was down. */
  renewalsDue: string[];
  /** The last push that reached the proxies. */
  lastPush: { version: number; at: Micros } | undefined;
}

/** What a view shows of istiod: up or down, the next push and when it lands, changes waiting, the last push. */
export interface ControlPlaneView {
  up: boolean;
  pushing?: { version: number; at: Micros };
  waiting: number;
  lastPush?: { version: number; at: Micros };
}

export function createControlPlane(): ControlPlaneState {
  return { up: true, version: 0, pending: {}, queued: [], renewalsDue: [], lastPush: undefined };
}

export function controlPlaneView(cp: ControlPlaneState): ControlPlaneView {
  let next: { version: number; at: Micros } | undefined;
  for (const [version, push] of Object.entries(cp.pending)) {
    if (!next || push.at < next.at || (push.at === next.at && Number(version) < next.version)) next = { version: Number(version), at: push.at };
  }
  return { up: cp.up, ...(next ? { pushing: next } : {}), waiting: cp.queued.length, ...(cp.lastPush ? { lastPush: cp.lastPush } : {}) };
}

/** A config change: recompile now, reach every proxy after the push delay. */
export function changeConfig(w: World, cp: ControlPlaneState, change: ConfigChange, reconfigure: Reconfigure | undefined): void {
  const label = change.kind === 'apply' ? `apply ${describeDocument(change.document)}` : `delete ${change.resource.kind}/${change.resource.namespace}/${change.resource.name}`;
  if (!cp.up) return waitForIstiod(w, cp, { kind: 'change', change }, label);
  const result = reconfigure ? reconfigure(change) : { error: 'no control plane is attached to this simulation' };
  if ('error' in result) {
    if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'config.rejected', change: label, reason: result.error });
    return;
  }
  push(w, cp, label, result.xds);
}

/** Config compiled outside the timeline (an edit in the visualizer): the same push, or the same wait while istiod is down. */
export function pushConfig(w: World, cp: ControlPlaneState, label: string, xds: MeshXds): void {
  if (!cp.up) return waitForIstiod(w, cp, { kind: 'compiled', label, xds }, label);
  push(w, cp, label, xds);
}

function push(w: World, cp: ControlPlaneState, label: string, xds: MeshXds): void {
  cp.version += 1;
  const at = w.now + w.scenario.simulation.controlPlane.pushDelay;
  cp.pending[cp.version] = { xds, at };
  if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'config.change', change: label, version: cp.version });
  w.queue.push(at, Task.configPush, cp.version);
}

function waitForIstiod(w: World, cp: ControlPlaneState, queued: QueuedChange, label: string): void {
  cp.queued.push(queued);
  if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: 'config.rejected', change: label, reason: 'istiod is down: the change waits until it is back' });
}

export function onConfigPush(w: World, cp: ControlPlaneState, version: number): void {
  const xds = cp.pending[version]?.xds;
  if (!xds) return;
  delete cp.pending[version];
  cp.lastPush = { version, at: w.now };
  applyXds(w, xds);
  w.telemetry?.configPushed(w.now, xds);
  for (const pod of Object.keys(xds.proxies)) {
    if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: proxyKeyWhere(w, pod), kind: 'config.push', pod, version });
  }
}

/**
 * Replaces every proxy's config. Clusters that still exist keep their
 * runtime state — balancer position, outlier counters, pools — as Envoy
 * keeps it across an xDS update.
 */
export function applyXds(w: World, xds: MeshXds, newProxy?: (pod: string) => ProxyRuntime): void {
  w.xds = xds;
  w.kubeServices.clear();
  for (const [pod, proxyXds] of Object.entries(xds.proxies)) {
    const proxy = w.proxies[pod];
    if (!proxy) {
      if (newProxy) {
        const made = (w.proxies[pod] = { ...newProxy(pod), xds: proxyXds });
        const runtime = w.pods[pod];
        if (runtime) runtime.proxy = made;
      }
      continue;
    }
    proxy.xds = proxyXds;
    proxy.virtualHosts.clear();
    proxy.vhostBySlot.length = 0;
    for (const [name, cr] of Object.entries(proxy.clusters)) {
      const config = proxyXds.clusters[name];
      if (!config) {
        cr.removed = true;
        delete proxy.clusters[name];
        continue;
      }
      const tlsChanged = cr.config.tls.mode !== config.tls.mode || cr.config.tls.auto !== config.tls.auto;
      const protocolChanged = (cr.config.http2 === undefined) !== (config.http2 === undefined);
      cr.config = config;
      cr.priorities = proxyXds.priorities?.[name];
      cr.localityWeights = proxyXds.localityWeights?.[name];
      if (tlsChanged || protocolChanged) drainConnections(w, cr);
      if (config.outlier) for (const ep of config.endpoints) cr.outlier[ep.pod] ??= createOutlierHost();
    }
  }
}

export function setControlPlane(w: World, cp: ControlPlaneState, up: boolean, reconfigure: Reconfigure | undefined): void {
  if (cp.up === up) return;
  cp.up = up;
  if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: { kind: 'mesh' }, kind: up ? 'controlPlane.up' : 'controlPlane.down' });
  if (!up) return;
  const queued = cp.queued.splice(0);
  for (const q of queued) {
    if (q.kind === 'change') changeConfig(w, cp, q.change, reconfigure);
    else pushConfig(w, cp, q.label, q.xds);
  }
  for (const pod of cp.renewalsDue.splice(0)) renewCertificate(w, cp, pod);
}

/** Every sidecar gets a 24 h workload certificate when it starts (t = 0) and renews it at about half its life (§6.3). */
export function issueInitialCertificates(w: World): void {
  for (const runtime of Object.values(w.pods)) {
    if (!runtime.pod.sidecar) continue;
    runtime.cert = { issuedAt: 0, notAfter: WORKLOAD_CERT_TTL, serial: 1 };
    w.queue.push(renewalAt(w, runtime.pod.name, 0), Task.certRotate, 0, 0, runtime.pod.name);
  }
}

export function renewCertificate(w: World, cp: ControlPlaneState, pod: string): void {
  const runtime = w.pods[pod];
  if (!runtime?.cert) return;
  if (!cp.up) {
    // The agent cannot reach istiod; the old certificate runs out at notAfter (§6.3).
    if (!cp.renewalsDue.includes(pod)) cp.renewalsDue.push(pod);
    return;
  }
  runtime.cert = { issuedAt: w.now, notAfter: w.now + WORKLOAD_CERT_TTL, serial: runtime.cert.serial + 1 };
  if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: { kind: 'sidecar', pod }, kind: 'cert.issue', pod, spiffeId: spiffeOfPod(w, runtime), notAfter: runtime.cert.notAfter });
  w.queue.push(renewalAt(w, pod, w.now), Task.certRotate, 0, 0, pod);
}

/** Renewal at expiry − (0.5 ± 1 %) × lifetime (Istio's SECRET_GRACE_PERIOD_RATIO and its jitter). */
function renewalAt(w: World, pod: string, issuedAt: Micros): Micros {
  const jitter = (w.rng.stream(`cert:${pod}`).next() * 2 - 1) * CERT_GRACE_JITTER;
  return rotationTime(issuedAt, WORKLOAD_CERT_TTL, jitter);
}

function describeDocument(document: Record<string, unknown>): string {
  const metadata = (document['metadata'] ?? {}) as Record<string, unknown>;
  return `${String(document['kind'])}/${String(metadata['namespace'] ?? 'default')}/${String(metadata['name'])}`;
}
