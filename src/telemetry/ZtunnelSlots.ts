import type { ConnectionRecord } from './ConnectionRecord.ts';
import type { Peer, PeerIndex } from './PeerIndex.ts';

/**
 * Where an output keeps what it made for one kind of ztunnel connection:
 * by source and destination peer, then the Service, then the kind
 * (reporter, refusal, mTLS). Shared by ztunnel's metrics and its access
 * log, which count and write the same connections. `find` fills `at`
 * (reused, nothing made per record).
 */
export class ZtunnelSlots<T> {
  private readonly cache: Array<Map<string, Array<T | undefined>> | undefined> = [];
  /** What `find` worked out for the last record. */
  readonly at: { refused: boolean; source: Peer | undefined; destination: Peer | undefined; slots: Array<T | undefined>; kind: number } = {
    refused: false,
    source: undefined,
    destination: undefined,
    slots: [],
    kind: 0,
  };

  constructor(private readonly peers: PeerIndex) {}

  /**
   * Fills `at` for `c`; false for a destination's record where no ztunnel
   * serves the pod (a sidecar answers there, over HTTP). Only a destination
   * ztunnel's refusal closes the connection; a sidecar's 403 is an answer
   * over a working tunnel.
   */
  find(c: ConnectionRecord): boolean {
    const proxies = this.peers.xds.proxies;
    if (c.reporter === 'destination' && proxies[c.destination]?.dataPlane !== 'ztunnel') return false;
    const at = this.at;
    at.refused = c.denied && proxies[c.destination]?.dataPlane === 'ztunnel';
    at.source = this.peers.get(c.source);
    at.destination = this.peers.get(c.destination);
    const pair = (at.source?.index ?? 0) * this.peers.size + (at.destination?.index ?? 0);
    const byHost = this.cache[pair] ?? (this.cache[pair] = new Map());
    let slots = byHost.get(c.host);
    if (!slots) byHost.set(c.host, (slots = []));
    at.slots = slots;
    at.kind = (c.reporter === 'source' ? 0 : 4) + (at.refused ? 2 : 0) + (c.mtls ? 1 : 0);
    return true;
  }
}
