export { loadScenario, DEFAULT_MAX_TOTAL_BYTES } from './loadScenario.ts';
export type { LoadOptions, LoadResult, SourceFile } from './loadScenario.ts';
export { readExpectFile } from './readExpectFile.ts';
export { parseExpectation } from './parseExpectation.ts';
