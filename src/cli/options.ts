import { FAILURE_MODES, isFailureMode, MAX_SIMULATED_DURATION, MAX_SIMULATED_DURATION_TEXT, parseDuration, suggest } from '../model/index.ts';
import type { FailureMode, Micros } from '../model/index.ts';
import type { PushOrder } from '../api/index.ts';
import { CliError } from './CliError.ts';

/**
 * Flag values as commands read them. Every parser names its flag and what it
 * accepts, so a bad value reads `meshviz: invalid value "0" for --repeat
 * (expected an integer from 1 to 10000)`.
 */
export function badValue(flag: string, got: string, accepted: string, near?: string): CliError {
  return new CliError(`invalid value "${got}" for ${flag}`, near ? `did you mean ${near}? expected ${accepted}` : `expected ${accepted}`);
}

export function integerOption(flag: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) throw badValue(flag, text, `an integer from ${min} to ${max}`);
    return value;
  };
}

/** `--seed`: any integer a double holds exactly (the RNG hashes it as text, so none is rounded). */
export const parseSeed = integerOption('--seed', 0, Number.MAX_SAFE_INTEGER);

export function percentOption(flag: string): (text: string) => number {
  return (text) => {
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(value <= 100)) throw badValue(flag, text, 'a percentage from 0 to 100');
    return value;
  };
}

export function choiceOption<T extends string>(flag: string, choices: readonly T[]): (text: string) => T {
  return (text) => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw badValue(flag, text, choices.join(' or '), suggest(text, choices));
  };
}

/** A duration as Istio writes one (`30s`, `500ms`, `2m`, `1h`), more than zero. */
export function durationOption(flag: string): (text: string) => Micros {
  return (text) => {
    const value = parseDuration(text);
    if (value === undefined || value <= 0 || value > MAX_SIMULATED_DURATION) {
      throw badValue(flag, text, `a duration more than 0 and at most ${MAX_SIMULATED_DURATION_TEXT}, such as 500ms, 30s, 2m or 1h`);
    }
    return value;
  };
}

/** A duration that may be zero (`0`, `0s`, `100ms`): a gap or a moment of a run. */
export function durationOrZeroOption(flag: string): (text: string) => Micros {
  return (text) => {
    const value = text === '0' ? 0 : parseDuration(text);
    if (value === undefined || value < 0 || value > MAX_SIMULATED_DURATION) {
      throw badValue(flag, text, `0 or a duration of at most ${MAX_SIMULATED_DURATION_TEXT}, such as 100ms, 2s or 1m`);
    }
    return value;
  };
}

/** `--push-order`: `file`, `together`, or kinds first (`DestinationRule,VirtualService`). */
export function parsePushOrder(text: string): PushOrder {
  if (text === 'file' || text === 'together') return { kind: text };
  const kinds = text.split(',').map((k) => k.trim());
  if (kinds.some((k) => !/^[A-Z][A-Za-z0-9]*$/.test(k))) throw badValue('--push-order', text, 'file, together, or kinds to push first, comma-separated, e.g. DestinationRule,VirtualService');
  return { kind: 'kinds', kinds };
}

/** A repeatable flag's values, in order. */
export function collect<T>(parse: (text: string) => T): (text: string, previous: T[]) => T[] {
  return (text, previous) => [...previous, parse(text)];
}

/** `--header key:value`, the key lower-cased as HTTP/2 and Envoy see it. */
export function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0) throw badValue('--header', text, 'key:value, e.g. end-user:jason');
  return [text.slice(0, i).trim().toLowerCase(), text.slice(i + 1).trim()];
}

/**
 * Repeated `--header`s as the request's headers: a name given more than
 * once has its values joined with ',' in the order given, as Envoy reads a
 * repeated header when it matches routes (`HeaderUtility`: "Multiple
 * headers are concatenated with ','").
 */
export function headerRecord(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) headers[name] = name in headers ? `${headers[name]},${value}` : value;
  return headers;
}

/** `--method`: an HTTP method token. */
export function parseMethod(text: string): string {
  if (!/^[A-Za-z]+$/.test(text)) throw badValue('--method', text, 'an HTTP method such as GET, POST or DELETE');
  return text.toUpperCase();
}

/** `send --fail`: `TARGET=MODE` marks a workload or pod failing; alone (the empty value) it asks for curl -f's exit status. */
export type FailFlag = { kind: 'target'; target: string; mode: FailureMode } | { kind: 'status' };

export function parseFail(text: string): FailFlag {
  if (text === '') return { kind: 'status' };
  const eq = text.lastIndexOf('=');
  const target = text.slice(0, eq);
  const mode = text.slice(eq + 1);
  const accepted = `TARGET=MODE with MODE one of ${FAILURE_MODES.join(' ')}, or --fail alone to exit 1 on a non-2xx answer`;
  if (eq <= 0) throw badValue('--fail', text, `${accepted}; files go before --fail`);
  const near = suggest(mode, FAILURE_MODES);
  if (!isFailureMode(mode)) throw badValue('--fail', text, accepted, near && `${target}=${near}`);
  return { kind: 'target', target, mode };
}

/** `--shard I/N`: shard I (0-based, as a Kubernetes Indexed Job numbers its pods) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1 && count <= 10_000) || !(index < count)) throw badValue('--shard', text, 'I/N with 0 ≤ I < N ≤ 10000, e.g. 0/4');
  return { index, count };
}

/** `--start`: an RFC 3339 instant with its offset (`2026-01-05T09:00:00Z`), as ms since the epoch. */
export function parseInstant(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw badValue('--start', text, 'an RFC 3339 instant such as 2026-01-05T09:00:00Z');
  return ms;
}

/** `--pace`: simulated seconds per wall second, from 0.001 to 1000. */
export function parsePace(text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0.001 && value <= 1000)) throw badValue('--pace', text, 'a factor from 0.001 to 1000 (1: simulated time runs as fast as wall time)');
  return value;
}
