import { walkCanary } from '../api/index.ts';
import { formatCanary } from './formatCanary.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

/** `meshviz canary`: a Flagger Canary walked step by step; exit 1 when it would be rolled back. */
export async function runCanary(files: string[], o: { scenario?: string; canary?: string }, output: Output): Promise<number> {
  const walk = walkCanary(openScenario(files, o.scenario), o.canary);
  await printOutput(output, walk, (wide) => formatCanary(walk, stdoutLayout(wide)));
  return walk.outcome === 'promoted' ? 0 : 1;
}
