import type { FateCounts } from './fate.ts';
import type { Percentiles } from './LatencyHistogram.ts';

/** `meshviz simulate --json`: what the callers, the sidecars and the detectors saw. */
export interface SimulationReport {
  seed: number;
  durationMs: number;
  /** `fate`: the traffic's requests split by what became of them (`fate.ts`). */
  requests: { total: number; byCode: Record<string, number>; byFlags: Record<string, number>; unfinished: number; fate: FateCounts };
  traffic: Array<{
    name: string;
    sent: number;
    completed: number;
    byCode: Record<string, number>;
    byFlags: Record<string, number>;
    fate: FateCounts;
    latencyMs: Percentiles;
  }>;
  edges: Array<{
    source: string;
    destination: string;
    destinationService: string;
    requests: number;
    byCode: Record<string, number>;
    latencyMs: Percentiles;
  }>;
  /** Every call as its caller saw it (Istio's reporter="source" view): fail-fast answers show up only here. */
  calls: Array<{
    source: string;
    destinationService: string;
    requests: number;
    byCode: Record<string, number>;
    byFlags: Record<string, number>;
    latencyMs: Percentiles;
  }>;
  ejections: Array<{ client: string; endpoint: string; cluster: string; atMs: number; durationMs: number | null }>;
  retries: number;
  pods: Array<{ name: string; workload: string; received: number }>;
  events: number;
  /** Why the run ended before its traffic did (interrupted, or over its budget); absent when it ran to the end. */
  stopped?: string;
}
