import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { END_OF_WRITES, awaitEntry, entryWritten, writeFailed } from './WriteQueue.ts';
import type { WriteFailure, WriteQueueMemory } from './WriteQueue.ts';

/**
 * The file writer's thread of `meshviz simulate` (`TelemetryThread`): writes
 * the buffers the writers' thread gives (`WriteQueue`) to their files, in
 * the order given, until told to stop. A write that fails is said on the
 * port (the file and the system's code) and stops the queue.
 */
const { memory, port } = workerData as { memory: WriteQueueMemory; port: MessagePort };
if (!parentPort) throw new Error('fileWriterWorker runs as a worker thread');
const views = memory.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));

for (let n = 0; ; n++) {
  const { fd, length, buffer } = awaitEntry(memory, n);
  if (fd === END_OF_WRITES) break;
  const bytes = views[buffer] as Buffer;
  try {
    for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done);
  } catch (error) {
    const said: WriteFailure = { fd, code: (error as NodeJS.ErrnoException).code ?? String(error) };
    port.postMessage(said);
    writeFailed(memory);
    break;
  }
  entryWritten(memory, n);
}
port.close();
