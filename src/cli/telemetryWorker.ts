import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CallDecoder, TelemetryOutputs } from '../telemetry/index.ts';
import { BatchRing } from './BatchRing.ts';
import type { RingMessage } from './BatchRing.ts';
import { CliError } from './CliError.ts';
import { FileSink } from './FileSink.ts';
import type { Failure, TelemetryThreadInit, TelemetryThreadStart } from './TelemetryThread.ts';
import { WriteQueue } from './WriteQueue.ts';

/**
 * The writers' thread of `meshviz simulate` (`TelemetryThread`): takes the
 * run's batches from the ring in order, makes the records of what they
 * tell, writes the metrics, the access log and the spans into buffers that
 * the file writer's thread writes to the files the run opened
 * (`WriteQueue`), and says when all is written up to the run's end — or
 * why it failed.
 */
const start = workerData as TelemetryThreadStart;
const parent = parentPort;
if (!parent) throw new Error('telemetryWorker runs as a worker thread');
const ring = new BatchRing(start.ring);

/** The run's outputs: the first message, sent once the scenario is read (this thread starts while it is read). */
function awaitInit(): TelemetryThreadInit {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let idle = 1; ; idle = Math.min(20, idle + 1)) {
    const m = receiveMessageOnPort(start.port);
    if (m) return m.message as TelemetryThreadInit;
    Atomics.wait(nap, 0, 0, idle);
  }
}

const init = awaitInit();
const opened = Object.values(init.files).filter((f) => f !== undefined);
const queue = new WriteQueue(start.writes, start.writeFailures, new Map(opened.map((f) => [f.fd, f.path])));
const sink = (file: { fd: number; path: string } | undefined) => (file ? FileSink.onDescriptor(file.fd, file.path, queue) : undefined);
const metrics = sink(init.files.metrics);
const accessLog = sink(init.files.accessLog);
const traces = sink(init.files.traces);
const files = [metrics, accessLog, traces].filter((f) => f !== undefined);

/** A batch's characters as a Buffer over the same memory, made once per array: Node decodes UTF-16 natively. */
let viewed: Uint16Array | undefined;
let view: Buffer<ArrayBufferLike> = Buffer.alloc(0);
function stringOf(chars: Uint16Array, from: number, to: number): string {
  if (chars !== viewed) {
    viewed = chars;
    view = Buffer.from(chars.buffer, chars.byteOffset, chars.byteLength);
  }
  return view.toString('utf16le', 2 * from, 2 * to);
}

try {
  const decoder = new CallDecoder(new TelemetryOutputs(init.plan, { metrics: metrics?.write, accessLogBytes: accessLog?.writeBytes, traces: traces?.write }), stringOf);
  for (let n = 0; ; n++) {
    const { numCount, charCount, message } = ring.await(n);
    let { nums, chars } = ring.slot(n);
    let fresh: unknown[] = [];
    if (message) {
      const m = receiveMessageOnPort(start.port)?.message as RingMessage | undefined;
      if (m?.batch !== n) throw new Error(`batch ${n} came without its message`);
      fresh = m.fresh;
      if (m.nums && m.chars) ({ nums, chars } = m);
    }
    const ended = decoder.take({ nums, numCount, chars, charCount, fresh });
    ring.release(n);
    if (ended) break;
  }
  for (const f of files) f.flush();
  queue.close();
  parent.postMessage({ done: true });
} catch (error) {
  // A file that cannot be written is a CliError (its path and what to do); anything else is a fault of the writers.
  const said: Failure = error instanceof CliError ? { error: error.what, hint: error.hint } : { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  start.port.postMessage(said);
  ring.fail();
  parent.postMessage(said);
}
