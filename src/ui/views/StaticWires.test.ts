import { describe, expect, it } from 'vitest';
import { groupTitle } from './StaticWires.tsx';

const measure = (text: string) => text.length * 7;
const group = (label: string, kind: 'service' | 'workload' = 'service') => ({ id: label, label, namespace: 'default', kind, ports: kind === 'service' ? [9080] : [], pods: [] });

describe('groupTitle', () => {
  it('says "service NAME" in full when it fits', () => {
    expect(groupTitle(group('reviews'), 172, measure)).toBe('service reviews');
  });

  it('keeps the "service" prefix and cuts the name with an ellipsis when it does not fit', () => {
    const title = groupTitle(group('productpage'), 172, measure);
    expect(title).toMatch(/^service prod.*…$/);
    expect(measure(title)).toBeLessThanOrEqual(172 - 18 - measure(':9080') - 6);
  });

  it('keeps "(no Service)" on a Deployment no Service selects', () => {
    expect(groupTitle(group('a-very-long-legacy-name', 'workload'), 172, measure)).toMatch(/^a-very.*… \(no Service\)$/);
  });
});
