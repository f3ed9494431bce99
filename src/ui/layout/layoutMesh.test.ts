import { describe, expect, it } from 'vitest';
import { dotPosition, pointOf, wireCurve } from './geometry.ts';
import { callDepths, CARD, layoutMesh } from './layoutMesh.ts';
import type { GroupShape, MeshShape } from './meshShape.ts';

function group(id: string, pods: string[], sidecar = true): GroupShape {
  return {
    id,
    label: id,
    namespace: 'default',
    kind: 'service',
    ports: [8080],
    pods: pods.map((name) => ({ name, workload: name.replace(/-\\d+$/, ''), namespace: 'default', labels: { app: id }, sidecar })),
  };
}

// web → api → cache, users (2 pods) → db, the default scenario's shape.
const shop: MeshShape = {
  groups: [group('db', ['db-1']), group('users', ['users-v1-1', 'users-v2-1']), group('cache', ['cache-1']), group('api', ['api-1']), group('web', ['web-1'])],
  edges: [
    { from: 'web', to: 'api' },
    { from: 'api', to: 'cache' },
    { from: 'api', to: 'users' },
    { from: 'users', to: 'db' },
  ],
};

function overlaps(a: { x: number; y: number; w: number; h: number }, b: typeof a): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('callDepths', () => {
  it('puts callers left of callees, by the longest chain', () => {
    const d = callDepths(shop);
    expect(['web', 'api', 'cache', 'users', 'db'].map((g) => d.get(g))).toEqual([1, 2, 3, 3, 4]);
  });

  it('terminates on a call cycle', () => {
    const d = callDepths({ groups: [group('a', ['a-1']), group('b', ['b-1'])], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] });
    expect(d.get('a')).toBeGreaterThan(0);
  });
});

describe('layoutMesh', () => {
  const layout = layoutMesh(shop);

  it('lays the call chain out left to right', () => {
    const x = (id: string) => layout.groups.find((g) => g.group.id === id)?.x ?? NaN;
    expect(x('web')).toBeLessThan(x('api'));
    expect(x('api')).toBeLessThan(x('users'));
    expect(x('users')).toBeLessThan(x('db'));
    expect(x('cache')).toBe(x('users'));
  });

  it('keeps every card inside its group and no two groups or cards overlapping', () => {
    for (const g of layout.groups) {
      for (const pod of g.group.pods) {
        const card = layout.cards.get(pod.name);
        expect(card && card.x >= g.x && card.y >= g.y && card.x + card.w <= g.x + g.w && card.y + card.h <= g.y + g.h).toBe(true);
      }
    }
    const boxes = [...layout.groups];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
    expect(layout.width).toBeGreaterThan(0);
    for (const g of layout.groups) expect(g.x + g.w).toBeLessThanOrEqual(layout.width);
  });

  it('clips the envoy strip to the bottom of each card with a sidecar', () => {
    const card = layout.cards.get('api-1');
    expect(card?.sidecar).toEqual({ x: card?.x, y: (card?.y ?? 0) + CARD.h - CARD.sidecarH, w: CARD.w, h: CARD.sidecarH });
  });

  it('puts a request at an app on the card’s top edge, clear of the name, the health tag and the rx count', () => {
    const layout = layoutMesh({ groups: [group('api', ['api-1'])], edges: [] });
    const card = layout.cards.get('api-1');
    const p = pointOf({ kind: 'app', pod: 'api-1' }, layout);
    expect(p?.x).toBe((card?.x ?? 0) + CARD.w / 2);
    // The featured dot (radius 7) reaches at most 5 px into the card: above the title's text.
    expect((p?.y ?? 0) + 7).toBeLessThanOrEqual((card?.y ?? 0) + 5);
  });

  it('draws cards without an envoy strip for pods without a sidecar', () => {
    const plain = layoutMesh({ groups: [group('legacy', ['legacy-1'], false)], edges: [] });
    expect(plain.cards.get('legacy-1')?.sidecar).toBeUndefined();
    expect(pointOf({ kind: 'sidecar', pod: 'legacy-1' }, plain)).toEqual(pointOf({ kind: 'app', pod: 'legacy-1' }, plain));
  });

  it('stays well formed with 200 pods', () => {
    const big: MeshShape = {
      groups: Array.from({ length: 20 }, (_, i) => group(`svc${i}`, Array.from({ length: 10 }, (_, j) => `svc${i}-${j}`))),
      edges: Array.from({ length: 19 }, (_, i) => ({ from: `svc${i % 5}`, to: `svc${i + 1}` })),
    };
    const l = layoutMesh(big);
    expect(l.cards.size).toBe(200);
    expect(Number.isFinite(l.width) && Number.isFinite(l.height)).toBe(true);
  });

  it('adds the outside-the-mesh client in its own first column when asked', () => {
    const l = layoutMesh(shop, { client: true });
    expect(l.client).toBeDefined();
    expect((l.client?.x ?? 0) + (l.client?.w ?? 0)).toBeLessThan(l.groups.find((g) => g.group.id === 'web')?.x ?? 0);
  });
});

describe('geometry', () => {
  const layout = layoutMesh(shop);
  const api = { kind: 'sidecar', pod: 'api-1' } as const;
  const db = { kind: 'sidecar', pod: 'db-1' } as const;

  it('wires leave the facing side of the caller and enter the facing side of the callee', () => {
    const curve = wireCurve(api, db, layout);
    const a = layout.cards.get('api-1');
    const b = layout.cards.get('db-1');
    expect(curve?.[0].x).toBe((a?.x ?? 0) + (a?.w ?? 0));
    expect(curve?.[3].x).toBe(b?.x);
  });

  it('a dot on the wire goes from the caller, along the wire, into the callee', () => {
    const at = (f: number) => dotPosition({ from: api, to: db, f, onWire: true, phase: 'request', error: false, attempt: 1 }, layout);
    const xs = [0, 0.05, 0.1, 0.5, 0.9, 0.95, 1].map((f) => at(f)?.x ?? NaN);
    expect([...xs].sort((p, q) => p - q)).toEqual(xs);
    expect(at(1)).toEqual(pointOf(db, layout));
  });

  it('with reduced motion a dot stays at the place it reached', () => {
    const p = dotPosition({ from: api, to: db, f: 0.5, onWire: true, phase: 'request', error: false, attempt: 1 }, layout, true);
    expect(p).toEqual(pointOf(api, layout));
  });
});

describe('layoutMesh with many services at one depth', () => {
  it('splits a tall column into stacks so the picture stays wider than tall', () => {
    const groups = [group('front', ['front-1']), ...Array.from({ length: 15 }, (_, i) => group(`leaf${i}`, Array.from({ length: 10 }, (_, j) => `leaf${i}-${j}`)))];
    const edges = groups.slice(1).map((g) => ({ from: 'front', to: g.id }));
    const l = layoutMesh({ groups, edges });
    expect(l.width).toBeGreaterThan(l.height);
    const xs = new Set(l.groups.filter((g) => g.group.id.startsWith('leaf')).map((g) => Math.round(g.x)));
    expect(xs.size).toBeGreaterThan(1);
    const boxes = l.groups;
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
  });
});
