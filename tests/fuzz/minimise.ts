import type { SourceFile } from '../../src/api/index.ts';

/**
 * Shrinks a failing input while `fails` still holds: whole files first, then
 * YAML documents, then ever smaller runs of lines (delta debugging), until
 * nothing more can go or the time is up.
 */
export async function minimise(files: SourceFile[], fails: (files: SourceFile[]) => Promise<boolean>, deadline: number): Promise<SourceFile[]> {
  let current = files;
  const timeLeft = (): boolean => performance.now() < deadline;
  for (let i = current.length - 1; i >= 0 && current.length > 1 && timeLeft(); i--) {
    const without = current.filter((_, j) => j !== i);
    if (await fails(without)) current = without;
  }
  for (const separator of ['\n---\n', '\n']) {
    for (let f = 0; f < current.length && timeLeft(); f++) {
      let parts = (current[f] as SourceFile).text.split(separator);
      const withParts = (p: string[]): SourceFile[] => current.map((file, j) => (j === f ? { name: file.name, text: p.join(separator) } : file));
      for (let chunk = Math.max(1, Math.floor(parts.length / 2)); chunk >= 1 && timeLeft(); chunk = Math.floor(chunk / 2)) {
        for (let start = 0; start < parts.length && timeLeft(); ) {
          const candidate = [...parts.slice(0, start), ...parts.slice(start + chunk)];
          if (candidate.length > 0 && (await fails(withParts(candidate)))) parts = candidate;
          else start += chunk;
        }
      }
      current = withParts(parts);
    }
  }
  return current;
}
