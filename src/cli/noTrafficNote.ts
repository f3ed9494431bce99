import { trafficEnd } from '../api/index.ts';
import type { Session } from '../api/index.ts';
import { formatDuration } from '../model/index.ts';
import type { Micros } from '../model/index.ts';

/**
 * What `simulate`, `graph` and `compare` say on stderr when the files send no
 * traffic: the run then does nothing, and an empty report alone would not say
 * why (a mesh without a Simulation document, or one without `spec.traffic`).
 * And when `--duration` asks for more than the traffic and timeline last:
 * the run stops at their end, shorter than asked.
 */
export function noteNoTraffic(session: Session, duration?: Micros): void {
  const { simulation } = session.scenario;
  if (simulation.traffic.length === 0) {
    process.stderr.write('note: the files send no traffic (no Simulation document with spec.traffic), so nothing ran; add traffic (see examples/*/simulation.yaml), or send one request with `meshviz send FILES --from WORKLOAD --to SERVICE`\n');
    return;
  }
  // --duration stops traffic early; it never makes the traffic longer than its own. Closed-loop traffic has no end of its own.
  if (duration === undefined || simulation.traffic.some((t) => t.load.kind === 'closed')) return;
  const end = trafficEnd(simulation);
  if (duration > end) process.stderr.write(`note: the traffic and timeline end at ${formatDuration(end)}, so the run stops there, before --duration ${formatDuration(duration)}: --duration only stops traffic early; lengthen the traffic's duration in the Simulation to run longer\n`);
}
