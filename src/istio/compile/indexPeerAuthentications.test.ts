import { describe, expect, it } from 'vitest';
import type { InboundXds, PeerAuthentication } from '../../model/index.ts';
import { compileMesh, type CompileResult } from './compileMesh.ts';
import { peerAuthentication, pod, scenarioOf } from './testing/scenarioBuilder.ts';

function compile(policies: PeerAuthentication[]): CompileResult {
  return compileMesh(
    scenarioOf({
      pods: [
        pod('web-0', { labels: { app: 'web' } }),
        pod('db-0', { labels: { app: 'db' } }),
        pod('legacy-0', { labels: { app: 'legacy' }, sidecar: false }),
        pod('other-0', { labels: { app: 'web' }, namespace: 'other' }),
      ],
      peerAuthentications: policies,
    }),
  );
}

const inbound = (result: CompileResult, podName = 'web-0'): InboundXds | undefined => result.xds.proxies[podName]?.inbound;
const mode = (m: 'STRICT' | 'PERMISSIVE' | 'DISABLE', ports: Record<number, string> = {}) => ({ mtls: { default: m, ports } });
const mesh = (m: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET', order = 0) =>
  peerAuthentication('mesh', { mtls: { mode: m } }, { namespace: 'istio-system', order });
const ns = (m: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET', order = 0, name = 'ns') =>
  peerAuthentication(name, { mtls: { mode: m } }, { order });
const web = (spec: Omit<PeerAuthentication['spec'], 'selector'>, order = 0, name = 'web') =>
  peerAuthentication(name, { selector: { matchLabels: { app: 'web' } }, ...spec }, { order });

describe('inbound mTLS from PeerAuthentication (§6.1)', () => {
  it('no policy anywhere → PERMISSIVE', () => {
    expect(inbound(compile([]))).toEqual(mode('PERMISSIVE'));
  });

  it('workload > namespace > mesh', () => {
    expect(inbound(compile([mesh('STRICT')]))).toEqual(mode('STRICT'));
    expect(inbound(compile([mesh('STRICT'), ns('DISABLE')]))).toEqual(mode('DISABLE'));
    const result = compile([mesh('STRICT'), ns('DISABLE'), web({ mtls: { mode: 'PERMISSIVE' } })]);
    expect(inbound(result)).toEqual(mode('PERMISSIVE'));
    expect(inbound(result, 'db-0')).toEqual(mode('DISABLE'));
    expect(inbound(result, 'other-0')).toEqual(mode('STRICT'));
  });

  it('UNSET (or no mtls block) inherits from the level above', () => {
    expect(inbound(compile([mesh('STRICT'), ns('UNSET'), web({ mtls: { mode: 'UNSET' } })]))).toEqual(mode('STRICT'));
    expect(inbound(compile([mesh('UNSET')]))).toEqual(mode('PERMISSIVE'));
    expect(inbound(compile([ns('DISABLE'), web({})]))).toEqual(mode('DISABLE'));
  });

  it('several policies at one level: the oldest wins, the others are reported', () => {
    const result = compile([ns('STRICT', 2, 'newer'), ns('DISABLE', 1, 'older')]);
    expect(inbound(result)).toEqual(mode('DISABLE'));
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'MV0313', resource: 'PeerAuthentication/default/newer' }));
    const workload = compile([web({ mtls: { mode: 'STRICT' } }, 5, 'w-new'), web({ mtls: { mode: 'DISABLE' } }, 4, 'w-old')]);
    expect(inbound(workload)).toEqual(mode('DISABLE'));
    expect(workload.diagnostics).toContainEqual(expect.objectContaining({ code: 'MV0313', resource: 'PeerAuthentication/default/w-new' }));
  });

  it('a selector policy in the root namespace is ignored (and reported)', () => {
    const result = compile([
      peerAuthentication('root-web', { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' } }, { namespace: 'istio-system' }),
    ]);
    expect(inbound(result)).toEqual(mode('PERMISSIVE'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MV0314']);
  });

  it('portLevelMtls overrides per container port; UNSET there inherits the workload mode', () => {
    const result = compile([
      mesh('STRICT'),
      web({ mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { '8080': { mode: 'DISABLE' }, '9090': { mode: 'UNSET' } } }),
    ]);
    expect(inbound(result)).toEqual(mode('PERMISSIVE', { 8080: 'DISABLE', 9090: 'PERMISSIVE' }));
  });

  it('portLevelMtls without a selector is ignored (and reported)', () => {
    const result = compile([peerAuthentication('ns', { mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } })]);
    expect(inbound(result)).toEqual(mode('STRICT'));
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([['MV0315', 'spec.portLevelMtls']]);
  });

  it('a pod without a sidecar has no proxy entry', () => {
    expect(compile([]).xds.proxies['legacy-0']).toBeUndefined();
  });
});
