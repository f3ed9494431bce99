/*
 * Run by src/model/IdTable.test.ts in a child process with V8's natives syntax
 * (`--allow-natives-syntax`): a caller compiled while every lookup hit its
 * slot stays compiled when the first record is pushed aside and looked up
 * there. Prints `optimized before / after` as two booleans.
 */
import { IdTable } from '../../src/model/IdTable.ts';

const natives = (body: string) => new Function('f', body) as (f: unknown) => number;
const prepare = natives('%PrepareFunctionForOptimization(f)');
const optimizeNext = natives('%OptimizeFunctionOnNextCall(f)');
const status = natives('return %GetOptimizationStatus(f)');
/** V8's OptimizationStatus bit for code compiled by TurboFan (runtime-test.cc). */
const TURBOFANNED = 1 << 6;

const table = new IdTable<{ id: number; name: string }>();
for (let id = 1; id <= 20; id++) table.set(id, { id, name: `r${id}` });
let found = 0;
function lookups(from: number, to: number): void {
  for (let id = from; id <= to; id++) if (table.get(id) !== undefined) found += 1;
  table.delete(to + 1);
}
prepare(lookups);
lookups(1, 20);
lookups(1, 20);
optimizeNext(lookups);
lookups(1, 20);
const before = (status(lookups) & TURBOFANNED) !== 0;
// Id 65 wants the slot of id 1, which is still there: 1 goes aside, and the lookups find it there.
table.set(65, { id: 65, name: 'r65' });
lookups(1, 20);
lookups(1, 20);
const after = (status(lookups) & TURBOFANNED) !== 0;
process.stdout.write(JSON.stringify({ before, after, found }));
