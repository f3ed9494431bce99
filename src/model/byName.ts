/**
 * An empty record keyed by names users choose (pods, workloads, headers).
 * It has no prototype, so a name such as `constructor`, `toString` or
 * `__proto__` is just a key: looking it up finds nothing unless it was set,
 * and setting it stores it. The one place such records are made.
 */
export function byName<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Gives a record that lost its null prototype (a structured clone) its prototype-free form back. */
export function asByName<T>(record: Record<string, T>): Record<string, T> {
  Object.setPrototypeOf(record, null);
  return record;
}
