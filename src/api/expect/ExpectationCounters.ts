import type { Comparison, EdgeTally, Micros, RequestTally, ResponseFlag, RunCounters, SourcePos } from '../../model/index.ts';
import { LatencyHistogram } from '../../telemetry/index.ts';
import type { ResolvedExpectation, ResolvedSubject } from './resolveExpectations.ts';

/** What one condition has counted so far. */
interface Measure {
  check: ResolvedExpectation;
  /** Requests that ended in the window (started, for `retries`). */
  requests: number;
  /** Answers that were not 5xx and not a reset (`successRate`), or that match (`none`). */
  counted: number;
  retries: number;
  latency: LatencyHistogram | undefined;
  ejection: { at: Micros; client: string; endpoint: string } | undefined;
}

/** A condition's verdict, with what was measured in words and as a number. */
export interface ExpectationResult {
  expectation: string;
  passed: boolean;
  /** What the run showed, e.g. `p99 = 23.45ms (1,200 requests)`. */
  measured: string;
  /** The measured number in the condition's unit (ms, %, a count, seconds after failing); null when nothing was measured. */
  value: number | null;
  source: SourcePos | null;
  path: string | null;
}

/**
 * Counts what conditions need while a run counts its report (fed through
 * `teeCounters`): per condition, only requests of its subject that end in
 * its window, read off the run's clock. Tallies are asked once per kind of
 * request, so a request costs a loop over the conditions it concerns.
 */
export class ExpectationCounters implements RunCounters {
  private readonly measures: Measure[];
  private readonly retryMeasures: Measure[];
  private readonly ejectMeasures: Measure[];

  constructor(
    checks: readonly ResolvedExpectation[],
    private readonly now: () => Micros,
  ) {
    this.measures = checks.map((check) => ({ check, requests: 0, counted: 0, retries: 0, latency: check.kind === 'latency' ? new LatencyHistogram() : undefined, ejection: undefined }));
    this.retryMeasures = this.measures.filter((m) => m.check.kind === 'retries');
    this.ejectMeasures = this.measures.filter((m) => m.check.kind === 'ejected');
  }

  requestTally(fromWorkload: string, host: string, traffic: string | undefined): RequestTally {
    return this.measures.filter((m) => m.check.kind !== 'ejected' && concerns(m.check.resolved, fromWorkload, host, traffic));
  }

  requestStarted(tally: RequestTally): void {
    for (const m of tally as Measure[]) if (m.check.kind === 'retries' && this.inWindow(m)) m.requests += 1;
  }

  requestEnded(tally: RequestTally, status: number, flags: readonly ResponseFlag[], duration: Micros): void {
    for (const m of tally as Measure[]) {
      const { check } = m;
      if (check.kind === 'retries' || !this.inWindow(m)) continue;
      m.requests += 1;
      if (check.kind === 'latency') m.latency?.record(duration);
      else if (check.kind === 'successRate') m.counted += status > 0 && status < 500 ? 1 : 0;
      else if (check.kind === 'none') m.counted += answerMatches(check, status, flags) ? 1 : 0;
    }
  }

  edgeTally(): EdgeTally {
    return undefined;
  }

  inboundCompleted(): void {}

  retried(): void {
    for (const m of this.retryMeasures) if (this.inWindow(m)) m.retries += 1;
  }

  ejected(clientPod: string, _cluster: string, endpoint: string, at: Micros): void {
    for (const m of this.ejectMeasures) {
      const failing = m.check.failing;
      if (!m.ejection && failing && failing.pods.has(endpoint) && at >= failing.at) m.ejection = { at, client: clientPod, endpoint };
    }
  }

  unejected(): void {}

  /** Each condition's verdict, in the order they were given. */
  results(): ExpectationResult[] {
    const end = this.now();
    return this.measures.map((m) => ({ expectation: m.check.text, ...verdict(m, end), source: m.check.source ?? null, path: m.check.path ?? null }));
  }

  private inWindow(m: Measure): boolean {
    const window = m.check.window;
    if (!window) return true;
    const t = this.now();
    return t >= window.from && (window.to === undefined || t < window.to);
  }
}

