/**
 * Time inside meshviz is an integer count of microseconds. Every duration is
 * converted to this unit once, at the edge (YAML, CLI flags), and stays an
 * integer so that event ordering never depends on floating-point sums.
 */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

export function ms(value: number): Micros {
  return Math.round(value * MICROS_PER_MS);
}

export function seconds(value: number): Micros {
  return Math.round(value * MICROS_PER_SECOND);
}

export function toMs(value: Micros): number {
  return value / MICROS_PER_MS;
}

const UNIT_MICROS: Record<string, number> = {
  h: 3_600_000_000,
  m: 60_000_000,
  s: 1_000_000,
  ms: 1_000,
  us: 1,
  µs: 1,
  ns: 0.001,
};

const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)(h|ms|m|s|us|µs|ns)/y;

/**
 * The longest duration Go's `time.Duration` holds (2^63 − 1 ns), and so the
 * longest Istio reads: `time.ParseDuration` calls anything longer invalid.
 */
export const MAX_GO_DURATION: Micros = 9_223_372_036_854_775;
export const MAX_GO_DURATION_TEXT = '2562047h47m16.854775807s';

/** The longest duration the Simulation document may give (`at`, `duration`, latencies, delays): a year of virtual time. */
export const MAX_SIMULATED_DURATION: Micros = 8760 * 3_600_000_000;
export const MAX_SIMULATED_DURATION_TEXT = '8760h (a year)';

/**
 * Parses a duration the way Istio accepts it (Go `time.ParseDuration` forms
 * such as `10ms`, `1.5s`, `2m`, `1m30s`). Returns `undefined` when the text is
 * not a duration; callers turn that into a diagnostic. A duration longer than
 * Go can hold (`MAX_GO_DURATION`; a 400-digit number of seconds) is returned
 * as `Infinity`, never as a number the clock would choke on.
 */
export function parseDuration(text: string): Micros | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (trimmed.length === 0) return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  while (DURATION_PART.lastIndex < trimmed.length) {
    const start = DURATION_PART.lastIndex;
    const match = DURATION_PART.exec(trimmed);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * (UNIT_MICROS[match[2] as string] as number);
  }
  return total > MAX_GO_DURATION ? Infinity : Math.round(total);
}

/** Formats microseconds for people: `850µs`, `12.5ms`, `3.2s`, `2m5s`. */
export function formatDuration(value: Micros): string {
  const abs = Math.abs(value);
  if (abs < MICROS_PER_MS) return `${value}µs`;
  if (abs < MICROS_PER_SECOND) return `${trimNumber(value / MICROS_PER_MS)}ms`;
  if (abs < 60 * MICROS_PER_SECOND) return `${trimNumber(value / MICROS_PER_SECOND)}s`;
  const minutes = Math.floor(value / (60 * MICROS_PER_SECOND));
  const rest = value - minutes * 60 * MICROS_PER_SECOND;
  return rest === 0 ? `${minutes}m` : `${minutes}m${trimNumber(rest / MICROS_PER_SECOND)}s`;
}

function trimNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
