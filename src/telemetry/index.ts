export { LatencyHistogram } from './LatencyHistogram.ts';
export type { Percentiles } from './LatencyHistogram.ts';
export { SummaryCollector } from './SummaryCollector.ts';
export type { SimulationReport } from './SimulationReport.ts';
export { StreamDigest, canonicalJson } from './StreamDigest.ts';
export { FATE_LABELS, FATES, FateTally, fateOf } from './fate.ts';
export type { Fate, FateCounts } from './fate.ts';
