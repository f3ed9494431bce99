import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('meshviz simulate: runs with no end in sight', () => {
  it('refuses a run over the budget before starting it, in one line with a hint, exit 2', async () => {
    const r = await meshviz('simulate', 'tests/fixtures/hostile/flood-rps.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'meshviz: this run would simulate about 60,000,000,000 requests (≈ 240,000,000,000 request-hops, ≈ 9 days here), over the budget of 100,000,000 request-hops (shorten it with --duration or lower rates, or pass --force to run it anyway)\n',
    );
  }, 30_000);

  // 20,000 rps for two minutes: half a minute or more of work. Piped stderr gets plain progress lines;
  // Ctrl-C (SIGINT) stops the run and prints what was simulated so far.
  it('shows progress with the time left, and Ctrl-C prints the report so far (exit 130)', async () => {
    const dir = tempDir('long');
    const file = join(dir, 'busy.yaml');
    writeFileSync(file, readFileSync('scenarios/default.yaml', 'utf8').replace('      rps: 20\n      duration: 60s', '      rps: 20000\n      duration: 120s'));
    const child = spawn(process.execPath, ['bin/meshviz.js', 'simulate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const progressed = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('left)\n')) resolve();
    }));
    await progressed;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr.split('\n')[0]).toMatch(/^simulating… \d+% \([\d.]+ s of virtual time, \d+ s so far, about [\d.]+ (s|min) left\)$/);
    expect(code).toBe(130);
    expect(stdout).toMatch(/^interrupted at [\d.]+ s of virtual time; what was simulated so far:\nsimulated [\d.]+ s \(seed 42\), \d+ events\nrequests: \d+/);
  }, 120_000);
});
