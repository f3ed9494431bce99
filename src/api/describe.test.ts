import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../model/index.ts';
import { describeEvent } from './describe.ts';

const split = (draw?: number): MeshEvent => ({
  t: 0,
  requestId: 1,
  attempt: 0,
  where: { kind: 'sidecar', pod: 'api-1' },
  kind: 'route.cluster',
  cluster: draw !== undefined && draw >= 90 ? 'outbound|8080|v2|users.default.svc.cluster.local' : 'outbound|8080|v1|users.default.svc.cluster.local',
  weights: [
    { cluster: 'outbound|8080|v1|users.default.svc.cluster.local', weight: 90 },
    { cluster: 'outbound|8080|v2|users.default.svc.cluster.local', weight: 10 },
  ],
  ...(draw === undefined ? {} : { draw }),
});

describe('describeEvent: a weighted pick', () => {
  it("says what the router drew and whose span it fell in", () => {
    expect(describeEvent(split(93))).toBe("weighted split v1 90 / v2 10: drew 0.93, in v2's 0.90–1.00 → v2");
    expect(describeEvent(split(0))).toBe("weighted split v1 90 / v2 10: drew 0.00, in v1's 0.00–0.90 → v1");
  });

  it('without a draw (an event from before draws were recorded) says the split alone', () => {
    expect(describeEvent(split())).toBe('weighted split v1 90 / v2 10 → v1');
  });
});
