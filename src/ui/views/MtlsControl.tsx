import { MTLS_MODES } from '../../api/index.ts';
import type { MtlsMode } from '../../api/index.ts';
import { useController } from './ControllerContext.ts';

const MEANING: Record<MtlsMode, string> = {
  PERMISSIVE: 'sidecars accept mTLS and plaintext (Istio’s default)',
  STRICT: 'sidecars accept only mTLS and reset plaintext',
  DISABLE: 'no mTLS: sidecars talk plaintext',
};

/** The mesh-wide PeerAuthentication's mode (edits or adds it in the root namespace). */
export function MtlsControl() {
  const c = useController();
  const { mode, fromPolicy } = c.scene.live.mtls();
  const root = c.scene.live.scenario.mesh.rootNamespace;
  if (c.scene.live.scenario.simulation.flavor === 'linkerd') {
    return (
      <section className="panel mtls" aria-labelledby="mtls-h">
        <h2 id="mtls-h">Mutual TLS</h2>
        <div className="panel-body">
          <p className="hint" data-testid="mtls-note">
            Linkerd turns mTLS on between every two meshed pods, with no setting: the dashed wires. A pod outside the mesh talks plaintext; keeping it out takes a Server whose
            policy requires an authenticated client.
          </p>
        </div>
      </section>
    );
  }
  return (
    <section className="panel mtls" aria-labelledby="mtls-h">
      <h2 id="mtls-h">Mutual TLS</h2>
      <div className="panel-body">
        <fieldset>
          <legend>Mesh-wide PeerAuthentication mode</legend>
          {MTLS_MODES.map((m) => (
            <label key={m}>
              <input type="radio" name="mtls" value={m} checked={mode === m} data-testid={`mtls-${m}`} onChange={() => c.setMtls(m)} />
              <span>{m}</span>
              <small>{MEANING[m]}</small>
            </label>
          ))}
        </fieldset>
        <p className="hint" data-testid="mtls-note">
          {fromPolicy ? `Set by PeerAuthentication in ${root}.` : `No mesh-wide policy yet: choosing a mode adds one in ${root}.`} Under STRICT a sidecar resets any plaintext connection: a caller
          without a sidecar gets no HTTP status at all, and the picture marks the stop at the callee’s sidecar. The wire shows what the sidecars negotiate.
        </p>
      </div>
    </section>
  );
}
