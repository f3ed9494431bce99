import type { Scenario } from '../../model/index.ts';
import { appendDocument, editFiles, setScalars, spliceFiles } from './editYaml.ts';
import type { DocRef } from './editYaml.ts';
import type { SourceFile } from '../load/index.ts';

export type MtlsMode = 'PERMISSIVE' | 'STRICT' | 'DISABLE';
export const MTLS_MODES: readonly MtlsMode[] = ['PERMISSIVE', 'STRICT', 'DISABLE'];

/** The mesh-wide PeerAuthentication (root namespace, no selector), if the scenario has one. */
export function meshPolicy(scenario: Scenario): DocRef | undefined {
  const pa = meshWidePeerAuthentication(scenario);
  return pa ? { kind: 'PeerAuthentication', name: pa.metadata.name, namespace: pa.metadata.namespace } : undefined;
}

function meshWidePeerAuthentication(scenario: Scenario) {
  const root = scenario.mesh.rootNamespace;
  return scenario.peerAuthentications.find((p) => p.metadata.namespace === root && Object.keys(p.spec.selector?.matchLabels ?? {}).length === 0);
}

/** The mode the mesh-wide policy sets; Istio's default (PERMISSIVE) without one. */
export function meshMtlsMode(scenario: Scenario): { mode: MtlsMode; fromPolicy: boolean } {
  const pa = meshWidePeerAuthentication(scenario);
  const mode = pa?.spec.mtls?.mode;
  return mode === 'STRICT' || mode === 'DISABLE' || mode === 'PERMISSIVE' ? { mode, fromPolicy: true } : { mode: 'PERMISSIVE', fromPolicy: pa !== undefined };
}

/** Sets the mesh-wide mTLS mode: edits the mesh PeerAuthentication, or adds one named `default` as Istio's docs do. */
export function setMeshMtls(files: SourceFile[], scenario: Scenario, mode: MtlsMode): SourceFile[] {
  const ref = meshPolicy(scenario);
  if (ref) {
    const edited = spliceFiles(files, (text) => setScalars(text, ref, [{ path: ['spec', 'mtls', 'mode'], value: mode }])) ?? editFiles(files, ref, (doc) => doc.setIn(['spec', 'mtls', 'mode'], mode));
    if (edited) return edited;
  }
  return appendDocument(files, meshPolicyYaml(scenario.mesh.rootNamespace, mode));
}

export function meshPolicyYaml(rootNamespace: string, mode: MtlsMode): string {
  return `# Mesh-wide mTLS, set by meshviz's mTLS control.
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${rootNamespace}
spec:
  mtls:
    mode: ${mode}
`;
}
