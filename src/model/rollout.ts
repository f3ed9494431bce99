import type { SourcePos } from './diagnostics.ts';
import type { Resource } from './istio.ts';
import type { Micros } from './units.ts';

/**
 * A progressive rollout as a controller would drive it: a Flagger `Canary`
 * (flagger.app/v1beta1). meshviz generates what the controller creates and
 * the VirtualService weights of each step, and walks them through a run.
 */
export interface RolloutSpec {
  kind: 'Canary';
  name: string;
  namespace: string;
  source?: SourcePos;
  /** The Deployment being rolled out (`spec.targetRef.name`): the canary; Flagger clones it to `<target>-primary`. */
  target: string;
  /** The Service callers dial (`spec.service.name`, default the target's name) and its port. */
  service: { name: string; port: number; targetPort: number };
  analysis: CanaryAnalysis;
  /** The document as read (its spec as written), which `export` writes back. */
  document?: Resource<unknown>;
}

export interface CanaryAnalysis {
  /** Time between two steps of the control loop. */
  interval: Micros;
  /** Failed checks after which the canary is rolled back. */
  threshold: number;
  maxWeight: number;
  stepWeight: number;
  metrics: GateMetric[];
}

/** One of Flagger's built-in checks, over the canary workload as its sidecars report it (reporter="destination"). */
export interface GateMetric {
  name: 'request-success-rate' | 'request-duration';
  /** `thresholdRange`: the success rate in % at least `min`; the p99 in ms at most `max`. */
  min?: number;
  max?: number;
  /** The window the check looks back over. */
  interval: Micros;
}

/**
 * An Argo Rollouts `Rollout` (argoproj.io/v1alpha1) with a canary strategy
 * routed by Istio: its pods, the stable and canary Services, the
 * VirtualService routes whose weights its steps set, and the steps.
 */
export interface ArgoRollout {
  kind: 'Rollout';
  name: string;
  namespace: string;
  source?: SourcePos;
  replicas: number;
  /** The pod template's labels, service account, sidecar injection and first container port. */
  labels: Record<string, string>;
  serviceAccount: string;
  sidecar: boolean;
  port: number | undefined;
  stableService: string;
  canaryService: string;
  virtualService: { name: string; routes: string[] };
  steps: ArgoStep[];
  /** The document as read (its spec as written), which `export` writes back. */
  document?: Resource<unknown>;
}

/** `setWeight: N`, or `pause` for a duration (null: until someone promotes it). */
export type ArgoStep = { kind: 'setWeight'; weight: number } | { kind: 'pause'; duration: Micros | null };
