import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';

/**
 * A gateway's access-log line names its downstream as Envoy sees it: the address its listener accepted the
 * connection on (`%DOWNSTREAM_LOCAL_ADDRESS%`: the gateway pod's IP and the port istiod binds for the server,
 * the Service's targetPort — 443 → 8443, 80 → 8080), the client that connected (`%DOWNSTREAM_REMOTE_ADDRESS%`:
 * an outside client, or the sidecar whose request an egress gateway forwards), and the SNI a TLS client sent
 * (`%REQUESTED_SERVER_NAME%`). istio.io "Egress Gateways for HTTPS traffic" shows the egress gateway's line
 * `… outbound|443||edition.cnn.com 10.42.0.25:43706 10.42.0.25:8443 10.42.0.21:53416 edition.cnn.com -`: its own
 * address twice (upstream local, downstream local on 8443) and the sleep pod's as the remote.
 */
function open(...paths: string[]): Session {
  const opened = openSession(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

function logOf(session: Session): string[] {
  let log = '';
  const run = startSimulation(session, { duration: 2_000_000, telemetry: { startMs: 0, accessLog: { write: (t) => (log += t), format: 'text' } } });
  while (run.advance());
  return log.split('\n').filter(Boolean);
}

/** The line's fields after the upstream cluster: upstream local, downstream local, downstream remote, SNI, route. */
const addresses = (line: string): string[] => line.split(' ').slice(-5);

describe('a gateway’s downstream in its access-log lines', () => {
  it('ingress: an outside client (192.0.2.1) on the HTTPS server bound to 8443, with the SNI it sent', () => {
    const session = open('examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml');
    const gateways = new Set(session.scenario.pods.filter((p) => p.workload === 'istio-ingressgateway').map((p) => p.ip));
    const lines = logOf(session).filter((l) => l.includes(' outbound|8080||web.shop.svc.cluster.local '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [upstreamLocal, downstreamLocal, downstreamRemote, sni] = addresses(line);
      const ip = upstreamLocal?.split(':')[0] as string;
      expect(gateways.has(ip)).toBe(true);
      expect(downstreamLocal).toBe(`${ip}:8443`);
      expect(downstreamRemote).toMatch(/^192\.0\.2\.1:\d+$/);
      expect(sni).toBe('shop.example.com');
    }
  });

  it('egress: the sidecar whose request the gateway forwards, on the plain-text server bound to 8080, no SNI', () => {
    const session = open('examples/egress-gateway/mesh.yaml', 'examples/egress-gateway/simulation.yaml');
    const pods = session.scenario.pods;
    const gateway = pods.find((p) => p.workload === 'istio-egressgateway')!;
    const checkout = new Set(pods.filter((p) => p.workload === 'checkout').map((p) => p.ip));
    const lines = logOf(session).filter((l) => l.includes(' outbound|80||api.payments.example '));
    expect(lines.length).toBeGreaterThan(0);
    const remotes = new Set<string>();
    for (const line of lines) {
      const [upstreamLocal, downstreamLocal, downstreamRemote, sni] = addresses(line);
      expect(upstreamLocal?.split(':')[0]).toBe(gateway.ip);
      expect(downstreamLocal).toBe(`${gateway.ip}:8080`);
      remotes.add(downstreamRemote?.split(':')[0] as string);
      expect(sni).toBe('-');
    }
    expect([...remotes].every((ip) => checkout.has(ip))).toBe(true);
    expect(remotes.size).toBe(checkout.size);
  });

  it('egress, TLS the app originates: the gateway’s PASSTHROUGH chain saw the SNI the app sent (istio.io’s line ends `edition.cnn.com -`)', () => {
    const session = open('examples/egress-gateway-tls/mesh.yaml', 'examples/egress-gateway-tls/simulation.yaml');
    const gateway = session.scenario.pods.find((p) => p.workload === 'istio-egressgateway')!;
    const lines = logOf(session).filter((l) => l.includes(' outbound|443||edition.cnn.com '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [, downstreamLocal, , sni, route] = addresses(line);
      expect(downstreamLocal).toBe(`${gateway.ip}:8443`);
      expect([sni, route]).toEqual(['edition.cnn.com', '-']);
    }
  });

  it('egress over Istio mTLS: the gateway saw the SNI of the sidecar’s mTLS, here the DestinationRule’s own (`sni: edition.cnn.com`); without that, the cluster’s', () => {
    const session = open('examples/egress-tls-origination/mesh.yaml', 'examples/egress-tls-origination/simulation.yaml');
    const log = logOf(session);
    const atGateway = log.filter((l) => l.includes(' outbound|443||edition.cnn.com '));
    expect(atGateway.length).toBeGreaterThan(0);
    for (const line of atGateway) expect(addresses(line)[3]).toBe('edition.cnn.com');
    // Without the DestinationRule's sni the sidecar sends its cluster's: outbound_.<port>_.<subset>_.<host>.
    const text = readFileSync('examples/egress-tls-origination/mesh.yaml', 'utf8').replace('tls: { mode: ISTIO_MUTUAL, sni: edition.cnn.com }', 'tls: { mode: ISTIO_MUTUAL }');
    const plain = openSession([{ name: 'mesh.yaml', text }, { name: 'sim.yaml', text: readFileSync('examples/egress-tls-origination/simulation.yaml', 'utf8') }]);
    if (!plain.ok) throw new Error(plain.diagnostics.map((d) => d.message).join('\n'));
    const withoutSni = logOf(plain.session).filter((l) => l.includes(' outbound|443||edition.cnn.com '));
    expect(withoutSni.length).toBeGreaterThan(0);
    for (const line of withoutSni) expect(addresses(line)[3]).toBe('outbound_.443_.cnn_.istio-egressgateway.istio-system.svc.cluster.local');
  });
});
