import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { SourceFile } from '../load/index.ts';

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
  return spliceDocument(text, ref, (doc) => {
    edit(doc);
    return doc.toString({ lineWidth: 0 });
  });
}

/**
 * Replaces one document of a multi-document YAML text with `replacement`
 * (YAML text of one document), or removes it with `undefined`; every other
 * byte stays. Returns undefined when no document matches.
 */
export function replaceDocument(text: string, ref: DocRef, replacement: string | undefined): string | undefined {
  return spliceDocument(text, ref, (doc, marker) => (replacement === undefined ? '' : `${marker ? '---\n' : ''}${replacement.endsWith('\n') ? replacement : `${replacement}\n`}`));
}

function spliceDocument(text: string, ref: DocRef, write: (doc: Document, marker: boolean) => string): string | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  const index = docs.findIndex((d) => matches(d, ref));
  const doc = docs[index];
  if (!doc || !doc.range) return undefined;
  const [rangeStart, , end] = doc.range;
  const marker = text.startsWith('---', rangeStart);
  // A document without `---` owns the comments above it, which toString() writes again.
  const start = marker ? rangeStart : (docs[index - 1]?.range?.[2] ?? 0);
  return text.slice(0, start) + write(doc, marker) + text.slice(end);
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
export function editFiles(files: SourceFile[], ref: DocRef, edit: (doc: Document) => void): SourceFile[] | undefined {
  return spliceFiles(files, (text) => editDocument(text, ref, edit));
}

/** Replaces (or with `undefined` removes) the document `ref` in the file holding it. */
export function replaceInFiles(files: SourceFile[], ref: DocRef, replacement: string | undefined): SourceFile[] | undefined {
  return spliceFiles(files, (text) => replaceDocument(text, ref, replacement));
}

function spliceFiles(files: SourceFile[], change: (text: string) => string | undefined): SourceFile[] | undefined {
  let done = false;
  const out = files.map((file) => {
    if (done) return file;
    const text = change(file.text);
    if (text === undefined) return file;
    done = true;
    return { ...file, text };
  });
  return done ? out : undefined;
}

/** Appends a document to the first file. */
export function appendDocument(files: SourceFile[], yamlText: string): SourceFile[] {
  const [first, ...rest] = files;
  if (!first) return [{ name: 'controls.yaml', text: yamlText }];
  const sep = first.text.endsWith('\n') ? '' : '\n';
  return [{ ...first, text: `${first.text}${sep}---\n${yamlText}` }, ...rest];
}

function matches(doc: Document, ref: DocRef): boolean {
  return doc.get('kind') === ref.kind && doc.getIn(['metadata', 'name']) === ref.name && (doc.getIn(['metadata', 'namespace']) ?? 'default') === ref.namespace;
}
