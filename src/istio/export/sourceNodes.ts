import { isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import { canonical } from '../canonical.ts';
import type { SourceFile } from '../load/loadScenario.ts';
import { childOf, fieldRank } from './istioFieldOrder.ts';

/** The input documents by `Kind/namespace/name` (the last one wins, as when loading). */
export type SourceIndex = Map<string, Document.Parsed>;

/** Parses the input files again to find each resource's own YAML (its comments, its styles). Documents with errors are left out. */
export function indexSources(files: readonly SourceFile[]): SourceIndex {
  const index: SourceIndex = new Map();
  for (const file of files) {
    let docs;
    try {
      docs = parseAllDocuments(file.text, { uniqueKeys: true });
    } catch {
      continue;
    }
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) {
      const key = doc.errors.length === 0 ? keyOf(doc) : undefined;
      if (key) index.set(key, doc);
    }
  }
  return index;
}

/** `Kind/namespace/name` of a document, read without expanding aliases. */
export function resourceKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? 'default'}/${name}`;
}

function keyOf(doc: Document.Parsed): string | undefined {
  const kind = scalarAt(doc, ['kind']);
  const name = scalarAt(doc, ['metadata', 'name']);
  if (kind === undefined || name === undefined) return undefined;
  return resourceKey(kind, scalarAt(doc, ['metadata', 'namespace']), name);
}

function scalarAt(doc: Document.Parsed, path: string[]): string | undefined {
  const node = doc.getIn(path, true);
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * The input's own `spec` node, cloned and put in canonical key order, when it
 * says exactly what the model says (so comments and flow styles survive);
 * undefined when it differs or uses aliases, which cannot leave their document.
 */
export function reusableSpec(doc: Document.Parsed | undefined, spec: unknown, type: string | undefined): Node | undefined {
  const node = doc?.get('spec', true);
  if (!isMap(node)) return undefined;
  let aliased = false;
  visit(node, {
    Alias() {
      aliased = true;
      return visit.BREAK;
    },
  });
  if (aliased || canonical(withoutNulls(node.toJSON())) !== canonical(spec)) return undefined;
  const copy = node.clone() as typeof node;
  reorder(copy, type);
  return copy;
}

function reorder(node: unknown, type: string | undefined): void {
  if (isSeq(node)) {
    for (const item of node.items) reorder(item, type);
    return;
  }
  if (!isMap(node)) return;
  const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : '');
  node.items.sort((a, b) => {
    const [ka, kb] = [keyText(a.key), keyText(b.key)];
    return type ? fieldRank(type, ka) - fieldRank(type, kb) || compare(ka, kb) : compare(ka, kb);
  });
  for (const pair of node.items) {
    const child = childOf(type, keyText(pair.key));
    if (typeof child === 'object') {
      if (isMap(pair.value)) {
        pair.value.items.sort((a, b) => compare(keyText(a.key), keyText(b.key)));
        for (const entry of pair.value.items) reorder(entry.value, child.map);
      }
    } else {
      reorder(pair.value, child);
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
