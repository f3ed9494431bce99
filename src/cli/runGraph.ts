import { startGraph } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import type { GraphType } from '../telemetry/index.ts';
import { kialiGraph } from '../telemetry/index.ts';
import { driveRun, INTERRUPTED } from './driveRun.ts';
import { formatGraph } from './formatGraph.ts';
import { noteNoTraffic } from './noTrafficNote.ts';
import { openScenario } from './openScenario.ts';
import type { Output } from './output.ts';
import { printOutput } from './printOutput.ts';
import { stdoutLayout } from './table.ts';

export interface GraphFlags {
  duration?: Micros;
  seed?: number;
  scenario?: string;
  force?: boolean;
  graphType: GraphType;
}

/**
 * `meshviz graph`: runs the scenario like `simulate` and prints the service
 * graph of the run, as tables or, with -o json/yaml, in Kiali's graph JSON.
 * Returns the exit status (130 when Ctrl-C stopped the run: the graph of
 * what ran is printed first).
 */
export async function runGraph(files: string[], o: GraphFlags, output: Output): Promise<number> {
  const session = openScenario(files, o.scenario);
  noteNoTraffic(session, o.duration);
  const { run, graph } = startGraph(session, { duration: o.duration, seed: o.seed, force: o.force === true });
  const interrupted = await driveRun(run);
  const g = graph(o.graphType);
  const stopped = run.report().stopped;
  if (stopped) process.stderr.write(`meshviz: ${stopped}; the graph is of what was simulated so far\n`);
  await printOutput(output, kialiGraph(g, o.graphType), (wide) => formatGraph(g, o.seed ?? session.scenario.simulation.seed, stdoutLayout(wide)));
  return interrupted ? INTERRUPTED : 0;
}
