import { EXTERNAL, type PeerAuthentication } from '../../model/index.ts';
import { resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding, type AnalysisContext } from './AnalysisContext.ts';
import { listText } from './destinationsOf.ts';
import { mtlsPolicyOf } from './mtlsPolicyOf.ts';

/** A caller without a sidecar, as the Simulation document names it. */
interface PlaintextCall {
  caller: string;
  namespace: string;
  host: string;
  port?: number;
}

/**
 * STRICT mTLS on a workload that callers without a sidecar reach: they speak
 * plaintext and the server sidecar resets the connection (§6.1). Who calls
 * whom is only known from the Simulation document (traffic from `external` or
 * from sidecar-less workloads, and their apps' calls), which the message says.
 * Such callers bypass routing, so the Service they dial is where they land.
 */
export const strictWithPlaintextCallers: Analyzer = {
  name: 'strictWithPlaintextCallers',
  run(ctx) {
    const found = new Map<string, { policy: PeerAuthentication; path: string; workload: string; callers: Set<string> }>();
    for (const call of plaintextCalls(ctx)) {
      const target = resolveServiceAddress(ctx.scenario, call.namespace, call.host, call.port);
      if (!target) continue;
      const targetPort = target.service.ports.find((p) => p.port === target.port)?.targetPort;
      const service = ctx.services.get(target.host);
      for (const pod of service?.pods ?? []) {
        if (!pod.sidecar) continue;
        const decision = mtlsPolicyOf(ctx, pod.namespace, pod.labels, targetPort);
        if (decision.mode !== 'STRICT' || !decision.policy || !decision.path) continue;
        const key = `${resourceRef(decision.policy)}|${decision.path}|${pod.workload}`;
        const entry = found.get(key) ?? { policy: decision.policy, path: decision.path, workload: pod.workload, callers: new Set<string>() };
        entry.callers.add(call.caller);
        found.set(key, entry);
      }
    }
    return [...found.values()].map((f) =>
      finding('StrictWithPlaintextCallers', f.policy, f.path, { workload: f.workload, callers: listText([...f.callers].sort()) }),
    );
  },
};

function plaintextCalls(ctx: AnalysisContext): PlaintextCall[] {
  const { scenario } = ctx;
  const withoutSidecar = new Map(scenario.workloads.filter((w) => !w.sidecar).map((w) => [w.name, w]));
  const calls: PlaintextCall[] = [];
  for (const traffic of scenario.simulation.traffic) {
    const workload = withoutSidecar.get(traffic.from);
    if (traffic.from !== EXTERNAL && !workload) continue;
    const caller = traffic.from === EXTERNAL ? `external traffic "${traffic.name}"` : `${traffic.from} (traffic "${traffic.name}")`;
    calls.push({ caller, namespace: workload?.namespace ?? 'default', host: traffic.host, port: traffic.port });
  }
  for (const [name, app] of Object.entries(scenario.simulation.workloads)) {
    const workload = withoutSidecar.get(name);
    if (!workload) continue;
    for (const call of app.calls) calls.push({ caller: `${name} (its calls)`, namespace: workload.namespace, host: call.host, port: call.port });
  }
  return calls;
}
