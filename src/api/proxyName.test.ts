import { describe, expect, it } from 'vitest';
import { describeWhere } from './describe.ts';
import { proxyName, sidecarName } from './proxyName.ts';

describe('what a proxy is called', () => {
  it('under ambient the mesh is carried by ztunnels, and a pod that keeps a sidecar runs Envoy; elsewhere the two are the same', () => {
    expect(['istio', 'linkerd', 'istio-ambient'].map((f) => [proxyName(f as 'istio'), sidecarName(f as 'istio')])).toEqual([
      ['envoy', 'envoy'],
      ['linkerd-proxy', 'linkerd-proxy'],
      ['ztunnel', 'envoy'],
    ]);
    expect(describeWhere({ kind: 'sidecar', pod: 'web-1' }, proxyName('istio-ambient'))).toBe('web-1 envoy');
    expect(describeWhere({ kind: 'ztunnel', node: 'node-1', pod: 'api-1' }, proxyName('istio-ambient'))).toBe('ztunnel on node-1 (for api-1)');
  });
});
