import { accessSync, closeSync, constants, fchmodSync, lstatSync, openSync, renameSync, unlink, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './CliError.ts';
import { WRITE_BUFFER_BYTES, cannotWrite } from './WriteQueue.ts';
import type { WriteQueue } from './WriteQueue.ts';

/**
 * A file written as a run goes: text is encoded straight into a 1 MiB
 * buffer, written when it fills, so memory stays flat however long the run
 * and a crash loses at most the last megabyte. The buffer is written
 * synchronously, or, with a `WriteQueue`, handed to the file writer's
 * thread while the sink fills another.
 */
export class FileSink {
  /** The open file (another thread may write it through a sink of its own: `onDescriptor`). */
  readonly fd: number;
  private buffer: Buffer;
  private used = 0;

  constructor(
    readonly path: string,
    flag: string,
    fd?: number,
    private readonly queue?: WriteQueue,
  ) {
    this.buffer = queue ? queue.take() : Buffer.allocUnsafe(BUFFER_BYTES);
    if (fd !== undefined) {
      this.fd = fd;
      return;
    }
    try {
      this.fd = openReplacing(path);
    } catch (error) {
      throw new CliError(`cannot write ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'name a file in a directory you can write to');
    }
  }

  /** A sink on a file another sink opened (in another thread), written through `queue` when given: `flush` it when done; the opener closes the file. */
  static onDescriptor(fd: number, path: string, queue?: WriteQueue): FileSink {
    return new FileSink(path, '', fd, queue);
  }

  readonly write = (text: string): void => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = 3 * text.length;
    if (this.used + most > BUFFER_BYTES) this.flush();
    if (most <= BUFFER_BYTES) this.used += this.buffer.write(text, this.used);
    else this.writeBytes(Buffer.from(text, 'utf8'));
  };

  /** Bytes as they are (already UTF-8). */
  readonly writeBytes = (bytes: Uint8Array): void => {
    if (this.used + bytes.length > BUFFER_BYTES) this.flush();
    if (bytes.length <= BUFFER_BYTES) {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    // More than a buffer: a buffer's worth at a time, so that a queue's buffers stay in order.
    for (let at = 0; at < bytes.length; at += BUFFER_BYTES) {
      this.writeBytes(bytes.subarray(at, Math.min(bytes.length, at + BUFFER_BYTES)));
      this.flush();
    }
  };

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** Writes what is buffered (with a queue: gives it to be written). */
  flush(): void {
    if (this.used === 0) return;
    if (this.queue) {
      this.buffer = this.queue.give(this.buffer, this.fd, this.used);
      this.used = 0;
      return;
    }
    let done = 0;
    try {
      while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    } catch (error) {
      throw cannotWrite(this.path, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    this.used = 0;
  }
}

const BUFFER_BYTES = WRITE_BUFFER_BYTES;

/**
 * Opens `path` to be written from empty, as `openSync(path, 'w')` does. An
 * existing file of the user's own (a regular file with no other link, which
 * this process may write) is not truncated but moved aside, a new file made
 * in its place with its mode, and the old one deleted in the background:
 * on ext4, freeing the blocks of the last run's output takes tens of
 * milliseconds, and a file truncated to zero is written back to the disk
 * when it is closed (its `auto_da_alloc` safeguard), which the run would
 * wait for at its end — 60 ms for a 185 MiB access log. Anything else (a
 * symbolic link, a device, a FIFO, a file with other links, a directory
 * that cannot take a new file) is opened as it is and truncated.
 */
function openReplacing(path: string): number {
  let aside: string | undefined;
  try {
    const old = lstatSync(path);
    // Owned by this user: a new file would be, so the owner does not change (nor does the mode, set past the umask).
    if (old.isFile() && old.nlink === 1 && old.size > 0 && old.uid === process.getuid?.()) {
      accessSync(path, constants.W_OK);
      const moved = join(dirname(path), `.${basename(path)}.${process.pid}.replaced`);
      renameSync(path, moved);
      aside = moved;
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, old.mode & 0o7777);
      fchmodSync(fd, old.mode & 0o7777);
      unlink(moved, () => undefined);
      return fd;
    }
  } catch {
    // Put the old file back if it was moved, then open the usual way: that reports whatever is wrong with the path.
    if (aside !== undefined) {
      try {
        renameSync(aside, path);
      } catch {
        // The new file is there (another process made it): the old one goes.
        unlink(aside, () => undefined);
      }
    }
  }
  return openSync(path, 'w');
}
