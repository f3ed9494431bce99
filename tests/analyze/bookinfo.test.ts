import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/istio/index.ts';

/** Istio's Bookinfo networking samples as users apply them, on top of the app (tests/fixtures/bookinfo/). */
const file = (name: string) => ({ name, text: readFileSync(new URL(`../fixtures/bookinfo/${name}`, import.meta.url), 'utf8') });
const analyze = (...names: string[]) =>
  analyzeFiles(names.map(file)).diagnostics.map((d) => `${d.source?.file}:${d.source?.line}:${d.source?.col} ${d.code} ${d.severity} ${d.path ?? '-'}`);

/** destination-rule-all.yaml names versions Bookinfo does not deploy (ratings v2*, details v2), as Kiali also points out. */
const UNDEPLOYED_SUBSETS = [
  'destination-rule-all.yaml:42:5 MV0402 warning spec.subsets[1].labels',
  'destination-rule-all.yaml:45:5 MV0402 warning spec.subsets[2].labels',
  'destination-rule-all.yaml:48:5 MV0402 warning spec.subsets[3].labels',
  'destination-rule-all.yaml:62:5 MV0402 warning spec.subsets[1].labels',
];

describe('analyze on the Bookinfo samples', () => {
  it('finds only the undeployed subsets in the routing everyone starts with', () => {
    expect(analyze('bookinfo.yaml', 'destination-rule-all.yaml', 'virtual-service-all-v1.yaml')).toEqual(UNDEPLOYED_SUBSETS);
  });

  it.each([
    'virtual-service-reviews-test-v2.yaml',
    'virtual-service-ratings-test-delay.yaml',
    'virtual-service-ratings-test-abort.yaml',
    'virtual-service-reviews-50-v3.yaml',
  ])('has nothing to say about %s', (sample) => {
    expect(analyze('bookinfo.yaml', 'destination-rule-all.yaml', sample)).toEqual(UNDEPLOYED_SUBSETS);
  });

  it('says where the deliberately broken one goes wrong, with an error', () => {
    const findings = analyzeFiles(['bookinfo.yaml', 'destination-rule-all.yaml', 'virtual-service-reviews-broken.yaml'].map(file)).diagnostics;
    expect(findings.filter((d) => d.source?.file === 'virtual-service-reviews-broken.yaml').map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.path} ${d.message}`)).toEqual([
      '14:5 MV0408 spec.http[0].route weights add up to 90, not 100: Envoy sends each destination weight/90 of the requests (reviews/v1 88.9%, reviews/v4 11.1%)',
      '21:9 MV0401 spec.http[0].route[1].destination.subset subset "v4" of reviews.default.svc.cluster.local is not defined by any DestinationRule (DestinationRule/default/reviews defines v1, v2 and v3): requests routed there get 503 (NC, cluster not found)',
      '23:5 MV0415 spec.http[0].timeout timeout 1s ends before the retries do: 4 tries × perTryTimeout 500ms plus up to 175ms of back-off take 2.17s; when tries run to their per-try timeout, only 1 fits and try 2 is cut short before the route answers 504 (UT)',
      '28:5 MV0404 spec.http[1] this rule is never used: spec.http[0] before it matches every request',
    ]);
    expect(findings.some((d) => d.severity === 'error')).toBe(true);
  });
});
