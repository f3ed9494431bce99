import { parseAllDocuments } from 'yaml';
import type { SourceFile } from '../load/index.ts';
import type { DocRef } from './editYaml.ts';

/** One document of a set of files, by the object it names, with its source text. */
export interface FileDocument {
  ref: DocRef;
  /** The document's text as written (without its `---` marker), ending in a newline. */
  text: string;
  /** The document as plain data, for comparing two versions of one object whatever their layout and comments. */
  value: unknown;
}

/**
 * The objects a set of files holds, as `kubectl apply` of all of them would
 * leave them: one per kind, namespace and name, the last document winning
 * (in the place of the last). Documents without a kind or a name are left
 * out; namespace `default` when none is written.
 */
export function fileDocuments(files: SourceFile[]): FileDocument[] {
  const byKey = new Map<string, FileDocument>();
  for (const file of files) {
    const docs = parseAllDocuments(file.text);
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) {
      const value: unknown = doc.toJS();
      const ref = refOf(value);
      if (!ref || !doc.range || doc.errors.length > 0) continue;
      const key = refKey(ref);
      byKey.delete(key);
      byKey.set(key, { ref, text: `${file.text.slice(doc.range[0], doc.range[2]).replace(/^---[^\n]*\n/, '').trimEnd()}\n`, value });
    }
  }
  return [...byKey.values()];
}

/**
 * Sets one object in a set of files: its last document is replaced by
 * `text` (or removed when `text` is undefined) and any earlier document of
 * the same object removed, every other byte kept; an object the files do
 * not hold is appended to the last file. What `kubectl apply` (or `delete`)
 * of that one document does to the cluster.
 */
export function putDocument(files: SourceFile[], ref: DocRef, text: string | undefined): SourceFile[] {
  const spans: Array<{ file: number; start: number; end: number; marker: boolean }> = [];
  files.forEach((file, index) => {
    const docs = parseAllDocuments(file.text);
    if (!Array.isArray(docs)) return;
    docs.forEach((doc, d) => {
      const at = refOf(doc.toJS());
      if (!at || !doc.range || refKey(at) !== refKey(ref)) return;
      const marker = file.text.startsWith('---', doc.range[0]);
      // A document without `---` owns the comments above it.
      const start = marker ? doc.range[0] : (docs[d - 1]?.range?.[2] ?? 0);
      spans.push({ file: index, start, end: doc.range[2], marker });
    });
  });
  const body = text === undefined ? undefined : text.endsWith('\n') ? text : `${text}\n`;
  const last = spans.at(-1);
  if (!last) {
    if (body === undefined) return files;
    const out = [...files];
    const target = out.at(-1);
    if (!target) return [{ name: 'applied.yaml', text: body }];
    out[out.length - 1] = { ...target, text: `${target.text}${target.text === '' || target.text.endsWith('\n') ? '' : '\n'}---\n${body}` };
    return out;
  }
  const texts = files.map((f) => f.text);
  // From the end backwards, so earlier offsets stay valid.
  for (const span of [...spans].reverse()) {
    const replacement = span === last && body !== undefined ? `${span.marker ? '---\n' : ''}${body}` : '';
    const t = texts[span.file] ?? '';
    texts[span.file] = t.slice(0, span.start) + replacement + t.slice(span.end);
  }
  return files.map((f, i) => (texts[i] === f.text ? f : { ...f, text: texts[i] ?? f.text }));
}

function refOf(value: unknown): DocRef | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const doc = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof doc.kind !== 'string' || typeof doc.metadata?.name !== 'string') return undefined;
  const namespace = typeof doc.metadata.namespace === 'string' ? doc.metadata.namespace : 'default';
  return { kind: doc.kind, name: doc.metadata.name, namespace };
}

function refKey(ref: DocRef): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}