function concerns(subject: ResolvedSubject, fromWorkload: string, host: string, traffic: string | undefined): boolean {
  switch (subject.kind) {
    case 'all':
      return true;
    case 'traffic':
      return traffic === subject.name;
    case 'call':
      return subject.from.has(fromWorkload) && host === subject.host;
    default:
      return subject satisfies never;
  }
}

function answerMatches(check: Extract<ResolvedExpectation, { kind: 'none' }>, status: number, flags: readonly ResponseFlag[]): boolean {
  const s = check.status;
  if (s && (s.kind === 'exact' ? status !== s.status : Math.floor(status / 100) !== s.hundreds)) return false;
  return check.flags.every((f) => flags.includes(f));
}

const count = (n: number): string => n.toLocaleString('en-US');
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** A condition's verdict when the run stopped at `end` (simulated µs). */
function verdict(m: Measure, end: Micros): { passed: boolean; measured: string; value: number | null } {
  const { check } = m;
  switch (check.kind) {
    case 'latency': {
      if (!m.latency || m.latency.count === 0) return { passed: false, measured: 'no request ended in the window', value: null };
      const micros = m.latency.percentile(check.percentile);
      return { passed: compare(micros, check.op, check.value), measured: `p${check.percentile} = ${round(micros / 1000)}ms (${count(m.latency.count)} requests)`, value: round(micros / 1000) };
    }
    case 'successRate': {
      if (m.requests === 0) return { passed: false, measured: 'no request ended in the window', value: null };
      const percent = (100 * m.counted) / m.requests;
      return { passed: compare(percent, check.op, check.percent), measured: `${round(percent, 3)} % (${count(m.counted)} of ${count(m.requests)} answered without a 5xx or a reset)`, value: round(percent, 3) };
    }
    case 'none':
      return { passed: m.counted === 0, measured: `${count(m.counted)} of ${count(m.requests)} answers were ${answerText(check)}`, value: m.counted };
    case 'ejected': {
      const failing = check.failing;
      if (!failing) return { passed: false, measured: 'never failed by the timeline', value: null };
      // A run that stopped before the failure began could not see an ejection: said so, not "never ejected".
      if (!m.ejection && end < failing.at) return { passed: false, measured: `nothing: the run stopped at ${seconds(end)}, before the failure from ${seconds(failing.at)} began`, value: null };
      if (!m.ejection) return { passed: false, measured: `never ejected (failing from ${seconds(failing.at)})`, value: null };
      const after = m.ejection.at - failing.at;
      return { passed: after <= check.within, measured: `ejected ${seconds(after)} after failing (${m.ejection.endpoint} by ${m.ejection.client} at ${seconds(m.ejection.at)})`, value: round(after / 1e6, 3) };
    }
    case 'retries': {
      if (!check.percent) return { passed: compare(m.retries, check.op, check.value), measured: `${count(m.retries)} retries`, value: m.retries };
      if (m.requests === 0) return { passed: false, measured: 'no request was sent in the window', value: null };
      const percent = (100 * m.retries) / m.requests;
      return { passed: compare(percent, check.op, check.value), measured: `${count(m.retries)} retries = ${round(percent, 3)} % of ${count(m.requests)} requests`, value: round(percent, 3) };
    }
    default:
      return check satisfies never;
  }
}

function answerText(check: Extract<ResolvedExpectation, { kind: 'none' }>): string {
  const status = check.status ? (check.status.kind === 'exact' ? String(check.status.status) : `${check.status.hundreds}xx`) : '';
  return [status, check.flags.join(',')].filter((w) => w !== '').join(' ');
}

function seconds(micros: Micros): string {
  return `${round(micros / 1e6, 3)}s`;
}

/** Whether `measured op bound` holds. */
export function compare(measured: number, op: Comparison, bound: number): boolean {
  switch (op) {
    case '<':
      return measured < bound;
    case '<=':
      return measured <= bound;
    case '>':
      return measured > bound;
    case '>=':
      return measured >= bound;
    case '=':
      return measured === bound;
    default:
      return op satisfies never;
  }
}
