import type { ClassifiedDocument } from './classifyDocument.ts';

/**
 * Collects resources by key the way `kubectl apply` of all files would leave
 * them: a later document with the same key replaces the earlier one (and
 * takes its place in the order). The replacement is reported, since two
 * documents for one object is usually a mistake.
 */
export class KeepLast<T> {
  private readonly entries = new Map<string, { value: T; document: ClassifiedDocument }>();

  add(key: string, value: T, document: ClassifiedDocument): void {
    const earlier = this.entries.get(key);
    if (earlier) {
      const { file, line } = earlier.document.header.raw.source;
      document.reader.reporter.report('DuplicateResource', '', { earlier: `${earlier.document.id} (${file}:${line})` });
      this.entries.delete(key);
    }
    this.entries.set(key, { value, document });
  }

  values(): T[] {
    return [...this.entries.values()].map((entry) => entry.value);
  }
}
