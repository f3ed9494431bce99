import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../telemetry/index.ts';
import { foldServices } from './foldServices.ts';

const node = (id: string, kind: GraphNode['kind']): GraphNode => ({ id, kind, namespace: 'default', outOfMesh: false });
const edge = (source: string, target: string): GraphEdge => ({ id: `${source}>${target}`, source, target, reporter: 'source', protocol: 'http', host: '', sentBytes: {}, requests: 1, responses: {}, mtls: 0, plaintext: 0, latencyMs: { p50: 0, p90: 0, p99: 0 } });

describe('folding single-version services into their workload', () => {
  // Bookinfo: productpage calls details (one version) and reviews (v2 and v3); both reviews call ratings (one version).
  const nodes = new Map(
    [node('pp', 'app'), node('svc-details', 'service'), node('details-v1', 'app'), node('svc-reviews', 'service'), node('reviews-v2', 'app'), node('reviews-v3', 'app'), node('svc-ratings', 'service'), node('ratings-v1', 'app')].map((n) => [n.id, n]),
  );
  const edges = new Map(
    [edge('pp', 'svc-details'), edge('svc-details', 'details-v1'), edge('pp', 'svc-reviews'), edge('svc-reviews', 'reviews-v2'), edge('svc-reviews', 'reviews-v3'), edge('reviews-v2', 'svc-ratings'), edge('reviews-v3', 'svc-ratings'), edge('svc-ratings', 'ratings-v1')].map((e) => [e.id, e]),
  );
  const folded = foldServices(nodes, edges);

  it('draws a service with one workload as one node, and keeps a service with several', () => {
    expect(folded.nodes.map((n) => [n.id, n.folded?.service.id])).toEqual([
      ['pp', undefined],
      ['details-v1', 'svc-details'],
      ['svc-reviews', undefined],
      ['reviews-v2', undefined],
      ['reviews-v3', undefined],
      ['ratings-v1', 'svc-ratings'],
    ]);
  });

  it("ends the callers' edges (their ids kept) at the workload, and drops the edge folded inside", () => {
    expect(folded.edges.map((e) => `${e.id}: ${e.source} → ${e.target}`)).toEqual([
      'pp>svc-details: pp → details-v1',
      'pp>svc-reviews: pp → svc-reviews',
      'svc-reviews>reviews-v2: svc-reviews → reviews-v2',
      'svc-reviews>reviews-v3: svc-reviews → reviews-v3',
      'reviews-v2>svc-ratings: reviews-v2 → ratings-v1',
      'reviews-v3>svc-ratings: reviews-v3 → ratings-v1',
    ]);
  });

  it('folds nothing in the service graph, where each Service calls Services: reviews’ one edge, to ratings, keeps both nodes', () => {
    const services = new Map([node('unknown', 'unknown'), node('svc-pp', 'service'), node('svc-reviews', 'service'), node('svc-ratings', 'service')].map((n) => [n.id, n]));
    const calls = new Map([edge('unknown', 'svc-pp'), edge('svc-pp', 'svc-reviews'), edge('svc-reviews', 'svc-ratings')].map((e) => [e.id, e]));
    const drawn = foldServices(services, calls);
    expect(drawn.nodes.map((n) => [n.id, n.folded])).toEqual([...services.keys()].map((id) => [id, undefined]));
    expect(drawn.edges.map((e) => `${e.source} → ${e.target}`)).toEqual(['unknown → svc-pp', 'svc-pp → svc-reviews', 'svc-reviews → svc-ratings']);
  });
});

