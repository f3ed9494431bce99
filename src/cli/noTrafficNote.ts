import type { Session } from '../api/index.ts';

/**
 * What `simulate`, `graph` and `compare` say on stderr when the files send no
 * traffic: the run then does nothing, and an empty report alone would not say
 * why (a mesh without a Simulation document, or one without `spec.traffic`).
 */
export function noteNoTraffic(session: Session): void {
  if (session.scenario.simulation.traffic.length > 0) return;
  process.stderr.write('note: the files send no traffic (no Simulation document with spec.traffic), so nothing ran; add traffic (see examples/*/simulation.yaml), or send one request with `meshviz send FILES --from WORKLOAD --to SERVICE`\n');
}
