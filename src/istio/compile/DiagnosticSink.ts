import type { Diagnostic, Resource } from '../../model/index.ts';
import { diagnostic, type DiagnosticName, type DiagnosticParams } from '../catalog.ts';
import { locate, resourceRef } from '../locate.ts';

export { resourceRef };

/** What a compile finding is about: a resource and a field path inside it. */
export interface CompileLocation {
  resource?: Resource<unknown>;
  path?: string;
}

/**
 * Collects compile diagnostics (catalog entries MV0300–MV0399) in emission
 * order. The same finding reported twice (per proxy, per port) is kept once.
 */
export class DiagnosticSink {
  private readonly seen = new Set<string>();
  private readonly items: Diagnostic[] = [];

  report<N extends DiagnosticName>(name: N, at: CompileLocation, ...params: DiagnosticParams<N>): void {
    const where = at.resource ? locate(at.resource, at.path) : at.path !== undefined ? { path: at.path } : {};
    const found = diagnostic(name, where, ...params);
    const key = `${found.code}|${found.resource ?? ''}|${found.path ?? ''}|${found.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(found);
  }

  list(): Diagnostic[] {
    return [...this.items];
  }
}
