import { Composer, CST, isScalar, parseAllDocuments, Parser } from 'yaml';
import type { Document, Node } from 'yaml';
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

/** A path into a document, as the `yaml` Document API takes it. */
export type YamlPath = Array<string | number>;

/**
 * Sets existing scalars of one document in place through the concrete
 * syntax tree, so every other byte stays as written (flow collections keep
 * their spacing, the scalars their quoting), and first removes the whole
 * comment lines inside `commentsUnder` that match `staleComment`. Returns
 * undefined when the document or any path's scalar is missing (the caller
 * then edits through the Document API instead).
 */
export function setScalars(text: string, ref: DocRef, values: Array<{ path: YamlPath; value: string | number }>, stale?: { commentsUnder: YamlPath; matching: RegExp }): string | undefined {
  const pruned = stale ? dropComments(text, ref, stale.commentsUnder, stale.matching) : text;
  if (pruned === undefined) return undefined;
  const tokens = [...new Parser().parse(pruned)];
  const doc = [...new Composer({ keepSourceTokens: true }).compose(tokens)].find((d) => matches(d, ref));
  if (!doc) return undefined;
  for (const { path, value } of values) {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || !node.srcToken) return undefined;
    CST.setScalarValue(node.srcToken, String(value));
  }
  return tokens.map((t) => CST.stringify(t)).join('');
}

/** Removes the comment lines (a `#` after indentation only) inside the node at `path` that match. */
function dropComments(text: string, ref: DocRef, path: YamlPath, matching: RegExp): string | undefined {
  const doc = parseAllDocuments(text);
  if (!Array.isArray(doc)) return undefined;
  const node = doc.find((d) => matches(d, ref))?.getIn(path, true) as Node | undefined;
  if (!node?.range) return undefined;
  // Comments above the first item sit before the collection's range: start at the first of them.
  let start = text.lastIndexOf('\n', node.range[0] - 1) + 1;
  for (let above = text.lastIndexOf('\n', start - 2) + 1; start > 0 && /^\s*#/.test(text.slice(above, start - 1)); above = text.lastIndexOf('\n', start - 2) + 1) start = above;
  const [, , end] = node.range;
  const kept = text
    .slice(start, end)
    .split('\n')
    .filter((line) => !(/^\s*#/.test(line) && matching.test(line)));
  return text.slice(0, start) + kept.join('\n') + text.slice(end);
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

/** Applies `change` to the first file it returns a text for; undefined when it returns none. */
export function spliceFiles(files: SourceFile[], change: (text: string) => string | undefined): SourceFile[] | undefined {
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
