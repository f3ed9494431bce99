import type { Diagnostic, HTTPMatchRequest, VirtualService } from '../../model/index.ts';
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
 * one (IST0131).
 */
export const unreachableRules: Analyzer = {
  name: 'unreachableRules',
  replaces: ['UnreachableRule'],
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap(checkVirtualService);
  },
};

function checkVirtualService(vs: VirtualService): Diagnostic[] {
  const found: Diagnostic[] = [];
  const earlier: Array<{ match: HTTPMatchRequest; path: string }> = [];
  let catchAll: number | undefined;
  (vs.spec.http ?? []).forEach((rule, i) => {
    const at = `spec.http[${i}]`;
    if (catchAll !== undefined) {
      found.push(finding('RuleUnreachable', vs, at, { reason: `spec.http[${catchAll}] before it matches every request` }));
      return;
    }
    const blocks = (rule.match ?? []).map((match, j) => ({ match, path: `${at}.match[${j}]` }));
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
  return found;
}
