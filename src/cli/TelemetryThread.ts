import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CallEncoder } from '../telemetry/index.ts';
import type { TelemetryPlan, WireBatch, WireBuffers } from '../telemetry/index.ts';
import { CliError } from './CliError.ts';
import type { FileSink } from './FileSink.ts';
import { BatchRing } from './BatchRing.ts';
import type { RingMemory, RingMessage } from './BatchRing.ts';
import { writeQueueMemory } from './WriteQueue.ts';
import type { WriteQueueMemory } from './WriteQueue.ts';

/** The files a run's writers write: opened (and later closed) by the run's thread, written by the writers' thread. */
export interface ThreadFiles {
  metrics?: FileSink;
  accessLog?: FileSink;
  traces?: FileSink;
}

/** What the writers' thread starts with (`telemetryWorker.ts`): the ring, the port the run's outputs come by, and the queue to the file writer. */
export interface TelemetryThreadStart {
  ring: RingMemory;
  /** The run's side sends the outputs first (`TelemetryThreadInit`), then what does not fit the ring (values first used in a batch, a batch grown past its slot); the writers' side says why it failed. */
  port: MessagePort;
  /** The buffers the file writer's thread writes (`WriteQueue`), and the port it says by why a write failed. */
  writes: WriteQueueMemory;
  writeFailures: MessagePort;
}

/** The run's outputs, sent once the scenario is read: what to write and the files to write it to. */
export interface TelemetryThreadInit {
  plan: TelemetryPlan;
  files: { [K in keyof ThreadFiles]?: { fd: number; path: string } };
}

/**
 * The outputs of a run's telemetry made on a thread of their own, as Envoy
 * flushes its access logs on a thread of its own: the run's thread writes
 * what the engine tells its telemetry as numbers into batches
 * (`CallEncoder`) in a ring of shared memory (`BatchRing`); the writers'
 * thread makes the records from them and turns those into metrics, log
 * lines and spans (`CallDecoder` into `TelemetryOutputs`), into buffers
 * that a third thread writes to the files (`WriteQueue`, `fileWriterWorker`):
 * the system's copying of a gigabyte an hour into the page cache is not
 * the writers' to wait for. With a second core free, the run goes nearly
 * as fast as without outputs. The bytes
 * written are the same as with the writers in the run's thread
 * (`tests/golden`). When the writers fall behind, the run waits: memory
 * stays at the ring's size. The thread is started (`start`) before the
 * scenario is read, so its code is loaded by the time the first batches
 * come; `open` then tells it the run's outputs.
 */
export class TelemetryThread {
  private worker: Worker | undefined;
  private fileWriter: Worker | undefined;
  private port: MessagePort | undefined;
  private ring: BatchRing | undefined;
  private finished: Promise<void> | undefined;
  private files: ThreadFiles = {};

  /** Whether the writers' thread's code is built beside this module (`npm run build:cli`): not when running from the sources. */
  static available(): boolean {
    return existsSync(fileURLToPath(WORKER)) && existsSync(fileURLToPath(FILE_WRITER));
  }

