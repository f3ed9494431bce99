const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether `address` is one of `addresses`, as written or inside one of its IPv4 CIDR blocks. */
export function addressMatches(addresses: readonly string[], address: string): boolean {
  const ip = toNumber(address);
  return addresses.some((entry) => {
    if (entry === address) return true;
    const [base = '', bits] = entry.split('/');
    const network = toNumber(base);
    const prefix = Number(bits);
    if (ip === undefined || network === undefined || bits === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return ((ip & mask) >>> 0) === ((network & mask) >>> 0);
  });
}

function toNumber(address: string): number | undefined {
  const m = IPV4.exec(address);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return (((parts[0] as number) << 24) >>> 0) + ((parts[1] as number) << 16) + ((parts[2] as number) << 8) + (parts[3] as number);
}
