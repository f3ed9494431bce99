import type { SourcePos } from './diagnostics.ts';
import type { ResponseFlag } from './events.ts';
import type { Micros } from './units.ts';

/**
 * A condition over a run, as the Simulation document's `expect:` list (or
 * `meshviz simulate --expect FILE`) writes it: `p99 of traffic browse <
 * 500ms`, `success rate of web → api ≥ 99.5 % between 60s and 120s`, `no
 * 503 UH`, `users-v1 ejected within 20s of failing`, `retries ≤ 20 % of
 * requests`. Names are kept as written; the api resolves them against the
 * scenario.
 */
export type Expectation = ExpectationBase &
  (
    | { kind: 'latency'; percentile: number; subject: ExpectSubject; op: Comparison; value: Micros }
    | { kind: 'successRate'; subject: ExpectSubject; op: Comparison; percent: number }
    /** No answer with this status (or class: 500 for `5xx`) and these flags. */
    | { kind: 'none'; status: StatusMatch | undefined; flags: ResponseFlag[]; subject: ExpectSubject }
    /** Some endpoint of `target` is ejected by some caller within `within` of the timeline failing it. */
    | { kind: 'ejected'; target: string; within: Micros }
    /** Retries granted, against a count or a share of every request sent (`percent: true`). */
    | { kind: 'retries'; op: Comparison; value: number; percent: boolean }
  );

export interface ExpectationBase {
  /** The condition as written. */
  text: string;
  /** Where it was written: its list item, and the field path of it in the document. */
  source?: SourcePos;
  path?: string;
  /** Only what ends in [from, to) counts; `to` undefined: until the run ends. */
  window: ExpectWindow | undefined;
}

export interface ExpectWindow {
  from: Micros;
  to: Micros | undefined;
}

/** Whose requests a condition counts. */
export type ExpectSubject =
  | { kind: 'all' }
  | { kind: 'traffic'; name: string }
  /** Calls from a workload (or external traffic) to a service, as the caller saw them. */
  | { kind: 'call'; from: string; to: string };

/** An exact status (`503`) or a class (`5xx`: every status from 500 to 599). */
export type StatusMatch = { kind: 'exact'; status: number } | { kind: 'class'; hundreds: number };

export type Comparison = '<' | '<=' | '>' | '>=' | '=';
