import type { ExplainHop, ExplainStage, SendExplanation } from '../api/index.ts';
import type { Layout } from './table.ts';

const LABELS: ReadonlyArray<[ExplainStage, string, (h: ExplainHop) => string | null]> = [
  ['listener', 'listener matched', (h) => h.listenerMatched],
  ['filterChain', 'filter chain matched', (h) => h.filterChainMatched],
  ['authorization', 'authorization', (h) => h.authorizationMatched],
  ['routeConfig', 'route config matched', (h) => h.routeConfigMatched],
  ['virtualHost', 'virtual host matched', (h) => h.virtualHostMatched],
  ['route', 'route matched', (h) => h.routeMatched],
  ['cluster', 'cluster matched', (h) => h.clusterMatched],
  ['endpoint', 'endpoint', (h) => h.endpointMatched],
];

const ROLE: Readonly<Record<ExplainHop['role'], string>> = {
  outbound: 'sidecar, outbound',
  gateway: 'gateway',
  waypoint: 'waypoint (Envoy)',
  inbound: 'sidecar, inbound',
  ztunnel: 'ztunnel (L4)',
  'no proxy': 'no proxy',
};

/**
 * `send --explain` for a person: each proxy the request passed, its stages
 * in Istio's simulator's words with the names Envoy's config has, and where
 * it stopped; then the answer.
 */
export function formatExplain(explanation: SendExplanation, layout: Layout): string {
  const c = layout.colors;
  const out: string[] = [];
  for (const hop of explanation.hops) {
    out.push(c.bold(`${hop.proxy} — ${ROLE[hop.role]}`));
    for (const [stage, label, value] of LABELS) {
      const v = value(hop);
      // A stage can match and still stop the request (a virtual host that requires TLS): its name, then the failure.
      if (v !== null) out.push(`  ${label.padEnd(21)} ${v === '' ? c.dim('(unnamed)') : v}`);
      if (hop.error?.stage === stage) {
        out.push(`  ${(v === null ? label : '').padEnd(21)} ${c.red(`✗ ${hop.error.message}`)}`, `  ${''.padEnd(21)} ${hop.error.detail}`);
        break;
      }
    }
    for (const note of hop.notes) out.push(`  ${c.dim(`· ${note}`)}`);
  }
  const flags = explanation.flags.length ? ` ${explanation.flags.join(',')}` : '';
  out.push('', `→ ${explanation.status === 0 ? '000 (no HTTP response)' : explanation.status}${flags}`);
  return out.join('\n');
}
