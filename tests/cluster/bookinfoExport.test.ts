import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { Session, SourceFile } from '../../src/api/index.ts';

/**
 * Bookinfo as `kubectl get ns,nodes,deploy,rs,pods,svc,endpointslices,sa,cm,destinationrules,virtualservices -A -o yaml`
 * prints it on a kind cluster running Istio 1.29 (tests/fixtures/cluster-export/README.md), against the
 * hand-written scenario of the same app (scenarios/bookinfo.yaml).
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const EXPORT = read('tests/fixtures/cluster-export/bookinfo-export.yaml');
const BOOKINFO = read('scenarios/bookinfo.yaml');
/** What a cluster cannot say (what each app does): the Simulation document of the hand-written scenario. */
const SIMULATION: SourceFile = { name: 'simulation.yaml', text: BOOKINFO.text.slice(BOOKINFO.text.indexOf('apiVersion: meshviz.dev/v1alpha1')) };

function open(...files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

const findings = (files: SourceFile[]) => analyze(files).diagnostics.map((d) => `${d.code} ${d.severity} ${d.resource} ${d.path} ${d.message}`);

describe('a kubectl export of Bookinfo', () => {
  it('analyzes like the hand-written scenario: the same findings, and one info for the evicted pod', () => {
    const exported = findings([EXPORT]);
    const handWritten = findings([BOOKINFO]);
    expect(handWritten).toHaveLength(4);
    expect(exported.filter((f) => !f.startsWith('MV0031'))).toEqual(handWritten);
    expect(exported.filter((f) => f.startsWith('MV0031'))).toEqual([
      "MV0031 info Pod/default/productpage-v1-6986825f42-9672p status.phase pod is Failed (Evicted), not Running: not simulated (running pods are the workload's pods)",
    ]);
  });

  it('takes the running pods as the pods, with their names, IPs, nodes, accounts and sidecars', () => {
    const { scenario } = open(EXPORT);
    const pods = scenario.pods.map((p) => `${p.namespace}/${p.name} ${p.workload} ${p.ip} ${p.node} ${p.serviceAccount} ${p.sidecar ? 'sidecar' : '-'}`);
    expect(pods).toEqual([
      'default/details-v1-5297cc7f46-5mdgf details-v1 10.244.1.4 kind-worker bookinfo-details sidecar',
      'default/ratings-v1-fb5969424c-84b9z ratings-v1 10.244.2.6 kind-worker2 bookinfo-ratings sidecar',
      'default/reviews-v1-69bddfd65b-jgt6m reviews-v1 10.244.1.5 kind-worker bookinfo-reviews sidecar',
      'default/reviews-v2-fdd64c7dc4-hd6dn reviews-v2 10.244.2.7 kind-worker2 bookinfo-reviews sidecar',
      'default/reviews-v3-57f4577v22-s8mx5 reviews-v3 10.244.1.6 kind-worker bookinfo-reviews sidecar',
      'default/productpage-v1-6986825f42-bc9w8 productpage-v1 10.244.2.9 kind-worker2 bookinfo-productpage sidecar',
      'istio-system/istiod-c5b56b2578-tkvtn istiod 10.244.1.7 kind-worker istiod -',
      'istio-system/istio-ingressgateway-fb65d44266-xzdzl istio-ingressgateway 10.244.2.10 kind-worker2 istio-ingressgateway-service-account -',
      'kube-system/coredns-87d49fd8v4-p5sxm coredns 10.244.0.2 kind-control-plane coredns -',
      'kube-system/coredns-87d49fd8v4-njdl2 coredns 10.244.0.3 kind-control-plane coredns -',
    ]);
    expect(scenario.pods[0]?.labels).toMatchObject({ app: 'details', version: 'v1', 'security.istio.io/tlsMode': 'istio' });
    expect(scenario.workloads.map((w) => `${w.name} ${w.replicas}`)).toEqual([
      'details-v1 1', 'ratings-v1 1', 'reviews-v1 1', 'reviews-v2 1', 'reviews-v3 1', 'productpage-v1 1', 'istiod 1', 'istio-ingressgateway 1', 'coredns 2',
    ]);
  });

  it('simulates like the hand-written scenario: the same answers, flags and calls per workload', () => {
    const summary = (session: Session) => {
      const report = runSimulation(session, { duration: 30_000_000, seed: 7 });
      return {
        requests: report.requests,
        traffic: report.traffic.map((t) => ({ name: t.name, sent: t.sent, byCode: t.byCode, byFlags: t.byFlags })),
        calls: report.calls.map((c) => ({ source: c.source, destinationService: c.destinationService, requests: c.requests, byCode: c.byCode })),
        received: Object.fromEntries(report.pods.filter((p) => p.received > 0).map((p) => [p.workload, p.received])),
      };
    };
    const exported = summary(open(EXPORT, SIMULATION));
    expect(exported.requests.total).toBe(300);
    expect(exported).toEqual(summary(open(BOOKINFO)));
  });

  it('answers a send like the hand-written scenario, hop for hop', () => {
    const steps = (session: Session) => {
      const result = sendOne(session, { from: 'productpage', to: 'reviews:9080/reviews/0', seed: 3 });
      return { status: result.status, flags: result.flags, attempts: result.attempts, kinds: result.events.map((e) => `${e.where.kind} ${e.kind}`) };
    };
    const exported = steps(open(EXPORT, SIMULATION));
    expect(exported.status).toBe(200);
    expect(exported).toEqual(steps(open(BOOKINFO)));
  });

  it("writes the Services' cluster IPs as the export gives them in the access log (spec.clusterIP of reviews: 10.96.42.114)", () => {
    let log = '';
    runSimulation(open(EXPORT, SIMULATION), { duration: 5_000_000, seed: 7, telemetry: { startMs: 0, accessLog: { write: (text) => (log += text), format: 'text' } } });
    // productpage's outbound lines to reviews: %DOWNSTREAM_LOCAL_ADDRESS% is the address the app dialled, the Service's.
    const toReviews = log.split('\n').filter((l) => / outbound\|9080\|[^|]*\|reviews\.default\.svc\.cluster\.local /.test(l));
    expect(toReviews.length).toBeGreaterThan(0);
    for (const line of toReviews) expect(line).toContain(' 10.96.42.114:9080 ');
  });
});
