import { walkCanary } from '../api/index.ts';
import { formatCanary } from './formatCanary.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

/** `meshviz canary`: a Flagger Canary or an Argo Rollout walked step by step; exit 1 unless it is promoted. */
export async function runCanary(files: string[], o: { scenario?: string; canary?: string; minSuccessRate?: number; maxP99?: number }, output: Output): Promise<number> {
  const walk = walkCanary(openScenario(files, o.scenario), o.canary, { minSuccessRate: o.minSuccessRate, maxP99Ms: o.maxP99 });
  await printOutput(output, walk, (wide) => formatCanary(walk, stdoutLayout(wide)));
  return walk.outcome === 'promoted' ? 0 : 1;
}
