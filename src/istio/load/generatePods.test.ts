import { describe, expect, it } from 'vitest';
import { generatePods } from './generatePods.ts';
import type { WorkloadDraft } from './readWorkload.ts';

const draft = (name: string, replicas: number): WorkloadDraft & { sidecar: boolean } => ({
  kind: 'Deployment', name, namespace: 'default', labels: { app: name }, serviceAccount: 'default',
  replicas, inject: undefined, linkerdInject: undefined, gateway: false, containerPorts: [], source: { file: 'f', line: 1, col: 1 }, sidecar: true,
});

describe('generatePods', () => {
  it('gives every replica a distinct name and address', () => {
    const { pods, truncated } = generatePods([draft('a', 1000), draft('b', 300)]);
    expect(truncated).toBe(false);
    expect(new Set(pods.map((p) => p.name)).size).toBe(1300);
    expect(new Set(pods.map((p) => p.ip)).size).toBe(1300);
    expect(pods.at(-1)?.ip).toBe('10.244.5.51');
  });

  it('stops at the pod budget', () => {
    const { pods, truncated } = generatePods([draft('a', 10), draft('b', 10)], 15);
    expect(pods).toHaveLength(15);
    expect(truncated).toBe(true);
  });
});
