/**
 * The part of WebCrypto the mesh CA uses: `globalThis.crypto` in browsers and
 * Node ≥ 20. The api layer compiles without DOM and Node types, where
 * `Crypto` does not exist, so only this shape is named here; the CLI and UI
 * pass `globalThis.crypto`, which satisfies it.
 */
export interface WebCrypto {
  readonly subtle: {
    generateKey(
      algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
      extractable: boolean,
      keyUsages: Array<'sign' | 'verify'>,
    ): Promise<unknown>;
  };
  getRandomValues<T extends Uint8Array>(array: T): T;
}
