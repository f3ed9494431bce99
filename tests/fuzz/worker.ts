import { parentPort } from 'node:worker_threads';
import type { SourceFile } from '../../src/api/index.ts';
import { exercise } from './exercise.ts';

/** Runs inputs sent by the Sandbox, one at a time, and answers each with its verdict. */
parentPort?.on('message', (input: { id: number; files: SourceFile[]; variant: number }) => {
  const started = performance.now();
  try {
    const outcome = exercise(input.files, input.variant);
    parentPort?.postMessage({ id: input.id, kind: 'ok', outcome, ms: performance.now() - started });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    parentPort?.postMessage({ id: input.id, kind: 'crash', message, stack, ms: performance.now() - started });
  }
});
parentPort?.postMessage({ kind: 'ready' });
