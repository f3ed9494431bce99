import type { Micros } from '../model/index.ts';

/**
 * Simulated time on a wall clock: the run's instant 0 is `startMs`
 * (milliseconds since the Unix epoch, UTC). Pure arithmetic, no Date: the
 * same text in Node and the browser.
 */
export class WallClock {
  /** The last day written (days since the epoch) and its `YYYY-MM-DDT` text: a run's lines are mostly on one day. */
  private day = NaN;
  private dayText = '';
  /** The last second asked of `isoSecond` (seconds since the epoch) and its text. */
  private second = NaN;
  private secondText = '';

  constructor(readonly startMs: number) {}

  /** Envoy's default `%START_TIME%`: `2026-12-02T10:00:00.123Z` (ms, UTC). */
  iso(t: Micros): string {
    const ms = this.startMs + Math.floor(t / 1000);
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.dayText = isoOf(day * 86_400_000).slice(0, 11);
    }
    return this.dayText + timeOfDay(ms - day * 86_400_000);
  }

  /** Milliseconds since the epoch at simulated instant `t`. */
  ms(t: Micros): number {
    return this.startMs + Math.floor(t / 1000);
  }

  /** `iso` up to the second of `ms` (ms since the epoch), with the dot: `2026-12-02T10:00:00.`; made once per second. */
  isoSecond(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = isoOf(second * 1000).slice(0, -4);
    }
    return this.secondText;
  }

  /** Seconds since the epoch with ms, as OpenMetrics timestamps are written: `1764669600.015`. */
  seconds(t: Micros): string {
    const ms = this.startMs + Math.floor(t / 1000);
    return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
  }

  /** Nanoseconds since the epoch as a decimal string (OTLP's `*UnixNano`), exact beyond 2^53. */
  nanos(t: Micros): string {
    const ms = this.startMs + Math.floor(t / 1000);
    const ns = (t % 1000) * 1000;
    return ms === 0 ? String(ns) : `${ms}${String(ns).padStart(6, '0')}`;
  }
}

/** ISO 8601 in UTC with milliseconds, from ms since the epoch (days to civil date: H. Hinnant's algorithm). */
export function isoOf(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${timeOfDay(rest)}`;
}

/** `HH:MM:SS.mmmZ` for ms into a day. */
function timeOfDay(rest: number): string {
  return `${two(Math.floor(rest / 3_600_000))}:${two(Math.floor(rest / 60_000) % 60)}:${two(Math.floor(rest / 1000) % 60)}.${String(rest % 1000).padStart(3, '0')}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
