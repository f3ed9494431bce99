import type { VirtualHostXds } from '../../model/index.ts';

/**
 * The wildcard domains of a sidecar's virtual hosts per port (a wildcard
 * ServiceEntry's `*.example.com`), for the hosts no exact key names; one
 * answer per table, since proxies share their tables. Undefined: none.
 */
export function createWildcardDomains(): (table: Record<string, VirtualHostXds>) => Record<number, string[]> | undefined {
  const cache = new WeakMap<Record<string, VirtualHostXds>, Record<number, string[]> | null>();
  return (table) => {
    let found = cache.get(table);
    if (found === undefined) {
      found = null;
      for (const vhost of Object.values(table)) {
        if (!vhost.host.startsWith('*')) continue;
        ((found ??= {})[vhost.port] ??= []).push(vhost.host);
      }
      cache.set(table, found);
    }
    return found ?? undefined;
  };
}
