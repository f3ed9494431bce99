import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter } from '@codemirror/lint';
import type { Diagnostic as EditorDiagnostic } from '@codemirror/lint';
import { EditorState, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import type { Text } from '@codemirror/state';
import { Decoration, EditorView, keymap } from '@codemirror/view';
import type { DecorationSet } from '@codemirror/view';
import { useEffect, useRef, useState } from 'react';
import type { DocumentFinding, LiveDocument } from '../../api/index.ts';

interface Props {
  doc: LiveDocument;
  /** What `meshviz analyze` says about this document with `text` in its place. */
  check: (text: string) => DocumentFinding[];
  /** Applies the text through the live mesh's change path; false when refused. */
  apply: (text: string) => boolean;
}

/** Marks the lines that differ from the files as loaded (a `+` in the gutter and a tint). */
const setChanged = StateEffect.define<number[]>();
const changedLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) if (e.is(setChanged)) return lineMarks(tr.state.doc, e.value);
    return marks.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

const CHANGED = Decoration.line({ class: 'cm-changed' });

/** The page's styles do not reach into the editor's shadow root: its look is set here (colours from the page's variables). */
const EDITOR_THEME = EditorView.theme({
  '&': { maxHeight: '320px', font: '12px/1.5 var(--mono)', background: '#f6f8fa', border: '1px solid var(--line-2)', borderRadius: '4px', color: 'var(--ink)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-scroller': { font: 'inherit', overflow: 'auto' },
  '.cm-content': { paddingLeft: '10px' },
  '.cm-line.cm-changed': { background: '#fff1c2', position: 'relative' },
  '.cm-line.cm-changed::before': { content: "'+'", position: 'absolute', left: '-1px', color: '#8a5a00', fontWeight: '700' },
  '.cm-tooltip': { font: '12px/1.4 var(--sans)' },
});

function lineMarks(doc: Text, lines: number[]): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const n of [...lines].sort((a, b) => a - b)) if (n >= 1 && n <= doc.lines) builder.add(doc.line(n).from, doc.line(n).from, CHANGED);
  return builder.finish();
}

function toEditor(doc: Text, f: DocumentFinding): EditorDiagnostic {
  const line = doc.line(Math.min(Math.max(1, f.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, f.col - 1));
  return { from, to: line.to > from ? line.to : from, severity: f.severity, message: `${f.code} ${f.message}`, source: 'meshviz analyze' };
}

/**
 * One document the controls edit, as an editor: YAML highlighting, the
 * project's own analyzers inline, the lines changed since loading marked.
 * Apply (or Ctrl+Enter) sends the text through the live mesh's push path;
 * a control's later edit replaces the text unless there are edits not yet
 * applied.
 */
export function YamlEditor({ doc, check, apply }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const synced = useRef(doc.text);
  const actions = useRef({ check, apply });
  actions.current = { check, apply };
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    const outer = host.current;
    if (!outer) return;
    // The editor lives in a shadow root: there CodeMirror's styles are constructed style sheets, which the
    // page's Content-Security-Policy allows (in the document itself it would add a <style> element, which it blocks).
    const root = outer.shadowRoot ?? outer.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    root.replaceChildren(parent);
    const submit = (v: EditorView) => {
      actions.current.apply(v.state.doc.toString());
      return true;
    };
    const editor = new EditorView({
      parent,
      root,
      state: EditorState.create({
        doc: synced.current,
        extensions: [
          history(),
          keymap.of([{ key: 'Mod-Enter', run: submit }, ...defaultKeymap, ...historyKeymap]),
          yaml(),
          syntaxHighlighting(defaultHighlightStyle),
          lintGutter(),
          linter((v) => actions.current.check(v.state.doc.toString()).map((f) => toEditor(v.state.doc, f)), { delay: 400 }),
          changedLines,
          EDITOR_THEME,
          EditorView.contentAttributes.of({ 'aria-label': `YAML of ${doc.title}` }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) setDirty(u.state.doc.toString() !== synced.current);
          }),
        ],
      }),
    });
    editor.dispatch({ effects: setChanged.of(doc.changedLines) });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once per document; later texts arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current === synced.current || current === doc.text) {
      editor.dispatch({ changes: current === doc.text ? undefined : { from: 0, to: current.length, insert: doc.text }, effects: setChanged.of(doc.changedLines) });
      synced.current = doc.text;
      setDirty(false);
    }
  }, [doc.text, doc.changedLines]);

  const revert = () => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: synced.current }, effects: setChanged.of(doc.changedLines) });
  };

  return (
    <div className="yaml-editor" data-testid={`editor-${doc.ref.kind}-${doc.ref.name}`} data-dirty={String(dirty)}>
      <div ref={host} />
      <div className="button-row">
        <button type="button" className="btn primary" disabled={!dirty} data-testid={`apply-${doc.ref.kind}-${doc.ref.name}`} onClick={() => view.current && apply(view.current.state.doc.toString())}>
          Apply
        </button>
        <button type="button" className="btn" disabled={!dirty} onClick={revert}>
          Revert
        </button>
        <span className="hint">{dirty ? 'edited: Apply (Ctrl+Enter) pushes it to the proxies' : 'edit the YAML, then Apply'}</span>
      </div>
    </div>
  );
}
