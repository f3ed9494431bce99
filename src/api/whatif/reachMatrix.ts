import type { Scenario } from '../../model/index.ts';
import { shortHost } from '../describe.ts';
import type { Session } from '../Session.ts';
import { resolveDestination, resolveWorkload } from '../resolveWorkload.ts';
import { resolveServiceAddress } from '../../istio/index.ts';
import type { CallStats } from './CallFold.ts';
import { callView } from './callView.ts';
import { probeTraffic } from './probeTraffic.ts';
import { runFolded } from './runFolded.ts';

/** What happens when a source calls a service port. */
export type ReachVerdict = 'allowed' | 'denied' | 'reset' | 'unreachable';

export interface ReachCell {
  from: string;
  /** `service.namespace:port` */
  to: string;
  verdict: ReachVerdict;
  /** `mTLS`, `plaintext`, shares of both, or `none` when nothing reached a sidecar. */
  mtls: string;
  /** The answers the caller got (`200 100 %`, `403 100 %`, `reset 100 %`, `503 UH 100 %`). */
  answers: string;
  /** The policy that refused the call (`AuthorizationPolicy/ns/name`, `PeerAuthentication STRICT`); null when nothing refused it. */
  deniedBy: string | null;
  /** What the callee's sidecar said when it decided (its words, with the rule). */
  reason: string | null;
}

export interface ReachReport {
  sources: string[];
  targets: string[];
  /** One per source and target but a workload's own Service. */
  cells: ReachCell[];
  requestsPerCell: number;
}

/** Requests sent per cell: enough to see a weighted split or a partial policy. */
const REQUESTS = 20;

/**
 * Who can reach whom, found by sending: `GET /` from every workload with
 * pods (and `external`) to every Service port, 20 requests each, through the
 * simulated mesh (routing, mTLS origination, PeerAuthentication,
 * AuthorizationPolicy, the apps behind), without the Simulation's timeline.
 * `from` and `to` narrow it to a row or a column.
 */
export function reachMatrix(session: Session, options: { from?: string; to?: string } = {}): ReachReport {
  const { scenario } = session;
  const from = options.from === undefined ? undefined : new Set([sourceName(scenario, options.from)]);
  const to = options.to === undefined ? undefined : new Set([targetHost(scenario, options.to)]);
  const traffic = probeTraffic(scenario, session.xds, { routes: false, requests: REQUESTS, from, to });
  const fold = runFolded(session, { ...scenario.simulation, traffic, timeline: [] }, (r) => (r.traffic === undefined ? undefined : `${r.source}\u0000${shortHost(r.host)}:${r.port}`));
  const cells: ReachCell[] = [];
  for (const [key, { stats }] of fold.rows) {
    const [source = '', target = ''] = key.split('\u0000');
    cells.push(cellOf(source, target, stats));
  }
  cells.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const sources = [...new Set(traffic.map((t) => t.from))].sort((a, b) => (a === 'external' ? 1 : b === 'external' ? -1 : a.localeCompare(b)));
  const targets = [...new Set(traffic.map((t) => `${shortHost(t.host)}:${t.port}`))].sort();
  return { sources, targets, cells, requestsPerCell: REQUESTS };
}

function cellOf(from: string, to: string, s: CallStats): ReachCell {
  const view = callView(s);
  const [denial] = [...s.denied].sort(([, a], [, b]) => b.count - a.count);
  const [allowReason] = [...s.allowed].sort(([, a], [, b]) => b - a);
  const verdict: ReachVerdict = s.reached > 0 ? 'allowed' : denial ? (denial[0].startsWith('PeerAuthentication') ? 'reset' : 'denied') : 'unreachable';
  return {
    from,
    to,
    verdict,
    mtls: view.mtls,
    answers: view.answers,
    deniedBy: denial ? denial[0] : null,
    reason: denial ? denial[1].reason : (allowReason?.[0] ?? null),
  };
}

/** The workload a `--from` names (or `external`). */
function sourceName(scenario: Scenario, name: string): string {
  const ref = resolveWorkload(scenario, name, { role: '--from', external: true });
  return ref.kind === 'external' ? 'external' : ref.kind === 'pod' ? ref.workload : ref.name;
}

/** The FQDN of the service a `--to` names (`reviews`, `reviews:9080`, a workload standing for its Service). */
function targetHost(scenario: Scenario, name: string): string {
  const [host = name] = name.split(':');
  const dialled = resolveDestination(scenario, 'default', host, undefined);
  return resolveServiceAddress(scenario, 'default', dialled)?.host ?? dialled;
}
