import type { ClientTLSSettings, ClusterXds } from '../../model/index.ts';

/**
 * Client-side TLS of a cluster (§6.2, istiod `buildUpstreamTLSSettings`).
 * An explicit DestinationRule `tls` wins; its `mode` defaults to DISABLE as in
 * the proto. Without one, auto-mTLS: ISTIO_MUTUAL, downgraded by the engine to
 * plaintext for endpoints without a sidecar — unless the destination
 * namespace's PeerAuthentication (mesh or namespace level) is DISABLE, where
 * istiod skips auto-mTLS altogether, and a ServiceEntry host with location
 * MESH_EXTERNAL, which never gets it (`if meshExternal || !autoMTLSEnabled`,
 * Istio src `pilot/pkg/networking/core/cluster_tls.go`).
 */
export function toUpstreamTls(tls: ClientTLSSettings | undefined, destinationMtlsDisabled: boolean, meshExternal = false): ClusterXds['tls'] {
  if (tls) {
    const mode = tls.mode ?? 'DISABLE';
    // `sni` names the server of a TLS the proxy originates; with DISABLE there is none.
    return { mode, auto: false, ...(tls.sni && mode !== 'DISABLE' ? { sni: tls.sni } : {}) };
  }
  if (destinationMtlsDisabled || meshExternal) return { mode: 'DISABLE', auto: false };
  return { mode: 'ISTIO_MUTUAL', auto: true };
}
