import { parseIpv4 } from '../../model/index.ts';
import type { ObjectMeta, Service, ServicePort, SourcePos } from '../../model/index.ts';
import type { LabelIndex } from '../compile/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { readLabels } from './readMetadata.ts';
import type { WorkloadDraft } from './readWorkload.ts';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
/** The values the Kubernetes API accepts for `spec.trafficDistribution` (k8s.io/api core/v1 `ServiceTrafficDistribution*`). */
export const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'] as const;

/**
 * Reads a Service. A named `targetPort` is looked up among the container
 * ports of the workloads the selector picks (in the Service's namespace);
 * when none has that name the Service port is used, with a warning.
 */
export function readService(
  meta: ObjectMeta,
  document: FieldReader,
  workloads: LabelIndex<WorkloadDraft>,
  source: SourcePos,
): Service {
  const spec = document.map('spec');
  const selector = readLabels(spec, 'selector');
  // An empty selector selects nothing (the Service gets no endpoints).
  const selected = workloads.select(meta.namespace, selector);
  const ports = (spec?.mapItems('ports') ?? []).flatMap((port) => readPort(port, selected) ?? []);
  const clusterIP = spec?.string('clusterIP');
  // `None` is a headless Service: no virtual IP.
  const address = clusterIP !== undefined && parseIpv4(clusterIP) !== undefined ? { clusterIP } : {};
  const service: Service = { name: meta.name, namespace: meta.namespace, selector, ports, ...address, source };
  const distribution = spec?.string('trafficDistribution');
  if (distribution !== undefined) {
    // The API server refuses any other value.
    if ((TRAFFIC_DISTRIBUTIONS as readonly string[]).includes(distribution)) service.trafficDistribution = distribution;
    else spec?.invalid('trafficDistribution', `trafficDistribution must be one of ${TRAFFIC_DISTRIBUTIONS.join(', ')}, not ${JSON.stringify(distribution)}`);
  }
  return service;
}

function readPort(port: FieldReader, selected: readonly WorkloadDraft[]): ServicePort | undefined {
  if (!port.require('port')) return undefined;
  const number = port.integer('port', { min: 1, max: 65535 });
  if (number === undefined) return undefined;
  const result: ServicePort = { port: number, targetPort: readTargetPort(port, number, selected), protocol: 'TCP' };
  const name = port.string('name');
  if (name !== undefined) result.name = name;
  const protocol = port.string('protocol');
  if (protocol !== undefined) {
    const known = PROTOCOLS.find((p) => p === protocol);
    if (known) result.protocol = known;
    else port.invalid('protocol', `protocol must be one of ${PROTOCOLS.join(', ')}, not ${JSON.stringify(protocol)}`);
  }
  const appProtocol = port.string('appProtocol');
  if (appProtocol !== undefined) result.appProtocol = appProtocol;
  return result;
}

function readTargetPort(port: FieldReader, number: number, selected: readonly WorkloadDraft[]): number {
  const target = port.value['targetPort'];
  if (typeof target === 'string' && !/^\d+$/.test(target)) {
    const named = selected.flatMap((w) => w.containerPorts).find((p) => p.name === target);
    if (named) return named.port;
    port.reporter.report('NamedTargetPortUnresolved', port.pathOf('targetPort'), { name: target, port: number });
    return number;
  }
  if (typeof target === 'string') return readNumericText(port, target) ?? number;
  return port.integer('targetPort', { min: 1, max: 65535 }) ?? number;
}

function readNumericText(port: FieldReader, text: string): number | undefined {
  const value = Number(text);
  if (value >= 1 && value <= 65535) return value;
  port.invalid('targetPort', `targetPort must be between 1 and 65535, not ${text}`);
  return undefined;
}
