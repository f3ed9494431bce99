export { compileMesh } from './compileMesh.ts';
export type { CompileResult } from './compileMesh.ts';
export { resolveServiceAddress } from './resolveServiceAddress.ts';
