import { beforeAll, describe, expect, it } from 'vitest';
import { spiffeId } from '../../model/index.ts';
import { ApiError } from '../ApiError.ts';
import { createMeshCa, type MeshCa } from './createMeshCa.ts';
import { loadX509 } from './loadX509.ts';

const x509 = await loadX509();
const crypto = globalThis.crypto;
const START = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
const HOUR = 3_600_000;
const WEB = spiffeId('cluster.local', 'default', 'web');

describe('mesh CA: istiod self-signed root (§6.3)', () => {
  let ca: MeshCa;
  beforeAll(async () => {
    ca = await createMeshCa('cluster.local', { crypto, notBefore: START });
  });

  it('the root is self-signed, O=<trust domain>, a CA, valid 10 years (3650 days)', async () => {
    const root = new x509.X509Certificate(ca.rootPem);
    expect(root.subject).toBe('O=cluster.local');
    expect(await root.isSelfSigned(crypto)).toBe(true);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(root.notBefore.getTime()).toBe(START.getTime());
    expect(root.notAfter.getTime() - root.notBefore.getTime()).toBe(3650 * 24 * HOUR);
    expect(root.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(ca.rootSerial).toBe(root.serialNumber);
  });

  describe('a workload certificate', () => {
    const notBefore = new Date(START.getTime() + 5 * HOUR);
    let pem: string;
    beforeAll(async () => {
      const issued = await ca.issueWorkloadCert({ spiffeId: WEB, notBefore, ttlHours: 24 });
      expect(issued).toMatchObject({ spiffeId: WEB, notBefore, notAfter: new Date(notBefore.getTime() + 24 * HOUR) });
      pem = issued.pem;
      expect(new x509.X509Certificate(pem).serialNumber).toBe(issued.serial);
    });

    it('parses, with the SPIFFE ID as its one (critical) URI SAN and an empty subject', () => {
      const cert = new x509.X509Certificate(pem);
      const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
      expect(san?.names.toJSON()).toEqual([{ type: 'url', value: 'spiffe://cluster.local/ns/default/sa/web' }]);
      expect(san?.critical).toBe(true);
      expect(cert.subject).toBe('');
      expect(cert.issuer).toBe('O=cluster.local');
    });

    it('is valid 24 h from the requested notBefore', () => {
      const cert = new x509.X509Certificate(pem);
      expect(cert.notBefore.toISOString()).toBe('2026-01-01T05:00:00.000Z');
      expect(cert.notAfter.toISOString()).toBe('2026-01-02T05:00:00.000Z');
    });

    it('chains to the root: its signature verifies with the root key, not with another CA', async () => {
      const cert = new x509.X509Certificate(pem);
      const root = new x509.X509Certificate(ca.rootPem);
      expect(await cert.verify({ publicKey: root.publicKey, signatureOnly: true }, crypto)).toBe(true);
      const chain = await new x509.X509ChainBuilder({ certificates: [root] }).build(cert, crypto);
      expect(chain.map((c) => c.subject)).toEqual(['', 'O=cluster.local']);
      const stranger = new x509.X509Certificate((await createMeshCa('cluster.local', { crypto, notBefore: START })).rootPem);
      expect(await cert.verify({ publicKey: stranger.publicKey, signatureOnly: true }, crypto)).toBe(false);
    });

    it('is an ECDSA P-256 leaf for client and server auth', () => {
      const cert = new x509.X509Certificate(pem);
      expect(cert.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
      expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
      expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]);
    });
  });

  it('gives every certificate a fresh random 128-bit serial', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 3; i += 1) serials.add((await ca.issueWorkloadCert({ spiffeId: WEB, notBefore: START })).serial);
    expect(serials.size).toBe(3);
    for (const serial of serials) expect(serial).toMatch(/^[0-7][0-9a-f]{31}$/);
  });

  it('refuses identities outside its trust domain and lifetimes over 90 days, as istiod does', async () => {
    await expect(ca.issueWorkloadCert({ spiffeId: 'spiffe://example.org/ns/default/sa/web', notBefore: START })).rejects.toThrow(ApiError);
    await expect(ca.issueWorkloadCert({ spiffeId: 'spiffe://cluster.local/web', notBefore: START })).rejects.toThrow(/not a workload SPIFFE ID/);
    await expect(ca.issueWorkloadCert({ spiffeId: WEB, notBefore: START, ttlHours: 2161 })).rejects.toThrow(/at most 2160/);
    await expect(ca.issueWorkloadCert({ spiffeId: WEB, notBefore: START, ttlHours: 0 })).rejects.toThrow(ApiError);
  });
});
