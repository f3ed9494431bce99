export { loadScenario } from './loadScenario.ts';
export type { LoadOptions, LoadResult, SourceFile } from './loadScenario.ts';
