/** A canonical key for "a workload like this one": namespace plus sorted labels. */
export function sourceKey(namespace: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return `${namespace}\n${JSON.stringify(sorted)}`;
}
