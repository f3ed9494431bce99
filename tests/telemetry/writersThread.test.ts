import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { meshviz } from '../helpers/meshvizCli.ts';

/**
 * `meshviz simulate` writes its metrics, access log and spans on a thread
 * of their own (`src/cli/TelemetryThread.ts`); the golden telemetry test
 * pins the bytes it writes. Here: what a user sees when that thread
 * cannot write, and a run stopped with Ctrl-C, whose files must still end
 * with whole lines (and the metrics with `# EOF`).
 */
const dir = mkdtempSync(join(tmpdir(), 'meshviz-writers-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the telemetry writers’ thread', () => {
  it.runIf(existsSync('/dev/full'))('a disk that is full is one line naming the file, exit 2', async () => {
    const { code, stderr } = await meshviz('simulate', 'scenarios/bookinfo.yaml', '--duration', '20s', '--metrics', join(dir, 'full.om'), '--access-log', '/dev/full');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n').filter((l) => l.startsWith('meshviz:'))).toEqual(['meshviz: cannot write /dev/full: ENOSPC (check the disk has room and the file can be written)']);
    expect(stderr).not.toMatch(/\bat \S+:\d+:\d+/);
  });

  // The thread is started while the scenario is read: a scenario that fails to load must still end the command at once, with nothing written.
  it('a scenario with errors: its diagnostics, exit 2, no output file made, and the thread started early does not keep the process', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n');
    const metrics = join(dir, 'never.om');
    const { code, stderr } = await meshviz('simulate', broken, '--metrics', metrics, '--access-log', join(dir, 'never.log'));
    expect(code).toBe(2);
    expect(stderr).toContain('broken.yaml:4:1  MV0005  error  YAML syntax error');
    expect(stderr).toContain('the scenario has 1 error (nothing was simulated');
    expect(existsSync(metrics)).toBe(false);
    expect(existsSync(join(dir, 'never.log'))).toBe(false);
  });

  it('Ctrl-C mid-run: exit 130, and every file ends where a line ends', async () => {
    // Bookinfo at 200 rps for 10 minutes: many seconds of work, stopped after the first lines are written.
    const docs = parseAllDocuments(readFileSync('scenarios/bookinfo.yaml', 'utf8'));
    if (!Array.isArray(docs)) throw new Error('bookinfo.yaml has no documents');
    const simulation = docs.find((d) => d.get('kind') === 'Simulation');
    simulation?.setIn(['spec', 'traffic', 0, 'rps'], 200);
    simulation?.setIn(['spec', 'traffic', 0, 'duration'], '600s');
    const file = join(dir, 'long.yaml');
    writeFileSync(file, docs.map((d) => d.toString()).join(''));
    const [metrics, log, traces] = ['run.om', 'access.log', 'traces.jsonl'].map((f) => join(dir, f)) as [string, string, string];
    const child = spawn(process.execPath, ['bin/meshviz.js', 'simulate', file, '-o', 'json', '--metrics', metrics, '--access-log', log, '--traces', traces, '--trace-sampling', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The log gets its first megabyte once the writers' file buffer fills.
    for (let i = 0; i < 600 && !(existsSync(log) && statSync(log).size > 0); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = JSON.parse(stdout) as { stopped?: string; requests: { total: number } };
    expect(report.stopped).toMatch(/^interrupted at/);
    const text = readFileSync(log, 'utf8');
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').slice(0, -1).every((line) => /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] "GET .* (outbound|inbound)\|9080\|/.test(line))).toBe(true);
    expect(readFileSync(metrics, 'utf8').endsWith('# EOF\n')).toBe(true);
    const spans = readFileSync(traces, 'utf8');
    expect(spans.endsWith('\n')).toBe(true);
    for (const line of spans.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);
});
