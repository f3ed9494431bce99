export { loadScenario, DEFAULT_MAX_TOTAL_BYTES } from './loadScenario.ts';
export type { LoadOptions, LoadResult, SourceFile } from './loadScenario.ts';
