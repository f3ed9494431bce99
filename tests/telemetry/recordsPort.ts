import type { ClientRecord, ServerRecord } from '../../src/telemetry/RequestRecorder.ts';
import type { TelemetryWriterPort } from '../../src/telemetry/TelemetryPlan.ts';

/** A writers' port that hands the client and server records it is given to `seen` (copied: the wire reuses its records) and ignores every other call. */
export function recordsPort(seen: { client?: (r: ClientRecord) => void; server?: (r: ServerRecord) => void }): TelemetryWriterPort {
  const ignore = (): void => undefined;
  return {
    client: (r) => seen.client?.(structuredClone({ ...r, attempts: r.attempts.map((a) => ({ ...a })) })),
    server: (r) => seen.server?.(structuredClone({ ...r })),
    retried: ignore,
    retryOverflowed: ignore,
    poolOverflowed: ignore,
    ejected: ignore,
    unejected: ignore,
    configPushed: ignore,
    scrapeUntil: ignore,
    finish: ignore,
  };
}
