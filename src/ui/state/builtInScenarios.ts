import bookinfo from '../../../scenarios/bookinfo.yaml?raw';
import shop from '../../../scenarios/default.yaml?raw';
import linkerdShop from '../../../scenarios/linkerd.yaml?raw';
import ambientShop from '../../../scenarios/ambient.yaml?raw';
import type { SourceFile } from '../../api/index.ts';
import type { Flavor } from '../../model/index.ts';

export interface BuiltInScenario {
  id: string;
  title: string;
  /** What to send first: a caller and a destination that show the scenario's point. */
  from: string;
  to: string;
  files: SourceFile[];
}

/** The same mesh configured for each flavor: the visualizer's mesh switch moves between them. */
export const FLAVOR_TWINS: ReadonlyArray<Readonly<Record<Flavor, string>>> = [{ istio: 'default', linkerd: 'linkerd', 'istio-ambient': 'ambient' }];

/** The scenarios that ship with meshviz (the same files `meshviz --scenario` reads). */
export const BUILT_IN_SCENARIOS: readonly BuiltInScenario[] = [
  { id: 'default', title: 'Default mesh (web → api → users v1/v2)', from: 'api', to: 'users', files: [{ name: 'default.yaml', text: shop }] },
  { id: 'bookinfo', title: 'Bookinfo (Istio sample)', from: 'external', to: 'productpage', files: [{ name: 'bookinfo.yaml', text: bookinfo }] },
  { id: 'linkerd', title: 'Default mesh under Linkerd (linkerd-proxy)', from: 'api', to: 'users', files: [{ name: 'linkerd.yaml', text: linkerdShop }] },
  { id: 'ambient', title: 'Default mesh under Istio ambient (ztunnel, waypoint)', from: 'api', to: 'users', files: [{ name: 'ambient.yaml', text: ambientShop }] },
];
