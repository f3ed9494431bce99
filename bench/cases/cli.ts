import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  /** CPU seconds by kind of thread, when asked for (`threads`): read from /proc while the process ran. */
  threads?: ThreadCpu;
}

/**
 * CPU seconds (user + system) of a process's threads by kind, as Linux
 * names them: Node's main thread (the run), its worker threads (the
 * writers, then the file writer: each in the order started), V8's
 * platform threads (concurrent compiling, marking and sweeping, parallel
 * scavenges) and the rest (libuv's pool, signals).
 * Read every few milliseconds until the process ends, so a thread that
 * ends between two readings loses at most that much.
 */
export interface ThreadCpu {
  main: number;
  workers: number;
  /** Each worker thread's, in the order they were started (thread ids). */
  eachWorker: number[];
  v8: number;
  other: number;
}

const BIN = fileURLToPath(new URL('../../bin/meshviz.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/** Runs `node bin/meshviz.js …args` as a user would (the Node running the bench), timing it and taking its peak RSS. */
export async function runCli(args: string[], options: { threads?: boolean } = {}): Promise<CliRun> {
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
  const threadTicks = new Map<string, { name: string; ticks: number }>();
  const threadPoll = options.threads ? setInterval(() => readThreads(viaTime ? nodeChildOf(child.pid) : child.pid, threadTicks), THREAD_POLL_MS) : undefined;
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallSeconds = secondsSince(start);
  if (poll) clearInterval(poll);
  if (threadPoll) clearInterval(threadPoll);
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
    ...(options.threads ? { threads: byKind(threadTicks.values()) } : {}),
  };
}

const THREAD_POLL_MS = 10;
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The node process GNU time started (its only child). */
function nodeChildOf(pid: number | undefined): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return children === '' ? undefined : Number(children.split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** Each thread's name and CPU ticks so far (user + system), kept by thread id: the last reading of a thread counts. */
function readThreads(pid: number | undefined, into: Map<string, { name: string; ticks: number }>): void {
  if (pid === undefined) return;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      into.set(tid, threadStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the reading.
    }
  }
}

/** A thread's name and CPU ticks (user + system) from its /proc `stat` line. */
export function threadStat(stat: string): { name: string; ticks: number } {
  // The name is in parentheses and may hold spaces and parentheses; the fields after it start with the state (field 3): utime and stime are fields 14 and 15.
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
}

export function byKind(threads: Iterable<{ name: string; ticks: number }>): ThreadCpu {
  const cpu: ThreadCpu = { main: 0, workers: 0, eachWorker: [], v8: 0, other: 0 };
  for (const { name, ticks } of threads) {
    const kind = name === 'MainThread' ? 'main' : name === 'WorkerThread' ? 'workers' : name.startsWith('V8') ? 'v8' : 'other';
    cpu[kind] += ticks / TICKS;
    if (kind === 'workers') cpu.eachWorker.push(ticks / TICKS);
  }
  return cpu;
}

function vmHwm(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
