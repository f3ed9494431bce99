import type { GraphType, ServiceGraph } from '../telemetry/index.ts';
import { ServiceGraphCollector } from '../telemetry/index.ts';
import type { Session } from './Session.ts';
import { startSimulation } from './simulate.ts';
import type { SimulateOptions, SimulationRun } from './simulate.ts';

export interface GraphRun {
  run: SimulationRun;
  /** The service graph of what has run so far, over the simulated time run. */
  graph(type?: GraphType): ServiceGraph;
}

/**
 * A run like `startSimulation`'s whose event stream is folded into the
 * service graph as it goes (the graph needs what only events carry: each
 * answer's flags with its code, and whether the hop was mTLS).
 */
export function startGraph(session: Session, options: SimulateOptions = {}): GraphRun {
  const collector = new ServiceGraphCollector(session.scenario);
  const sink = options.sink;
  const run = startSimulation(session, { ...options, sink: sink ? (e) => (collector.add(e), sink(e)) : collector.add });
  return { run, graph: (type) => collector.graph(run.now / 1000, { type }) };
}