  /**
   * Starts the writers' thread before the run is known, so that it loads
   * its code while the scenario is read; it waits for `open`. Until then it
   * does not keep the process alive: a scenario that fails to load just
   * ends it.
   */
  start(): this {
    const channel = new MessageChannel();
    const failures = new MessageChannel();
    const ring = (this.ring = new BatchRing());
    const writes = writeQueueMemory();
    const start: TelemetryThreadStart = { ring: ring.memory, port: channel.port2, writes, writeFailures: failures.port2 };
    const worker = (this.worker = new Worker(WORKER, { workerData: start, transferList: [channel.port2, failures.port2] }));
    worker.unref();
    const fileWriter = (this.fileWriter = new Worker(FILE_WRITER, { workerData: { memory: writes, port: failures.port1 }, transferList: [failures.port1] }));
    fileWriter.unref();
    this.port = channel.port1;
    this.port.unref();
    this.finished = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { done?: true } & Failure) => {
        if (m.done) resolve();
        else if (m.error !== undefined) reject(failed(m));
      });
      worker.on('error', (error) => reject(error));
      worker.on('exit', (code) => reject(new Error(`the telemetry writers' thread stopped (exit ${code}) before the run's end`)));
      // It ends by itself once the writers close the queue; a write that fails the writers report.
      fileWriter.on('error', (error) => reject(error));
    });
    // Until it is awaited, a failure is seen by `send`.
    this.finished.catch(() => undefined);
    return this;
  }

  /** The files the writers write: opened (and later closed) by the run's thread. */
  writeTo(files: ThreadFiles): void {
    this.files = files;
  }

  /** Tells the writers' thread (started if it was not) the run's `plan`; the run tells what happens to the encoder returned. */
  open(plan: TelemetryPlan): CallEncoder {
    if (!this.worker) this.start();
    const worker = this.worker as Worker;
    const ring = this.ring as BatchRing;
    const entry = (sink: FileSink | undefined) => (sink ? { fd: sink.fd, path: sink.path } : undefined);
    const init: TelemetryThreadInit = {
      plan,
      files: { metrics: entry(this.files.metrics), accessLog: entry(this.files.accessLog), traces: entry(this.files.traces) },
    };
    // From now on the run waits for its writers.
    worker.ref();
    this.fileWriter?.ref();
    (this.port as MessagePort).postMessage(init);
    return new CallEncoder({ first: () => ring.slot(0), send: (batch) => this.send(batch) });
  }

  /**
   * Waits until the writers have written the run's end (after `finish`),
   * then stops their thread without waiting for it to go: the files are
   * flushed, and tearing its heap down takes about 10 ms, which overlaps
   * the report's printing (the process ends once the thread has gone).
   */
  async done(): Promise<void> {
    if (!this.finished || !this.worker) return;
    try {
      await this.finished;
    } finally {
      this.stop().catch(() => undefined);
    }
  }

  /** Stops the writers' and the file writer's threads at once (the run failed). */
  async stop(): Promise<void> {
    const workers = [this.worker, this.fileWriter];
    this.worker = undefined;
    this.fileWriter = undefined;
    this.port?.close();
    await Promise.all(workers.map((w) => w?.terminate()));
  }

  /** Hands `batch` over and gives the arrays of the next slot, once the writers are done with what was in it. */
  private send(batch: WireBatch): WireBuffers {
    const ring = this.ring as BatchRing;
    const n = ring.produced();
    const inSlot = ring.holds(n, batch);
    if (batch.fresh.length > 0 || !inSlot) {
      const m: RingMessage = { batch: n, fresh: batch.fresh, ...(inSlot ? {} : { nums: batch.nums.slice(0, batch.numCount), chars: batch.chars.slice(0, batch.charCount) }) };
      (this.port as MessagePort).postMessage(m);
    }
    ring.publish(n, batch.numCount, batch.charCount, batch.fresh.length > 0 || !inSlot);
    const next = n + 1;
    // A thread that died without a word (out of memory) takes nothing more: after STALLED_S seconds of that, the run stops.
    let stalled = 0;
    for (let last = ring.takenCount(); ; ) {
      if (ring.failed()) throw failed(this.failure());
      if (ring.free(next)) return ring.slot(next);
      ring.waitTaken(next, 1_000);
      const now = ring.takenCount();
      stalled = now === last ? stalled + 1 : 0;
      last = now;
      if (stalled >= STALLED_S) throw new Error(`the telemetry writers' thread took no batch for ${STALLED_S} s`);
    }
  }

  /** Why the writers failed, as their thread said. */
  private failure(): Failure {
    const port = this.port;
    for (let m = port && receiveMessageOnPort(port); m; m = port && receiveMessageOnPort(port)) {
      const said = m.message as Failure;
      if (said.error !== undefined) return said;
    }
    return { error: 'the writers stopped' };
  }
}

/** What the writers' thread says when it fails: a file it cannot write (with what to do), or a fault of its own. */
export interface Failure {
  error?: string;
  hint?: string;
}

function failed(said: Failure): Error {
  return said.hint !== undefined ? new CliError(said.error ?? '', said.hint) : new Error(`the telemetry writers failed: ${said.error ?? 'no reason given'}`);
}

const STALLED_S = 60;

const WORKER = new URL('./telemetryWorker.js', import.meta.url);
const FILE_WRITER = new URL('./fileWriterWorker.js', import.meta.url);
