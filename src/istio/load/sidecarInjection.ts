import type { Namespace } from '../../model/index.ts';

const INJECT = 'sidecar.istio.io/inject';

/**
 * A pod template's own opinion on injection: the `sidecar.istio.io/inject`
 * label, else the (older) annotation of the same name. Istio reads the value
 * like Go's `strconv.ParseBool`, so `yes`/`no`/`on`/`off` count as well.
 */
export function podInjectionOpinion(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): boolean | undefined {
  const value = (labels[INJECT] ?? annotations[INJECT])?.trim().toLowerCase();
  if (value === undefined) return undefined;
  if (['true', 't', '1', 'y', 'yes', 'on'].includes(value)) return true;
  if (['false', 'f', '0', 'n', 'no', 'off'].includes(value)) return false;
  return undefined;
}

/**
 * Whether a pod gets a sidecar, following Istio's injection table: a
 * "disabled" on either the pod or the namespace wins, then an "enabled" on
 * either. Without a Namespace document meshviz assumes the namespace is
 * meshed (see README.md): a scenario that only lists Deployments is meant to
 * show a mesh.
 */
export function decideSidecar(podOpinion: boolean | undefined, namespace: Namespace | undefined): boolean {
  if (podOpinion === false) return false;
  if (!namespace) return true;
  const label = namespace.labels['istio-injection'];
  if (label === 'disabled') return false;
  if (podOpinion === true) return true;
  return label === 'enabled' || namespace.labels['istio.io/rev'] !== undefined;
}

const LINKERD_INJECT = 'linkerd.io/inject';

/**
 * Whether a pod gets linkerd-proxy: its template's `linkerd.io/inject`
 * annotation wins over its namespace's; `enabled` and `ingress` inject,
 * `disabled` (or any other value) does not. Without a Namespace document the
 * namespace is assumed meshed, as under Istio (see README.md).
 */
export function decideLinkerdProxy(podValue: string | undefined, namespace: Namespace | undefined): boolean {
  const value = podValue ?? (namespace ? namespace.annotations?.[LINKERD_INJECT] : 'enabled');
  return value === 'enabled' || value === 'ingress';
}
