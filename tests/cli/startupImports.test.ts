import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILD = new URL('../../build/cli/', import.meta.url).pathname;

/** The files a bundle file loads before it runs: its static imports, followed (dynamic `import()`s are not). */
function staticClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    const text = readFileSync(join(BUILD, file), 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import\s*(?:\{[^}]*\}\s*from\s*)?|\}\s*from\s*)"\.\/([^"]+\.js)";/gm)) queue.push(m[1] as string);
  }
  return seen;
}

describe('what the CLI loads before a command runs', () => {
  // `meshviz --help`, `--version` and argument errors are answered from main.js and what it imports
  // statically; the simulator, the YAML parser and the Istio schemas come with the command that needs them.
  const closure = staticClosure('main.js');

  it('follows the static imports of the bundle (the walk itself sees more than one file)', () => {
    expect(closure.size).toBeGreaterThan(1);
  });

  it.each([
    // esbuild heads each module's code with a comment naming its path (node_modules may sit further up).
    ['the simulation engine', /^\/\/ src\/engine\/sim\/Simulation\.ts$/m],
    ['the YAML parser', /^\/\/ \S*node_modules\/yaml\//m],
    ['the Istio schema checks', /^\/\/ \S*node_modules\/@kubernetes-models\/istio\//m],
    ['the scenario compiler', /^\/\/ src\/istio\//m],
  ])('does not load %s', (_what, marker) => {
    const holders = [...closure].filter(([, text]) => marker.test(text)).map(([file]) => file);
    expect(holders).toEqual([]);
  });

  it('but a command does: send reaches the engine through its dynamic import', () => {
    const main = closure.get('main.js') as string;
    const send = /import\("\.\/(runSend-[^"]+\.js)"\)/.exec(main)?.[1];
    expect(send).toBeDefined();
    const reached = [...staticClosure(send as string).values()].some((text) => text.includes('// src/engine/sim/Simulation.ts'));
    expect(reached).toBe(true);
  });
});
