import type { AuthorizationPolicy, MeshEvent, SourcePos } from '../../model/index.ts';
import { peerAuthenticationOf } from '../../istio/index.ts';
import { describeEvent, shortHost } from '../describe.ts';
import { sendOne } from '../send.ts';
import type { Session } from '../Session.ts';
import { routeLabels } from './routeLabel.ts';
import type { ReachVerdict } from './reachMatrix.ts';

/** One rule or fact that decided the call, with where it is written when it comes from a resource. */
export interface ReachStep {
  step: 'route' | 'endpoint' | 'wire' | 'peer authentication' | 'authorization' | 'answer';
  text: string;
  source: SourcePos | null;
}

export interface ReachExplanation {
  from: string;
  to: string;
  verdict: ReachVerdict;
  status: number;
  flags: string[];
  steps: ReachStep[];
}

/**
 * Why one cell of the matrix is what it is: one request sent as `reach`
 * sends it, and the decisions on its way — the route, the endpoint, mTLS on
 * the wire, the PeerAuthentication that sets the callee port's mode, the
 * AuthorizationPolicy verdict with the rule it cites — each pointing at the
 * resource (file:line:col) that made it.
 */
export function explainReach(session: Session, from: string, to: string): ReachExplanation {
  const sent = sendOne(session, { from, to: to.includes('/') ? to : `${to}/` });
  const root = sent.events.filter((e) => e.requestId === sent.requestId);
  const labels = routeLabels(session.xds);
  const steps: ReachStep[] = [];
  const step = (kind: ReachStep['step'], text: string, source: SourcePos | null = null): void => {
    steps.push({ step: kind, text, source });
  };
  const start = root.find((e): e is Extract<MeshEvent, { kind: 'request.start' }> => e.kind === 'request.start');
  let reached = false;
  let denied: ReachVerdict | undefined;
  let calleeSeen = false;
  if (start && !start.viaSidecar) step('route', 'the caller has no sidecar: kube-proxy picks a pod of the Service, no VirtualService or DestinationRule applies');
  for (const e of root) {
    switch (e.kind) {
      case 'route.match':
        step('route', `${labels.get(`${e.virtualHost}|${e.route}`) ?? e.route}${e.origin.kind === 'default' ? ' (no VirtualService for this host and port)' : ''}`, e.origin.kind === 'virtualService' ? routeSource(session, e.origin.resource, e.origin.ruleIndex) : null);
        break;
      case 'route.none':
      case 'cluster.missing':
      case 'lb.noHealthy':
        step('endpoint', describeEvent(e));
        break;
      case 'lb.pick':
        step('endpoint', `${e.endpoint} (${e.cluster})`);
        break;
      case 'hop.arrive':
        if (calleeSeen) break;
        calleeSeen = true;
        step('wire', e.mtls ? `mTLS${e.identities ? `: ${e.identities.client} → ${e.identities.server}` : ''}` : 'plaintext');
        step('peer authentication', ...peerAuthenticationStep(session, e.pod, start?.port));
        break;
      case 'mtls.reject': {
        denied = 'reset';
        step('wire', e.mode === 'STRICT' ? 'plaintext' : 'mTLS');
        const [text, source] = peerAuthenticationStep(session, e.pod, start?.port);
        step('peer authentication', `${text}; refused: ${e.reason}`, source);
        break;
      }
      case 'authz.deny':
        denied = 'denied';
        step('authorization', `${e.policy} denies: ${e.reason}`, policySource(session, e.policy));
        break;
      case 'authz.allow':
        step('authorization', e.reason, policySource(session, /(AuthorizationPolicy\/[^\s:]+)/.exec(e.reason)?.[1] ?? ''));
        break;
      case 'app.receive':
        reached = true;
        break;
      case 'request.end':
        step('answer', `${e.status === 0 ? 'no response (reset)' : e.status}${e.flags.length ? ` ${e.flags.join(',')}` : ''}${e.detail ? `: ${e.detail}` : ''}`);
        break;
      default:
        break;
    }
  }
  return { from, to: start ? `${shortHost(start.host)}:${start.port}` : to, verdict: reached ? 'allowed' : (denied ?? 'unreachable'), status: sent.status, flags: sent.flags, steps };
}

/** The PeerAuthentication (and field) that sets the mode of the callee's port, or Istio's default. */
function peerAuthenticationStep(session: Session, podName: string, servicePort: number | undefined): [string, SourcePos | null] {
  const { scenario } = session;
  const pod = scenario.pods.find((p) => p.name === podName);
  if (!pod) return ['-', null];
  if (!pod.sidecar) return ['the callee has no sidecar: no PeerAuthentication applies', null];
  const service = scenario.services.find((s) => s.namespace === pod.namespace && Object.entries(s.selector).length > 0 && Object.entries(s.selector).every(([k, v]) => pod.labels[k] === v));
  const port = service?.ports.find((p) => p.port === servicePort)?.targetPort;
  const decision = peerAuthenticationOf(scenario, pod.namespace, pod.labels, port);
  if (!decision.policy) return [`${decision.mode}: no PeerAuthentication applies to ${pod.workload} (Istio's default)`, null];
  const name = `PeerAuthentication/${decision.policy.metadata.namespace}/${decision.policy.metadata.name}`;
  return [`${decision.mode}, set by ${name} ${decision.path ?? ''}`.trim(), decision.policy.positions?.[decision.path ?? ''] ?? decision.policy.source ?? null];
}

function policySource(session: Session, name: string): SourcePos | null {
  const policy = session.scenario.authorizationPolicies.find((p: AuthorizationPolicy) => `AuthorizationPolicy/${p.metadata.namespace}/${p.metadata.name}` === name);
  return policy?.source ?? null;
}

function routeSource(session: Session, resource: string, ruleIndex: number): SourcePos | null {
  const vs = session.scenario.virtualServices.find((v) => `VirtualService/${v.metadata.namespace}/${v.metadata.name}` === resource);
  return vs?.positions?.[`spec.http[${ruleIndex}]`] ?? vs?.source ?? null;
}
