import type * as X509 from '@peculiar/x509';

/**
 * Loads @peculiar/x509 on first use. It registers its ASN.1 handlers through
 * tsyringe, which throws at import time unless a Reflect metadata polyfill
 * ran first, so the polyfill is imported before it, in order. Loading lazily
 * also keeps both out of the UI's first bundle.
 */
export async function loadX509(): Promise<typeof X509> {
  await import('reflect-metadata/lite');
  return import('@peculiar/x509');
}
