import type { DestinationRule, Diagnostic, ServiceEntry } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/** Protocols whose traffic is already TLS when the app sends it (ServiceEntry `ports[].protocol`). */
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/**
 * Double TLS (Istio docs, "Traffic management problems", `Double TLS (TLS
 * origination for a TLS request)`): a DestinationRule originates TLS
 * (`tls.mode: SIMPLE`) on a port the ServiceEntry declares HTTPS or TLS,
 * and an app with a sidecar calls that port — the app already speaks TLS
 * there, so its sidecar wraps TLS in TLS and the server answers the inner
 * handshake with an error. The fix: the app sends plain HTTP (to port 80
 * routed to 443, or a port declared HTTP), or the DestinationRule goes.
 * Reported on the DestinationRule's `tls`, naming the caller.
 */
export const doubleTlsOrigination: Analyzer = {
  name: 'doubleTlsOrigination',
  run(ctx) {
    const { scenario } = ctx;
    const found: Diagnostic[] = [];
    const tlsPorts = new Map<string, { port: number; entry: ServiceEntry }>();
    for (const entry of scenario.serviceEntries) {
      for (const port of entry.spec.ports ?? []) {
        if (!TLS_PROTOCOLS.has((port.protocol ?? '').toUpperCase())) continue;
        for (const host of entry.spec.hosts) tlsPorts.set(`${host}:${port.number}`, { port: port.number, entry });
      }
    }
    if (tlsPorts.size === 0) return found;
    const callers = new Map<string, string[]>();
    const meshed = new Set(scenario.workloads.filter((w) => w.sidecar && !w.gateway).map((w) => w.name));
    const note = (from: string, host: string, port: number | undefined): void => {
      if (port === undefined || !meshed.has(from)) return;
      const key = `${host}:${port}`;
      if (!tlsPorts.has(key)) return;
      const list = callers.get(key) ?? [];
      if (!list.includes(from)) list.push(from);
      callers.set(key, list);
    };
    for (const [workload, app] of Object.entries(scenario.simulation.workloads)) for (const call of app.calls) note(workload, call.host, call.port);
    for (const traffic of scenario.simulation.traffic) note(traffic.from, traffic.host, traffic.port);
    for (const rule of scenario.destinationRules) {
      for (const { port, path } of simplePorts(rule)) {
        for (const [key, who] of callers) {
          const target = tlsPorts.get(key);
          if (!target || !key.startsWith(`${rule.spec.host}:`) || (port !== undefined && port !== target.port)) continue;
          found.push(finding('DoubleTlsOrigination', rule, path, { address: key, callers: who.join(', '), serviceEntry: `ServiceEntry/${target.entry.metadata.namespace}/${target.entry.metadata.name}` }));
        }
      }
    }
    return found;
  },
};

/** Where a DestinationRule says `tls.mode: SIMPLE`: at the top (every port) or for one port. */
function simplePorts(rule: DestinationRule): Array<{ port: number | undefined; path: string }> {
  const policy = rule.spec.trafficPolicy;
  const out: Array<{ port: number | undefined; path: string }> = [];
  if (policy?.tls?.mode === 'SIMPLE') out.push({ port: undefined, path: 'spec.trafficPolicy.tls.mode' });
  (policy?.portLevelSettings ?? []).forEach((setting, i) => {
    if (setting.tls?.mode === 'SIMPLE') out.push({ port: setting.port?.number, path: `spec.trafficPolicy.portLevelSettings[${i}].tls.mode` });
  });
  return out;
}
