import type { Resource } from '../../../model/index.ts';
import type { FieldReader } from '../FieldReader.ts';
import { keptResource, type ResourceHeader } from '../readIstioResource.ts';

/**
 * A Linkerd resource's `spec` read by `read`: `undefined` (reported) when the
 * spec is missing or anything in it was an error, so the compiler can trust
 * what it gets.
 */
export function readSpec<Spec>(header: ResourceHeader, document: FieldReader, read: (spec: FieldReader) => Spec | undefined): Resource<Spec> | undefined {
  const spec = document.map('spec');
  if (!spec) {
    document.require('spec');
    return undefined;
  }
  const before = document.reporter.errorPaths.size;
  const out = read(spec);
  if (!out || document.reporter.errorPaths.size > before) return undefined;
  return keptResource<Spec>(header, out);
}
