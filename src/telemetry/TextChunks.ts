import type { TextSink } from './TelemetryPlan.ts';

/**
 * Lines gathered into one string of about `CHUNK` characters before they go
 * to an output's sink: the sink encodes and copies one large string instead
 * of one per line. `flush` hands over the rest (the run ended).
 */
export class TextChunks {
  private text = '';

  constructor(private readonly sink: TextSink) {}

  add(line: string): void {
    const text = this.text + line;
    if (text.length < CHUNK) this.text = text;
    else {
      this.text = '';
      this.sink(text);
    }
  }

  flush(): void {
    if (this.text === '') return;
    const text = this.text;
    this.text = '';
    this.sink(text);
  }
}

/** Characters handed over at once: a chunk stays in V8's young generation and within the file sink's buffer. */
const CHUNK = 64 * 1024;
