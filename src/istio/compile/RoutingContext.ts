import type { ClusterXds } from '../../model/index.ts';
import type { CompileContext } from './CompileContext.ts';
import type { PolicyComponents } from './mergeTrafficPolicy.ts';
import type { GammaRoutes } from './buildGammaRoutes.ts';
import type { AttachedRoutes } from './attachGatewayRoutes.ts';
import type { DelegatedRules } from './mergeDelegates.ts';
import type { VirtualServiceSelection } from './selectVirtualServices.ts';

/** What route building needs beyond the compile context: the built clusters and the VirtualService per host. */
export interface RoutingContext extends CompileContext {
  clusters: Record<string, ClusterXds>;
  clusterPolicies: Map<string, PolicyComponents>;
  virtualServices: VirtualServiceSelection;
  /** Gateway API HTTPRoutes routing Service ports (GAMMA); `undefined` when there are none. */
  gamma?: GammaRoutes;
  /** HTTPRoutes attached to the listeners of Gateway API Gateways, by the listener's Istio Gateway (`ns/name`). */
  gatewayRoutes?: AttachedRoutes;
  /** Rules a delegate VirtualService gave its root, with where they are written. */
  delegated?: DelegatedRules;
}

/** The proxy a route table is built for; `sourceLabels` / `sourceNamespace` are decided against it. */
export interface RouteSource {
  namespace: string;
  labels: Record<string, string>;
  /** Set when the routes are for a gateway proxy: the Gateways (`ns/name`) it serves. Absent: a sidecar (`mesh`). */
  gateways?: ReadonlySet<string>;
}
