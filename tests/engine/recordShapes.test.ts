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
    const script = fileURLToPath(new URL('../helpers/recordShapes.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const shapes = JSON.parse(run.stdout) as Record<string, { records: number; shapes: number; dictionaries: number }>;
    expect(shapes['pods']).toEqual({ records: 6, shapes: 1, dictionaries: 0 });
    expect(shapes['clusterConfigs']).toEqual({ records: 6, shapes: 1, dictionaries: 0 });
    expect(shapes['routeActions']?.shapes).toBe(1);
    expect(shapes['routeActions']?.dictionaries).toBe(0);
  });
});
