import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../../src/api/index.ts';
import type { Outcome } from './exercise.ts';

export type Verdict =
  | { kind: 'ok'; outcome: Outcome; ms: number }
  | { kind: 'crash'; message: string; stack: string; ms: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'memory'; ms: number };

export interface SandboxOptions {
  /** An input still running after this long is a hang (wall time). */
  deadlineMs: number;
  /** The worker's heap limit: an input that needs more has exhausted meshviz. */
  memoryMb: number;
  /** The worker module (default `worker.ts`: `exercise` on each input). */
  worker?: URL;
}

/**
 * Runs inputs through `exercise` in a worker thread, so that a hang is seen
 * (the deadline passes; the worker is terminated and a new one started) and
 * so is memory exhaustion (the worker's heap limit), without taking the
 * fuzzer down with it.
 */
export class Sandbox {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;

  constructor(private readonly options: SandboxOptions) {}

  async run(files: SourceFile[], variant = 0): Promise<Verdict> {
    const worker = await this.start();
    const id = ++this.nextId;
    const started = performance.now();
    return new Promise<Verdict>((resolve) => {
      const done = (verdict: Verdict, restart: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (restart) this.discard();
        resolve(verdict);
      };
      const onMessage = (message: Verdict & { id?: number }): void => {
        if (message.id === id) done(message, false);
      };
      const onError = (error: Error & { code?: string }): void => {
        const ms = performance.now() - started;
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') done({ kind: 'memory', ms }, true);
        else done({ kind: 'crash', message: `${error.name}: ${error.message}`, stack: error.stack ?? '', ms }, true);
      };
      const onExit = (): void => done({ kind: 'crash', message: 'the worker exited', stack: '', ms: performance.now() - started }, true);
      const timer = setTimeout(() => done({ kind: 'hang', ms: performance.now() - started }, true), this.options.deadlineMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, files, variant });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }

  private async start(): Promise<Worker> {
    if (!this.worker) {
      const worker = new Worker(this.options.worker ?? new URL('./worker.ts', import.meta.url), {
        execArgv: ['--import', 'tsx'],
        resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
      });
      this.worker = worker;
      this.ready = new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
    }
    await this.ready;
    return this.worker as Worker;
  }

  private discard(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    void worker?.terminate();
  }
}
