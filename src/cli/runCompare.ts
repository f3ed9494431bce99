import { compareFlavors } from '../api/index.ts';
import type { CostedMesh, Micros } from '../model/index.ts';
import { CliError } from './CliError.ts';
import { formatCompare } from './formatCompare.ts';
import { noteNoTraffic } from './noTrafficNote.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface CompareFlags {
  flavors: string;
  duration?: Micros;
  seed?: number;
  scenario?: string;
  force?: boolean;
}

const MESHES: readonly CostedMesh[] = ['istio', 'linkerd', 'istio-ambient'];

/** `meshviz compare`: the scenario under each flavor, side by side, with each mesh's cited costs. */
export async function runCompare(files: string[], o: CompareFlags, output: Output): Promise<number> {
  const flavors = parseFlavors(o.flavors);
  const session = openScenario(files, o.scenario);
  noteNoTraffic(session, o.duration);
  const rows = compareFlavors(session, { flavors, duration: o.duration, seed: o.seed, force: o.force === true });
  await printOutput(output, { flavors: rows }, (wide) => formatCompare(rows, stdoutLayout(wide)));
  return 0;
}

function parseFlavors(text: string): CostedMesh[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(MESHES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) throw new CliError(`invalid value "${text}" for --flavors`, `a comma list of ${MESHES.join(', ')}`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new CliError(`invalid value "${text}" for --flavors: ${twice} is listed twice`, `a comma list of ${MESHES.join(', ')}, each once`);
  return names as CostedMesh[];
}
