import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../api/index.ts';
import type { Session } from '../../api/index.ts';
import { meshShapeOf } from './meshShape.ts';

function open(...paths: string[]): Session {
  const opened = openSession(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

describe('meshShapeOf: the edge of the mesh', () => {
  it('draws the outside client into the gateway, and the gateway into the services its routes name', () => {
    const shape = meshShapeOf(open('examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml'));
    expect(shape.edges).toEqual(expect.arrayContaining([
      { from: 'external', to: 'istio-system/istio-ingressgateway' },
      { from: 'istio-system/istio-ingressgateway', to: 'shop/web' },
      { from: 'istio-system/istio-ingressgateway', to: 'shop/catalog' },
      { from: 'shop/web', to: 'shop/catalog' },
    ]));
    expect(shape.edges.some((e) => e.from === 'external' && e.to !== 'istio-system/istio-ingressgateway')).toBe(false);
    const gateway = shape.groups.find((g) => g.id === 'istio-system/istio-ingressgateway');
    expect(gateway?.pods.every((p) => p.gateway === 'ingress' && p.sidecar)).toBe(true);
    expect(gateway?.ingress).toEqual({ host: 'shop.example.com', port: 443, tls: true });
  });

  it('gives a service outside the mesh the wires of the calls to it', () => {
    const shape = meshShapeOf(open('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml'));
    expect(shape.edges).toEqual(expect.arrayContaining([
      { from: 'default/checkout', to: 'default/payments.example.com (no Service)' },
      { from: 'default/checkout', to: 'default/rates.example.org (no Service)' },
    ]));
  });
});
