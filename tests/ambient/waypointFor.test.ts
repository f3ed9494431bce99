import { describe, expect, it } from 'vitest';
import { sendOne } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { ambientMesh, step, WAYPOINT } from './ambientMesh.ts';
import { service } from '../helpers/mesh.ts';

/**
 * `istio.io/waypoint-for` on the waypoint's Gateway: which traffic it takes. Sources:
 * - Istio src pilot/pkg/serviceregistry/ambient/waypoints.go: the traffic type defaults to `service`
 *   (constants.ServiceTraffic) when neither GatewayClass nor Gateway says; `fetchWaypointForService` binds a
 *   Service only to a waypoint of type `service` or `all`, else reports UnsupportedTrafficType ("attempting to
 *   bind to traffic type "service" which the waypoint … does not support", status.go); `fetchWaypointForWorkload`
 *   binds a pod only to one of type `workload` or `all`.
 * - ztunnel src src/proxy/outbound.rs, `build_request`: a connection addressed to a Service goes to the Service's
 *   waypoint, or (none) straight to an endpoint — "Don't traverse waypoint if traffic was addressed to a service";
 *   a workload's waypoint is used only for traffic addressed to the workload itself.
 */
const waypointFor = (value: string) => WAYPOINT.replace('istio.io/waypoint-for: service', `istio.io/waypoint-for: ${value}`);
const path = (s: Session) => sendOne(s, { from: 'client', to: 'server' }).events.filter((e) => e.kind === 'ambient.hop').map(step);
const THROUGH = ['ambient.hop@ztunnel:node-1', 'ambient.hop@waypoint:waypoint/default/waypoint', 'ambient.hop@ztunnel:node-1'];
const STRAIGHT = ['ambient.hop@ztunnel:node-1'];

const withWaypoint = (gateway: string): Session => ambientMesh({ waypoint: true, gateway });

describe('istio.io/waypoint-for (§11)', () => {
  it('unset, `service` or `all`: the Service bound to it sends through it', () => {
    expect(path(withWaypoint(WAYPOINT.replace('labels: { istio.io/waypoint-for: service }', 'labels: {}')))).toEqual(THROUGH);
    expect(path(withWaypoint(waypointFor('service')))).toEqual(THROUGH);
    expect(path(withWaypoint(waypointFor('all')))).toEqual(THROUGH);
  });

  for (const value of ['workload', 'none']) {
    it(`\`${value}\`: the Service labelled to use it is not bound — straight to the pods — and MV0705 says why, at the Service's label`, () => {
      const s = withWaypoint(waypointFor(value));
      expect(path(s)).toEqual(STRAIGHT);
      const found = s.diagnostics.filter((d) => d.code === 'MV0705');
      expect(found.map((d) => [d.resource, d.path, d.severity])).toEqual([['Service/default/server', 'metadata.labels["istio.io/use-waypoint"]', 'warning']]);
      expect(found[0]!.message).toContain(`whose istio.io/waypoint-for is ${value}: it does not take service traffic`);
    });
  }

  it('a value Istio does not know (a typo): MV0704 at the label, and it takes no Service traffic (istiod keeps the string, which matches neither type)', () => {
    const s = withWaypoint(waypointFor('services'));
    expect(path(s)).toEqual(STRAIGHT);
    const typo = s.diagnostics.find((d) => d.code === 'MV0704');
    expect([typo?.resource, typo?.path, typo?.source?.line]).toEqual(['Gateway/default/waypoint', 'metadata.labels["istio.io/waypoint-for"]', expect.any(Number)]);
    expect(typo?.message).toContain('"services", which is none of service, workload, all, none');
    expect(s.diagnostics.some((d) => d.code === 'MV0705')).toBe(true);
  });

  describe('a workload waypoint (a pod bound by its own label)', () => {
    /** client → server, where only the server's pods (not its Service) carry `istio.io/use-waypoint`. */
    const mesh = (gateway: string): Session => ambientMesh({ extra: [gateway], serverLabels: { 'istio.io/use-waypoint': 'waypoint' } });

    it('`workload`: calls to the Service do not go through it (ztunnel: Service-addressed traffic never takes a workload waypoint); MV0706 says so', () => {
      const s = mesh(waypointFor('workload'));
      expect(s.scenario.pods.find((p) => p.workload === 'server')?.labels['istio.io/use-waypoint']).toBe('waypoint');
      expect(path(s)).toEqual(STRAIGHT);
      const found = s.diagnostics.filter((d) => d.code === 'MV0706');
      expect(found.map((d) => [d.resource, d.path, d.severity])).toEqual([['Deployment/default/server', 'spec.template.metadata.labels["istio.io/use-waypoint"]', 'info']]);
    });

    it('`service`: the pod cannot bind to it at all (istiod: UnsupportedTrafficType "workload"), MV0705', () => {
      const s = mesh(waypointFor('service'));
      expect(path(s)).toEqual(STRAIGHT);
      expect(s.diagnostics.filter((d) => d.code === 'MV0705').map((d) => d.message)).toEqual([expect.stringContaining('workload server is bound to waypoint "default/waypoint", whose istio.io/waypoint-for is service: it does not take workload traffic')]);
      expect(s.diagnostics.some((d) => d.code === 'MV0706')).toBe(false);
    });
  });

  it('the same Service without a waypoint label and a waypoint for `all`: nothing bound, nothing reported', () => {
    const s = ambientMesh({ extra: [waypointFor('all'), service('other')] });
    expect(path(s)).toEqual(STRAIGHT);
    expect(s.diagnostics.filter((d) => d.code.startsWith('MV07'))).toEqual([]);
  });
});
