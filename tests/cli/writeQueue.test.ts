import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/CliError.ts';
import { FileSink } from '../../src/cli/FileSink.ts';
import { WRITE_BUFFER_BYTES, WriteQueue, writeQueueMemory } from '../../src/cli/WriteQueue.ts';
import { tempDir } from '../helpers/tempDir.ts';

/**
 * The writers' files written by a thread of their own (`WriteQueue`,
 * `src/cli/fileWriterWorker.ts`), run here from the sources: every byte in
 * order in each file however the buffers interleave, and a write that fails
 * is the error a sink writing itself gives.
 */
const WORKER = fileURLToPath(new URL('../../src/cli/fileWriterWorker.ts', import.meta.url));
const dir = tempDir('write-queue');

/** A file writer's thread and the queue to it, for files `paths` (opened here, as the run's thread opens them). */
function fileWriter(paths: string[]): { queue: WriteQueue; fds: number[]; ended: Promise<number> } {
  const memory = writeQueueMemory();
  const failures = new MessageChannel();
  const fds = paths.map((p) => openSync(p, 'w'));
  // The thread's module from the sources, through tsx's loader in the thread.
  const worker = new Worker(`require('tsx/cjs/api').require(${JSON.stringify(WORKER)}, ${JSON.stringify(WORKER)});`, {
    eval: true,
    workerData: { memory, port: failures.port1 },
    transferList: [failures.port1],
  });
  const ended = new Promise<number>((resolve, reject) => {
    worker.on('exit', resolve);
    worker.on('error', reject);
  });
  return { queue: new WriteQueue(memory, failures.port2, new Map(fds.map((fd, i) => [fd, paths[i] as string]))), fds, ended };
}

describe('the file writer’s thread', () => {
  it('writes three files’ lines in order through many more buffers than the queue has, text and bytes and pieces larger than a buffer', async () => {
    const paths = ['run.om', 'access.log', 'traces.jsonl'].map((f) => join(dir, f));
    const { queue, fds, ended } = fileWriter(paths);
    const sinks = fds.map((fd, i) => FileSink.onDescriptor(fd, paths[i] as string, queue));
    const expected = ['', '', ''];
    // About 20 MiB in all, so each buffer is given many times over, the three files' buffers interleaved.
    for (let n = 0; n < 200_000; n++) {
      const k = n % 3;
      const line = `${k} line ${n} ${'x'.repeat(n % 97)} é\n`;
      if (k === 1) (sinks[k] as FileSink).writeBytes(Buffer.from(line, 'utf8'));
      else (sinks[k] as FileSink).write(line);
      expected[k] += line;
    }
    // A piece larger than a buffer goes out a buffer at a time, after what came before it.
    const big = `${'y'.repeat(WRITE_BUFFER_BYTES + 12_345)}\n`;
    (sinks[2] as FileSink).write(big);
    (sinks[1] as FileSink).writeBytes(Buffer.from(big, 'utf8'));
    expected[2] += big;
    expected[1] += big;
    (sinks[0] as FileSink).write('# EOF\n');
    expected[0] += '# EOF\n';
    for (const s of sinks) s.flush();
    queue.close();
    expect(await ended).toBe(0);
    for (const fd of fds) closeSync(fd);
    paths.forEach((p, k) => {
      const text = readFileSync(p, 'utf8');
      expect(text.length).toBe((expected[k] as string).length);
      expect(text === expected[k]).toBe(true);
    });
    expect(expected.reduce((n, e) => n + e.length, 0)).toBeGreaterThan(10 * WRITE_BUFFER_BYTES);
  }, 60_000);

  it.runIf(existsSync('/dev/full'))('a write that fails (a full disk) is the next call’s error, naming the file and the system’s code', async () => {
    const { queue, fds, ended } = fileWriter(['/dev/full']);
    const sink = FileSink.onDescriptor(fds[0] as number, '/dev/full', queue);
    sink.write('a line that the disk has no room for\n');
    // The buffer is given; the failure comes back when the queue is next waited on.
    const thrown = (() => {
      try {
        sink.flush();
        queue.close();
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).what).toBe('cannot write /dev/full: ENOSPC');
    expect((thrown as CliError).hint).toBe('check the disk has room and the file can be written');
    expect(await ended).toBe(0);
    closeSync(fds[0] as number);
  }, 30_000);

  it('takes back only the buffers it gave', () => {
    const { queue, fds, ended } = fileWriter([join(dir, 'x.log')]);
    expect(() => queue.give(Buffer.alloc(16), fds[0] as number, 16)).toThrow('write queue: a buffer given back that was not taken');
    queue.close();
    return ended.then((code) => {
      expect(code).toBe(0);
      closeSync(fds[0] as number);
    });
  }, 30_000);
});
