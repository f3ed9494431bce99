import { lazy, Suspense, useMemo } from 'react';
import { ControlPlaneStatus } from './ControlPlaneStatus.tsx';
import { useController } from './ControllerContext.ts';

// The editor (CodeMirror and its YAML grammar: most of its bytes) is a chunk of its own, fetched once the mesh is on screen.
const YamlEditor = lazy(() => import('./YamlEditor.tsx').then((m) => ({ default: m.YamlEditor })));

/** The documents the controls edit, as editors: the project's analyzers inline, changed lines marked, edits pushed like any control's. */
export function YamlPane() {
  const c = useController();
  const { live } = c.scene;
  const docs = live.documents();
  const files = live.files;
  const download = useMemo(() => {
    const text = files.map((f) => f.text.trimEnd()).join('\n---\n') + '\n';
    return `data:application/yaml;charset=utf-8,${encodeURIComponent(text)}`;
  }, [files]);
  return (
    <section className="panel" aria-labelledby="yaml-h">
      <h2 id="yaml-h">Live config</h2>
      <div className="panel-body" data-testid="yaml-pane">
        <p className="hint" style={{ marginTop: 0 }}>
          The controls edit these resources, and so can you; lines marked + differ from the files as loaded. Problems are underlined as <code>meshviz analyze</code> reports them.
        </p>
        <ControlPlaneStatus />
        {docs.length === 0 ? <p className="hint">Nothing edited yet.</p> : null}
        {docs.map((d) => (
          <div key={`${live.base.files.length}|${d.title}`}>
            <div className="yaml-title">{d.title}</div>
            <Suspense fallback={<pre className="yaml-loading">{d.text}</pre>}>
              <YamlEditor doc={d} check={(text) => live.check(d.ref, text)} apply={(text) => c.change({ kind: 'document', ref: d.ref, text })} />
            </Suspense>
          </div>
        ))}
        {c.editErrors.length ? (
          <p className="sev-error" role="alert" data-testid="edit-errors">
            That change was not applied: {c.editErrors.map((d) => `${d.source ? `${d.source.file}:${d.source.line}:${d.source.col} ` : ''}${d.code} ${d.message}`).join('; ')}
          </p>
        ) : null}
        <p style={{ marginBottom: 0 }}>
          <a href={download} download={`${c.scene.id}-meshviz.yaml`}>
            Download the whole scenario as YAML
          </a>
        </p>
      </div>
    </section>
  );
}
