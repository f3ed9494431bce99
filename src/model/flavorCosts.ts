import { DEFAULT_COSTS, type CostModel, type Flavor } from './scenario.ts';
import type { Micros } from './units.ts';

/** What the cost table covers: the flavors meshviz simulates. */
export type CostedMesh = 'istio' | 'linkerd' | 'istio-ambient';

/**
 * One mesh's published resource and latency figures (mesh-semantics §12,
 * §10.5), each with where it comes from. Latency is what one proxy adds to
 * a request and its response; CPU and memory are per proxy (per node for
 * ztunnel) and for the control plane. A figure derived from another says how.
 */
export interface MeshCostFigures {
  /** The data-plane proxy: `envoy sidecar`, `linkerd-proxy`, `ztunnel (per node)`. */
  proxy: string;
  /** Added by one proxy, request and response, median. */
  hopP50: Micros;
  /** The same at the tail (p99, or the published maximum where no p99 exists). */
  hopTail: Micros;
  /** vCPU per proxy per 1,000 requests a second through it. */
  cpuPer1000Rps: number;
  /** MB per proxy. */
  memoryMB: number;
  /** Ambient only: a waypoint's (Envoy) vCPU per 1,000 rps and MB (its sources are in `cpuPer1000Rps` and `memoryMB`). */
  waypointCpuPer1000Rps?: number;
  waypointMemoryMB?: number;
  /** The control plane: vCPU and MB. */
  controlPlaneCpu: number;
  controlPlaneMemoryMB: number;
  /** Where each figure comes from. */
  sources: Record<'hopP50' | 'hopTail' | 'cpuPer1000Rps' | 'memoryMB' | 'controlPlane', string>;
}

// Istio's own page (§12): two sidecars add +2.65 ms p90 (1.13.4) and +2.88 ms p99 (the 1.7–1.9 copy); one proxy is half.
const ISTIO_HOP_P50: Micros = 1_325;
const ISTIO_HOP_TAIL: Micros = 1_440;
// Ambient: ztunnel's CPU per 1000 rps against a sidecar's, Istio 1.24 (§12); latency is not published, so it is scaled by this.
const ZTUNNEL_CPU_RATIO = 0.06 / 0.2;
// Linkerd vs Istio, same benchmark (§10.5, linkerd.io blog 2021-11-29, 20 RPS): median overhead +8 ms vs +20 ms.
const LINKERD_MEDIAN_RATIO = 8 / 20;

/**
 * The cost table, every figure cited. Linkerd publishes no per-hop table
 * (§12): its per-hop figures are Istio's scaled by the ratio the same
 * benchmark measured between the two meshes, and its CPU is Istio 1.24's
 * scaled by the proxies' CPU-time ratio there (36 ms vs 67 ms). Ambient's
 * per-hop latency is not published (§12, "not captured"); its ztunnel hop
 * is Istio's sidecar hop scaled by ztunnel's share of a sidecar's CPU per
 * request (0.06 / 0.20, Istio 1.24), and says so — the same derivation as
 * the engine's `ztunnelProcessing`. A waypoint is Envoy: a sidecar's hop.
 */
