import { useMemo } from 'react';
import { useController } from './ControllerContext.ts';

/** The live YAML the controls produce: the resources they edit, with edited lines marked. */
export function YamlPane() {
  const c = useController();
  const docs = c.scene.live.documents();
  const files = c.scene.live.files;
  const download = useMemo(() => {
    const text = files.map((f) => f.text.trimEnd()).join('\n---\n') + '\n';
    return `data:application/yaml;charset=utf-8,${encodeURIComponent(text)}`;
  }, [files]);
  return (
    <section className="panel" aria-labelledby="yaml-h">
      <h2 id="yaml-h">Live config</h2>
      <div className="panel-body" data-testid="yaml-pane">
        <p className="hint" style={{ marginTop: 0 }}>
          The controls edit these resources; lines marked + differ from the file as loaded.
        </p>
        {docs.length === 0 ? <p className="hint">Nothing edited yet.</p> : null}
        {docs.map((d) => (
          <div key={d.title}>
            <div className="yaml-title">{d.title}</div>
            <pre className="yaml" tabIndex={0} aria-label={`YAML of ${d.title}`}>
              {d.text
                .replace(/\n$/, '')
                .split('\n')
                .map((line, i) => (
                  <span key={i} className={d.changedLines.includes(i + 1) ? 'line changed' : 'line'}>
                    {line || ' '}
                  </span>
                ))}
            </pre>
          </div>
        ))}
        {c.editErrors.length ? (
          <p className="sev-error" role="alert">
            That change was not applied: {c.editErrors.map((d) => d.message).join('; ')}
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
