import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

describe('ambient telemetry: ztunnel never parses HTTP, so only a waypoint reports HTTP metrics (§11)', () => {
  it('the ambient shop: istio_requests_total only for users (through the waypoint), nothing from the destinations’ ztunnels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-ambient-'));
    try {
      const out = join(dir, 'run.prom');
      const { code } = await meshviz('simulate', '--scenario', 'ambient', '--duration', '5s', '--metrics', out);
      expect(code).toBe(0);
      const lines = readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('istio_requests_total{'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.includes('reporter="destination"'))).toEqual([]);
      const services = new Set(lines.map((l) => /destination_service="([^"]*)"/.exec(l)?.[1]));
      expect([...services]).toEqual(['users.default.svc.cluster.local']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
