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
 * Kiali KIA1106. Each VirtualService involved gets a finding.
 */
export const conflictingVirtualServices: Analyzer = {
  name: 'conflictingVirtualServices',
  replaces: ['VirtualServiceShadowed'],
  run(ctx) {
    const byHost = new Map<string, Array<{ vs: VirtualService; index: number }>>();
    const meshBound = [...ctx.scenario.virtualServices]
      .sort(oldestFirst)
      .filter((vs) => (vs.spec.gateways ?? ['mesh']).includes('mesh') && (vs.spec.http?.length ?? 0) > 0);
    for (const vs of meshBound) {
      (vs.spec.hosts ?? []).forEach((host, index) => {
        const fqdn = ctx.hosts.resolve(host, vs.metadata.namespace);
        const list = byHost.get(fqdn) ?? [];
        if (!list.some((entry) => entry.vs === vs)) list.push({ vs, index });
        byHost.set(fqdn, list);
      });
    }
    return [...byHost].flatMap(([host, list]) => {
      if (list.length < 2) return [];
      const winner = resourceRef((list[0] as { vs: VirtualService }).vs);
      return list.map(({ vs, index }) => {
        const others = listText(list.filter((e) => e.vs !== vs).map((e) => resourceRef(e.vs)));
        return finding('ConflictingVirtualServices', vs, `spec.hosts[${index}]`, { host, others, winner });
      });
    });
  },
};
