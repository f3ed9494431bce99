import { closeSync, openSync, writeSync } from 'node:fs';
import { CliError } from './CliError.ts';

/**
 * A file written as a run goes: text is gathered up to 256 KiB, then
 * written synchronously, so memory stays flat however long the run and a
 * crash loses at most the last chunk.
 */
export class FileSink {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(
    readonly path: string,
    flag: string,
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new CliError(`cannot write ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'name a file in a directory you can write to');
    }
  }

  readonly write = (text: string): void => {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  };

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }
}

const FLUSH_AT = 256 * 1024;
