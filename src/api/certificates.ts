import { createMeshCa } from './identity/createMeshCa.ts';
import type { WorkloadCert } from './identity/createMeshCa.ts';
import type { WebCrypto } from './identity/WebCrypto.ts';
import type { SendResult } from './send.ts';
import type { Session } from './Session.ts';

export interface PresentedCertificate {
  pod: string;
  cert: WorkloadCert;
}

/**
 * Real X.509 workload certificates for the sidecars that presented one in a
 * request's mTLS hops: a mesh root CA is created for the run and each
 * sidecar's certificate is issued as when it started (virtual time 0 =
 * `startedAt`), 24 h, with its SPIFFE ID as the URI SAN (§6.3).
 */
export async function presentedCertificates(session: Session, result: SendResult, options: { crypto: WebCrypto; startedAt: Date }): Promise<{ rootPem: string; certificates: PresentedCertificate[] }> {
  const ca = await createMeshCa(session.scenario.mesh.trustDomain, { crypto: options.crypto, notBefore: options.startedAt });
  const spiffeOf = new Map<string, string>();
  for (const e of result.events) {
    if (e.kind !== 'hop.arrive' || !e.identities) continue;
    spiffeOf.set(e.fromPod, e.identities.client);
    spiffeOf.set(e.pod, e.identities.server);
  }
  const certificates: PresentedCertificate[] = [];
  for (const [pod, spiffeId] of spiffeOf) {
    certificates.push({ pod, cert: await ca.issueWorkloadCert({ spiffeId, notBefore: options.startedAt }) });
  }
  return { rootPem: ca.rootPem, certificates };
}
