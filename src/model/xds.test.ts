import { describe, expect, it } from 'vitest';
import { isWaypointKey, waypointKey, waypointLabel, waypointName } from './xds.ts';

describe('a waypoint’s key among the proxies’ keys (pod names)', () => {
  it('is made from its namespace and name, and read back as either', () => {
    const key = waypointKey('shop', 'waypoint');
    expect(key).toBe('waypoint/shop/waypoint');
    expect(isWaypointKey(key)).toBe(true);
    expect(waypointName(key)).toBe('shop/waypoint');
    expect(waypointLabel(key)).toBe('waypoint shop/waypoint');
  });

  it('leaves a pod’s name as it is, even one that starts with “waypoint”', () => {
    for (const pod of ['api-x7k8j76vxk-52872', 'waypoint-7c9d4-abcde']) {
      expect(isWaypointKey(pod)).toBe(false);
      expect(waypointName(pod)).toBe(pod);
      expect(waypointLabel(pod)).toBe(pod);
    }
  });
});
