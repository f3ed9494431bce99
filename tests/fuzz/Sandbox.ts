import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  /** The child's heap limit: an input that needs more has exhausted meshviz. */
  memoryMb: number;
  /** The child's module (default `worker.ts`: `exercise` on each input). */
  worker?: URL;
}

type Message = (Verdict & { id: number }) | { kind: 'ready' };

/**
 * Runs inputs through `exercise` in a child process (the same code, called
 * in-process there, not through the CLI), so that a hang is seen (the
 * deadline passes; the child is killed and a new one started) and so is
 * memory exhaustion: the child's heap limit, and V8's fatal errors (a Map
 * past 2^24 entries ends the whole process, which a worker thread would take
 * the fuzzer down with).
 */
export class Sandbox {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;

  constructor(private readonly options: SandboxOptions) {}

  async run(files: SourceFile[], variant = 0): Promise<Verdict> {
    const child = await this.start();
    const id = ++this.nextId;
    const started = performance.now();
    return new Promise<Verdict>((resolve) => {
      let stderr = '';
      const onStderr = (chunk: Buffer): void => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      };
      const done = (verdict: Verdict, restart: boolean): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('close', onExit);
        child.stderr?.off('data', onStderr);
        if (restart) this.discard();
        resolve(verdict);
      };
      const onMessage = (message: Message): void => {
        if ('id' in message && message.id === id) done(message, false);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        const ms = performance.now() - started;
        if (/out of memory|invalid table size|Allocation failed/i.test(stderr)) done({ kind: 'memory', ms }, true);
        else done({ kind: 'crash', message: `the process ended (${signal ?? `exit ${code}`})`, stack: stderr, ms }, true);
      };
      const timer = setTimeout(() => done({ kind: 'hang', ms: performance.now() - started }, true), this.options.deadlineMs);
      child.on('message', onMessage);
      // `close`, not `exit`: by then all the child wrote to stderr (V8's fatal message) has been read.
      child.on('close', onExit);
      child.stderr?.on('data', onStderr);
      child.send({ id, files, variant });
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }

  private async start(): Promise<ChildProcess> {
    if (!this.child) {
      const child = fork(fileURLToPath(this.options.worker ?? new URL('./worker.ts', import.meta.url)), [], {
        execArgv: ['--import', 'tsx', `--max-old-space-size=${this.options.memoryMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      this.child = child;
      this.ready = new Promise((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('error', reject);
      });
    }
    await this.ready;
    return this.child as ChildProcess;
  }

  private discard(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }
}
