import { describe, expect, it } from 'vitest';
import { labelsPlace, labelsSize } from './labelsPlace.ts';
import { CARD, layoutMesh } from './layoutMesh.ts';
import type { CardLayout } from './layoutMesh.ts';
import type { GroupShape } from './meshShape.ts';

const pod = { name: 'cache-5d8f7c9b6-x2x7q', workload: 'cache', namespace: 'default', labels: { app: 'cache', version: 'v1' }, sidecar: true };
const card = (x: number, y: number): CardLayout => ({ pod, group: 'cache', x, y, w: CARD.w, h: CARD.h, app: { x, y, w: CARD.w, h: 52 } });

function group(id: string, pods: string[]): GroupShape {
  return { id, label: id, namespace: 'default', kind: 'service', ports: [8080], pods: pods.map((name) => ({ ...pod, name, workload: id, labels: { app: id } })) };
}

describe('labelsPlace', () => {
  it('sizes the tooltip by its longest line and its number of lines', () => {
    const { w, h } = labelsSize(pod);
    expect(w).toBeGreaterThan('pod cache-5d8f7c9b6-x2x7q'.length * 6.5);
    expect(h).toBeGreaterThan(4 * 17);
  });

  it('opens above a card with room above, below a card in the top row', () => {
    expect(labelsPlace(card(16, 300), { width: 900, height: 500 }).side).toBe('above');
    expect(labelsPlace(card(16, 44), { width: 900, height: 500 }).side).toBe('below');
  });

  it('opens beside a card in a picture too short for either, on the roomier side', () => {
    expect(labelsPlace(card(16, 44), { width: 900, height: 140 }).side).toBe('right');
    expect(labelsPlace(card(700, 44), { width: 880, height: 140 }).side).toBe('left');
  });

  it('lines up with the card’s right edge near the picture’s right edge', () => {
    expect(labelsPlace(card(16, 300), { width: 900, height: 500 }).align).toBe('start');
    expect(labelsPlace(card(900 - 16 - CARD.w, 300), { width: 900, height: 500 }).align).toBe('end');
  });

  it('keeps every tooltip of a laid-out mesh inside the picture', () => {
    const layout = layoutMesh({ groups: [group('api', ['api-1']), group('cache', ['cache-1']), group('users', ['users-1', 'users-2', 'users-3'])], edges: [{ from: 'api', to: 'cache' }, { from: 'api', to: 'users' }] });
    for (const c of layout.cards.values()) {
      const { side } = labelsPlace(c, layout);
      const { h } = labelsSize(c.pod);
      if (side === 'above') expect(c.y - 6 - h).toBeGreaterThanOrEqual(0);
      if (side === 'below') expect(c.y + c.h + 6 + h).toBeLessThanOrEqual(layout.height);
    }
  });
});
