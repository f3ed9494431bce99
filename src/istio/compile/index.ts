export { compileMesh } from './compileMesh.ts';
export type { CompileResult } from './compileMesh.ts';
export { resolveExternalAddress, resolveServiceAddress } from './resolveServiceAddress.ts';
