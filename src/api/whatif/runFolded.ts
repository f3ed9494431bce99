import type { SimulationSpec } from '../../model/index.ts';
import type { Session } from '../Session.ts';
import { runSimulation } from '../simulate.ts';
import { CallFold } from './CallFold.ts';
import type { FoldedRequest } from './CallFold.ts';
import { routeLabels } from './routeLabel.ts';

/**
 * Runs `simulation` (traffic, app behaviour, timeline) against the session's
 * config and folds what each kind of call did, grouped by `keyOf`. The run is
 * weighed against the budget like any `simulate`.
 */
export function runFolded(session: Session, simulation: SimulationSpec, keyOf: (request: FoldedRequest) => string | undefined, seed?: number): CallFold {
  const fold = new CallFold(routeLabels(session.xds), keyOf);
  runSimulation({ ...session, scenario: { ...session.scenario, simulation } }, { sink: fold.add, seed, drain: 30_000_000 });
  return fold;
}
