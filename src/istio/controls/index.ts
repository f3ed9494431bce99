export { canaryRoutes, rebalance, setRouteWeights } from './canaryRoutes.ts';
export type { CanaryRoute } from './canaryRoutes.ts';
export { controlledDocuments } from './controlledDocuments.ts';
export { fileDocuments, putDocument } from './documentSet.ts';
export type { FileDocument } from './documentSet.ts';
export { appendDocument, documentText, editDocument, editFiles, replaceDocument, replaceInFiles } from './editYaml.ts';
export type { DocRef } from './editYaml.ts';
export { meshMtlsMode, meshPolicy, meshPolicyYaml, setMeshMtls, MTLS_MODES } from './meshMtls.ts';
export type { MtlsMode } from './meshMtls.ts';
