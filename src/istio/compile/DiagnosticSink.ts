import type { Diagnostic, Resource, SourcePos } from '../../model/index.ts';
import type { CompileCode } from './codes.ts';

/**
 * Collects compile diagnostics in emission order. The same finding reported
 * twice (per proxy, per port) is kept once.
 */
export class DiagnosticSink {
  private readonly seen = new Set<string>();
  private readonly items: Diagnostic[] = [];

  report<P>(entry: CompileCode<P>, params: P, resource?: Resource<unknown>, path?: string): void {
    const message = entry.message(params);
    const ref = resource ? resourceRef(resource) : undefined;
    const key = `${entry.code}|${ref ?? ''}|${path ?? ''}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const diagnostic: Diagnostic = { code: entry.code, severity: entry.severity, message };
    if (ref !== undefined) diagnostic.resource = ref;
    if (path !== undefined) diagnostic.path = path;
    const source = resource ? positionOf(resource, path) : undefined;
    if (source) diagnostic.source = source;
    this.items.push(diagnostic);
  }

  list(): Diagnostic[] {
    return [...this.items];
  }
}

/** `Kind/namespace/name`, the way diagnostics and route origins name a resource. */
export function resourceRef(resource: Resource<unknown>): string {
  return `${resource.kind}/${resource.metadata.namespace}/${resource.metadata.name}`;
}

const LAST_SEGMENT = /(\.[^.[\]]+|\[[^\]]*\])$/;

/** The closest recorded position: the field itself, else its nearest parent, else the document. */
function positionOf(resource: Resource<unknown>, path: string | undefined): SourcePos | undefined {
  let current = path;
  while (current && resource.positions) {
    const found = resource.positions[current];
    if (found) return found;
    const parent = current.replace(LAST_SEGMENT, '');
    if (parent === current) break;
    current = parent;
  }
  return resource.source;
}
