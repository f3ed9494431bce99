import { oldestFirst } from '../../model/index.ts';
import type { VirtualService } from '../../model/index.ts';
import type { CompileContext } from './CompileContext.ts';
import { resourceRef } from './DiagnosticSink.ts';
import { boundGateways, MESH_GATEWAY } from './gatewayBinding.ts';
import { hostMatches, isWildcardHost } from './HostResolver.ts';

/** The VirtualService that routes each service host for sidecars. */
export interface VirtualServiceSelection {
  forHost(fqdn: string): VirtualService | undefined;
  /** Whether the VirtualService's routes differ between proxies (`sourceLabels` / `sourceNamespace`). */
  dependsOnSource(vs: VirtualService): boolean;
}

/**
 * Picks, per service, the one VirtualService a sidecar uses (sidecars do not
 * merge VirtualServices): an exact host beats a wildcard, a longer wildcard a
 * shorter one, and among equals the oldest wins — the others get a warning.
 * Only VirtualServices bound to the `mesh` gateway (no `gateways`, or a list
 * with `mesh`) and with `http` rules take part.
 */
export function selectVirtualServices(ctx: CompileContext): VirtualServiceSelection {
  const candidates = [...ctx.scenario.virtualServices]
    .sort(oldestFirst)
    .filter((vs) => appliesToSidecars(vs) && (vs.spec.http?.length ?? 0) > 0)
    .map((vs) => ({ vs, hosts: (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace)) }));

  const chosen = new Map<string, VirtualService>();
  for (const { fqdn } of ctx.services.all) {
    let best: { vs: VirtualService; pattern: string; rank: number } | undefined;
    for (const { vs, hosts } of candidates) {
      hosts.forEach((pattern, index) => {
        if (!hostMatches(pattern, fqdn)) return;
        const rank = isWildcardHost(pattern) ? pattern.length : Number.MAX_SAFE_INTEGER;
        if (!best || rank > best.rank) {
          best = { vs, pattern, rank };
        } else if (rank === best.rank && vs !== best.vs) {
          ctx.diagnostics.report('VirtualServiceShadowed', { resource: vs, path: `spec.hosts[${index}]` }, { host: fqdn, winner: resourceRef(best.vs) });
        }
      });
    }
    if (best) chosen.set(fqdn, best.vs);
  }

  const sourceDependent = new Map<VirtualService, boolean>();
  return {
    forHost: (fqdn) => chosen.get(fqdn),
    dependsOnSource(vs) {
      let known = sourceDependent.get(vs);
      if (known === undefined) {
        known = (vs.spec.http ?? []).some((rule) =>
          (rule.match ?? []).some((m) => m.sourceLabels !== undefined || m.sourceNamespace !== undefined),
        );
        sourceDependent.set(vs, known);
      }
      return known;
    },
  };
}

function appliesToSidecars(vs: VirtualService): boolean {
  return boundGateways(vs).includes(MESH_GATEWAY);
}
