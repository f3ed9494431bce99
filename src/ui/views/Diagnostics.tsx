import type { Finding } from '../state/Controller.ts';
import { useController } from './ControllerContext.ts';

/**
 * What `meshviz analyze` says about the files, one finding per line as
 * `file:line:col CODE severity message`: why files were not loaded, or the
 * findings about the current ones.
 */
export function Diagnostics() {
  const c = useController();
  const rejected = c.rejected;
  const list = rejected ? rejected.diagnostics : c.findings.filter((d) => d.severity !== 'info');
  if (!rejected && list.length === 0) return null;
  if (!rejected) {
    // The loaded scenario's findings: one line until opened, so they never push the picture off screen.
    const count = (severity: string) => list.filter((d) => d.severity === severity).length;
    return (
      <details className="panel diagnostics findings" data-testid="diagnostics">
        <summary>
          <h2 id="diag-h">Findings about this scenario</h2>{' '}
          <span className="hint">
            meshviz analyze: {count('error')} errors, {count('warning')} warnings — open to read them
          </span>
        </summary>
        <Findings list={list} />
      </details>
    );
  }
  return (
    <section className="panel diagnostics" role={rejected ? 'alert' : undefined} aria-labelledby="diag-h" data-testid="diagnostics">
      <div className="panel-head">
        <h2 id="diag-h">{rejected ? `${rejected.name} was not loaded: ${rejected.diagnostics.some((d) => d.severity === 'error') ? 'it has problems' : 'there is nothing in it to simulate'}` : 'Findings about this scenario'}</h2>
        {rejected ? (
          <button type="button" className="btn" data-testid="diagnostics-dismiss" onClick={() => c.dismissRejected()}>
            Dismiss
          </button>
        ) : null}
      </div>
      <div className="panel-body">
        {rejected ? <p className="hint" style={{ marginTop: 0 }}>The picture still shows the previous mesh. These are the findings `meshviz analyze` gives for the files; fix them and load them again.</p> : null}
        <Findings list={list} />
      </div>
    </section>
  );
}

function Findings({ list }: { list: Finding[] }) {
  return (
    <ul>
      {list.map((d, i) => (
        <li key={i} data-testid="finding" data-code={d.code} data-severity={d.severity}>
          {d.source ? `${d.source.file}:${d.source.line}:${d.source.col}  ` : ''}
          <span className={`sev-${d.severity}`}>{d.code}</span> {d.severity} {d.message}
          {d.resource ? <span className="hint"> ({d.resource}{d.path ? ` ${d.path}` : ''})</span> : null}
        </li>
      ))}
    </ul>
  );
}
