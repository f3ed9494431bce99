import { MICROS_PER_MS } from '../model/index.ts';
import type { MeshEvent } from '../model/index.ts';

/** The event fields that are times (integer µs in the engine). */
const MICROS_KEYS = ['t', 'delay', 'setup', 'timeout', 'duration', 'ejectedFor', 'notAfter', 'range', 'failFastAt'] as const;
/** The event fields that are numbers but not times. */
type CountKey = 'requestId' | 'attempt' | 'port' | 'percent' | 'status' | 'shadowId' | 'healthy' | 'total' | 'ejected' | 'connection' | 'pending' | 'retry' | 'childId' | 'ejections' | 'version' | 'retries' | 'attempts' | 'balance' | 'penalty' | 'waiting';

type NumberKeys<E> = E extends unknown ? { [K in keyof E]-?: E[K] extends number | readonly [number, number] ? K : never }[keyof E] : never;
type Unclassified = Exclude<NumberKeys<MeshEvent>, (typeof MICROS_KEYS)[number] | CountKey>;
/** A new numeric event field fails to compile here until it is listed as a time or a count above. */
const everyNumberClassified: [Unclassified] extends [never] ? true : Unclassified = true;
void everyNumberClassified;

/** An event as JSON output carries it: every time in milliseconds, named with an `Ms` suffix (`t` → `tMs`). */
export type EventJson = Record<string, unknown> & { tMs: number; kind: MeshEvent['kind'] };

export function eventJson(event: MeshEvent): EventJson {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!(MICROS_KEYS as readonly string[]).includes(key)) out[key] = value;
    else out[`${key}Ms`] = Array.isArray(value) ? value.map(toMs) : toMs(value as number);
  }
  return out as EventJson;
}

function toMs(micros: number): number {
  return micros / MICROS_PER_MS;
}
