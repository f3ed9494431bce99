import { stringify } from 'yaml';
import type { RolloutSpec, Scenario, TrafficSpec } from '../../model/index.ts';
import { simulationDocument } from '../../istio/index.ts';
import type { SourceFile } from '../../istio/index.ts';
import { ApiError } from '../ApiError.ts';

/** The label Flagger rewrites to tell primary pods from the target's, in the order it looks for one. */
const SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

/**
 * What Flagger creates when a Canary is initialised, as YAML to load beside
 * the user's files: the primary Deployment (`<target>-primary`, a copy of
 * the target's pods under its own selector label), the ClusterIP Services
 * `<service>-primary` and `<service>-canary`, and the VirtualService of the
 * apex Service that carries the weights (100 % primary to start); with
 * `traffic`, the Simulation document too, with that traffic added.
 */
export function canaryDocuments(scenario: Scenario, rollout: RolloutSpec, traffic?: TrafficSpec): SourceFile {
  const target = scenario.workloads.find((w) => w.name === rollout.target && w.namespace === rollout.namespace);
  if (!target) throw new ApiError(`Canary ${rollout.name}: no Deployment ${rollout.target} in namespace ${rollout.namespace}`, 'the targetRef must name a Deployment of the files');
  const key = SELECTOR_LABELS.find((l) => target.labels[l] !== undefined);
  if (!key) throw new ApiError(`Canary ${rollout.name}: the pods of ${target.name} have none of the labels ${SELECTOR_LABELS.join(', ')}`, 'Flagger selects primary and canary pods by one of them');
  const { namespace } = rollout;
  const primary = `${rollout.target}-primary`;
  const { name: service, port, targetPort } = rollout.service;
  const serviceDoc = (name: string, value: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { [key]: value }, ports: [{ name: 'http', port, targetPort }] } });
  const documents: unknown[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: primary, namespace },
      spec: {
        replicas: target.replicas,
        selector: { matchLabels: { [key]: primary } },
        template: {
          metadata: { labels: { ...target.labels, [key]: primary }, ...(target.sidecar ? {} : { annotations: { 'sidecar.istio.io/inject': 'false' } }) },
          spec: { serviceAccountName: target.serviceAccount, containers: [{ name: primary, image: 'primary', ports: [{ containerPort: targetPort }] }] },
        },
      },
    },
    serviceDoc(`${service}-primary`, primary),
    serviceDoc(`${service}-canary`, target.labels[key] ?? rollout.target),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: service, namespace },
      spec: { hosts: [service], http: [{ route: [{ destination: { host: `${service}-primary` }, weight: 100 }, { destination: { host: `${service}-canary` }, weight: 0 }] }] },
    },
  ];
  if (!scenario.services.some((s) => s.name === service && s.namespace === namespace)) documents.push(serviceDoc(service, primary));
  // Traffic the Simulation lacks: its document again, with it (the file is loaded as the one that gives the Simulation).
  if (traffic) documents.push(simulationDocument({ ...scenario, simulation: { ...scenario.simulation, traffic: [traffic] } }));
  return { name: `${rollout.name} (what Flagger creates)`, text: documents.map((d) => stringify(d)).join('---\n') };
}
