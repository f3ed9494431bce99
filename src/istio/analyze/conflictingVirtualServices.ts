import { oldestFirst } from '../../model/index.ts';
import type { VirtualService } from '../../model/index.ts';
import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { listText } from './destinationsOf.ts';

/**
 * Several VirtualServices bound to the mesh (sidecars) for the same host.
 * Sidecars do not merge them: the oldest wins and the others are ignored for
 * that host (the compiler's choice, `selectVirtualServices`). istioctl IST0109,
 * Kiali KIA1106. Each VirtualService involved gets a finding, which names a
 * few of the others and counts the rest: 10,000 VirtualServices for one host
 * once made 10,000 findings each listing all the others (4 GB).
 */
/** Other VirtualServices a finding names; the rest are counted. */
const NAMED = 3;

export const conflictingVirtualServices: Analyzer = {
  name: 'conflictingVirtualServices',
  replaces: ['VirtualServiceShadowed'],
  run(ctx) {
    const byHost = new Map<string, { list: Array<{ vs: VirtualService; index: number }>; seen: Set<VirtualService> }>();
    const meshBound = [...ctx.scenario.virtualServices]
      .sort(oldestFirst)
      .filter((vs) => (vs.spec.gateways ?? ['mesh']).includes('mesh') && (vs.spec.http?.length ?? 0) > 0);
    for (const vs of meshBound) {
      (vs.spec.hosts ?? []).forEach((host, index) => {
        const fqdn = ctx.hosts.resolve(host, vs.metadata.namespace);
        let entry = byHost.get(fqdn);
        if (!entry) byHost.set(fqdn, (entry = { list: [], seen: new Set() }));
        if (entry.seen.has(vs)) return;
        entry.seen.add(vs);
        entry.list.push({ vs, index });
      });
    }
    return [...byHost].flatMap(([host, { list }]) => {
      if (list.length < 2) return [];
      const winner = resourceRef((list[0] as { vs: VirtualService }).vs);
      return list.map(({ vs, index }) => {
        const named = list.slice(0, NAMED + 1).filter((e) => e.vs !== vs).slice(0, NAMED).map((e) => resourceRef(e.vs));
        const more = list.length - 1 - named.length;
        const others = listText(more > 0 ? [...named, `${more} more`] : named);
        return finding('ConflictingVirtualServices', vs, `spec.hosts[${index}]`, { host, others, winner });
      });
    });
  },
};
