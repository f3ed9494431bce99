export { analyzeFiles, analyzeScenario, equivalentsOf } from './analyzeScenario.ts';
export type { AnalysisResult } from './analyzeScenario.ts';
export { ANALYZERS, BEFORE_RUNNING } from './analyzers.ts';
export type { Analyzer } from './Analyzer.ts';
export { sortDiagnostics } from './sortDiagnostics.ts';
export { peerAuthenticationOf } from './mtlsPolicyOf.ts';
export type { MtlsDecision } from './mtlsPolicyOf.ts';
