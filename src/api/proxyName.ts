import type { Flavor } from '../model/index.ts';

/** What carries a meshed pod's traffic under the flavor, for people reading a timeline or a picture (under ambient, its node's ztunnel). */
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

/**
 * What a pod's sidecar is, where it has one: under ambient a pod that keeps
 * a sidecar (injection asked for) runs Istio's Envoy, beside the ztunnels.
 */
export function sidecarName(flavor: Flavor): string {
  return flavor === 'istio-ambient' ? 'envoy' : proxyName(flavor);
}
