import { defaultApp, type AppBehaviour, type CallSpec, type LatencyDist } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { portOf, readHostPort } from './hostPort.ts';
import { readRequest } from './readRequest.ts';
import type { SimulationRef } from './SimulationRef.ts';

const APP_FIELDS = ['latency', 'errorRate', 'propagateTraceHeaders', 'propagateHeaders', 'calls'] as const;
const CALL_FIELDS = ['service', 'path', 'method', 'headers', 'timeout', 'retries', 'onFailure', 'parallel'] as const;

/** Reads `spec.workloads.<name>`: what the app does with each request. Absent fields keep `defaultApp()`. */
export function readAppBehaviour(app: FieldReader | undefined, workload: string, refs: SimulationRef[]): AppBehaviour {
  const result = defaultApp();
  if (!app) return result;
  app.allowOnly(APP_FIELDS);
  const latency = readLatency(app.map('latency'));
  if (latency) result.latency = latency;
  result.errorRate = app.number('errorRate', { min: 0, max: 1 }) ?? result.errorRate;
  result.propagateTraceHeaders = app.boolean('propagateTraceHeaders') ?? result.propagateTraceHeaders;
  for (const item of app.list('propagateHeaders') ?? []) {
    if (typeof item.value === 'string' && item.value.length > 0) result.propagateHeaders.push(item.value.toLowerCase());
    else app.reporter.report('WrongType', item.path, { expected: 'a header name', actual: typeof item.value });
  }
  result.calls = app.mapItems('calls').flatMap((call) => readCall(call, workload, refs) ?? []);
  return result;
}

function readLatency(latency: FieldReader | undefined): LatencyDist | undefined {
  if (!latency) return undefined;
  latency.allowOnly(['fixed', 'p50', 'p99']);
  const form = (detail: string): undefined => {
    latency.reporter.report('LatencyForm', latency.path, { detail });
    return undefined;
  };
  const hasPercentiles = latency.has('p50') || latency.has('p99');
  if (latency.has('fixed') && hasPercentiles) return form('both are given');
  if (latency.has('fixed')) {
    const value = latency.duration('fixed');
    return value === undefined ? undefined : { kind: 'fixed', value };
  }
  if (!hasPercentiles) return form('neither is given');
  if (!latency.has('p50') || !latency.has('p99')) return form('p50 and p99 go together');
  const p50 = latency.duration('p50');
  const p99 = latency.duration('p99');
  if (p50 === undefined || p99 === undefined) return undefined;
  if (p99 < p50) return form('p99 is below p50');
  return { kind: 'lognormal', p50, p99 };
}

function readCall(call: FieldReader, workload: string, refs: SimulationRef[]): CallSpec | undefined {
  call.allowOnly(CALL_FIELDS);
  const target = readHostPort(call, 'service');
  const result: CallSpec = {
    host: target?.host ?? '',
    ...readRequest(call),
    retries: call.integer('retries', { min: 0 }) ?? 0,
    onFailure: 'fail',
    parallel: call.boolean('parallel') ?? false,
  };
  if (target?.port !== undefined) result.port = target.port;
  result.source = call.reporter.sourceOf(call.path);
  const timeout = call.duration('timeout');
  if (timeout !== undefined) result.timeout = timeout;
  const onFailure = call.string('onFailure');
  if (onFailure === 'continue' || onFailure === 'fail') result.onFailure = onFailure;
  else if (onFailure !== undefined) call.invalid('onFailure', `onFailure must be fail or continue, not ${JSON.stringify(onFailure)}`);
  if (!target) return undefined;
  refs.push({ kind: 'service', host: target.host, ...portOf(target.port), caller: workload, path: call.pathOf('service') });
  return result;
}
