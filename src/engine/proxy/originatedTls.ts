import type { UpstreamTlsXds } from '../../model/index.ts';

/**
 * The TLS a client proxy originates with the user's own certificates on a
 * connection that is not Istio mTLS: a DestinationRule's `tls.mode`
 * SIMPLE or MUTUAL (Istio docs, DestinationRule `ClientTLSSettings`:
 * "SIMPLE: Originate a TLS connection to the upstream endpoint"; the
 * egress gateway's TLS origination, istio.io "Egress Gateways with TLS
 * Origination"). Like mTLS it costs a TLS handshake when the connection
 * opens; unlike it, it carries no SPIFFE identity.
 */
export function originatedTls(mode: UpstreamTlsXds, mtls: boolean): 'SIMPLE' | 'MUTUAL' | undefined {
  if (mtls) return undefined;
  return mode === 'SIMPLE' || mode === 'MUTUAL' ? mode : undefined;
}
