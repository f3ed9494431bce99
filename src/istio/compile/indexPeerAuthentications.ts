import { oldestFirst } from '../../model/index.ts';
import type {
  InboundMtlsMode,
  InboundXds,
  PeerAuthentication,
  PeerAuthMode,
} from '../../model/index.ts';
import { type DiagnosticSink, resourceRef } from './DiagnosticSink.ts';
import { matchesLabels } from '../../model/index.ts';
import { sourceKey } from './sourceKey.ts';

export interface PeerAuthenticationIndex {
  /** Effective inbound mTLS of a workload (cached by namespace and labels). */
  inbound(namespace: string, labels: Record<string, string>): InboundXds;
  /** The mesh/namespace-level mode of a namespace, ignoring workload policies (what istiod infers for a service). */
  namespaceMode(namespace: string): InboundMtlsMode;
}

/**
 * PeerAuthentication precedence (§6.1, istiod `ComposePeerAuthentication`):
 * workload (selector, pod's namespace) > namespace (no selector) > mesh (root
 * namespace, no selector) > PERMISSIVE. UNSET inherits from the level above;
 * at each level the oldest policy wins; selector policies in the root
 * namespace are ignored; `portLevelMtls` of the chosen workload policy
 * overrides per container port (UNSET there inherits the workload mode).
 */
export function indexPeerAuthentications(
  policies: PeerAuthentication[],
  rootNamespace: string,
  diagnostics: DiagnosticSink,
): PeerAuthenticationIndex {
  const sorted = [...policies].sort(oldestFirst);
  const namespaceWide = new Map<string, PeerAuthentication>();
  const workload = new Map<string, PeerAuthentication[]>();
  for (const policy of sorted) {
    const ns = policy.metadata.namespace;
    if (hasSelector(policy)) {
      if (ns === rootNamespace) {
        diagnostics.report('PeerAuthenticationRootSelector', { resource: policy, path: 'spec.selector' }, { rootNamespace });
        continue;
      }
      workload.set(ns, [...(workload.get(ns) ?? []), policy]);
      continue;
    }
    if (policy.spec.portLevelMtls) {
      diagnostics.report('PortLevelMtlsWithoutSelector', { resource: policy, path: 'spec.portLevelMtls' });
    }
    const winner = namespaceWide.get(ns);
    if (winner) {
      const scope = ns === rootNamespace ? 'mesh-wide' : 'namespace-wide';
      diagnostics.report('PeerAuthenticationShadowed', { resource: policy }, { scope, winner: resourceRef(winner) });
    } else {
      namespaceWide.set(ns, policy);
    }
  }

  const namespaceMode = (namespace: string): InboundMtlsMode => {
    const mesh = modeOf(namespaceWide.get(rootNamespace)?.spec.mtls?.mode) ?? 'PERMISSIVE';
    return modeOf(namespaceWide.get(namespace)?.spec.mtls?.mode) ?? mesh;
  };

  const cache = new Map<string, InboundXds>();
  return {
    namespaceMode,
    inbound(namespace, labels) {
      const key = sourceKey(namespace, labels);
      let result = cache.get(key);
      if (!result) {
        const candidates = (workload.get(namespace) ?? []).filter((p) => matchesLabels(selectorOf(p), labels));
        const chosen = candidates[0];
        for (const other of candidates.slice(1)) {
          diagnostics.report('PeerAuthenticationShadowed', { resource: other }, { scope: 'workload', winner: resourceRef(chosen as PeerAuthentication) });
        }
        result = composeInbound(namespaceMode(namespace), chosen);
        cache.set(key, result);
      }
      return result;
    },
  };
}

function composeInbound(parent: InboundMtlsMode, policy: PeerAuthentication | undefined): InboundXds {
  const mode = modeOf(policy?.spec.mtls?.mode) ?? parent;
  const ports: Record<number, InboundMtlsMode> = {};
  for (const [port, setting] of Object.entries(policy?.spec.portLevelMtls ?? {})) {
    const number = Number(port);
    if (Number.isInteger(number)) ports[number] = modeOf(setting.mode) ?? mode;
  }
  return { mtls: { default: mode, ports } };
}

/** UNSET (or no `mtls` block) means "inherit": undefined. */
function modeOf(mode: PeerAuthMode | undefined): InboundMtlsMode | undefined {
  return mode === undefined || mode === 'UNSET' ? undefined : mode;
}

function selectorOf(policy: PeerAuthentication): Record<string, string> {
  return policy.spec.selector?.matchLabels ?? {};
}

/** A selector with no labels counts as none: the policy is namespace-wide (as istiod reads it). */
function hasSelector(policy: PeerAuthentication): boolean {
  return Object.keys(selectorOf(policy)).length > 0;
}
