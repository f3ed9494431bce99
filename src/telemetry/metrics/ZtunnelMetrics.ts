import type { ConnectionRecord } from '../ConnectionRecord.ts';
import type { Peer, PeerIndex } from '../PeerIndex.ts';
import { ZtunnelSlots } from '../ZtunnelSlots.ts';
import { ISTIO_CLUSTER, UNKNOWN } from '../PeerIndex.ts';
import { labelText, tcpFamilies } from './MetricFamily.ts';
import type { MetricFamily } from './MetricFamily.ts';
import type { Series } from './MetricFamily.ts';

/**
 * The TCP metrics a ztunnel emits (Istio ambient, §11: ztunnel never parses
 * HTTP, so it has no `istio_requests_total`). Names, help and label order
 * are ztunnel's (ztunnel src `src/proxy/metrics.rs`: `Metrics::new`
 * registers `tcp_connections_opened`, `tcp_connections_closed`,
 * `tcp_received_bytes`, `tcp_sent_bytes` under the `istio` prefix of
 * `src/metrics.rs`, counters written with `_total`; `CommonTrafficLabels`
 * gives the labels). Received bytes are the ones read from the
 * connection's downstream (the request), sent bytes the ones written back
 * (the answer), at either reporter (`src/copy.rs`, `copy_bidirectional`).
 * A connection the destination's ztunnel refuses is opened and closed with
 * `response_flags="DENY"` there (`src/proxy/inbound.rs`,
 * `AuthorizationPolicyDenied`) and `CONNECT` at the source, which sees its
 * tunnel fail. ztunnel reads no Telemetry resource: every ztunnel reports.
 * A connection counts as opened and closed when its request ends; locality
 * labels (written only when ztunnel knows the localities) are left out.
 */
export class ZtunnelMetrics {
  /** The four TCP families, shared with the Envoy proxies' TCP proxies (`IstioMetrics`) when both report into one scrape. */
  readonly families: MetricFamily[];
  /** The series of each kind of connection: label text made once per series. */
  private readonly slots: ZtunnelSlots<Series[]>;

  constructor(
    private readonly peers: PeerIndex,
    families: MetricFamily[] = tcpFamilies(),
  ) {
    this.families = families;
    this.slots = new ZtunnelSlots(peers);
  }

  connection(c: ConnectionRecord): void {
    // A destination's record counts only where a ztunnel serves that pod (a sidecar's refusal is HTTP, not a connection).
    if (!this.slots.find(c)) return;
    const { refused, source, destination, slots, kind } = this.slots.at;
    let series = slots[kind];
    if (!series) {
      const text = labelText(this.labels(c, refused, source, destination));
      series = slots[kind] = this.families.map((f) => f.at(text, () => text));
    }
    const [opened, closed, received, sent] = series as [Series, Series, Series, Series];
    opened.value += 1;
    closed.value += 1;
    if (refused) return;
    received.value += c.requestBytes;
    sent.value += c.responseBytes;
  }

  /** `CommonTrafficLabels` in ztunnel's order; what ztunnel does not know is `unknown`. */
  private labels(c: ConnectionRecord, refused: boolean, s: Peer | undefined, d: Peer | undefined): Array<[string, string]> {
    const service = this.peers.service(c.host);
    return [
      ['reporter', c.reporter],
      ...peerLabels('source', s),
      ['destination_service', c.host],
      ['destination_service_namespace', service.namespace],
      ['destination_service_name', service.name],
      ...peerLabels('destination', d),
      ['request_protocol', 'tcp'],
      ['response_flags', refused ? (c.reporter === 'destination' ? 'DENY' : 'CONNECT') : '-'],
      ['connection_security_policy', c.mtls ? 'mutual_tls' : 'unknown'],
    ];
  }
}

/** One side's workload labels, in ztunnel's order (`CommonTrafficLabels`): the same for source and destination. */
function peerLabels(side: 'source' | 'destination', p: Peer | undefined): Array<[string, string]> {
  return [
    [`${side}_workload`, p?.workload ?? UNKNOWN],
    [`${side}_canonical_service`, p?.canonicalService ?? UNKNOWN],
    [`${side}_canonical_revision`, p?.canonicalRevision ?? UNKNOWN],
    [`${side}_workload_namespace`, p?.namespace ?? UNKNOWN],
    [`${side}_principal`, p?.principal ?? UNKNOWN],
    [`${side}_app`, p?.canonicalService ?? UNKNOWN],
    [`${side}_version`, p?.canonicalRevision ?? UNKNOWN],
    [`${side}_cluster`, p ? ISTIO_CLUSTER : UNKNOWN],
  ];
}
