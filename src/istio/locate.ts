import type { Resource, SourcePos } from '../model/index.ts';
import type { DiagnosticLocation } from './catalog.ts';
import { parentPath } from './load/fieldPath.ts';

/** `Kind/namespace/name`, the way diagnostics and route origins name a resource. */
export function resourceRef(resource: Resource<unknown>): string {
  return `${resource.kind}/${resource.metadata.namespace}/${resource.metadata.name}`;
}

/** The closest recorded position of a field: the field itself, else its nearest parent, else the document. */
export function sourceOf(resource: Resource<unknown>, path: string | undefined): SourcePos | undefined {
  for (let current = path; current && resource.positions; current = parentPath(current)) {
    const found = resource.positions[current];
    if (found) return found;
  }
  return resource.source;
}

/** Where a finding about `path` of `resource` points: its id, the field path and the YAML position. */
export function locate(resource: Resource<unknown>, path?: string): DiagnosticLocation {
  const at: DiagnosticLocation = { resource: resourceRef(resource) };
  if (path !== undefined) at.path = path;
  const source = sourceOf(resource, path);
  if (source) at.source = source;
  return at;
}
