import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The engine's records keep one hidden class per kind, as V8 sees them (the
 * engine README: records are born with every field, none is deleted). A pod
 * that recovered from its failure once lost its field to `delete`, became a
 * dictionary, and sent every read of a pod on the request path through V8's
 * generic lookup: a sixth of the throughput case's instructions.
 */
describe('record shapes', () => {
  it('after the default story (users-v1 fails, then recovers), pods, cluster configs and route actions each share one shape, none a dictionary', () => {
    const shapes = shapesAfter('default');
    expect(shapes['pods']).toEqual({ records: 6, shapes: 1, dictionaries: 0 });
    expect(shapes['clusterConfigs']).toEqual({ records: 6, shapes: 1, dictionaries: 0 });
    expect(shapes['routeActions']).toMatchObject({ shapes: 1, dictionaries: 0 });
  });

  // Each compiler builds its clusters and route actions through model/xdsShapes.ts.
  it.each(['linkerd', 'ambient', 'bookinfo'])('%s: one shape for the clusters and one for the route actions, whatever compiler built them', (scenario) => {
    const shapes = shapesAfter(scenario);
    expect(shapes['pods']).toMatchObject({ shapes: 1, dictionaries: 0 });
    expect(shapes['clusterConfigs']).toMatchObject({ shapes: 1, dictionaries: 0 });
    expect(shapes['routeActions']).toMatchObject({ shapes: 1, dictionaries: 0 });
  });
});

/** The shapes `tests/helpers/recordShapes.ts` finds after a built-in scenario's first minute, with V8's natives syntax on. */
function shapesAfter(scenario: string): Record<string, { records: number; shapes: number; dictionaries: number }> {
  const script = fileURLToPath(new URL('../helpers/recordShapes.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script, scenario], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Record<string, { records: number; shapes: number; dictionaries: number }>;
}
