import type { Flavor } from '../model/index.ts';

/** What the mesh's sidecar is called, for people reading a timeline or a picture. */
export function proxyName(flavor: Flavor): string {
  switch (flavor) {
    case 'istio':
      return 'envoy';
    case 'linkerd':
      return 'linkerd-proxy';
    case 'istio-ambient':
      return 'ztunnel';
    default: {
      const never: never = flavor;
      return String(never);
    }
  }
}
