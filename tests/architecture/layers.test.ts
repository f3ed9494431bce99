import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer star as the lint enforces it, checked on probe files (never written to disk). */
describe('layer boundaries', () => {
  const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
  const messages = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath }))[0]?.messages.map((m) => m.message) ?? [];

  it('the visualizer reads the mesh through api only: importing the engine is a lint error', async () => {
    expect(await messages('src/ui/state/probe.ts', "import { Simulation } from '../../engine/index.ts';\nexport const s = Simulation;\n")).toEqual([
      "'../../engine/index.ts' import is restricted from being used by a pattern. the ui layer must not depend on engine (see ARCHITECTURE.md)",
    ]);
    expect(await messages('src/ui/state/probe.ts', "import { openLive } from '../../api/index.ts';\nexport const o = openLive;\n")).toEqual([]);
  });

  it('which document a control edits is control-plane knowledge: api reaches it through istio’s index', async () => {
    expect(await messages('src/api/probe.ts', "import { canaryRoutes } from '../istio/controls/canaryRoutes.ts';\nexport const c = canaryRoutes;\n")).toEqual([
      "'../istio/controls/canaryRoutes.ts' import is restricted from being used by a pattern. import istio through its index.ts, not a file inside it",
    ]);
  });
});
