import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, sendOne } from '../../src/api/index.ts';
import type { SendResult, Session } from '../../src/api/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';

/**
 * TLS origination at the egress gateway. Facts and sources:
 * - istio.io "Egress Gateways with TLS Origination" (docs/tasks/traffic-management/egress/
 *   egress-gateway-tls-origination/): the app sends plain HTTP to edition.cnn.com:80; the mesh route
 *   sends it to the egress gateway, the gateway's route to edition.cnn.com:443, and a DestinationRule
 *   on edition.cnn.com with `portLevelSettings` port 443 `tls.mode: SIMPLE` makes the gateway
 *   originate TLS there. In its mutual-TLS variant the DestinationRule for the gateway's subset sets
 *   `tls.mode: ISTIO_MUTUAL` (with `sni: edition.cnn.com`) on 443 and the Gateway's server on 443 has
 *   `tls.mode: ISTIO_MUTUAL`: the sidecar → gateway hop is Istio mTLS.
 * - DestinationRule API (`ClientTLSSettings`): SIMPLE "Originate a TLS connection to the upstream
 *   endpoint"; like mTLS it is a TLS handshake when a connection opens (meshviz charges the same
 *   1 ms it charges for mTLS and for a gateway's terminating server, `SimulationCosts.tlsHandshake`).
 * - Istio docs "Traffic management problems", "Double TLS (TLS origination for a TLS request)": a
 *   DestinationRule originating TLS on a port the ServiceEntry declares HTTPS, called by an app that
 *   already sends HTTPS there, double-encrypts.
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const EXAMPLE = [read('examples/egress-tls-origination/mesh.yaml'), read('examples/egress-tls-origination/simulation.yaml')];

function open(files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

/** The example with its mesh file rewritten by `edit`. */
const variant = (edit: (text: string) => string): SourceFile[] => [{ name: 'mesh.yaml', text: edit(EXAMPLE[0]!.text) }, EXAMPLE[1]!];

/** The task's first form: sidecar → gateway plain HTTP on 80, gateway → edition.cnn.com TLS on 443. */
const PLAIN_TO_GATEWAY = (text: string): string =>
  text
    .replace(/- port: \{ number: 443, name: https, protocol: HTTPS \}\n(\s+)hosts: \[edition\.cnn\.com\]\n\s+tls: \{ mode: ISTIO_MUTUAL \}/, '- port: { number: 80, name: http, protocol: HTTP }\n$1hosts: [edition.cnn.com]')
    .replace(/subsets:\n(?:\s{4}.*\n)+/, 'subsets: [{ name: cnn }]\n')
    .replace('subset: cnn, port: { number: 443 }', 'subset: cnn, port: { number: 80 }')
    .replace('gateways: [istio-system/istio-egressgateway], port: 443', 'gateways: [istio-system/istio-egressgateway], port: 80');

const WITHOUT_ORIGINATION = (text: string): string => text.replace(/\n\s+portLevelSettings:\n\s+- port: \{ number: 443 \}\n\s+tls: \{ mode: SIMPLE \}/, '\n    loadBalancer: { simple: ROUND_ROBIN }');

const send = (session: Session): SendResult => sendOne(session, { from: 'sleep', to: 'edition.cnn.com/politics' });
const opened = (r: SendResult) => r.events.filter((e): e is Extract<MeshEvent, { kind: 'conn.open' }> => e.kind === 'conn.open').map((e) => [e.cluster.split('|')[3], e.mtls, e.tls, e.setup]);
const hops = (r: SendResult) => r.events.filter((e): e is Extract<MeshEvent, { kind: 'hop.send' }> => e.kind === 'hop.send' && e.direction === 'request').map((e) => [e.toPod.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''), e.mtls, e.tls]);

describe('TLS origination at the egress gateway (examples/egress-tls-origination)', () => {
  it('the task’s form: the sidecar speaks plain HTTP to the gateway, the gateway originates TLS to the external host (handshake 1 ms on top of TCP)', () => {
    const r = send(open(variant(PLAIN_TO_GATEWAY)));
    expect(r.status).toBe(200);
    expect(hops(r)).toEqual([['istio-egressgateway', false, undefined], ['edition.cnn.com', false, 'SIMPLE']]);
    expect(opened(r)).toEqual([['istio-egressgateway.istio-system.svc.cluster.local', false, undefined, 200], ['edition.cnn.com', false, 'SIMPLE', 1_200]]);
  });

  it('the origination costs exactly one TLS handshake: the same request without the DestinationRule is 1 ms faster, and plaintext to the host', () => {
    const withTls = send(open(variant(PLAIN_TO_GATEWAY)));
    const without = send(open(variant((t) => WITHOUT_ORIGINATION(PLAIN_TO_GATEWAY(t)))));
    expect(hops(without)).toEqual([['istio-egressgateway', false, undefined], ['edition.cnn.com', false, undefined]]);
    expect(Math.round((withTls.durationMs - without.durationMs) * 1000)).toBe(1_000);
  });

  it('the mutual-TLS form: ISTIO_MUTUAL on the gateway subset and server makes the sidecar → gateway hop Istio mTLS, ended by the gateway; the gateway still originates TLS onward', () => {
    const r = send(open(EXAMPLE));
    expect(r.status).toBe(200);
    expect(hops(r)).toEqual([['istio-egressgateway', true, undefined], ['edition.cnn.com', false, 'SIMPLE']]);
    expect(opened(r)).toEqual([['istio-egressgateway.istio-system.svc.cluster.local', true, undefined, 1_200], ['edition.cnn.com', false, 'SIMPLE', 1_200]]);
    const arrive = r.events.find((e): e is Extract<MeshEvent, { kind: 'hop.arrive' }> => e.kind === 'hop.arrive' && e.pod.startsWith('istio-egressgateway'));
    expect(arrive?.identities).toEqual({ client: 'spiffe://cluster.local/ns/default/sa/default', server: 'spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway' });
  });

  it('a gateway server that does not end mTLS refuses it: ISTIO_MUTUAL to the plain-HTTP server fails the handshake (503 UF)', () => {
    const files = variant((t) => PLAIN_TO_GATEWAY(t).replace('subsets: [{ name: cnn }]', 'subsets: [{ name: cnn }]\n  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }'));
    const r = send(open(files));
    expect([r.status, r.flags]).toEqual([503, ['UF', 'URX']]);
  });

  it('analyze: no double TLS in the example; an app that sends HTTPS itself to the port the DestinationRule originates TLS on is reported (MV0445)', () => {
    expect(analyze(EXAMPLE).diagnostics.filter((d) => d.code === 'MV0445')).toEqual([]);
    const direct = [EXAMPLE[0]!, { name: 'simulation.yaml', text: EXAMPLE[1]!.text.replace('service: "edition.cnn.com:80"', 'service: "edition.cnn.com:443"') }];
    const found = analyze(direct).diagnostics.filter((d) => d.code === 'MV0445');
    expect(found.map((d) => [d.resource, d.path])).toEqual([['DestinationRule/default/originate-tls-for-edition-cnn-com', 'spec.trafficPolicy.portLevelSettings[0].tls.mode']]);
    expect(found[0]?.message).toContain('edition.cnn.com:443');
    expect(found[0]?.message).toContain('sleep');
  });
});
