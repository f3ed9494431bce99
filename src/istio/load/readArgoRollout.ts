import type { ArgoRollout, ArgoStep } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import type { ResourceHeader } from './readIstioResource.ts';

/**
 * Reads an Argo Rollouts `Rollout` (argoproj.io/v1alpha1) whose canary
 * strategy routes with an Istio VirtualService (host-level: `stableService`
 * and `canaryService`): its pod template, the VirtualService routes, and the
 * steps `setWeight` and `pause` (a number of seconds or a duration; none:
 * until promoted). What meshviz cannot walk — subset-level routing
 * (`destinationRule`), analysis templates, experiments, `setCanaryScale`,
 * header routes — is reported at its field.
 */
export function readArgoRollout(header: ResourceHeader, document: FieldReader): ArgoRollout | undefined {
  const spec = document.map('spec');
  if (!spec) {
    document.require('spec');
    return undefined;
  }
  const template = spec.require('template') ? spec.map('template') : undefined;
  const labels = template?.map('metadata')?.stringMap('labels') ?? {};
  const podSpec = template?.map('spec');
  const injection = template?.map('metadata')?.stringMap('annotations')?.['sidecar.istio.io/inject'];
  const port = podSpec?.mapItems('containers')[0]?.mapItems('ports')[0]?.integer('containerPort', { min: 1, max: 65535 });
  const canary = spec.map('strategy')?.map('canary');
  if (!canary) {
    spec.require('strategy');
    spec.invalid('strategy', 'meshviz canary walks a canary strategy: strategy.canary with steps and trafficRouting.istio');
    return undefined;
  }
  if (canary.has('analysis')) canary.invalid('analysis', 'background analysis runs AnalysisTemplates (Prometheus queries): meshviz walks the steps with its own gate instead');
  const istio = canary.map('trafficRouting')?.map('istio');
  if (!istio) canary.require('trafficRouting');
  if (istio?.has('destinationRule')) istio.invalid('destinationRule', 'subset-level traffic splitting is not walked yet: use stableService and canaryService (host-level)');
  const vs = istio?.map('virtualService') ?? istio?.mapItems('virtualServices')[0];
  const vsName = vs?.require('name') ? vs.string('name') : undefined;
  const routes = (vs?.list('routes') ?? []).flatMap(({ value }) => (typeof value === 'string' ? [value] : []));
  const stableService = canary.require('stableService') ? canary.string('stableService') : undefined;
  const canaryService = canary.require('canaryService') ? canary.string('canaryService') : undefined;
  const steps = canary.mapItems('steps').flatMap((step): ArgoStep[] => {
    if (step.has('setWeight')) {
      const weight = step.integer('setWeight', { min: 0, max: 100 });
      return weight === undefined ? [] : [{ kind: 'setWeight', weight }];
    }
    if (step.has('pause')) {
      const pause = step.map('pause');
      if (!pause?.has('duration')) return [{ kind: 'pause', duration: null }];
      const seconds = typeof pause.value['duration'] === 'number' ? pause.integer('duration', { min: 0 }) : undefined;
      const duration = seconds !== undefined ? seconds * 1_000_000 : pause.duration('duration');
      return duration === undefined ? [] : [{ kind: 'pause', duration }];
    }
    step.invalid(step.keys()[0] ?? 'setWeight', `only setWeight and pause steps are walked (not ${step.keys().join(', ')})`);
    return [];
  });
  if (vsName === undefined || stableService === undefined || canaryService === undefined) return undefined;
  return {
    kind: 'Rollout',
    name: header.meta.name,
    namespace: header.meta.namespace,
    source: header.raw.source,
    replicas: spec.integer('replicas', { min: 0 }) ?? 1,
    labels,
    serviceAccount: podSpec?.string('serviceAccountName') ?? 'default',
    sidecar: injection !== 'false',
    port,
    stableService,
    canaryService,
    virtualService: { name: vsName, routes },
    steps,
  };
}
