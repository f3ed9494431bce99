import { Document, isMap, isScalar, type Node } from 'yaml';
import type { Scenario } from '../../model/index.ts';
import { canonical } from '../canonical.ts';
import type { SourceFile } from '../load/loadScenario.ts';
import { defaultMesh, defaultSimulation } from '../load/readSimulation.ts';
import { istioDocument, istioResources, specType } from './istioDocuments.ts';
import { namespaceDocuments, serviceAccountDocuments, serviceDocuments, waypointDocuments, workloadDocuments } from './kubernetesDocuments.ts';
import { nodeDocuments } from './nodeDocuments.ts';
import { simulationDocument } from './simulationDocument.ts';
import { indexSources, resourceKey, reusableSpec, type SourceIndex } from './sourceNodes.ts';

export interface ExportOptions {
  /** The files the scenario was loaded from: their comments are carried over where the YAML allows. */
  sources?: readonly SourceFile[];
}

/**
 * The scenario as canonical multi-document YAML: Namespaces, ServiceAccounts,
 * Services, workloads, waypoints, Istio resources (networking.istio.io/v1 and
 * security.istio.io/v1, spec fields in Istio's proto order), other Istio
 * kinds, Flagger Canaries and Argo Rollouts, then the Simulation document. Loading the result gives the same
 * scenario. Comments before a document, and inside an Istio spec the model
 * did not change, are kept from `sources`. The Simulation document is left
 * out when it says nothing beyond the defaults.
 */
export function exportScenario(scenario: Scenario, options: ExportOptions = {}): string {
  const sources = indexSources(options.sources ?? []);
  const documents: Document[] = [];
  const add = (plain: Record<string, unknown>, spec?: Node): void => {
    const doc = new Document(plain);
    if (spec) doc.set('spec', spec);
    const comment = leadingComment(sourceOf(sources, plain));
    if (comment) doc.commentBefore = comment;
    documents.push(doc);
  };
  for (const plain of nodeDocuments(scenario)) add(plain);
  for (const plain of namespaceDocuments(scenario)) add(plain);
  for (const plain of serviceAccountDocuments(scenario)) add(plain);
  for (const plain of serviceDocuments(scenario)) add(plain);
  for (const plain of workloadDocuments(scenario)) add(plain);
  for (const plain of waypointDocuments(scenario)) add(plain);
  for (const resource of istioResources(scenario)) {
    const plain = istioDocument(resource);
    const key = resourceKey(resource.kind, resource.metadata.namespace, resource.metadata.name);
    add(plain, reusableSpec(sources.get(key), resource.spec, specType(resource.kind, resource.apiVersion)));
  }
  // Flagger's Canaries and Argo's Rollouts, as written: meshviz walks them (`canary`) but does not rewrite them.
  for (const rollout of [...scenario.rollouts, ...scenario.argoRollouts]) {
    if (rollout.document) add(istioDocument(rollout.document));
  }
  const simulation = simulationDocument(scenario);
  if (canonical(simulation) !== canonical(simulationDocument({ ...scenario, simulation: defaultSimulation(), mesh: defaultMesh() }))) add(simulation);
  return documents.map((doc) => doc.toString({ lineWidth: 0 })).join('---\n');
}

function sourceOf(sources: SourceIndex, plain: Record<string, unknown>): Document.Parsed | undefined {
  const metadata = plain['metadata'] as { name: string; namespace?: string };
  const kind = String(plain['kind']);
  const namespace = kind === 'Namespace' || kind === 'Simulation' ? undefined : metadata.namespace;
  return sources.get(resourceKey(kind, namespace, metadata.name));
}

/** The comment lines above a document's first key, wherever the parser attached them. */
function leadingComment(doc: Document.Parsed | undefined): string | undefined {
  if (!doc) return undefined;
  const contents = doc.contents;
  const firstKey = isMap(contents) ? contents.items[0]?.key : undefined;
  const parts = [doc.commentBefore, contents?.commentBefore, isScalar(firstKey) ? firstKey.commentBefore : undefined];
  const text = parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '').join('\n');
  return text === '' ? undefined : text;
}
