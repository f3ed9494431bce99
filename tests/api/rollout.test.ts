import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffConfigs, openSession, planRollout } from '../../src/api/index.ts';
import { fileDocuments, putDocument } from '../../src/istio/index.ts';
import type { DiffOptions, DiffReport, Session } from '../../src/api/index.ts';

const read = (path: string) => ({ name: path, text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') });
function open(paths: string[]): Session {
  const opened = openSession(paths.map(read));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

const BOOKINFO = 'tests/fixtures/bookinfo/bookinfo.yaml';
const V1 = open([BOOKINFO, 'examples/diff/reviews-v1.yaml']);
const V2 = open([BOOKINFO, 'examples/diff/reviews-v2.yaml']);
const CALLERS = ['details-v1', 'productpage-v1', 'ratings-v1'];

/** The rows' rollout windows, as `source: before → during (from–to, duration)`. */
function windows(report: DiffReport): string[] {
  return report.rows.flatMap((r) => r.changes.filter((c) => c.field === 'rollout').map((c) => `${r.source} → ${r.service} ${r.request}: ${c.before} → ${c.after} (${c.window?.fromMs}–${c.window?.toMs} ms, ${c.window?.durationMs} ms)`));
}

function diff(before: Session, after: Session, rollout: DiffOptions['rollout'] = {}): DiffReport {
  return diffConfigs(before, after, { rollout });
}

describe('diff: AFTER applied onto a running BEFORE, the way istiod pushes it', () => {
  it('a VirtualService naming a new subset lands before its DestinationRule: 503 NC exactly from one push to the next', () => {
    const report = diff(V1, V2);
    // The default: one push per document in file order (the VirtualService first), 100 ms apart, each on the proxies after the 100 ms push delay.
    expect(report.rollout).toEqual({
      order: 'one push per document, in file order',
      applyAtMs: 1000,
      gapMs: 100,
      pushDelayMs: 100,
      pushes: [
        { documents: 'VirtualService/default/reviews', appliedMs: 0, arrivedMs: 100 },
        { documents: 'DestinationRule/default/reviews', appliedMs: 100, arrivedMs: 200 },
      ],
      unobserved: 0,
      breaks: 3,
    });
    // Every caller of reviews: Envoy answers 503 NC while its route names a cluster it does not have (§8.1 NC: upstream cluster not found).
    expect(windows(report)).toEqual(CALLERS.map((c) => `${c} → reviews.default:9080 GET /: 200 100 % → 503 NC 100 % (100–200 ms, 100 ms)`));
    const row = report.rows.find((r) => r.source === 'productpage-v1');
    expect(row?.severity).toBe('breaks');
    // The steady rows are there too: v1 → v2, and 200 both before and after.
    expect(row?.changes.map((c) => c.field)).toEqual(['subsets', 'rollout']);
    expect(row?.before?.answers).toBe('200 100 %');
    expect(row?.after?.answers).toBe('200 100 %');
    expect(row?.changes[1]?.window).toMatchObject({ arrived: 'VirtualService/default/reviews', until: 'DestinationRule/default/reviews', requests: 2 });
    expect(report.regressions).toBe(3);
  });

  it('the window is as long as the gap between the pushes, to the microsecond', () => {
    const report = diff(V1, V2, { gap: 1_234_567, applyAt: 500_000 });
    expect(report.rollout?.pushes.map((p) => [p.appliedMs, p.arrivedMs])).toEqual([[0, 100], [1234.567, 1334.567]]);
    expect(windows(report)).toEqual(CALLERS.map((c) => `${c} → reviews.default:9080 GET /: 200 100 % → 503 NC 100 % (100–1334.567 ms, 1234.567 ms)`));
  });

  it('make-before-break (the DestinationRule first) and one push both show no window: only the steady change, exit 0', () => {
    for (const rollout of [{ order: { kind: 'kinds' as const, kinds: ['DestinationRule', 'VirtualService'] } }, { order: { kind: 'together' as const } }, { gap: 0 }]) {
      const report = diff(V1, V2, rollout);
      expect(windows(report)).toEqual([]);
      expect(report.regressions).toBe(0);
      expect(report.rollout?.breaks).toBe(0);
      expect(report.rows.map((r) => `${r.severity} ${r.source}`)).toEqual(CALLERS.map((c) => `routing ${c}`));
    }
    expect(diff(V1, V2, { order: { kind: 'kinds', kinds: ['DestinationRule', 'VirtualService'] } }).rollout?.pushes.map((p) => p.documents)).toEqual(['DestinationRule/default/reviews', 'VirtualService/default/reviews']);
    expect(diff(V1, V2, { order: { kind: 'together' } }).rollout).toMatchObject({ order: 'all documents in one push', pushes: [{ documents: 'VirtualService/default/reviews, DestinationRule/default/reviews', arrivedMs: 100 }] });
  });

  it('removing a subset is the other way round: the route must leave it first', () => {
    // File order: the VirtualService (back to v1) first: safe.
    expect(windows(diff(V2, V1))).toEqual([]);
    // The DestinationRule first drops v2 while the routes still send there.
    const unsafe = diff(V2, V1, { order: { kind: 'kinds', kinds: ['DestinationRule'] } });
    expect(windows(unsafe)).toEqual(CALLERS.map((c) => `${c} → reviews.default:9080 GET /: 200 100 % → 503 NC 100 % (100–200 ms, 100 ms)`));
    expect(unsafe.rows[0]?.changes[1]?.window).toMatchObject({ arrived: 'DestinationRule/default/reviews', until: 'VirtualService/default/reviews' });
  });

  it('the same documents, however laid out, push nothing', () => {
    expect(diff(V1, V1).rollout).toBeNull();
  });
});

describe('planRollout: the pushes from BEFORE’s documents to AFTER’s', () => {
  const file = (name: string, text: string) => ({ name, text });
  const vs = (subset: string, comment = '') => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: reviews }\nspec:\n  hosts: [reviews]${comment}\n  http: [{ route: [{ destination: { host: reviews, subset: ${subset} } }] }]\n`;
  const dr = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n';
  const pa = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }\n';

  it('pushes what AFTER adds or changes, in file order, then what it removes; layout and comments are no change', () => {
    const before = [file('a.yaml', `${vs('v1')}---\n${pa}`)];
    const after = [file('b.yaml', `${dr}---\n${vs('v1', '  # the same route, commented')}`), file('c.yaml', vs('v2'))];
    expect(planRollout(before, after, { kind: 'file' }).map((s) => s.label)).toEqual(['DestinationRule/default/reviews', 'VirtualService/default/reviews', 'delete PeerAuthentication/istio-system/default']);
    // The last document of an object wins, as the loader (and kubectl apply of all files) has it.
    expect(planRollout(before, after, { kind: 'file' })[1]?.documents[0]?.text).toContain('subset: v2');
    expect(planRollout(before, [file('a.yaml', `${vs('v1', '  # a comment')}---\n${pa}`)], { kind: 'file' })).toEqual([]);
    expect(planRollout(before, after, { kind: 'kinds', kinds: ['PeerAuthentication', 'VirtualService'] }).map((s) => s.label)).toEqual(['delete PeerAuthentication/istio-system/default', 'VirtualService/default/reviews', 'DestinationRule/default/reviews']);
    expect(planRollout(before, after, { kind: 'together' }).map((s) => s.label)).toEqual(['DestinationRule/default/reviews, VirtualService/default/reviews, delete PeerAuthentication/istio-system/default']);
  });

  it('putDocument sets one object in the files as kubectl apply does: the last copy replaced, earlier ones gone, a new one appended', () => {
    const files = [file('a.yaml', `# head\n${vs('v1')}---\n${pa}`), file('b.yaml', vs('v3'))];
    const set = putDocument(files, { kind: 'VirtualService', name: 'reviews', namespace: 'default' }, vs('v2'));
    expect(set[0]?.text).toBe(`---\n${pa}`);
    expect(set[1]?.text).toBe(vs('v2'));
    const added = putDocument(files, { kind: 'DestinationRule', name: 'reviews', namespace: 'default' }, dr);
    expect(added[1]?.text).toBe(`${vs('v3')}---\n${dr}`);
    expect(putDocument(files, { kind: 'PeerAuthentication', name: 'default', namespace: 'istio-system' }, undefined)[0]?.text).toBe(`# head\n${vs('v1')}`);
    expect(fileDocuments(set).map((d) => `${d.ref.kind}/${d.ref.name}`)).toEqual(['PeerAuthentication/default', 'VirtualService/reviews']);
  });
});

