import { MTLS_MODES } from '../config/meshMtls.ts';
import type { MtlsMode } from '../config/meshMtls.ts';
import { useController } from './ControllerContext.ts';

const MEANING: Record<MtlsMode, string> = {
  PERMISSIVE: 'sidecars accept mTLS and plaintext (Istio’s default)',
  STRICT: 'sidecars accept only mTLS',
  DISABLE: 'no mTLS: sidecars talk plaintext',
};

/** The mesh-wide PeerAuthentication's mode (edits or adds it in the root namespace). */
export function MtlsControl() {
  const c = useController();
  const { mode, fromPolicy } = c.scene.config.mtls();
  const root = c.scene.config.session.scenario.mesh.rootNamespace;
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
        <p className="hint">
          {fromPolicy ? `Set by PeerAuthentication in ${root}.` : `No mesh-wide policy yet: choosing a mode adds one in ${root}.`} Blocking plaintext under STRICT is not simulated yet; the wire shows what the
          sidecars negotiate.
        </p>
      </div>
    </section>
  );
}
