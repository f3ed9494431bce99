import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';
import { getCurrentTest } from 'vitest/suite';

/**
 * A new empty folder `meshviz-<name>-XXXXXX` in the system's temporary
 * directory, removed with everything in it when the test that made it ends
 * (a test or its beforeEach), or after the file's tests when made at module
 * level or in a describe body. A beforeAll or afterAll must not make one:
 * an afterAll registered once the tests run is never called, so a folder
 * for a beforeAll is made at module level.
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `meshviz-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (getCurrentTest()) onTestFinished(remove);
  else afterAll(remove);
  return dir;
}
