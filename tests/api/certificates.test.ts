import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { presentedCertificates } from '../../src/api/certificates.ts';
import { send, sessionFrom, twoVersionMesh } from '../helpers/mesh.ts';

describe('certificates presented on mTLS hops (mesh-semantics §6.3)', () => {
  it('issues a real 24 h X.509 certificate per sidecar, SPIFFE ID as URI SAN, signed by the run’s mesh CA', async () => {
    const session = sessionFrom(...twoVersionMesh());
    const result = send(session, { to: 'server:8080' });
    const startedAt = new Date('2026-11-22T00:00:00Z');
    const { rootPem, certificates } = await presentedCertificates(session, result, { crypto: globalThis.crypto, startedAt });
    expect(certificates.map((c) => c.pod.split('-')[0]).sort()).toEqual(['client', 'server']);
    const root = new X509Certificate(rootPem);
    for (const { cert } of certificates) {
      const x = new X509Certificate(cert.pem);
      expect(x.subjectAltName).toBe(`URI:${cert.spiffeId}`);
      expect(cert.spiffeId).toBe('spiffe://cluster.local/ns/default/sa/default');
      expect(x.verify(root.publicKey)).toBe(true);
      expect(new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()).toBe(24 * 3600 * 1000);
    }
  });
});
