import type { MeshXds } from '../../model/index.ts';

/** An outside client's request as a gateway proxy takes it: the host it sends, the port its server listens on, the gateway pods listening there. */
export interface IngressAddress {
  host: string;
  port: number;
  /** Pod names of the gateway proxies with a server on that port, in scenario order. */
  ingress: string[];
}

/**
 * The port an outside client reaches a gateway on: the one it dials, else
 * HTTP's 80, else HTTPS's 443 when a gateway listens there. Undefined when
 * no gateway listens on it (the client then reaches what it names directly).
 */
export function ingressPortFor(listening: ReadonlySet<number>, port: number | undefined): number | undefined {
  if (port !== undefined) return listening.has(port) ? port : undefined;
  return listening.has(80) ? 80 : listening.has(443) ? 443 : undefined;
}

/**
 * What an outside client dials → the gateway proxies that take it: every
 * gateway pod with a server on the port. The host is kept as the client
 * sends it (lower case, no trailing dot); the gateway matches it against its
 * virtual hosts (404 NR when none has it).
 */
export function resolveIngressAddress(xds: MeshXds, dialled: string, port?: number): IngressAddress | undefined {
  const withPort = /^(.*):(\d+)$/.exec(dialled.trim().toLowerCase());
  const host = (withPort ? (withPort[1] as string) : dialled.trim().toLowerCase()).replace(/\.$/, '');
  // By the port a client dials: the server's port on its proxies, and the proxies listening.
  const byPort = new Map<number, { port: number; pods: string[] }>();
  for (const proxy of Object.values(xds.proxies)) {
    for (const server of proxy.gateway?.servers ?? []) {
      for (const clientPort of server.clientPorts) {
        const entry = byPort.get(clientPort) ?? { port: server.port, pods: [] };
        if (entry.port === server.port && !entry.pods.includes(proxy.pod)) entry.pods.push(proxy.pod);
        byPort.set(clientPort, entry);
      }
    }
  }
  const wanted = ingressPortFor(new Set(byPort.keys()), withPort ? Number(withPort[2]) : port);
  const entry = wanted === undefined ? undefined : byPort.get(wanted);
  if (host === '' || !entry) return undefined;
  return { host, port: entry.port, ingress: entry.pods };
}
