import {
  type DestinationRule,
  type DestinationRuleSpec,
  type PeerAuthentication,
  type PeerAuthenticationSpec,
  type Pod,
  type Resource,
  type Scenario,
  type Service,
  type VirtualService,
  type VirtualServiceSpec,
} from '../../../model/index.ts';
import { emptyScenario } from '../../load/assembleScenario.ts';

/**
 * Small builders for compiler tests: scenarios in code, not YAML. Defaults:
 * namespace `default`, root namespace `istio-system`, `cluster.local`,
 * sidecars on.
 */
export function scenarioOf(parts: Partial<Scenario>): Scenario {
  return { ...emptyScenario(), ...parts };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  sidecar?: boolean;
  workload?: string;
}

export function pod(name: string, options: PodOptions = {}): Pod {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 65_000;
  return {
    name,
    workload: options.workload ?? name.replace(/-\d+$/, ''),
    namespace: options.namespace ?? 'default',
    labels: options.labels ?? { app: name.replace(/-\d+$/, '') },
    serviceAccount: 'default',
    ip: `10.1.${Math.floor(hash / 250)}.${hash % 250}`,
    sidecar: options.sidecar ?? true,
  };
}

/** `count` pods `<workload>-0…` with the same labels. */
export function pods(workload: string, count: number, options: PodOptions = {}): Pod[] {
  return Array.from({ length: count }, (_, i) => pod(`${workload}-${i}`, { workload, labels: { app: workload }, ...options }));
}

export interface ServiceOptions {
  namespace?: string;
  selector?: Record<string, string>;
  /** Service ports; a pair is `[port, targetPort]`. Default `[[80, 8080]]`. */
  ports?: Array<number | [number, number]>;
}

export function service(name: string, options: ServiceOptions = {}): Service {
  return {
    name,
    namespace: options.namespace ?? 'default',
    selector: options.selector ?? { app: name },
    ports: (options.ports ?? [[80, 8080]]).map((p) => {
      const [port, targetPort] = typeof p === 'number' ? [p, p] : p;
      return { name: `http-${port}`, port, targetPort, protocol: 'TCP' as const };
    }),
  };
}

export interface ResourceOptions {
  namespace?: string;
  order?: number;
  positions?: Resource<unknown>['positions'];
}

function resource<S>(kind: string, apiVersion: string, name: string, spec: S, options: ResourceOptions): Resource<S> {
  const out: Resource<S> = {
    apiVersion,
    kind,
    metadata: { name, namespace: options.namespace ?? 'default', labels: {}, annotations: {} },
    spec,
    order: options.order ?? 0,
    source: { file: 'test.yaml', line: 1, col: 1 },
  };
  if (options.positions) out.positions = options.positions;
  return out;
}

export function virtualService(name: string, spec: VirtualServiceSpec, options: ResourceOptions = {}): VirtualService {
  return resource('VirtualService', 'networking.istio.io/v1', name, spec, options);
}

export function destinationRule(name: string, spec: DestinationRuleSpec, options: ResourceOptions = {}): DestinationRule {
  return resource('DestinationRule', 'networking.istio.io/v1', name, spec, options);
}

export function peerAuthentication(
  name: string,
  spec: PeerAuthenticationSpec,
  options: ResourceOptions = {},
): PeerAuthentication {
  return resource('PeerAuthentication', 'security.istio.io/v1', name, spec, options);
}
