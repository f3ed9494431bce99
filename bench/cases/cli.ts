import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secondsSince } from '../stats.ts';

export interface CliRun {
  stdout: string;
  wallSeconds: number;
  /** Peak resident set size of the CLI's process, in bytes. */
  peakRss: number;
  /** Where the peak came from: GNU time's report or polling /proc. */
  peakFrom: 'time -v' | '/proc VmHWM';
  /** CPU seconds (user + system, every thread) as GNU time reports them; NaN without it. */
  cpuSeconds: number;
}

const BIN = fileURLToPath(new URL('../../bin/meshviz.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/** Runs `node bin/meshviz.js …args` as a user would (the Node running the bench), timing it and taking its peak RSS. */
export async function runCli(args: string[]): Promise<CliRun> {
  const viaTime = existsSync(GNU_TIME);
  const command = viaTime ? GNU_TIME : process.execPath;
  const argv = viaTime ? ['-v', process.execPath, BIN, ...args] : [BIN, ...args];
  const start = process.hrtime.bigint();
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  // GNU time reports the peak itself; without it, VmHWM (the high-water mark) is read until the process ends.
  let polled = 0;
  const poll = viaTime ? undefined : setInterval(() => (polled = Math.max(polled, vmHwm(child.pid))), 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallSeconds = secondsSince(start);
  if (poll) clearInterval(poll);
  const stderr = Buffer.concat(err).toString('utf8');
  if (code !== 0) throw new Error(`meshviz ${args.join(' ')} exited with ${code}:\n${stderr}`);
  const fromTime = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    wallSeconds,
    peakRss: fromTime ? Number(fromTime[1]) * 1024 : polled,
    peakFrom: fromTime ? 'time -v' : '/proc VmHWM',
    cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : Number.NaN,
  };
}

function vmHwm(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
