import { closeSync, openSync, writeSync } from 'node:fs';
import { CliError } from './CliError.ts';

/**
 * A file written as a run goes: text is encoded straight into a 1 MiB
 * buffer, written synchronously when it fills, so memory stays flat however
 * long the run and a crash loses at most the last megabyte.
 */
export class FileSink {
  /** The open file (another thread may write it through a sink of its own: `onDescriptor`). */
  readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(
    readonly path: string,
    flag: string,
    fd?: number,
  ) {
    if (fd !== undefined) {
      this.fd = fd;
      return;
    }
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new CliError(`cannot write ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'name a file in a directory you can write to');
    }
  }

  /** A sink on a file another sink opened (in another thread): `flush` it when done; the opener closes the file. */
  static onDescriptor(fd: number, path: string): FileSink {
    return new FileSink(path, '', fd);
  }

  readonly write = (text: string): void => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = 3 * text.length;
    if (this.used + most > BUFFER_BYTES) this.flush();
    if (most > BUFFER_BYTES) writeSync(this.fd, text);
    else this.used += this.buffer.write(text, this.used);
  };

  /** Bytes as they are (already UTF-8). */
  readonly writeBytes = (bytes: Uint8Array): void => {
    if (this.used + bytes.length > BUFFER_BYTES) this.flush();
    if (bytes.length > BUFFER_BYTES) writeSync(this.fd, bytes);
    else {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
    }
  };

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** Writes what is buffered. */
  flush(): void {
    let done = 0;
    try {
      while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    } catch (error) {
      throw new CliError(`cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'check the disk has room and the file can be written');
    }
    this.used = 0;
  }
}

const BUFFER_BYTES = 1 << 20;
