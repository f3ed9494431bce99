import { stringify } from 'yaml';
import type { ArgoRollout, Scenario, TrafficSpec } from '../../model/index.ts';
import { simulationDocument } from '../../istio/index.ts';
import type { SourceFile } from '../../istio/index.ts';
import { ApiError } from '../ApiError.ts';

/** The label Argo Rollouts adds to a ReplicaSet's pods and to the stable and canary Services' selectors. */
const HASH = 'rollouts-pod-template-hash';

/**
 * What Argo Rollouts makes of a Rollout with an Istio-routed canary, as
 * YAML to load beside the user's files: the stable and the canary
 * ReplicaSets' pods (as Deployments `<name>-stable` and `<name>-canary`,
 * labelled with the pod-template hash) and the stable and canary Services
 * with that hash added to their selectors, as the controller adds it.
 */
export function argoDocuments(scenario: Scenario, rollout: ArgoRollout, traffic?: TrafficSpec): SourceFile {
  const { namespace } = rollout;
  const documents: unknown[] = [];
  for (const role of ['stable', 'canary'] as const) {
    const labels = { ...rollout.labels, [HASH]: role };
    documents.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${rollout.name}-${role}`, namespace },
      spec: {
        replicas: rollout.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, ...(rollout.sidecar ? {} : { annotations: { 'sidecar.istio.io/inject': 'false' } }) },
          spec: { serviceAccountName: rollout.serviceAccount, containers: [{ name: rollout.name, image: role, ...(rollout.port ? { ports: [{ containerPort: rollout.port }] } : {}) }] },
        },
      },
    });
    const name = role === 'stable' ? rollout.stableService : rollout.canaryService;
    const service = scenario.services.find((s) => s.name === name && s.namespace === namespace);
    if (!service) throw new ApiError(`Rollout ${rollout.name}: no Service ${name} in namespace ${namespace}`, `the ${role}Service must be a Service of the files`);
    documents.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { ...service.selector, [HASH]: role }, ports: service.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort })) } });
  }
  if (traffic) documents.push(simulationDocument({ ...scenario, simulation: { ...scenario.simulation, traffic: [traffic] } }));
  return { name: `${rollout.name} (what Argo Rollouts makes)`, text: documents.map((d) => stringify(d)).join('---\n') };
}
