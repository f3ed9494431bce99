export { compileMesh } from './compileMesh.ts';
export type { CompileResult } from './compileMesh.ts';
export { resolveExternalAddress, resolveServiceAddress } from './resolveServiceAddress.ts';
export { ingressPortFor, resolveIngressAddress } from './resolveIngressAddress.ts';
export type { IngressAddress } from './resolveIngressAddress.ts';
export { boundGateways, gatewayKey, gatewayRef, gatewaysFor, ingressPorts, intersectHosts, MESH_GATEWAY, routesHttp, serverHostsFor } from './gatewayBinding.ts';
export { LabelIndex } from './LabelIndex.ts';
