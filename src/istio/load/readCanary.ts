import type { GateMetric, RolloutSpec } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import type { ResourceHeader } from './readIstioResource.ts';

const SPEC_FIELDS = ['targetRef', 'service', 'analysis', 'progressDeadlineSeconds', 'autoscalerRef', 'provider', 'skipAnalysis', 'revertOnDeletion', 'suspend', 'ingressRef', 'upstreamRef', 'metricsServer'];
const ANALYSIS_FIELDS = ['interval', 'threshold', 'maxWeight', 'stepWeight', 'stepWeights', 'stepWeightPromotion', 'metrics', 'webhooks', 'iterations', 'match', 'mirror', 'mirrorWeight', 'primaryReadyThreshold', 'canaryReadyThreshold', 'alerts', 'sessionAffinity'];
/** Flagger's built-in checks; `metrics[].templateRef` (custom queries) needs a Prometheus meshviz does not have. */
const BUILT_IN = ['request-success-rate', 'request-duration'] as const;

/**
 * Reads a Flagger `Canary` (flagger.app/v1beta1) with the defaults Flagger
 * applies (`interval` 60s, `threshold` 10 … as its CRD and controller set
 * them): the target Deployment, the Service, and the analysis that gates
 * each step. What meshviz cannot walk (A/B `match`, `iterations`,
 * `stepWeights`, mirroring, custom metric templates) is reported.
 */
export function readCanary(header: ResourceHeader, document: FieldReader): RolloutSpec | undefined {
  const spec = document.map('spec');
  if (!spec) {
    document.require('spec');
    return undefined;
  }
  spec.allowOnly(SPEC_FIELDS);
  const targetRef = spec.require('targetRef') ? spec.map('targetRef') : undefined;
  const target = targetRef?.require('name') ? targetRef.string('name') : undefined;
  const kind = targetRef?.string('kind');
  if (kind !== undefined && kind !== 'Deployment') targetRef?.invalid('kind', `meshviz walks a Canary of a Deployment, not a ${kind}`);
  const service = spec.require('service') ? spec.map('service') : undefined;
  const port = service?.require('port') ? service.integer('port', { min: 1, max: 65535 }) : undefined;
  const analysis = spec.require('analysis') ? spec.map('analysis') : undefined;
  analysis?.allowOnly(ANALYSIS_FIELDS);
  for (const field of ['stepWeights', 'iterations', 'match', 'mirror']) {
    if (analysis?.has(field)) analysis.invalid(field, `${field} is not walked by meshviz canary yet: give stepWeight and maxWeight (progressive traffic shifting)`);
  }
  const metrics = (analysis?.mapItems('metrics') ?? []).flatMap((m): GateMetric[] => {
    const name = m.require('name') ? m.string('name') : undefined;
    if (m.has('templateRef') || (name !== undefined && !(BUILT_IN as readonly string[]).includes(name))) {
      m.invalid('name', `only Flagger's built-in checks (${BUILT_IN.join(', ')}) can be evaluated offline; a templateRef queries a Prometheus`);
      return [];
    }
    const range = m.map('thresholdRange');
    const min = range?.number('min');
    const max = range?.number('max');
    const interval = m.duration('interval') ?? 60_000_000;
    if (name === undefined || (min === undefined && max === undefined)) {
      if (name !== undefined) m.require('thresholdRange');
      return [];
    }
    return [{ name: name as GateMetric['name'], ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), interval }];
  });
  const stepWeight = analysis?.integer('stepWeight', { min: 1, max: 100 });
  if (analysis && stepWeight === undefined && !analysis.has('stepWeight')) analysis.require('stepWeight');
  if (target === undefined || port === undefined || !analysis || stepWeight === undefined) return undefined;
  return {
    kind: 'Canary',
    name: header.meta.name,
    namespace: header.meta.namespace,
    source: header.raw.source,
    target,
    service: { name: service?.string('name') ?? target, port, targetPort: service?.integer('targetPort', { min: 1, max: 65535 }) ?? port },
    analysis: {
      interval: analysis.duration('interval') ?? 60_000_000,
      threshold: analysis.integer('threshold', { min: 1 }) ?? 10,
      maxWeight: analysis.integer('maxWeight', { min: 1, max: 100 }) ?? 100,
      stepWeight,
      metrics,
    },
  };
}
