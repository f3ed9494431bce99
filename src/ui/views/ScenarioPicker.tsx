import { useEffect, useRef, useState } from 'react';
import { BUILT_IN_SCENARIOS } from '../state/builtInScenarios.ts';
import { useController } from './ControllerContext.ts';

export const CUSTOM = 'custom';

interface Props {
  /** Loads a user's files in place of the current scenario; returns whether they loaded. */
  onFiles: (files: Array<{ name: string; text: string }>) => boolean;
  /** Adds a user's files beside the current ones (the examples' "load beside the default"). */
  onAdd: (files: Array<{ name: string; text: string }>) => void;
}

/** Built-in scenarios, and the user's own YAML by file picker or by dropping files anywhere on the page. */
export function ScenarioPicker({ onFiles, onAdd }: Props) {
  const c = useController();
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const add = e.shiftKey;
      void readAll(e.dataTransfer?.files).then((files) => files.length && (add ? onAdd(files) : onFiles(files)));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles, onAdd]);

  const builtIn = BUILT_IN_SCENARIOS.some((s) => s.id === c.scene.id);
  return (
    <div className="picker">
      <label htmlFor="scenario">Scenario</label>
      <select
        id="scenario"
        data-testid="scenario"
        value={c.scene.id}
        onChange={(e) => {
          const s = BUILT_IN_SCENARIOS.find((b) => b.id === e.target.value);
          if (s) c.load(s.id, s.files);
        }}
      >
        {BUILT_IN_SCENARIOS.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
        {!builtIn ? <option value={c.scene.id}>{c.lesson ? `Lesson: ${c.lesson.lesson.title}` : `Your YAML (${c.scene.live.files.map((f) => f.name).join(', ')})`}</option> : null}
      </select>
      <FilePick label="Open YAML…" testId="file-input" onFiles={onFiles} />
      <FilePick label="Add YAML…" testId="add-input" title="add Istio resources (or more workloads) to the mesh on screen: what the examples call loading beside the default" onFiles={onAdd} />
      <span className="hint">or drop files here</span>
      {dragging ? (
        <div className="dropzone" aria-hidden="true">
          Drop Kubernetes and Istio YAML to simulate it (hold Shift to add it to the mesh on screen)
        </div>
      ) : null}
    </div>
  );
}

/** A button that opens the file chooser for YAML files and hands over what was chosen. */
function FilePick({ label, testId, title, onFiles }: { label: string; testId: string; title?: string; onFiles: (files: Array<{ name: string; text: string }>) => unknown }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn" title={title} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml,text/yaml"
        multiple
        hidden
        data-testid={testId}
        onChange={(e) => {
          void readAll(e.target.files).then((files) => files.length && onFiles(files));
          e.target.value = '';
        }}
      />
    </>
  );
}

async function readAll(list: FileList | null | undefined): Promise<Array<{ name: string; text: string }>> {
  const files = [...(list ?? [])].filter((f) => /\.ya?ml$/i.test(f.name) || f.type.includes('yaml'));
  return Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
}
