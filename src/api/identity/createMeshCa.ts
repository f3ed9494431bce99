import type * as X509 from '@peculiar/x509';
import { ApiError } from '../ApiError.ts';
import { loadX509 } from './loadX509.ts';
import type { WebCrypto } from './WebCrypto.ts';

type X509Crypto = NonNullable<Parameters<typeof X509.X509CertificateGenerator.create>[1]>;
type KeyPair = Parameters<typeof X509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

/** Self-signed root lifetime: 10 years (3650 days, §6.3). */
const ROOT_TTL_HOURS = 3650 * 24;
/** `MAX_WORKLOAD_CERT_TTL` (90 days, §6.3): istiod refuses longer requests. */
const MAX_WORKLOAD_TTL_HOURS = 90 * 24;
const HOUR_MS = 3_600_000;
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' };

export interface MeshCaOptions {
  /** `globalThis.crypto` at the CLI or UI edge. */
  crypto: WebCrypto;
  /** Start of the root's validity: the caller's clock (wall or virtual), never read here. */
  notBefore: Date;
}

export interface WorkloadCertRequest {
  /** `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`, in the CA's trust domain. */
  spiffeId: string;
  notBefore: Date;
  /** Default 24 (`SECRET_TTL`, §6.3); at most 2160 (90 days). */
  ttlHours?: number;
}

/** An issued workload certificate: PEM text and the facts a learner looks at. */
export interface WorkloadCert {
  pem: string;
  spiffeId: string;
  /** Hexadecimal. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

/** istiod's self-signed CA: one root, workload certificates signed by it. */
export interface MeshCa {
  trustDomain: string;
  rootPem: string;
  rootSerial: string;
  notBefore: Date;
  notAfter: Date;
  issueWorkloadCert(request: WorkloadCertRequest): Promise<WorkloadCert>;
}

/**
 * A mesh CA like istiod's self-signed one (§6.3): a root `O=<trust domain>`
 * valid 10 years, and workload certificates whose only name is the SPIFFE ID
 * as a critical URI SAN (empty subject, as Istio issues them), for client and
 * server auth, signed by the root. Keys are ECDSA P-256 — Istio's default is
 * RSA 2048; P-256 is its ECC option and generates fast in a browser. Serial
 * numbers are random 128-bit, as istiod draws them.
 */
export async function createMeshCa(trustDomain: string, options: MeshCaOptions): Promise<MeshCa> {
  const x509 = await loadX509();
  const crypto = options.crypto as unknown as X509Crypto;
  const rootKeys = (await options.crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify'])) as KeyPair;
  const notBefore = validDate(options.notBefore, 'notBefore');
  const notAfter = at(notBefore.getTime() + ROOT_TTL_HOURS * HOUR_MS);
  const root = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(options.crypto),
      name: [{ O: [trustDomain] }],
      notBefore,
      notAfter,
      keys: rootKeys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );

  const issueWorkloadCert = async (request: WorkloadCertRequest): Promise<WorkloadCert> => {
    const ttlHours = request.ttlHours ?? 24;
    if (!(ttlHours > 0 && ttlHours <= MAX_WORKLOAD_TTL_HOURS)) {
      throw new ApiError(`ttlHours ${ttlHours} is out of range`, `more than 0 and at most ${MAX_WORKLOAD_TTL_HOURS}, 90 days`);
    }
    if (!spiffeIdIn(trustDomain, request.spiffeId)) {
      throw new ApiError(`${request.spiffeId} is not a workload SPIFFE ID in trust domain ${trustDomain}`, `spiffe://${trustDomain}/ns/<namespace>/sa/<service account>`);
    }
    const start = validDate(request.notBefore, 'notBefore');
    const end = at(start.getTime() + ttlHours * HOUR_MS);
    const keys = (await options.crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify'])) as KeyPair;
    const serial = randomSerial(options.crypto);
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serial,
        subject: '',
        issuer: root.subject,
        notBefore: start,
        notAfter: end,
        publicKey: keys.publicKey,
        signingKey: rootKeys.privateKey,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.SubjectAlternativeNameExtension([{ type: 'url', value: request.spiffeId }], true),
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
          await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto),
        ],
      },
      crypto,
    );
    return { pem: cert.toString('pem'), spiffeId: request.spiffeId, serial, notBefore: start, notAfter: end };
  };

  return { trustDomain, rootPem: root.toString('pem'), rootSerial: root.serialNumber, notBefore, notAfter, issueWorkloadCert };
}

function spiffeIdIn(trustDomain: string, id: string): boolean {
  const prefix = `spiffe://${trustDomain}/`;
  return id.startsWith(prefix) && /^ns\/[^/]+\/sa\/[^/]+$/.test(id.slice(prefix.length));
}

/** 128 random bits, first byte 0x01–0x7f: a positive DER integer with no leading zero. */
function randomSerial(crypto: WebCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function validDate(date: Date, name: string): Date {
  if (Number.isNaN(date.getTime())) throw new ApiError(`${name} is not a valid date`, 'a Date with a time');
  return date;
}

function at(epochMs: number): Date {
  // eslint-disable-next-line no-restricted-syntax -- an explicit instant, not the wall clock
  return new Date(epochMs);
}
