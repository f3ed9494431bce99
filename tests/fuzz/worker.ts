import type { SourceFile } from '../../src/api/index.ts';
import { exercise } from './exercise.ts';

/** The Sandbox's child process: runs the inputs it is sent, one at a time, and answers each with its verdict. */
process.on('message', (input: { id: number; files: SourceFile[]; variant: number }) => {
  const started = performance.now();
  try {
    const outcome = exercise(input.files, input.variant);
    process.send?.({ id: input.id, kind: 'ok', outcome, ms: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    process.send?.({ id: input.id, kind: 'crash', message, stack, ms: performance.now() - started });
  }
});
process.send?.({ kind: 'ready' });
