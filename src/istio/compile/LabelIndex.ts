import { matchesLabels } from '../../model/index.ts';

/**
 * Items (pods, workloads) by namespace and by each `key=value` label, so that
 * a selector finds its items without testing every item of the namespace: a
 * cluster export with thousands of Services and pods would otherwise cost
 * Services × pods label comparisons.
 */
export class LabelIndex<T> {
  private readonly byNamespace = new Map<string, Map<string, T[]>>();

  constructor(
    items: Iterable<T>,
    namespaceOf: (item: T) => string,
    private readonly labelsOf: (item: T) => Record<string, string>,
  ) {
    for (const item of items) {
      const namespace = namespaceOf(item);
      let byLabel = this.byNamespace.get(namespace);
      if (!byLabel) this.byNamespace.set(namespace, (byLabel = new Map()));
      const labels = labelsOf(item);
      for (const key of Object.keys(labels)) {
        const label = labelKey(key, labels[key] as string);
        const list = byLabel.get(label);
        if (list) list.push(item);
        else byLabel.set(label, [item]);
      }
    }
  }

  /**
   * The items of the namespace that carry every label of the selector, in
   * the order they were given. An empty selector selects nothing here (as a
   * Service's does); callers that mean "everything" say so themselves.
   */
  select(namespace: string, selector: Record<string, string>): T[] {
    const keys = Object.keys(selector);
    const first = keys[0];
    if (first === undefined) return [];
    const candidates = this.byNamespace.get(namespace)?.get(labelKey(first, selector[first] as string));
    if (!candidates) return [];
    // Checked in full: the key below is only a first cut (labels read from hostile input may hold a newline).
    return candidates.filter((item) => matchesLabels(selector, this.labelsOf(item)));
  }
}

/** A label as one Map key. */
function labelKey(key: string, value: string): string {
  return `${key}\n${value}`;
}