export const MESH_COSTS: Readonly<Record<CostedMesh, MeshCostFigures>> = {
  istio: {
    proxy: 'envoy sidecar',
    hopP50: ISTIO_HOP_P50,
    hopTail: ISTIO_HOP_TAIL,
    cpuPer1000Rps: 0.2,
    memoryMB: 60,
    controlPlaneCpu: 1,
    controlPlaneMemoryMB: 1_500,
    sources: {
      hopP50: 'istio.io performance-and-scalability (1.13.4): +2.65 ms p90 for client and server sidecars; half per proxy (§12)',
      hopTail: 'istio.io performance-and-scalability (1.7–1.9 copy): +2.88 ms p99 for two sidecars; half per proxy (§12)',
      cpuPer1000Rps: 'istio.io performance-and-scalability (1.24): sidecar with 2 workers, 0.20 vCPU per 1000 HTTP rps (§12)',
      memoryMB: 'istio.io performance-and-scalability (1.24): sidecar 60 MB (§12)',
      controlPlane: 'istio.io performance-and-scalability: istiod 1 vCPU and 1.5 GB for 1000 services, 2000 sidecars (§12)',
    },
  },
  linkerd: {
    proxy: 'linkerd-proxy',
    hopP50: Math.round(ISTIO_HOP_P50 * LINKERD_MEDIAN_RATIO),
    hopTail: Math.round(ISTIO_HOP_TAIL * LINKERD_MEDIAN_RATIO),
    cpuPer1000Rps: Math.round(0.2 * (36 / 67) * 1000) / 1000,
    memoryMB: 26.3,
    controlPlaneCpu: Math.round((365 / 597) * 1000) / 1000,
    controlPlaneMemoryMB: 365,
    sources: {
      hopP50: "Istio's per-proxy p50 × 8/20, the median overheads of Linkerd and Istio in linkerd.io blog 2021-11-29 at 20 RPS (§10.5)",
      hopTail: "Istio's per-proxy p99 × 8/20 (§10.5 publishes no Linkerd p99; the same benchmark's maximum overheads, +39 ms vs +232 ms, put Linkerd's tail lower still)",
      cpuPer1000Rps: "Istio 1.24's 0.20 vCPU × 36/67, the proxies' CPU time in linkerd.io blog 2021-11-29 (§10.5)",
      memoryMB: 'linkerd.io blog 2021-11-29: linkerd-proxy maximum memory 26.3 MB (§10.5)',
      controlPlane: "linkerd.io blog 2021-11-29: control plane 365 MB vs Istio's 597 MB; CPU scaled from istiod's 1 vCPU by the same ratio (§10.5)",
    },
  },
  'istio-ambient': {
    proxy: 'ztunnel (per node)',
    hopP50: Math.round(ISTIO_HOP_P50 * ZTUNNEL_CPU_RATIO),
    hopTail: Math.round(ISTIO_HOP_TAIL * ZTUNNEL_CPU_RATIO),
    cpuPer1000Rps: 0.06,
    memoryMB: 12,
    waypointCpuPer1000Rps: 0.25,
    waypointMemoryMB: 60,
    controlPlaneCpu: 1,
    controlPlaneMemoryMB: 1_500,
    sources: {
      hopP50: "not published for ambient (§12, 'not captured') [UNCERTAIN]: Istio's per-proxy p50 × 0.06/0.20, ztunnel's CPU per request against a sidecar's (Istio 1.24, §12)",
      hopTail: "not published for ambient (§12) [UNCERTAIN]: Istio's per-proxy p99 × 0.06/0.20, as for the p50",
      cpuPer1000Rps: 'istio.io performance-and-scalability (1.24): ztunnel 0.06 vCPU per 1000 HTTP rps; a waypoint 0.25 vCPU (§12)',
      memoryMB: 'istio.io performance-and-scalability (1.24): ztunnel 12 MB; a waypoint 60 MB (§12)',
      controlPlane: 'istio.io performance-and-scalability: istiod 1 vCPU and 1.5 GB (§12)',
    },
  },
};

/**
 * The engine's default costs under a flavor: Istio's (`DEFAULT_COSTS`, one
 * pass through a sidecar 600 µs, about 2.7 ms added by two sidecars to a
 * request and its response, §12), and under Linkerd the same with the pass
 * scaled by the median-overhead ratio of the table (8/20). A Simulation's
 * `costs` overrides either.
 */
export function defaultCosts(flavor: Flavor): CostModel {
  switch (flavor) {
    case 'istio':
      return { ...DEFAULT_COSTS };
    case 'linkerd':
      return { ...DEFAULT_COSTS, proxyProcessing: Math.round(DEFAULT_COSTS.proxyProcessing * LINKERD_MEDIAN_RATIO) };
    case 'istio-ambient':
      // A waypoint is Envoy (a sidecar's pass); ztunnel's pass is `ztunnelProcessing`.
      return { ...DEFAULT_COSTS };
    default: {
      const never: never = flavor;
      return never;
    }
  }
}

/** What a Simulation may set of a mesh's figures (`spec.meshCosts`); latencies in µs. */
export type MeshCostOverride = Partial<Pick<MeshCostFigures, 'hopP50' | 'hopTail' | 'cpuPer1000Rps' | 'memoryMB' | 'controlPlaneCpu' | 'controlPlaneMemoryMB'>>;

export const MESH_COST_FIELDS = ['hopP50', 'hopTail', 'cpuPer1000Rps', 'memoryMB', 'controlPlaneCpu', 'controlPlaneMemoryMB'] as const;

/** A mesh's figures with the Simulation's overrides applied; an overridden figure's source says so. */
export function meshCostsFor(mesh: CostedMesh, overrides: Partial<Record<CostedMesh, MeshCostOverride>> | undefined): MeshCostFigures {
  const own = overrides?.[mesh];
  const base = MESH_COSTS[mesh];
  if (!own || Object.keys(own).length === 0) return base;
  const sources = { ...base.sources };
  const set = 'set in the Simulation (spec.meshCosts)';
  if (own.hopP50 !== undefined) sources.hopP50 = set;
  if (own.hopTail !== undefined) sources.hopTail = set;
  if (own.cpuPer1000Rps !== undefined) sources.cpuPer1000Rps = set;
  if (own.memoryMB !== undefined) sources.memoryMB = set;
  if (own.controlPlaneCpu !== undefined || own.controlPlaneMemoryMB !== undefined) sources.controlPlane = set;
  return { ...base, ...own, sources };
}
