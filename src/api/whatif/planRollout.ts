import { fileDocuments } from '../../istio/index.ts';
import type { DocRef, SourceFile } from '../../istio/index.ts';
import { resourceName } from '../live/documentChanges.ts';

/**
 * In which order a change's documents reach the proxies:
 * - `file`: one push per document, in the order AFTER's files hold them (what
 *   `kubectl apply -f` walks), then the objects AFTER no longer has;
 * - `kinds`: the same, but the documents of the kinds listed go first, in
 *   that order (`DestinationRule,VirtualService`: make-before-break for a
 *   new subset), the rest after them in file order;
 * - `together`: everything in one push, as when istiod's debounce folds the
 *   whole change into one.
 */
export type PushOrder = { kind: 'file' } | { kind: 'kinds'; kinds: string[] } | { kind: 'together' };

/** What one push carries: documents applied (text) or deleted (undefined), and how the report names them. */
export interface RolloutStep {
  documents: Array<{ ref: DocRef; text: string | undefined }>;
  label: string;
}

/**
 * The pushes that take a mesh from BEFORE's documents to AFTER's: every
 * object AFTER adds or changes (compared as data, so layout and comments do
 * not count) and every object it no longer has, grouped and ordered as
 * `order` says. The Simulation document is not config a cluster holds and
 * is left out.
 */
export function planRollout(before: SourceFile[], after: SourceFile[], order: PushOrder): RolloutStep[] {
  const was = new Map(fileDocuments(before).filter(isConfig).map((d) => [key(d.ref), d]));
  const now = fileDocuments(after).filter(isConfig);
  const kept = new Set(now.map((d) => key(d.ref)));
  const changes: RolloutStep['documents'] = [
    ...now.filter((d) => canonical(was.get(key(d.ref))?.value) !== canonical(d.value)).map((d) => ({ ref: d.ref, text: d.text })),
    ...[...was.values()].filter((d) => !kept.has(key(d.ref))).map((d) => ({ ref: d.ref, text: undefined })),
  ];
  if (changes.length === 0) return [];
  if (order.kind === 'together') return [step(changes)];
  const rank = (kind: string): number => (order.kind === 'kinds' && order.kinds.includes(kind) ? order.kinds.indexOf(kind) : Number.MAX_SAFE_INTEGER);
  // Array.prototype.sort is stable: within a rank the file order stays.
  return [...changes].sort((a, b) => rank(a.ref.kind) - rank(b.ref.kind)).map((d) => step([d]));
}

/** How a push order reads in a report. */
export function describePushOrder(order: PushOrder): string {
  if (order.kind === 'together') return 'all documents in one push';
  if (order.kind === 'kinds') return `one push per document, ${order.kinds.join(' then ')} first, the rest in file order`;
  return 'one push per document, in file order';
}

function step(documents: RolloutStep['documents']): RolloutStep {
  return { documents, label: documents.map((d) => `${d.text === undefined ? 'delete ' : ''}${resourceName(d.ref)}`).join(', ') };
}

function isConfig(d: { ref: DocRef }): boolean {
  return d.ref.kind !== 'Simulation';
}

function key(ref: DocRef): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

/** JSON with the keys sorted, so two documents saying the same thing compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v)) ?? 'undefined';
}
