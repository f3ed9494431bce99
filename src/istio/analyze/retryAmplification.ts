import type { Diagnostic, RetryPolicyXds, RouteXds } from '../../model/index.ts';
import { diagnostic, type DiagnosticLocation } from '../catalog.ts';
import type { Analyzer } from './Analyzer.ts';
import type { AnalysisContext } from './AnalysisContext.ts';
import { callPaths, type Hop } from './callPaths.ts';
import { routeLocation } from './routeLocation.ts';

/** One place a request is tried again: an app's own retries or a sidecar's retry policy. */
interface Layer {
  label: string;
  factor: number;
  explicit: boolean;
  at?: DiagnosticLocation;
}

const ANSWER_5XX = (r: RetryPolicyXds): boolean =>
  r.retryOn.includes('5xx') || r.retryOn.includes('gateway-error') ||
  (r.retryOn.includes('retriable-status-codes') && r.retriableStatusCodes.some((c) => c >= 500));
const CONNECT_FAILURE = (r: RetryPolicyXds): boolean =>
  ['connect-failure', 'reset', '5xx', 'gateway-error'].some((c) => r.retryOn.includes(c as RetryPolicyXds['retryOn'][number]));

/**
 * Retries at several layers of one call path multiply: when the last service
 * keeps failing, each layer tries its whole subtree again, so the worst case
 * is the product of (1 + retries) over the layers (app retries from the
 * Simulation, VirtualService retries at each caller's sidecar). A layer
 * counts only for failures its conditions cover: a 5xx answer travels up as
 * a 5xx, a refused connection at the last hop becomes 503 for the layers
 * above. Istio's default policy (2 retries on connect-failure, §2.1) only
 * enters the product for the refused-connection case, and never triggers a
 * finding on its own.
 */
export const retryAmplification: Analyzer = {
  name: 'retryAmplification',
  run(ctx) {
    const found = new Map<string, Diagnostic>();
    for (const path of callPaths(ctx)) {
      const answer = path.flatMap((hop) => layersOf(ctx, hop, ANSWER_5XX));
      const refused = [
        ...path.slice(0, -1).flatMap((hop) => layersOf(ctx, hop, ANSWER_5XX)),
        ...layersOf(ctx, path.at(-1) as Hop, CONNECT_FAILURE),
      ];
      const product = (layers: Layer[]): number => layers.reduce((total, l) => total * l.factor, 1);
      const worstLayers = product(refused) > product(answer) ? refused : answer;
      if (worstLayers.filter((l) => l.explicit).length < 2) continue;
      const note = worstLayers === refused
        ? ` (counting a refused connection at the last hop, which ${(path.at(-1) as Hop).caller}'s sidecar retries: ${(refused.at(-1) as Layer).label})`
        : '';
      const at = worstLayers.find((l) => l.explicit && l.at)?.at ?? {};
      const message = diagnostic('RetryAmplification', at, {
        path: pathText(path),
        layers: `${worstLayers.length} layers (${worstLayers.map((l) => `${l.label}`).join(', ')})`,
        worst: product(worstLayers),
        note,
      });
      found.set(`${message.path ?? ''}|${message.message}`, message);
    }
    return [...found.values()];
  },
};

/** The retrying layers of one hop for a kind of failure: the caller app's retries, then its sidecar's policy. */
function layersOf(ctx: AnalysisContext, hop: Hop, covers: (r: RetryPolicyXds) => boolean): Layer[] {
  const layers: Layer[] = [];
  if (hop.appRetries > 0) {
    const layer: Layer = { label: `${hop.caller} app ×${1 + hop.appRetries}`, factor: 1 + hop.appRetries, explicit: true };
    if (hop.appSource) layer.at = { resource: `Simulation/${ctx.scenario.simulation.name}`, source: hop.appSource, ...(hop.appPath ? { path: hop.appPath } : {}) };
    layers.push(layer);
  }
  const route = worstRoute(hop.routes, covers);
  if (route?.action.kind === 'route') {
    const retry = route.action.retry;
    const explicit = route.origin.kind === 'virtualService' && routeLocation(ctx, route, 'retries') !== undefined;
    const conditions = retry.retryOn.filter((c) => c !== 'retriable-status-codes' || retry.retriableStatusCodes.length > 0).join(',');
    const layer: Layer = { label: `${hop.caller} sidecar ×${1 + retry.numRetries} (retryOn ${conditions}${explicit ? '' : ', Istio default'})`, factor: 1 + retry.numRetries, explicit };
    const at = routeLocation(ctx, route, 'retries');
    if (at) layer.at = at;
    layers.push(layer);
  }
  return layers;
}

/** Of the routes a hop may take, the one whose retries covering this failure are the most. */
function worstRoute(routes: RouteXds[], covers: (r: RetryPolicyXds) => boolean): RouteXds | undefined {
  let worst: RouteXds | undefined;
  for (const route of routes) {
    if (route.action.kind !== 'route' || route.action.retry.numRetries === 0 || !covers(route.action.retry)) continue;
    if (!worst || (worst.action.kind === 'route' && route.action.retry.numRetries > worst.action.retry.numRetries)) worst = route;
  }
  return worst;
}

function pathText(path: Hop[]): string {
  const last = path.at(-1) as Hop;
  return [...path.map((h) => h.caller), last.host.split('.')[0] ?? last.host].join(' → ');
}
