import { describe, expect, it } from 'vitest';
import { runFuzz } from './runFuzz.ts';

/**
 * The short fuzz run of `npm test`: about 45 seconds — and at least 101
 * inputs, however loaded the machine — of mutated scenarios and examples
 * through analyze, export, send and simulate, one child process.
 * MESHVIZ_FUZZ_SEED picks other inputs; MESHVIZ_FUZZ_SECONDS runs longer.
 * Any crash, hang or memory exhaustion fails it, with how to get the input
 * again (`npm run fuzz -- --seed S` writes it out minimised).
 */
describe('fuzzing', () => {
  it('no mutated input crashes, hangs or exhausts meshviz', async () => {
    const seed = Number(process.env['MESHVIZ_FUZZ_SEED'] ?? 20260101);
    const summary = await runFuzz({
      seconds: Number(process.env['MESHVIZ_FUZZ_SECONDS'] ?? 45),
      seed,
      workers: 1,
      deadlineMs: 30_000,
      memoryMb: 2048,
      minimiseSeconds: 0,
      minInputs: 101,
    });
    const found = summary.findings.map((f) => `${f.signature} — seed ${seed}, input ${f.index} from ${f.seedName}: ${f.steps.join('; ')}`);
    expect(found).toEqual([]);
    expect(summary.inputs).toBeGreaterThan(100);
    console.log(`fuzz: ${summary.inputs} inputs (${summary.ran} ran, ${summary.refused} refused, ${summary.stopped} stopped at their budget), slowest ${Math.round(summary.slowest?.ms ?? 0)} ms`);
  }, 400_000);
});
