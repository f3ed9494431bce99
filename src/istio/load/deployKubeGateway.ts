import type { KubeGateway, Service, ServicePort } from '../../model/index.ts';
import { GATEWAY_NAME_LABEL } from './convertKubeGateway.ts';
import type { WorkloadDraft } from './readWorkload.ts';

/** istiod's readiness port on every gateway Service it deploys (`extractServicePorts`). */
const STATUS_PORT = 15021;

/**
 * What istiod's gateway deployment controller creates for a Gateway of
 * class `istio` (Istio src `pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go`
 * and `manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml`):
 * a Deployment and a Service named `<gateway>-<class>` (`GetDefaultName`),
 * whose one pod runs the gateway proxy with the labels
 * `gateway.networking.k8s.io/gateway-name: <gateway>` (the Service's
 * selector), `gateway.networking.k8s.io/gateway-class-name`,
 * `service.istio.io/canonical-name: <gateway>-istio`, and a service account
 * of the same name; the Service has `status-port` 15021 and one port per
 * listener port (named after the first listener on it, `appProtocol` its
 * protocol in lower case). Only what the files lack is made: a cluster
 * export already holds the Deployment's pods (found by the gateway-name
 * label) and the Service (by name).
 */
export function deployKubeGateway(
  gateway: KubeGateway,
  workloads: readonly WorkloadDraft[],
  services: readonly Service[],
): { workload?: WorkloadDraft; service?: Service } {
  const { name, namespace } = gateway.metadata;
  const deploymentName = `${name}-${gateway.spec.gatewayClassName}`;
  const deployedFor = `Gateway/${namespace}/${name}`;
  const out: { workload?: WorkloadDraft; service?: Service } = {};
  const running = workloads.some((w) => w.namespace === namespace && (w.labels[GATEWAY_NAME_LABEL] === name || w.pods?.some((p) => p.labels[GATEWAY_NAME_LABEL] === name)));
  if (!running) {
    const labels: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
      [GATEWAY_NAME_LABEL]: name,
      'gateway.networking.k8s.io/gateway-class-name': gateway.spec.gatewayClassName,
      'gateway.istio.io/managed': 'istio.io-gateway-controller',
      'service.istio.io/canonical-name': deploymentName,
      'service.istio.io/canonical-revision': 'latest',
      'sidecar.istio.io/inject': 'false',
    });
    out.workload = {
      kind: 'Deployment', name: deploymentName, namespace, labels, serviceAccount: deploymentName, replicas: 1,
      inject: false, linkerdInject: undefined, gateway: true, containerPorts: [], deployedFor,
      source: gateway.source ?? { file: '', line: 1, col: 1 },
    };
  }
  if (!services.some((s) => s.namespace === namespace && s.name === deploymentName)) {
    const ports: ServicePort[] = [{ name: 'status-port', port: STATUS_PORT, targetPort: STATUS_PORT, protocol: 'TCP', appProtocol: 'tcp' }];
    for (const listener of gateway.spec.listeners) {
      if (ports.some((p) => p.port === listener.port)) continue;
      ports.push({ name: listener.name, port: listener.port, targetPort: listener.port, protocol: 'TCP', appProtocol: listener.protocol.toLowerCase() });
    }
    out.service = { name: deploymentName, namespace, selector: { [GATEWAY_NAME_LABEL]: name }, ports, deployedFor, ...(gateway.source ? { source: gateway.source } : {}) };
  }
  return out;
}
