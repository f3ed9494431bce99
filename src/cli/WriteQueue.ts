import { receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CliError } from './CliError.ts';

/** Bytes a buffer holds: what a `FileSink` gathers before it hands them to be written. */
export const WRITE_BUFFER_BYTES = 1 << 20;
/** Buffers in all: one held by each of the writers' files (three at most), the rest on their way to the disk. */
const BUFFERS = 8;

/** The queue's memory, shared by the writers' thread and the file writer's (it crosses to both as it is). */
export interface WriteQueueMemory {
  /** Buffers given, buffers written, 1 once a write failed, then per entry: the file, the length, the buffer. */
  control: Int32Array;
  buffers: Uint8Array[];
}

/** What the file writer says when a write fails: the file (its descriptor) and the system's code. */
export interface WriteFailure {
  fd: number;
  code: string;
}

/** A file that could not be written while a run wrote it (`code`: the system's, e.g. ENOSPC): one error, from a sink or from the queue. */
export function cannotWrite(path: string, code: string): CliError {
  return new CliError(`cannot write ${path}: ${code}`, 'check the disk has room and the file can be written');
}

const GIVEN = 0;
const WRITTEN = 1;
const FAILED = 2;
const ENTRIES_AT = 4;
/** The entry's file that tells the file writer to stop (no file has it). */
export const END_OF_WRITES = -1;

export function writeQueueMemory(): WriteQueueMemory {
  return {
    control: new Int32Array(new SharedArrayBuffer(4 * (ENTRIES_AT + 3 * BUFFERS))),
    buffers: Array.from({ length: BUFFERS }, () => new Uint8Array(new SharedArrayBuffer(WRITE_BUFFER_BYTES))),
  };
}

/**
 * The writers' side of the queue to the file writer's thread
 * (`fileWriterWorker.ts`): a file's sink fills a buffer, gives it with its
 * file and length, and takes a free one. The system's copy of the bytes
 * into the page cache (a second of CPU for the gigabyte an hour of Bookinfo
 * logs, on some machines) is then done beside the writers, not by them.
 * Buffers are written in the order given, so each file gets its bytes in
 * order. A write that fails stops the queue; the next call here throws the
 * same error a sink writing itself would (`cannot write PATH: CODE`).
 */
export class WriteQueue {
  private given = 0;
  /** The entry each buffer was last given in (-1: not yet), and whether a sink holds it now. */
  private readonly lastEntry = new Array<number>(BUFFERS).fill(-1);
  private readonly held = new Array<boolean>(BUFFERS).fill(false);
  private readonly views: Buffer[];

  constructor(
    private readonly memory: WriteQueueMemory,
    /** Where the file writer says why a write failed. */
    private readonly port: MessagePort,
    /** The path of each file written, by descriptor (for the error). */
    private readonly paths: ReadonlyMap<number, string>,
  ) {
    this.views = memory.buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }

  /** A free buffer for a sink to fill (waiting while every one is on its way to the disk). */
  take(): Buffer {
    this.waitWhile(() => this.free() < 0);
    const b = this.free();
    this.held[b] = true;
    return this.views[b] as Buffer;
  }

  /** `buffer`'s first `length` bytes go to file `fd`; a free buffer comes back. */
  give(buffer: Buffer, fd: number, length: number): Buffer {
    const b = this.views.indexOf(buffer);
    if (b < 0 || !this.held[b]) throw new Error('write queue: a buffer given back that was not taken');
    this.held[b] = false;
    this.entry(fd, length, b);
    this.lastEntry[b] = this.given - 1;
    return this.take();
  }

  /** Waits until every buffer given is written (throws when a write failed), then lets the file writer's thread end. */
  close(): void {
    this.waitWhile(() => Atomics.load(this.memory.control, WRITTEN) < this.given);
    this.entry(END_OF_WRITES, 0, 0);
  }

  /** A buffer no sink holds whose last entry is written, or -1. */
  private free(): number {
    const written = Atomics.load(this.memory.control, WRITTEN);
    for (let b = 0; b < BUFFERS; b++) if (!this.held[b] && (this.lastEntry[b] as number) < written) return b;
    return -1;
  }

  private entry(fd: number, length: number, buffer: number): void {
    const control = this.memory.control;
    // Each buffer is in one entry at most: with as many entries as buffers, entry `given` is free once the buffer it names is.
    const at = ENTRIES_AT + 3 * (this.given % BUFFERS);
    control[at] = fd;
    control[at + 1] = length;
    control[at + 2] = buffer;
    Atomics.store(control, GIVEN, ++this.given);
    Atomics.notify(control, GIVEN);
  }

  /** Waits on the file writer while `blocked()`, checking for its failure; a writer that writes nothing for `STALLED_S` seconds is a fault. */
  private waitWhile(blocked: () => boolean): void {
    const control = this.memory.control;
    let stalled = 0;
    for (let last = Atomics.load(control, WRITTEN); ; ) {
      if (Atomics.load(control, FAILED) !== 0) throw this.failure();
      if (!blocked()) return;
      Atomics.wait(control, WRITTEN, last, 1_000);
      const now = Atomics.load(control, WRITTEN);
      stalled = now === last ? stalled + 1 : 0;
      last = now;
      if (stalled >= STALLED_S) throw new Error(`the file writer's thread wrote nothing for ${STALLED_S} s`);
    }
  }

  private failure(): Error {
    const said = receiveMessageOnPort(this.port)?.message as WriteFailure | undefined;
    if (!said) return new Error('the file writer stopped');
    return cannotWrite(this.paths.get(said.fd) ?? `file descriptor ${said.fd}`, said.code);
  }
}

const STALLED_S = 60;

/** The file writer's side: waits for entry `n`, gives its file, length and buffer (`fd` `END_OF_WRITES`: stop). */
export function awaitEntry(memory: WriteQueueMemory, n: number): { fd: number; length: number; buffer: number } {
  const control = memory.control;
  while (Atomics.load(control, GIVEN) <= n) Atomics.wait(control, GIVEN, n);
  const at = ENTRIES_AT + 3 * (n % BUFFERS);
  return { fd: control[at] as number, length: control[at + 1] as number, buffer: control[at + 2] as number };
}

/** The file writer wrote entry `n`. */
export function entryWritten(memory: WriteQueueMemory, n: number): void {
  Atomics.store(memory.control, WRITTEN, n + 1);
  Atomics.notify(memory.control, WRITTEN);
}

/** A write failed: the queue stops, and the writers' side reads why from the port. */
export function writeFailed(memory: WriteQueueMemory): void {
  Atomics.store(memory.control, FAILED, 1);
  Atomics.notify(memory.control, WRITTEN);
}
