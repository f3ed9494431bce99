/**
 * Field paths as diagnostics print them: `spec.http[0].route[1].destination`.
 * Keys that are not plain words (label keys such as `app.kubernetes.io/name`)
 * are quoted so that a path always reads back unambiguously.
 */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** The path of `key` inside the object at `parent` (`''` is the document root). */
export function fieldPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The path of item `index` inside the sequence at `parent`. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** The enclosing path, or `undefined` at the root. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  // Inside a quoted key every '"' is escaped, so the last `["` opens the last segment.
  if (path.endsWith('"]')) return path.slice(0, path.lastIndexOf('["'));
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}
