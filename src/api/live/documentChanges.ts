import { stringify } from 'yaml';
import type { ConfigChange } from '../../engine/index.ts';
import { appendDocument, canaryRoutes, diagnostic, putDocument, replaceInFiles, setMeshMtls, setRouteWeights } from '../../istio/index.ts';
import type { DocRef, MtlsMode, SourceFile } from '../../istio/index.ts';
import type { Diagnostic, Scenario } from '../../model/index.ts';

/** A change to the mesh's documents, from any control: every one goes through `LiveMesh.change`. */
export type LiveChange =
  /** A canary slider: the weights of one weighted route, in its destination order. */
  | { kind: 'weights'; route: string; weights: number[] }
  /** The mesh-wide PeerAuthentication's mode. */
  | { kind: 'mtls'; mode: MtlsMode }
  /** One document replaced with new YAML text (the editor), or removed (`text` undefined). */
  | { kind: 'document'; ref: DocRef; text: string | undefined }
  /** Files added beside the current ones (Istio resources: what a running mesh can take). */
  | { kind: 'add'; files: SourceFile[] }
  /** A timeline `apply`/`delete` of the scenario's story. */
  | { kind: 'timeline'; change: ConfigChange }
  /** Documents applied together, as `kubectl apply` (text) or `kubectl delete` (undefined) of them: each sets or removes its object, added when new. */
  | { kind: 'apply'; documents: Array<{ ref: DocRef; text: string | undefined }> };

export type Edited = { ok: true; files: SourceFile[]; label: string } | { ok: false; diagnostics: Diagnostic[] };

/** The documents after `change`, and how the change reads in the event stream. */
export function editDocuments(files: SourceFile[], scenario: Scenario, change: LiveChange): Edited {
  switch (change.kind) {
    case 'weights': {
      const route = canaryRoutes(scenario).find((r) => r.key === change.route);
      if (!route) return { ok: false, diagnostics: [diagnostic('LiveNoSuchRoute', {}, { route: change.route })] };
      const edited = setRouteWeights(files, route, change.weights);
      return edited ? { ok: true, files: edited, label: `apply ${resourceName(route.doc)} (weights ${change.weights.join('/')})` } : missing(route.doc);
    }
    case 'mtls':
      return { ok: true, files: setMeshMtls(files, scenario, change.mode), label: `apply PeerAuthentication/${scenario.mesh.rootNamespace} (mtls ${change.mode})` };
    case 'document': {
      const edited = replaceInFiles(files, change.ref, change.text);
      if (!edited) return missing(change.ref);
      return { ok: true, files: edited, label: `${change.text === undefined ? 'delete' : 'apply'} ${resourceName(change.ref)}` };
    }
    case 'add':
      return { ok: true, files: [...files, ...change.files], label: `apply ${change.files.map((f) => f.name).join(', ')}` };
    case 'timeline':
      return timelineEdit(files, change.change);
    case 'apply': {
      const edited = change.documents.reduce((out, d) => putDocument(out, d.ref, d.text), files);
      return { ok: true, files: edited, label: change.documents.map((d) => `${d.text === undefined ? 'delete' : 'apply'} ${resourceName(d.ref)}`).join(', ') };
    }
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

/** A timeline change lands on the current documents: it replaces (or removes) the document of that name and keeps every other edit. */
function timelineEdit(files: SourceFile[], change: ConfigChange): Edited {
  if (change.kind === 'delete') {
    const edited = replaceInFiles(files, change.resource, undefined);
    return edited ? { ok: true, files: edited, label: `delete ${resourceName(change.resource)}` } : missing(change.resource);
  }
  const document = plain(change.document) as Record<string, unknown>;
  const metadata = (document['metadata'] ?? {}) as Record<string, unknown>;
  const ref: DocRef = { kind: String(document['kind']), name: String(metadata['name']), namespace: String(metadata['namespace'] ?? 'default') };
  const text = stringify(document);
  const edited = replaceInFiles(files, ref, text) ?? appendDocument(files, text);
  return { ok: true, files: edited, label: `apply ${resourceName(ref)}` };
}

function missing(ref: DocRef): Edited {
  return { ok: false, diagnostics: [diagnostic('LiveNoSuchDocument', { resource: resourceName(ref) }, { resource: resourceName(ref) })] };
}

export function resourceName(ref: DocRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The loader hands out null-prototype maps; YAML output wants ordinary objects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
