import { useController } from './ControllerContext.ts';

/** Why a file did not load, one problem per line as `file:line:col CODE message`; or the warnings of the current one. */
export function Diagnostics() {
  const c = useController();
  const rejected = c.rejected;
  const warnings = c.scene.live.session.diagnostics.filter((d) => d.severity !== 'info');
  if (!rejected && warnings.length === 0) return null;
  const list = rejected ? rejected.diagnostics.filter((d) => d.severity !== 'info') : warnings;
  return (
    <section className="panel diagnostics" role={rejected ? 'alert' : undefined} aria-labelledby="diag-h" data-testid="diagnostics">
      <div className="panel-head">
        <h2 id="diag-h">{rejected ? `${rejected.name} was not loaded: it has problems` : 'Warnings about this scenario'}</h2>
        {rejected ? (
          <button type="button" className="btn" data-testid="diagnostics-dismiss" onClick={() => c.dismissRejected()}>
            Dismiss
          </button>
        ) : null}
      </div>
      <div className="panel-body">
        {rejected ? <p className="hint" style={{ marginTop: 0 }}>The picture still shows the previous scenario. Fix these and load the file again.</p> : null}
        <ul>
          {list.map((d, i) => (
            <li key={i}>
              {d.source ? `${d.source.file}:${d.source.line}:${d.source.col}  ` : ''}
              <span className={`sev-${d.severity}`}>{d.code}</span> {d.message}
              {d.resource ? <span className="hint"> ({d.resource}{d.path ? ` ${d.path}` : ''})</span> : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
