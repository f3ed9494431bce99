import type { Diagnostic, HTTPMatchRequest, L4MatchAttributes, TCPRoute, VirtualService } from '../../model/index.ts';
import { matchesEverything } from '../compile/lintVirtualService.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { listText } from './destinationsOf.ts';
import { matchCovers } from './matchCovers.ts';

/**
 * Rules and match blocks that never get a request, because HTTP rules are
 * tried in order and the first match wins (§2.4): every rule after a
 * catch-all (istioctl IST0130), a rule whose every match block an earlier
 * block already covers (IST0130), and single blocks covered by an earlier
 * one (IST0131). Likewise every `tcp` rule after one that takes every
 * connection: istiod builds a TCP proxy from the first `tcp` rule that
 * takes the proxy and stops there (Istio src
 * `pilot/pkg/networking/core/tls.go` `buildSidecarOutboundTCPFilterChainOpts`),
 * and a gateway's TCP server routes by the first matching rule too.
 *
 * Each match block is compared with every earlier one, so the work grows with
 * the square of the rules (a VirtualService of 10,000 rules once took minutes).
 * The comparisons of one analysis are capped at `MAX_COMPARISONS`; where the
 * cap is reached a finding says so and the rules after it are not checked.
 */
export const unreachableRules: Analyzer = {
  name: 'unreachableRules',
  replaces: ['UnreachableRule'],
  run(ctx) {
    const budget = { left: MAX_COMPARISONS };
    return ctx.scenario.virtualServices.flatMap((vs) => checkVirtualService(vs, budget));
  },
};

export const MAX_COMPARISONS = 250_000;

function checkVirtualService(vs: VirtualService, budget: { left: number }): Diagnostic[] {
  const found: Diagnostic[] = [];
  const earlier: Array<{ match: HTTPMatchRequest; path: string }> = [];
  let catchAll: number | undefined;
  let stopped = false;
  (vs.spec.http ?? []).forEach((rule, i) => {
    const at = `spec.http[${i}]`;
    if (stopped) return;
    if (catchAll !== undefined) {
      found.push(finding('RuleUnreachable', vs, at, { reason: `spec.http[${catchAll}] before it matches every request` }));
      return;
    }
    const blocks = (rule.match ?? []).map((match, j) => ({ match, path: `${at}.match[${j}]` }));
    if (budget.left < blocks.length * (earlier.length + blocks.length)) {
      stopped = true;
      found.push(finding('AnalysisStopped', vs, at, { check: 'which rules are unreachable', comparisons: MAX_COMPARISONS, rest: `${at} and the rules after it were not compared with the earlier ones` }));
      return;
    }
    budget.left -= blocks.length * (earlier.length + blocks.length);
    const coveredBy = blocks.map(({ match }) => earlier.find((e) => matchCovers(e.match, match))?.path);
    if (blocks.length > 0 && coveredBy.every((path) => path !== undefined)) {
      const by = listText([...new Set(coveredBy as string[])]);
      found.push(finding('RuleUnreachable', vs, at, { reason: `earlier matches (${by}) take every request it matches` }));
    } else {
      blocks.forEach(({ path }, j) => {
        const by = coveredBy[j] ?? blocks.slice(0, j).find((b) => matchCovers(b.match, blocks[j]?.match as HTTPMatchRequest))?.path;
        if (by) found.push(finding('MatchDuplicated', vs, path, { earlier: by }));
      });
    }
    earlier.push(...blocks);
    if (matchesEverything(rule)) catchAll = i;
  });
  const tcp = vs.spec.tcp ?? [];
  const first = tcp.findIndex(takesEveryConnection);
  for (let i = first + 1; first >= 0 && i < tcp.length; i++) {
    found.push(finding('RuleUnreachable', vs, `spec.tcp[${i}]`, { reason: `spec.tcp[${first}] before it takes every connection (the first tcp rule that takes a proxy routes it)` }));
  }
  return found;
}

/** A tcp rule with somewhere to send that takes every connection of every proxy: no match, or a match block with no condition. */
function takesEveryConnection(rule: TCPRoute): boolean {
  if ((rule.route ?? []).length === 0) return false;
  const matches = rule.match ?? [];
  return matches.length === 0 || matches.some(unconditional);
}

function unconditional(m: L4MatchAttributes): boolean {
  return (m.port ?? 0) === 0 && (m.gateways ?? []).length === 0 && Object.keys(m.sourceLabels ?? {}).length === 0 && (m.sourceNamespace ?? '') === '' && (m.destinationSubnets ?? []).length === 0;
}
