import { EXTERNAL, type TrafficLoad, type TrafficSpec } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { portOf, readHostPort } from './hostPort.ts';
import { readRequest } from './readRequest.ts';
import type { SimulationRef } from './SimulationRef.ts';

const TRAFFIC_FIELDS = [
  'name', 'from', 'to', 'path', 'method', 'headers', 'rps', 'duration', 'connections', 'requests', 'start',
  'clientCertificate',
] as const;

/** Reads `spec.traffic`: the load generators. Entries with errors are left out. */
export function readTraffic(spec: FieldReader, refs: SimulationRef[]): TrafficSpec[] {
  const result: TrafficSpec[] = [];
  spec.mapItems('traffic').forEach((entry, index) => {
    const traffic = readEntry(entry, index, refs);
    if (!traffic) return;
    if (result.some((other) => other.name === traffic.name)) {
      entry.reporter.report('DuplicateTrafficName', entry.pathOf('name'), { name: traffic.name });
      return;
    }
    result.push(traffic);
  });
  return result;
}

function readEntry(entry: FieldReader, index: number, refs: SimulationRef[]): TrafficSpec | undefined {
  entry.allowOnly(TRAFFIC_FIELDS);
  const name = entry.string('name') ?? `traffic-${index}`;
  const from = entry.require('from') ? entry.string('from') : undefined;
  const target = readHostPort(entry, 'to');
  const request = readRequest(entry);
  const load = readLoad(entry);
  const start = entry.duration('start') ?? 0;
  if (from === undefined || !target || !load) return undefined;
  if (from !== EXTERNAL) refs.push({ kind: 'source', name: from, path: entry.pathOf('from') });
  refs.push({ kind: 'service', host: target.host, ...portOf(target.port), caller: from, path: entry.pathOf('to') });
  const clientCertificate = entry.boolean('clientCertificate');
  return { name, from, host: target.host, ...portOf(target.port), ...request, load, start, ...(clientCertificate ? { clientCertificate } : {}) };
}

function readLoad(entry: FieldReader): TrafficLoad | undefined {
  const open = entry.has('rps') || entry.has('duration');
  const closed = entry.has('connections') || entry.has('requests');
  if (open && closed) {
    entry.reporter.report('TrafficLoadForm', entry.path, { detail: 'both are given' });
    return undefined;
  }
  if (!open && !closed) {
    entry.reporter.report('TrafficLoadForm', entry.path, { detail: 'neither is given' });
    return undefined;
  }
  if (open) {
    const [hasRps, hasDuration] = [entry.require('rps'), entry.require('duration')];
    const rps = hasRps ? entry.number('rps', { min: 0, above: true }) : undefined;
    const duration = hasDuration ? positive(entry, 'duration') : undefined;
    return rps === undefined || duration === undefined ? undefined : { kind: 'open', rps, duration };
  }
  const [hasConnections, hasRequests] = [entry.require('connections'), entry.require('requests')];
  const connections = hasConnections ? entry.integer('connections', { min: 1 }) : undefined;
  const requests = hasRequests ? entry.integer('requests', { min: 1 }) : undefined;
  return connections === undefined || requests === undefined ? undefined : { kind: 'closed', connections, requests };
}

function positive(entry: FieldReader, key: string): number | undefined {
  const value = entry.duration(key);
  if (value === undefined || value > 0) return value;
  entry.invalid(key, `${key} must be longer than 0`);
  return undefined;
}
