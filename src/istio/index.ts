export { loadScenario } from './load/index.ts';
export type { LoadOptions, LoadResult, SourceFile } from './load/index.ts';
export { compileMesh, resolveServiceAddress, clusterName } from './compile/index.ts';
export type { CompileResult } from './compile/index.ts';
export { catalog } from './catalog.ts';
