import { memo } from 'react';
import type { MeshLayout } from '../layout/layoutMesh.ts';

/**
 * Ambient's proxies as their own boxes (§11): one ztunnel per node (L4:
 * mTLS over HBONE, L4 policy) and each waypoint (Envoy: routes, retries,
 * L7 policy for the services bound to it). Nothing for a sidecar mesh.
 */
export const AmbientProxies = memo(function AmbientProxies({ layout }: { layout: MeshLayout }) {
  if (layout.ztunnels.size === 0 && layout.waypoints.size === 0) return null;
  return (
    <>
      {[...layout.waypoints].map(([key, box]) => (
        <div key={key} className="waypoint-box" style={{ left: box.x, top: box.y, width: box.w, height: box.h }} data-testid={`waypoint-${box.label}`} title="a waypoint: Envoy for the services bound to it (routes, retries, outlier detection, L7 policy)">
          <span>waypoint {box.label}</span>
          <span className="sub">envoy (L7) · HBONE :15008</span>
        </div>
      ))}
      {[...layout.ztunnels].map(([node, box]) => (
        <div key={node} className="ztunnel-box" style={{ left: box.x, top: box.y, width: box.w, height: box.h }} data-testid={`ztunnel-${node}`} title={`the ztunnel of ${node}: L4 only (mTLS over HBONE, L4 policy) for every ambient pod on the node`}>
          <span>ztunnel · {node}</span>
        </div>
      ))}
    </>
  );
});
