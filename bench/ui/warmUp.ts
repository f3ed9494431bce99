import type { Page } from 'playwright-core';
import { mv } from '../../e2e/harness.ts';
import { generateMesh } from './generateMesh.ts';

/** Requests the benchmarks keep on screen. */
export const TARGET_IN_FLIGHT = 500;

/**
 * Loads the generated 200-pod mesh and runs Auto from the outside client
 * until the picture holds about `TARGET_IN_FLIGHT` requests. Returns the
 * number of pods.
 */
export async function warmUp(page: Page): Promise<number> {
  await page.setInputFiles('[data-testid="file-input"]', { name: 'bench-200.yaml', mimeType: 'text/yaml', buffer: Buffer.from(generateMesh()) });
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom', undefined, { timeout: 60_000 });
  const pods = await mv(page, (m) => m.pods().length);
  await mv(page, (m) => {
    m.select('external', 'front');
    m.setSpeed(1000);
    m.auto(140);
    m.play();
  });
  await page.waitForFunction((n) => (window.__meshviz?.drawn() ?? 0) >= n, TARGET_IN_FLIGHT, { timeout: 120_000, polling: 200 });
  return pods;
}
