import type { Scenario } from '../../model/index.ts';
import { canaryRoutes } from './canaryRoutes.ts';
import type { DocRef } from './editYaml.ts';
import { meshPolicy } from './meshMtls.ts';

/** The documents the visualizer's controls edit: each weighted route's VirtualService (once), then the mesh-wide PeerAuthentication. */
export function controlledDocuments(scenario: Scenario): DocRef[] {
  const refs: DocRef[] = [];
  for (const r of canaryRoutes(scenario)) if (!refs.some((d) => d.kind === r.doc.kind && d.name === r.doc.name && d.namespace === r.doc.namespace)) refs.push(r.doc);
  const pa = meshPolicy(scenario);
  if (pa) refs.push(pa);
  return refs;
}
