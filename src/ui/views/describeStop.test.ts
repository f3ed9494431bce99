import { describe, expect, it } from 'vitest';
import { describeStop } from './describeStop.ts';

const pods = { 'api-1': { pod: { workload: 'api' } }, 'users-v1-1': { pod: { workload: 'users-v1' } } };

describe('describeStop', () => {
  it('names each kind of hop in words, by workload', () => {
    expect(describeStop('app:api-1', pods)).toBe('api app (api-1)');
    expect(describeStop('sidecar:users-v1-1', pods)).toBe("users-v1's envoy sidecar");
    expect(describeStop('wire:api-1>users-v1-1', pods)).toBe('the wire api → users-v1');
    expect(describeStop('backoff:api-1', pods)).toBe("api's envoy sidecar, waiting out a retry back-off");
    expect(describeStop('client:external', pods)).toBe('the client outside the mesh');
  });
});
