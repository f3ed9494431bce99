import { describeRouteDomains, proxyConfig } from '../api/index.ts';
import type { ProxyConfig } from '../api/index.ts';
import type { Micros, ProxyConfigTable } from '../model/index.ts';
import { openScenario } from './openScenario.ts';
import type { Output } from './output.ts';
import { printOutput } from './printOutput.ts';
import { formatTable, stdoutLayout } from './table.ts';
import type { Layout } from './table.ts';

export interface ProxyConfigFlags {
  scenario?: string;
  at?: Micros;
  seed?: number;
}

/**
 * `meshviz proxy-config TABLE POD`: one of the tables `istioctl proxy-config`
 * prints for a pod, from the compiled config (`-o json`: the rows).
 */
export async function runProxyConfig(table: ProxyConfigTable, pod: string, files: string[], o: ProxyConfigFlags, output: Output): Promise<number> {
  const session = openScenario(files, o.scenario);
  const config = proxyConfig(session, pod, { at: o.at, seed: o.seed });
  await printOutput(output, { pod: config.pod, namespace: config.namespace, atMs: config.at / 1000, [table]: config[table] }, (wide) => {
    const text = formatProxyConfig(config, table, stdoutLayout(wide));
    // The endpoints say their time on their own first line; the other tables, only when it is not the start.
    return table === 'endpoints' || config.at <= 0 ? text : `config the proxy runs after ${(config.at / 1_000_000).toFixed(1)} s of the scenario (--at): the timeline's changes that reached it by then\n${text}`;
  });
  return 0;
}

const DASH = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

/** The table as istioctl lays it out, column for column. */
export function formatProxyConfig(config: ProxyConfig, table: ProxyConfigTable, layout: Layout): string {
  switch (table) {
    case 'clusters':
      return formatTable(config.clusters, [
        { header: 'SERVICE FQDN', cell: (r) => r.serviceFqdn, flex: true },
        { header: 'PORT', cell: (r) => DASH(r.port) },
        { header: 'SUBSET', cell: (r) => DASH(r.subset) },
        { header: 'DIRECTION', cell: (r) => DASH(r.direction) },
        { header: 'TYPE', cell: (r) => r.type },
        { header: 'DESTINATION RULE', cell: (r) => r.destinationRule ?? '' },
      ], layout).join('\n');
    case 'listeners':
      return formatTable(config.listeners, [
        { header: 'ADDRESSES', cell: (r) => r.address },
        { header: 'PORT', cell: (r) => String(r.port) },
        { header: 'MATCH', cell: (r) => r.match, flex: true },
        { header: 'DESTINATION', cell: (r) => r.destination, flex: true },
      ], layout).join('\n');
    case 'routes':
      return formatTable(config.routes, [
        { header: 'NAME', cell: (r) => r.name },
        { header: 'VHOST NAME', cell: (r) => r.virtualHost, flex: true },
        { header: 'DOMAINS', cell: (r) => describeRouteDomains(r.domains), flex: true },
        { header: 'MATCH', cell: (r) => r.match },
        { header: 'VIRTUAL SERVICE', cell: (r) => r.virtualService ?? '' },
      ], layout).join('\n');
    case 'endpoints':
      return [
        `outlier state after ${(config.at / 1_000_000).toFixed(1)} s of the scenario (--at)`,
        ...formatTable(config.endpoints, [
          { header: 'ENDPOINT', cell: (r) => r.endpoint },
          { header: 'STATUS', cell: (r) => r.status },
          { header: 'OUTLIER CHECK', cell: (r) => r.outlierCheck, style: (t, r) => (r.outlierCheck === 'FAILED' ? layout.colors.yellow(t) : t) },
          { header: 'CLUSTER', cell: (r) => r.cluster, flex: true },
        ], layout),
      ].join('\n');
    default: {
      const never: never = table;
      return never;
    }
  }
}
