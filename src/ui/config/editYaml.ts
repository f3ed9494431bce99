import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';

/** A scenario file as the user gave it (the shape `openSession` takes). */
export interface ScenarioFile {
  name: string;
  text: string;
}

/** Which document a control owns: by kind, name and namespace (absent namespace = `default`). */
export interface DocRef {
  kind: string;
  name: string;
  namespace: string;
}

/**
 * Edits one document of a multi-document YAML text in place. Only that
 * document is re-serialised (comments kept); every other byte of the file
 * stays as the user wrote it. Returns undefined when no document matches.
 */
export function editDocument(text: string, ref: DocRef, edit: (doc: Document) => void): string | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  const index = docs.findIndex((d) => matches(d, ref));
  const doc = docs[index];
  if (!doc || !doc.range) return undefined;
  const [rangeStart, , end] = doc.range;
  // A document without `---` owns the comments above it, which toString() writes again.
  const start = text.startsWith('---', rangeStart) ? rangeStart : (docs[index - 1]?.range?.[2] ?? 0);
  edit(doc);
  return text.slice(0, start) + doc.toString({ lineWidth: 0 }) + text.slice(end);
}

/** The source text of one document (for the YAML pane), or undefined. */
export function documentText(text: string, ref: DocRef): string | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  const doc = docs.find((d) => matches(d, ref));
  if (!doc?.range) return undefined;
  return text.slice(doc.range[0], doc.range[2]).replace(/^---\n/, '').trimEnd() + '\n';
}

/** Applies `edit` to the file holding `ref`; files without it are returned unchanged. */
export function editFiles(files: ScenarioFile[], ref: DocRef, edit: (doc: Document) => void): ScenarioFile[] | undefined {
  let done = false;
  const out = files.map((file) => {
    if (done) return file;
    const text = editDocument(file.text, ref, edit);
    if (text === undefined) return file;
    done = true;
    return { ...file, text };
  });
  return done ? out : undefined;
}

/** Appends a document to the first file. */
export function appendDocument(files: ScenarioFile[], yamlText: string): ScenarioFile[] {
  const [first, ...rest] = files;
  if (!first) return [{ name: 'controls.yaml', text: yamlText }];
  const sep = first.text.endsWith('\n') ? '' : '\n';
  return [{ ...first, text: `${first.text}${sep}---\n${yamlText}` }, ...rest];
}

function matches(doc: Document, ref: DocRef): boolean {
  return doc.get('kind') === ref.kind && doc.getIn(['metadata', 'name']) === ref.name && (doc.getIn(['metadata', 'namespace']) ?? 'default') === ref.namespace;
}