describe('diff: a push the running mesh cannot take', () => {
  it('a new Deployment is refused by the live mesh (workloads do not change in a running mesh): said, not dropped', () => {
    const report = diffConfigs(open(['scenarios/default.yaml']), open(['scenarios/default.yaml', 'examples/legacy-client.yaml']));
    expect(report.rollout?.pushes[0]).toMatchObject({ documents: 'Deployment/default/legacy', arrivedMs: null, refused: expect.stringMatching(/^MV0500 /) });
    expect(report.rollout).toMatchObject({ unobserved: 0, breaks: 0 });
  });

  it('a refusal says first that workloads do not change in a running mesh, then each other reason once, with the number of places it was found in', () => {
    // AFTER is the policy file alone: every workload of BEFORE would be deleted, which the live mesh refuses one push at a time.
    const report = diffConfigs(open(['scenarios/default.yaml']), open(['examples/rbac.yaml']));
    const push = report.rollout?.pushes.find((p) => p.documents === 'delete Deployment/default/users-v1');
    // Deleting users-v1 also leaves three references to it: they come after.
    expect(push?.refused).toBe('MV0500 a running mesh takes changes to Istio resources only, and this changes its workloads (workloads): open the files as a new scenario instead; MV0203 no Deployment named "users-v1" (3 places)');
    const service = report.rollout?.pushes.find((p) => p.documents === 'delete Service/default/api');
    expect(service?.refused).toMatch(/^MV0500 .*\(services\)/);
    expect(report.rollout?.pushes.find((p) => p.documents === 'delete ServiceAccount/default/api')?.refused).toBeUndefined();
    for (const p of report.rollout?.pushes ?? []) {
      const reasons = (p.refused ?? '').split('; ').filter((r) => r !== '');
      expect(new Set(reasons).size).toBe(reasons.length);
    }
  });
});
