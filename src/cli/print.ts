/** Writes one line of output to stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
