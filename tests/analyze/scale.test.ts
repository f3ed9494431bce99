import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/istio/index.ts';

/**
 * Analyzers on inputs the size of a cluster export. What fails without the
 * fixes is deterministic (the size of each finding, the budget's finding,
 * the count instead of a list); the test timeout is the only clock, a guard
 * against work that grows without bound, not a speed figure (those are the
 * benchmarks').
 */
const mesh = { name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') };

describe('analyze scales', () => {
  it('10,000 VirtualServices for one host: one finding each, naming three others and counting the rest', () => {
    const docs = Array.from({ length: 10_000 }, (_, i) =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: users-${i}}\nspec:\n  hosts: [users]\n  http:\n  - route: [{destination: {host: users, subset: v1}}]\n`);
    const result = analyzeFiles([mesh, { name: 'many.yaml', text: docs.join('---\n') }]);
    const conflicts = result.diagnostics.filter((d) => d.code === 'MV0406');
    expect(conflicts).toHaveLength(10_001);
    expect(Math.max(...conflicts.map((d) => d.message.length))).toBeLessThan(400);
    expect(conflicts.find((d) => d.resource === 'VirtualService/default/users-9999')?.message).toBe(
      'VirtualService/default/users, VirtualService/default/users-0, VirtualService/default/users-1 and 9997 more also route users.default.svc.cluster.local for the mesh: a sidecar uses one VirtualService per host (the oldest, VirtualService/default/users) and ignores the rest; merge them into one',
    );
  }, 180_000);

  it('one VirtualService of 10,000 rules: the unreachable-rule check stops at its budget and says where', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) =>
      `  - match: [{uri: {prefix: /api}, headers: {x-user: {exact: u${i}}}}]\n    route: [{destination: {host: users, subset: v1}}]\n`);
    const text = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: rules}\nspec:\n  hosts: [users]\n  http:\n${rules.join('')}`;
    const result = analyzeFiles([mesh, { name: 'rules.yaml', text }]);
    expect(result.diagnostics.filter((d) => d.code === 'MV0419').map((d) => `${d.path} ${d.message}`)).toEqual([
      'spec.http[706] the check of which rules are unreachable stopped after 250,000 comparisons: spec.http[706] and the rules after it were not compared with the earlier ones',
    ]);
  }, 180_000);

  it('a cluster export of 5,000 resources (1,000 apps in 10 namespaces) analyzes without an error', () => {
    const docs: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const meta = `{name: app${i}, namespace: ns${i % 10}}`;
      docs.push(
        `apiVersion: v1\nkind: ServiceAccount\nmetadata: ${meta}\n`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: ${meta}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: app${i}}}\n  template:\n    metadata: {labels: {app: app${i}, version: v1}}\n    spec: {serviceAccountName: app${i}, containers: [{name: app, image: x, ports: [{containerPort: 8080}]}]}\n`,
        `apiVersion: v1\nkind: Service\nmetadata: ${meta}\nspec:\n  selector: {app: app${i}}\n  ports: [{name: http, port: 8080}]\n`,
        `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: ${meta}\nspec:\n  host: app${i}\n  subsets: [{name: v1, labels: {version: v1}}]\n`,
        `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: ${meta}\nspec:\n  hosts: [app${i}]\n  http:\n  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: app${i}, subset: v1}}]\n    retries: {attempts: 2, retryOn: 5xx}\n  - route: [{destination: {host: app${(i + 1) % 1000}.ns${(i + 1) % 10}.svc.cluster.local}}]\n`,
      );
    }
    const result = analyzeFiles([{ name: 'export.yaml', text: docs.join('---\n') }]);
    expect(result.scenario.virtualServices).toHaveLength(1000);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  }, 180_000);

  // Found by the fuzzer (seed 12, input 31906): a billion retry attempts built a billion back-off windows.
  it('a billion retry attempts: the timeout check counts the tries that fit without listing them', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: users}\nspec:\n  hosts: [users]\n  http:\n  - route: [{destination: {host: users, subset: v1}}]\n    timeout: 3s\n    retries: {attempts: 1000000000, perTryTimeout: 2s}\n';
    const result = analyzeFiles([mesh, { name: 'retries.yaml', text }]);
    expect(result.diagnostics.find((d) => d.code === 'MV0415')?.message).toMatch(/only 1 fits and try 2 is cut short/);
  }, 180_000);
});
