import { afterAll, describe, expect, it } from 'vitest';
import { signatureOf } from './runFuzz.ts';
import { Sandbox } from './Sandbox.ts';

/** The fuzzer is only as good as what it notices: a throw, a hang, an exhausted heap, and life after each. */
describe('Sandbox', () => {
  const sandbox = new Sandbox({ deadlineMs: 1_500, memoryMb: 64, worker: new URL('./testing/misbehavingWorker.ts', import.meta.url) });
  afterAll(() => sandbox.close());
  const input = (text: string) => [{ name: 'x.yaml', text }];

  it('passes answers through', async () => {
    expect(await sandbox.run(input('ok'))).toMatchObject({ kind: 'ok', outcome: { stage: 'ran' } });
  });

  it('reports a crash with a signature that names where in src/ it was thrown', async () => {
    const verdict = await sandbox.run(input('throw'));
    expect(verdict.kind).toBe('crash');
    expect(signatureOf(verdict)).toBe('crash TypeError: boom @ src/engine/sim/app.ts');
  });

  it('sees a hang at the deadline, ends that worker and goes on with a new one', async () => {
    const verdict = await sandbox.run(input('hang'));
    expect(verdict.kind).toBe('hang');
    expect(verdict.ms).toBeGreaterThanOrEqual(1_500);
    expect((await sandbox.run(input('ok'))).kind).toBe('ok');
  }, 30_000);

  // Running out of heap is a fatal error that ends the whole process: in a worker thread it once took the
  // fuzzer down with it (after 32,000 inputs); in a child process it ends the child only.
  it('sees a heap run out, and goes on', async () => {
    expect((await sandbox.run(input('allocate'))).kind).toBe('memory');
    expect((await sandbox.run(input('ok'))).kind).toBe('ok');
  }, 30_000);
});
